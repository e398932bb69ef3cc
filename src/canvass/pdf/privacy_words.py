"""Plain words for the records a person's data is kept in: fields, values, changes.

The change log stores field names (``elector_suffix``, ``notice_version``)
and JSON values, which mean nothing to a person reading their subject-access
copy. The PDF puts them into words here: a label for every field, values as
words (codes as their labels, 0 versions as "not recorded", a laptop never by
its id), and each change as a sentence. The audit trail's actions are worded
in :mod:`canvass.pdf.privacy_audit_words`. Pure Python (no ReportLab, no
database): it sits in :mod:`canvass.pdf` because the PDF may import nothing
above it, and the Privacy screen may import it.

Every table has a fallback: a field canvass adds later is
shown under a tidied name ("polling_day_note" → "Polling day note") rather
than left out.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: A record id or a device id (a UUID): never printed in words.
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
#: Longest single value in a list of fields; the JSON file holds each in full.
VALUE_CHARS = 120

# -- fields -------------------------------------------------------------------------------

#: Each stored field, in words (lower case: a label capitalises it).
FIELD_WORDS = {
    # register entries
    "polling_district_id": "polling district",
    "address_id": "address",
    "elector_number": "elector number",
    "elector_suffix": "elector number suffix",
    "markers": "franchise markers",
    "title": "title",
    "forenames": "forenames",
    "surname": "surname",
    "attainment_date": "attainment date",
    "register_edition": "register edition",
    "removed": "removed from the register",
    # doorstep records
    "elector_id": "register entry",
    "canvasser": "recorded by",
    "device_id": "laptop",
    "visited_at": "time of the call",
    "outcome": "outcome",
    "intention": "voting intention",
    "support": "support",
    "likelihood": "likelihood to vote",
    "flags": "flags",
    "issues": "issues raised",
    "survey_answers": "survey answers",
    "notes": "notes",
    "voided": "undone",
    "method": "how it was taken",
    "notice_version": "privacy notice given",
    # petition signatures
    "petition_id": "petition",
    "name": "name",
    "address": "address",
    "postcode": "postcode",
    "email": "email",
    "phone": "phone",
    "consent": "consent",
    "sheet_number": "sheet number",
    "row_number": "row on the sheet",
    "collector": "collected by",
    "signed_at": "time signed",
    "text_version": "petition text version",
    "strokes": "drawn signature",
    "withdrawn": "withdrawn",
    "contact_ok": "contact me about it",
    "count_decision": "decided by hand",
    "decision_reason": "reason for that decision",
    "consent_version": "consent wording version",
    # suppressions
    "match_key": "key to recognise you",
    "scope": "what it stops",
    "reason": "reason",
    "created_at": "time recorded",
    # reply slips
    "campaign_id": "campaign",
    "ticks": "boxes ticked",
    "source": "where from",
    "leaflet_id": "leaflet",
    "entered_by": "typed in by",
    "entered_at": "time typed in",
    # links between register entries
    "elector_a_id": "register entry",
    "elector_b_id": "register entry",
}

_ORDER = {name: n for n, name in enumerate(FIELD_WORDS)}

#: Each kind of record, in words.
RECORD_WORDS = {
    "elector": "register entry",
    "visit": "doorstep record",
    "signature": "petition signature",
    "suppression": "do-not-contact request",
    "supporter": "reply slip",
    "person_link": "link between register entries",
}

#: Fields holding a version number, where 0 means none was recorded.
_VERSIONS = frozenset({"notice_version", "consent_version", "text_version"})
#: Fields naming another record: shown as the register entry's number, or not at all.
_ELECTOR_REFS = frozenset({"elector_id", "elector_a_id", "elector_b_id"})
_SCORES = frozenset({"support", "likelihood"})
#: Fields holding a role ("a canvasser") in place of a third party's name: not quoted.
_ROLES = frozenset({"canvasser", "collector", "entered_by"})
#: Flags whose "no" says nothing worth listing among a new record's fields.
_QUIET_WHEN_OFF = frozenset({"removed", "voided", "withdrawn"})
#: A person's decision on counting a flagged signature (the rules decide when there is none).
DECISION_WORDS = {"": "", "count": "count it", "exclude": "leave it out"}
_METHODS = {
    "doorstep": "at the door",
    "stall": "at a street stall",
    "paper": "on a paper sheet",
    "phone": "by phone",
}


def tidy(name: str) -> str:
    """A code or field name as words: ``polling_day_note`` → ``polling day note``."""
    words = re.sub(r"[_\-]+", " ", name.removesuffix("_id")).strip()
    return words or name


def field_words(name: str) -> str:
    """A stored field in words (lower case), a tidied name for one canvass added later."""
    return FIELD_WORDS.get(name) or tidy(name)


def field_label(name: str) -> str:
    """A stored field as a label: "Elector number suffix"."""
    return capital(field_words(name))


def capital(text: str) -> str:
    """``text`` with its first letter upper case (the rest as it is)."""
    return text[:1].upper() + text[1:]


def when(text: str | None) -> str:
    """An ISO time or date as people read it: "1 Sep 2026, 09:00 UTC", "1 Sep 2026"."""
    if not text:
        return ""
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return f"{day.day} {day.strftime('%b')} {day.year}"
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    return f"{moment.day} {moment.strftime('%b')} {moment.year}, {moment.strftime('%H:%M')} UTC"


def version_words(value: object) -> str:
    """A version number: "version 2", or "not recorded" for 0 (records from before versions)."""
    return f"version {value}" if value else "not recorded"


@dataclass(frozen=True, slots=True)
class Lookup:
    """What a code stands for, gathered from the records themselves.

    Attributes:
        numbers: Register entry id → elector number ("NA-68").
        outcomes: Doorstep outcome code → its label ("SPK" → "Spoke").
        intentions: Voting intention code → its label.
        flags: Flag code → its label.
        questions: Survey question code → the question.
        devices: Device id → the laptop in words ("a canvasser's laptop").
    """

    numbers: Mapping[str, str] = field(default_factory=dict)
    outcomes: Mapping[str, str] = field(default_factory=dict)
    intentions: Mapping[str, str] = field(default_factory=dict)
    flags: Mapping[str, str] = field(default_factory=dict)
    questions: Mapping[str, str] = field(default_factory=dict)
    devices: Mapping[str, str] = field(default_factory=dict)


def _cut(text: str, limit: int = VALUE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _loaded(value: Any) -> Any:
    """A value stored as JSON text (survey answers, ticks) as the value itself."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _coded(codes: str, labels: Mapping[str, str]) -> str:
    return ", ".join(labels.get(c, c) for c in codes.split(",") if c)


def value_words(name: str, value: Any, lookup: Lookup | None = None, *, quote: bool = True) -> str:
    """A field's value in words ("" for no value): codes as labels, never a device id.

    With ``quote``, free text is quoted (“Rhys”) so that it reads apart from the
    words around it in a line of several fields.
    """
    look = lookup or Lookup()
    value = _loaded(value)
    if name in _VERSIONS:
        return str(value) if value else "not recorded"
    if name == "count_decision":
        return DECISION_WORDS.get(str(value or ""), str(value))
    if name in _ELECTOR_REFS:
        number = look.numbers.get(str(value or ""))
        return number or ""
    if name == "device_id":
        return look.devices.get(str(value or ""), "a laptop of the campaign") if value else ""
    if name.endswith("_id"):
        return ""  # a link to another record: in the JSON file
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if name == "elector_suffix":
        return str(value) if value else "none"
    if name in _SCORES:
        return f"{value} of 5"
    if name == "method":
        return _METHODS.get(str(value), str(value))
    if name == "outcome":
        return look.outcomes.get(str(value), str(value))
    if name == "intention":
        return look.intentions.get(str(value), str(value))
    if name == "flags":
        return _coded(str(value), look.flags)
    if name == "issues":
        return ", ".join(i for i in str(value).split(",") if i)
    if name == "scope":
        return str(value).replace("-", " ")
    if name == "strokes":
        points = sum(len(s) // 2 for s in value) if isinstance(value, list) else 0
        return f"drawn on the pad ({points} points)" if points else "drawn on the pad"
    if name == "match_key":
        return f"a code ({str(value)[:12]}…)"
    if name.endswith("_at") and isinstance(value, str):
        return when(value)
    if name == "survey_answers" and isinstance(value, dict):
        return "; ".join(
            f"{look.questions.get(k, tidy(k))} — {plain(v)}" for k, v in sorted(value.items())
        )
    if isinstance(value, list):
        return ", ".join(plain(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{tidy(str(k))}: {plain(v)}" for k, v in value.items())
    if isinstance(value, str):
        if name in _ROLES or not quote:
            return _cut(value) if quote else value
        return f"“{_cut(value)}”"
    return str(value)


def plain(value: Any) -> str:
    """A value inside a longer text: yes/no, a record id as "(a record)", JSON for a list."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return UUID.sub("(a record)", value)
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else str(value)


def fields_words(values: Mapping[str, Any], lookup: Lookup | None = None) -> str:
    """Fields and their values as one short line: "Forenames: “Rhys”; Surname: “Protowell”".

    Empty values, "no" for a flag that is off, and links to other records are
    left out: the list says what was recorded, the JSON file holds all of it.
    """
    parts = []
    for name in sorted(values, key=_field_order):
        value = values[name]
        if (value is False and name in _QUIET_WHEN_OFF) or (
            name.endswith("_id") and name not in _ELECTOR_REFS
        ):
            continue
        words = value_words(name, value, lookup)
        if words:
            parts.append(f"{field_label(name)}: {words}")
    return "; ".join(parts)


def _field_order(name: str) -> tuple[int, str]:
    """Fields in the order of :data:`FIELD_WORDS` (as a record card lists them), new ones last."""
    return (_ORDER.get(name, len(_ORDER)), name)


def change_words(
    entity: str, kind: str, name: str | None, value: Any, lookup: Lookup | None = None
) -> str:
    """One change of the change log in words: what changed, with the value."""
    if kind == "create":
        if entity == "person_link" and isinstance(value, dict):
            entries = [
                value_words(k, value.get(k), lookup) for k in ("elector_a_id", "elector_b_id")
            ]
            shown = " and ".join(e for e in entries if e) or "two register entries"
            return f"Linked {shown} as the same person"
        listed = fields_words(value, lookup) if isinstance(value, dict) else ""
        return f"Recorded with {listed}" if listed else "Recorded"
    if kind == "erase":
        return "Erased"
    if kind == "link":
        return "Linked to another register entry as the same person"
    if kind == "suppress":
        return "Do-not-contact request recorded"
    if name is None:
        listed = fields_words(value, lookup) if isinstance(value, dict) else ""
        return capital(tidy(kind)) + (f": {listed}" if listed else "")
    words = value_words(name, value, lookup)
    label = field_label(name)
    if name == "count_decision" and kind == "set":
        return f"Decided by hand: {words}" if words else "Counting left to the rules again"
    if kind == "resolve":
        return f"{label} settled as {words or 'empty'} (two laptops disagreed)"
    if not words:
        return f"{label} cleared"
    return f"{label} changed to {words}"
