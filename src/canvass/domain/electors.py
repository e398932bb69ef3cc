"""Elector numbers: the polling-district code, the number and the suffix.

Registers spell them many ways ("AB-124/1", "AB124.1", "(AB)124-1",
"AB 124/0"); every spelling parses to the same (district, number, suffix),
shown as "AB-124/1" or, when the suffix is zero, "AB-124".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from canvass.domain.errors import ValidationError

# With a separator (dash, space or brackets) between them, the district code
# may hold digits ("KA1-12" is district KA1, number 12). Without one, the
# code is letters only ("AB124" is AB, 124): "KA112" would be ambiguous.
_SEPARATED = re.compile(
    r"""^\s*
    (?:\(\s*(?P<bpd>[A-Za-z0-9]{1,6})\s*\)\s*[-\s]?|(?P<pd>[A-Za-z][A-Za-z0-9]{0,5})\s*(?:-|\s)\s*)
    (?P<num>[0-9]{1,7})
    (?:\s*[/.\-]\s*(?P<suffix>[0-9]{1,4}))?
    \s*$""",
    re.VERBOSE,
)
_JOINED = re.compile(
    r"^\s*(?P<pd>[A-Za-z]{1,4})(?P<num>[0-9]{1,7})(?:\s*[/.\-]\s*(?P<suffix>[0-9]{1,4}))?\s*$"
)
_NUMBER_ONLY = re.compile(r"^\s*(?P<num>[0-9]{1,7})(?:\s*[/.\-]\s*(?P<suffix>[0-9]{1,4}))?\s*$")


@dataclass(frozen=True, slots=True, order=True)
class ElectorNumber:
    """A parsed elector number."""

    district: str
    number: int
    suffix: int = 0

    def __str__(self) -> str:
        base = f"{self.district}-{self.number}"
        return f"{base}/{self.suffix}" if self.suffix else base


def parse_elector_number(text: str, *, district: str | None = None) -> ElectorNumber:
    """Parse any common spelling of an elector number.

    Args:
        text: "AB-124/1", "AB124.1", "(AB)124-1", "AB 124", or "124/1" when
            ``district`` is given.
        district: The polling district to assume when ``text`` has none.

    Raises:
        ValidationError: If ``text`` is not an elector number.
    """
    match = _SEPARATED.match(text or "") or _JOINED.match(text or "")
    if match:
        pd = (match.groupdict().get("bpd") or match.group("pd")).upper()
        return ElectorNumber(pd, int(match.group("num")), int(match.group("suffix") or 0))
    if district:
        only = _NUMBER_ONLY.match(text or "")
        if only:
            return ElectorNumber(
                district.strip().upper(), int(only.group("num")), int(only.group("suffix") or 0)
            )
    raise ValidationError(f"'{text}' is not an elector number; write it like AB-124 or AB-124/1.")


def parse_suffix(text: str) -> int:
    """An elector-number suffix column: blank or "0" means none.

    Raises:
        ValidationError: If it is not a small whole number.
    """
    text = (text or "").strip().lstrip("/.")
    if not text:
        return 0
    if not text.isdigit() or len(text) > 4:
        raise ValidationError(f"'{text}' is not an elector-number suffix.")
    return int(text)
