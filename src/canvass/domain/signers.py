"""Checking what a signer gives: name, postcode, email, phone, drawn signature.

Pure rules (the email and phone checks use the email-validator and
phonenumbers libraries rather than home-made patterns).
"""

from __future__ import annotations

import re
import unicodedata

from canvass.domain.errors import ValidationError
from canvass.domain.postcodes import normalise_postcode
from canvass.domain.values import clean_string

#: Points a drawn signature may hold (x, y pairs over all strokes).
MAX_POINTS = 4000
#: Strokes are stored in a 0–1000 box: no timing, no pressure (biometric-like data).
BOX = 1000
_FORMULA = ("=", "+", "-", "@")
_URLISH = re.compile(r"(https?://|www\.|\.(com|net|org|co\.uk|io|ru)\b)", re.IGNORECASE)


def check_name(text: str) -> str:
    """A signer's name, tidied.

    Raises:
        ValidationError: Empty, too long, starting like a spreadsheet formula, or a web address.
    """
    name = " ".join(clean_string(text or "", field="The name").split())
    if not name:
        raise ValidationError("The name is empty; write the signer's name.")
    if len(name) > 200:
        raise ValidationError("The name is longer than 200 characters.")
    if name.startswith(_FORMULA):
        raise ValidationError(
            f"A name cannot start with '{name[0]}' (spreadsheets would run it as a formula)."
        )
    if _URLISH.search(name):
        raise ValidationError("A name cannot be a web address.")
    if not any(ch.isalpha() for ch in name):
        raise ValidationError("A name needs letters.")
    return name


def check_postcode(text: str, *, required: bool = True) -> str:
    """A UK postcode in standard form (BFPO numbers and GIR 0AA too).

    Raises:
        ValidationError: If it is not one (or missing when required).
    """
    if not (text or "").strip():
        if required:
            raise ValidationError("The postcode is missing.")
        return ""
    code = normalise_postcode(text)
    if code is None:
        raise ValidationError(f"'{text.strip()}' is not a UK postcode (like AB1 2CD).")
    return code


def check_email(text: str) -> str:
    """An email address, normalised by email-validator ("" stays "")."""
    text = (text or "").strip()
    if not text:
        return ""
    from email_validator import EmailNotValidError, validate_email

    try:
        return str(validate_email(text, check_deliverability=False).normalized)
    except EmailNotValidError as exc:
        raise ValidationError(f"'{text}' is not an email address: {exc}") from None


def canonical_email(email: str) -> str:
    """The form two spellings of one mailbox share: case, +tags, Gmail dots."""
    local, _, domain = email.lower().partition("@")
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}" if domain else local


def check_phone(text: str) -> str:
    """A phone number in international form (UK numbers may omit +44) ("" stays "")."""
    text = (text or "").strip()
    if not text:
        return ""
    import phonenumbers

    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        raise ValidationError(f"'{text}' is not a phone number.") from None
    # "Possible" (right length for its country) rather than "valid": the
    # library's list of allocated ranges lags behind new ones, and refusing a
    # real number at a street stall loses a signer.
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(f"'{text}' has the wrong number of digits for a phone number.")
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def name_key(name: str) -> str:
    """A name folded for duplicate checks: case, accents, punctuation, titles."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    words = [w for w in re.findall(r"[a-z0-9]+", plain) if w not in _TITLES]
    return " ".join(words)


_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir", "dame"})


def check_strokes(strokes: object) -> list[list[int]]:
    """A drawn signature: strokes of x, y integer pairs in a 0–1000 box.

    Raises:
        ValidationError: For anything else (timing or pressure included).
    """
    if strokes in (None, "", []):
        return []
    if not isinstance(strokes, list):
        raise ValidationError("A drawn signature must be a list of strokes.")
    out: list[list[int]] = []
    total = 0
    for stroke in strokes:
        if (
            not isinstance(stroke, list)
            or len(stroke) % 2
            or not all(type(v) is int and 0 <= v <= BOX for v in stroke)
        ):
            raise ValidationError(
                "A stroke of a drawn signature must be x, y pairs of whole numbers from 0 to 1000."
            )
        total += len(stroke) // 2
        if stroke:
            out.append(list(stroke))
    if total > MAX_POINTS:
        raise ValidationError("The drawn signature has too many points; clear it and sign again.")
    return out
