"""Values that may travel inside operations.

Operations are exchanged between laptops and hashed, so a value must encode to
exactly one byte string on every machine: strings (NFC-normalised, no control
characters other than newline and tab, no lone surrogates), integers that fit
in 64 bits, booleans, None, and flat lists or string-keyed dicts of those.
Floats are refused: their text form differs between platforms, and sync
libraries that allowed them recorded drift. Decimals travel as strings.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import TypeAlias

from canvass.domain.errors import ValidationError

Scalar: TypeAlias = str | int | bool | None
Value: TypeAlias = Scalar | list["Value"] | dict[str, "Value"]

MAX_STRING = 20_000
MAX_DEPTH = 4
_INT64 = 2**63
_ALLOWED_CONTROLS = {"\n", "\t"}


# Control characters (category Cc) other than tab and newline, and lone
# surrogates. One regex search in C instead of a Python loop per character:
# the register import and the merge call this for every value.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_string(text: str, *, field: str = "value") -> str:
    """Return ``text`` NFC-normalised, or raise if it cannot travel.

    Args:
        text: The string to check.
        field: Name used in the error message.

    Raises:
        ValidationError: For control characters, lone surrogates or too long text.
    """
    bad = _FORBIDDEN.search(text)
    if bad is not None:
        ch = bad.group()
        if 0xD800 <= ord(ch) <= 0xDFFF:
            raise ValidationError(f"{field} contains a broken character (a lone surrogate).")
        raise ValidationError(
            f"{field} contains a control character (U+{ord(ch):04X}); remove it and try again."
        )
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if len(text) > MAX_STRING:
        raise ValidationError(f"{field} is longer than {MAX_STRING} characters.")
    return text


def check_value(value: object, *, field: str = "value", depth: int = 0) -> Value:
    """Validate a value for an operation and return its normalised form.

    Raises:
        ValidationError: If the value has a type or size that cannot travel.
    """
    if isinstance(value, str):  # the common case first: this runs for every field
        return clean_string(value, field=field)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if not -_INT64 <= value < _INT64:
            raise ValidationError(f"{field} is a number too large to store.")
        return value
    if isinstance(value, float):
        raise ValidationError(f"{field} is a floating-point number; store it as text or integer.")
    if depth >= MAX_DEPTH:
        raise ValidationError(f"{field} is nested too deeply.")
    if isinstance(value, list | tuple):
        return [check_value(v, field=field, depth=depth + 1) for v in value]
    if isinstance(value, dict):
        out: dict[str, Value] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValidationError(f"{field} has a key that is not text.")
            out[clean_string(key, field=field)] = check_value(item, field=field, depth=depth + 1)
        return out
    raise ValidationError(f"{field} has a type canvass cannot store ({type(value).__name__}).")


#: One encoder, built once: json.dumps with non-default options builds a new
#: encoder on every call, which doubled the cost of recording an operation.
_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


def _no_default(value: object) -> object:
    raise TypeError(f"{type(value).__name__} cannot be written as JSON")


def _make_fast_encoder() -> Callable[[object, int], Sequence[str]] | None:
    # JSONEncoder.encode still builds its C encoder afresh on every call, half
    # the cost of encoding a ten-field record; build that C encoder once. With
    # no markers there is no cycle check: values are validated trees, never cyclic.
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # an interpreter without the C accelerator
        return None
    try:
        encoder: Callable[[object, int], Sequence[str]] = make(
            None, _no_default, json.encoder.encode_basestring, None, ":", ",", True, False, False
        )
        encoder({"b": [1, "é"], "a": None}, 0)
    except TypeError:  # a C signature this code does not know
        return None
    return encoder


_FAST = _make_fast_encoder()


def canonical_json(value: object) -> str:
    """The one text form of a value: sorted keys, no spaces, UTF-8, no NaN."""
    if _FAST is not None and not isinstance(value, float):
        return "".join(_FAST(value, 0))
    return _CANONICAL.encode(value)
