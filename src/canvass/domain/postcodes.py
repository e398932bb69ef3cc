"""UK postcodes: normalising, validating and finding them in address lines."""

from __future__ import annotations

import re

# Outward code, then inward code (digit + two letters from the allowed set).
_SHAPE = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)([0-9][ABD-HJLNP-UW-Z]{2})$")
_IN_TEXT = re.compile(r"\b([A-Z]{1,2}[0-9][0-9A-Z]?)\s*([0-9][ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE)
_BFPO = re.compile(r"^BFPO\s*[0-9]{1,4}$")


def normalise_postcode(text: str) -> str | None:
    """The postcode in standard form ("AB1 2CD"), or None if ``text`` is not one.

    Accepts any spacing and case; "GIR 0AA" and BFPO numbers are valid too.
    """
    squashed = re.sub(r"[^A-Za-z0-9]", "", text or "").upper()
    if squashed == "GIR0AA":
        return "GIR 0AA"
    if _BFPO.match(squashed):
        return f"BFPO {squashed[4:]}"
    match = _SHAPE.match(squashed)
    if not match:
        return None
    return f"{match.group(1)} {match.group(2)}"


def find_postcode(text: str) -> tuple[str | None, str]:
    """Find a postcode at the end of an address line.

    Returns:
        The normalised postcode (or None) and the line without it.
    """
    line = (text or "").strip()
    for match in reversed(list(_IN_TEXT.finditer(line))):
        if line[match.end() :].strip(" ,.") == "":
            code = normalise_postcode(match.group(0))
            if code:
                return code, line[: match.start()].rstrip(" ,")
    return None, line
