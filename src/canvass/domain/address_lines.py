"""Reading a household address out of a register's free-text address lines.

Register files put the parts of an address wherever the council's software
does: "Flat 2, 14 High Street" in one line, the flat and the street in two,
the house number alone in line 1, the postcode in the last line instead of
its own column, a house name before the street. This turns any of those into
flat / number / name / street / town / postcode.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from canvass.domain.addresses import split_house_number
from canvass.domain.postcodes import find_postcode, normalise_postcode

_FLAT = re.compile(
    r"^(?P<word>flat|apartment|apt\.?|unit|room|maisonette|studio)\s+(?P<id>[0-9A-Za-z/\-]+)"
    r"\s*,?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_SCOTTISH_FLAT = re.compile(
    r"^(?P<id>[0-9]+/[0-9]+|[0-9]+F[0-9]+|G/[0-9LR])\s*,?\s*(?P<rest>.*)$", re.IGNORECASE
)
_NUMBERED = re.compile(
    r"^(?P<num>[0-9]+)\s*(?P<suf>[A-Za-z])?(?:\s*-\s*[0-9]+[A-Za-z]?)?"
    r"\s*,?\s+(?P<street>[^\d\s].*)$"
)
_NUMBER_ONLY = re.compile(r"^[0-9]+\s*[A-Za-z]?$")
_STAIR = re.compile(r"^(?P<num>[0-9]+)/(?P<flat>[0-9]+[A-Za-z]?)\s+(?P<street>[^\d\s].*)$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class ParsedAddress:
    """One household's address, split into the parts canvass walks by."""

    flat: str = ""
    house_number: int | None = None
    house_suffix: str = ""
    house_name: str = ""
    street: str = ""
    town: str = ""
    postcode: str = ""

    @cached_property
    def key(self) -> str:
        """Normalised identity of the household: the same door gives the same key."""
        number = f"{self.house_number}{self.house_suffix}" if self.house_number else ""
        parts = (self.flat, number, self.house_name, self.street, self.postcode)
        return "|".join(_SPACES.sub(" ", p).strip().casefold() for p in parts)

    def one_line(self) -> str:
        """The address as people write it: "Flat 2, 14 High Street, Sampleton AB1 2CD"."""
        door = f"{self.house_number}{self.house_suffix}" if self.house_number else ""
        first = " ".join(p for p in (door, self.street) if p)
        parts = [p for p in (self.flat, self.house_name, first, self.town) if p]
        text = ", ".join(parts)
        return f"{text} {self.postcode}".strip() if self.postcode else text


_PLAIN_TEXT = re.compile(r"^[\w\s'’\-.,/&()]+$")


def _cap_word(word: str) -> str:
    """One word in name case: "MCDONALD" McDonald, "O'NEILL" O'Neill, "JOHN'S" John's."""
    parts = re.split(r"([-'’])", word.lower())
    out = []
    for i, part in enumerate(parts):
        after_apostrophe = i > 0 and parts[i - 1] in ("'", "’")
        if after_apostrophe and len(parts[i - 2]) > 1:
            out.append(part)  # the possessive 's in "St John's", not O'Neill
        else:
            out.append(part[:1].upper() + part[1:])
    text = "".join(out)
    if len(text) > 2 and text.startswith("Mc") and text[2].isalpha():
        text = "Mc" + text[2].upper() + text[3:]
    return text


def tidy(text: str) -> str:
    """Collapse stray whitespace, and soften ALL-CAPS (or all lower-case) text to name case.

    Text that is not plain words ("=HYPERLINK(...)", "@SUM(1)") is kept exactly as given.
    """
    text = _SPACES.sub(" ", text or "").strip()
    if not (text.isupper() or text.islower()) or not any(c.isalpha() for c in text):
        return text
    if not _PLAIN_TEXT.match(text):
        return text
    words = []
    for word in text.split(" "):
        # Postcode-like or number-letter tokens ("2A", "ZZ1") keep their capitals.
        if any(c.isdigit() for c in word):
            words.append(word.upper())
        else:
            words.append(_cap_word(word))
    return " ".join(words)


def _title_flat(word: str, ident: str) -> str:
    return f"{word.rstrip('.').capitalize()} {ident.upper()}"


def parse_address_lines(lines: list[str], postcode: str = "") -> ParsedAddress:
    """Split free-text address lines (and an optional postcode column) into parts."""
    raw: list[str] = []
    for line in lines:
        # A cell may hold several lines of the address, separated by commas or newlines.
        for part in re.split(r"[,\r\n]", line or ""):
            part = _SPACES.sub(" ", part).strip()
            if part:
                raw.append(part)
    # A postcode column that holds something else ("NO FIXED ABODE") is ignored.
    code = (normalise_postcode(postcode) or "") if postcode.strip() else ""
    if raw:
        # Before any re-casing: "ZZ1 1AB" must not become "Zz1 1Ab" in the town. The
        # postcode may also be repeated in the last line when its column is filled.
        found, rest = find_postcode(raw[-1])
        if found and (not code or found == code):
            code = found
            raw[-1] = rest
    cleaned = [tidy(p) for p in raw if p]
    flat = ""
    remaining: list[str] = []
    for line in cleaned:
        if not flat:
            match = _FLAT.match(line) or None
            if match:
                flat = _title_flat(match.group("word"), match.group("id"))
                if match.group("rest"):
                    remaining.append(match.group("rest"))
                continue
            scottish = None if _STAIR.match(line) else _SCOTTISH_FLAT.match(line)
            if scottish and (scottish.group("rest") or len(cleaned) > 1):
                flat = f"Flat {scottish.group('id').upper()}"
                if scottish.group("rest"):
                    remaining.append(scottish.group("rest"))
                continue
        remaining.append(line)
    number: int | None = None
    suffix = name = street = ""
    rest_start = 0
    for i, line in enumerate(remaining):
        stair = _STAIR.match(line)
        if stair and not flat:
            # Edinburgh's "14/2 High Street": number 14, flat 2.
            number, suffix = int(stair.group("num")), ""
            flat = f"Flat {stair.group('flat').upper()}"
            street = stair.group("street").strip()
            name = " ".join(remaining[:i])
            rest_start = i + 1
            break
        numbered = _NUMBERED.match(line)
        if numbered:
            number, suffix = int(numbered.group("num")), (numbered.group("suf") or "").upper()
            street = numbered.group("street").strip()
            name = " ".join(remaining[:i])
            rest_start = i + 1
            break
        if _NUMBER_ONLY.match(line) and i + 1 < len(remaining):
            number, suffix = split_house_number(line)
            street = remaining[i + 1]
            name = " ".join(remaining[:i])
            rest_start = i + 2
            break
    else:
        # No house number: a named house, then the street.
        if len(remaining) >= 2:
            name, street = remaining[0], remaining[1]
            rest_start = 2
        elif remaining:
            street = remaining[0]
            rest_start = 1
    town = ", ".join(remaining[rest_start:])
    return ParsedAddress(flat, number, suffix, name, street, town, code)
