"""Suppression scopes, what each keeps a person off, and the key that finds them again.

A suppression is a person's "do not ...": grow-only, it travels in exchange
files and is never cleared. Its scope says which kind of contact it stops:

- ``do-not-contact``: no contact of any kind;
- ``do-not-knock``: no door knocking (off walk lists, walk sheets, knock-up lists);
- ``do-not-leaflet``: no addressed mail (off mail merges, and a door where
  everyone asked for none is skipped on delivery rounds).

Every output that reaches people asks :func:`excludes` (or
:func:`scopes_excluding`, for a query) rather than spelling out the rule
again, so a new scope or output changes one place.

The match key recognises the person in a later edition of the register,
where their elector number (re-sequenced yearly) and house may differ: a
keyed SHA-256 hash of their normalised full name and postcode. The name is
never stored in the suppression, only this key.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable

from canvass.domain.errors import ValidationError

DO_NOT_CONTACT = "do-not-contact"
DO_NOT_KNOCK = "do-not-knock"
DO_NOT_LEAFLET = "do-not-leaflet"

#: Every scope, with what it means to the person choosing one.
SCOPES: dict[str, str] = {
    DO_NOT_CONTACT: "no contact of any kind",
    DO_NOT_KNOCK: "no door knocking (off walk lists, walk sheets and knock-up lists)",
    DO_NOT_LEAFLET: "no addressed mail (off mail merges)",
}

#: The reason given to a suppression copied onto the person's new register entry.
CARRIED_REASON = "carried from an earlier register edition"
#: The reason given to a suppression copied onto the one newcomer of the same name
#: as a suppressed person who left the register in the same import.
MOVED_REASON = "carried: same name at a new address in the same edition"
#: Longest reason a suppression row holds.
MAX_REASON = 64


class Output(enum.Enum):
    """The kinds of output a suppression can keep a person off."""

    KNOCK = "knock"  # walk lists, walk sheets, knock-up lists: someone at the door
    LETTER = "letter"  # mail merge letters, leaflet delivery rounds
    EXPORT = "export"  # lists of electors for contacting them (CSV and the like)


_EXCLUDES: dict[str, frozenset[Output]] = {
    DO_NOT_CONTACT: frozenset(Output),
    DO_NOT_KNOCK: frozenset({Output.KNOCK}),
    DO_NOT_LEAFLET: frozenset({Output.LETTER}),
}


def excludes(scope: str, output: Output) -> bool:
    """Whether a suppression of ``scope`` keeps its person off ``output``.

    A scope this version does not know (written by a newer one) is read as
    do-not-contact: a stricter reading can only leave someone uncontacted,
    a looser one could knock on the door of a person who asked us not to.
    """
    return output in _EXCLUDES.get(scope, _EXCLUDES[DO_NOT_CONTACT])


def excluded_by_any(scopes: Iterable[str], output: Output) -> bool:
    """Whether any of a person's suppressions keeps them off ``output``."""
    return any(excludes(scope, output) for scope in scopes)


#: Each scope as a screen names it beside a person, in a few words.
LABELS: dict[str, str] = {
    DO_NOT_CONTACT: "Do not contact",
    DO_NOT_KNOCK: "Do not knock",
    DO_NOT_LEAFLET: "No letters",
}


def shown_scopes(scopes: Iterable[str]) -> tuple[str, ...]:
    """A person's scopes to name on a screen: strictest first, none another one covers.

    A scope this version does not know is shown as do-not-contact (see
    :func:`excludes`), and a scope whose outputs another of the person's scopes
    already keeps them off is left out ("Do not contact" says all that
    "Do not knock" would).
    """
    known = {scope if scope in SCOPES else DO_NOT_CONTACT for scope in scopes}

    def covered(scope: str) -> bool:
        return any(_EXCLUDES[scope] < _EXCLUDES[other] for other in known)

    return tuple(scope for scope in SCOPES if scope in known and not covered(scope))


def scopes_excluding(output: Output) -> frozenset[str]:
    """The known scopes that keep a person off ``output`` (for a database query).

    A query must also treat unknown scopes as excluding: see :func:`excludes`.
    """
    return frozenset(scope for scope in SCOPES if excludes(scope, output))


def check_scope(text: str) -> str:
    """A scope as given by a person, checked.

    Raises:
        ValidationError: If it is not one of :data:`SCOPES`.
    """
    scope = text.strip().lower()
    if scope not in SCOPES:
        raise ValidationError(
            f"'{text}' is not a suppression scope; use one of {', '.join(SCOPES)}."
        )
    return scope


def check_reason(text: str) -> str:
    """A suppression's reason, tidied.

    The reason travels with the suppression and outlives an erasure, so it is
    a short category ("asked at the door", "letter of 3 May"), not a story.

    Raises:
        ValidationError: If it is too long or holds control characters.
    """
    reason = " ".join(text.split())
    if len(reason) > MAX_REASON:
        raise ValidationError(
            f"The reason is {len(reason)} characters long; keep it to {MAX_REASON} "
            "(a short category such as 'asked by letter', without names)."
        )
    if any(unicodedata.category(ch)[0] == "C" for ch in reason):
        raise ValidationError("The reason holds control characters; type it again plainly.")
    return reason


# Letters NFKD does not split into a base letter and a mark.
_FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe"})
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def normalise_name(forenames: str, surname: str) -> str:
    """A full name as the match key sees it: lower case, plain letters, single spaces.

    Registers arrive in different encodings and spellings from year to year
    ("Siân" or "Sian", "NGUYỄN-SAMPLE" or "Nguyen Sample"), so accents,
    case, hyphens and apostrophes are all dropped.
    """
    text = f"{forenames} {surname}".casefold()
    if not text.isascii():
        text = "".join(
            ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
        ).translate(_FOLD)
    return _NOT_WORD.sub(" ", text).strip()


def normalise_postcode(postcode: str) -> str:
    """A postcode as the match key sees it: capitals and digits only ("ZZ11AB")."""
    return re.sub(r"[^0-9A-Z]", "", (postcode or "").upper())


def campaign_key(campaign_id: str) -> bytes:
    """The key of a campaign's match keys, derived from its id.

    Every laptop of the campaign must make the same key for the same person
    (a canvasser's "do not contact" at the door is matched at the office), and
    the campaign holds no shared secret, so the key is the campaign's id:
    keys from two campaigns never compare equal, and a key cannot be looked up
    in a table made for another campaign.
    """
    return hashlib.sha256(b"canvass suppression match key\x00" + campaign_id.encode()).digest()


class MatchKeys:
    """Makes match keys under one campaign's key (many at a time, for an import)."""

    def __init__(self, key: bytes) -> None:
        self._base = hmac.new(key, digestmod=hashlib.sha256)

    def of(self, forenames: str, surname: str, postcode: str) -> str:
        """The match key of a person (64 hex digits), or "" when they have no name."""
        name = normalise_name(forenames, surname)
        if not name:
            return ""
        mac = self._base.copy()
        mac.update(f"{name}\x00{normalise_postcode(postcode)}".encode())
        return mac.hexdigest()


def match_key(key: bytes, forenames: str, surname: str, postcode: str) -> str:
    """The match key of one person: HMAC-SHA256 of their normalised name and postcode."""
    return MatchKeys(key).of(forenames, surname, postcode)
