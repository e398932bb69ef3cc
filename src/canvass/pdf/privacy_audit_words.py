"""Plain words for the audit trail: each action's name, and the key facts of its detail.

The trail stores an action code (``print-walk-sheets``) and a JSON detail of
ids, counts and file names. The Privacy screen's Audit trail tab and the
subject-access PDF both show them in words from here, so the two say the
same thing: "Printed walk sheets", "walk-sheets.pdf: 4 pages, 80 doors".
Ids are never among the words (the screen keeps the whole entry in a
tooltip; the JSON file keeps it for the person). An action or key canvass
adds later falls back to a tidied name and "Key: value" pairs.

Pure Python, in :mod:`canvass.pdf` beside :mod:`canvass.pdf.privacy_words`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from canvass.pdf.privacy_words import RECORD_WORDS, UUID, capital, field_words, plain, tidy

#: Each action of the audit trail, short, as a column or a menu shows it.
ACTION_NAMES = {
    "register-import": "Imported the register",
    "erase": "Erased a person",
    "suppress": "Suppressed a person",
    "subject-access": "Subject-access export",
    "purge": "Purged old data",
    "print-walk-sheets": "Printed walk sheets",
    "print-knock-up": "Printed knock-up sheets",
    "print-bundle": "Printed a petition bundle",
    "mail-merge": "Mail-merged letters",
    "export-supporters": "Exported supporters",
    "export": "Wrote an exchange file",
    "merge": "Merged a file",
    "enrol-device": "Enrolled a laptop",
    "revoke-device": "Revoked a laptop",
    "recovery-key": "Set the recovery key",
    "resolve-conflict": "Settled a conflict",
    "encrypt-database": "Encrypted the database",
}

#: The erasure reason codes (:data:`canvass.services.erasure.REASON_CODES`) in words.
REASON_WORDS = {
    "subject-request": "They asked to be erased",
    "retention": "The retention period is over",
    "duplicate": "A duplicate of another record",
    "deceased": "They have died",
    "other": "Another reason",
}

#: What a purge counts, by the key of its audit detail.
_PURGED = {
    "electors": "register entries",
    "visits": "doorstep records",
    "signatures": "petition signatures",
    "supporters": "reply slips",
}


def action_name(action: str) -> str:
    """An audit action in words: "Printed walk sheets"; a tidied code for a new one."""
    return ACTION_NAMES.get(action) or capital(tidy(action))


def _count(detail: Mapping[str, Any], key: str, one: str, many: str | None = None) -> str:
    value = detail.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        return ""
    return f"{value:,} {one if value == 1 else (many or one + 's')}"


def _joined(*parts: str, sep: str = ", ") -> str:
    return sep.join(p for p in parts if p)


def _file_and(detail: Mapping[str, Any], *facts: str) -> str:
    listed = _joined(*facts)
    file = str(detail.get("file") or "")
    if file and listed:
        return f"{file}: {listed}"
    return file or listed


def _print_words(d: Mapping[str, Any]) -> str:
    left = _count(d, "left_out", "left out", "left out")
    return _file_and(
        d,
        _count(d, "pages", "page"),
        _count(d, "doors", "door"),
        _count(d, "electors", "elector"),
        left if d.get("left_out") else "",
    )


def _import_words(d: Mapping[str, Any]) -> str:
    changes = _joined(
        _count(d, "added", "new", "new"),
        _count(d, "changed", "changed", "changed"),
        _count(d, "removed", "removed", "removed"),
    )
    electors = _count(d, "electors", "elector")
    if electors and changes:
        electors += f" ({changes})"
    edition = f"edition {d['edition']}" if d.get("edition") else ""
    rejected = _count(d, "rejected", "row rejected", "rows rejected") if d.get("rejected") else ""
    return _file_and(d, electors, edition, rejected)


def _erase_words(d: Mapping[str, Any]) -> str:
    what = capital(RECORD_WORDS.get(str(d.get("entity", "")), "a record"))
    reason = REASON_WORDS.get(str(d.get("reason", "")), tidy(str(d.get("reason", ""))))
    removed = _count(d, "records", "record")
    because = f" ({reason.lower()})" if reason else ""
    return f"{what} erased{because}" + (f": {removed} removed" if removed else "")


def _subject_access_words(d: Mapping[str, Any]) -> str:
    counts = d.get("counts")
    total = (
        sum(v for v in counts.values() if isinstance(v, int)) if isinstance(counts, dict) else None
    )
    files = [str(f) for f in d.get("files") or [] if isinstance(f, str)]
    who = RECORD_WORDS.get(str(d.get("kind", "")), "person")
    held = f"{total:,} record{'' if total == 1 else 's'}" if total is not None else "Everything"
    where = f", in {files[0]}" if files else ""
    return f"{held} about a {who}{where}"


def _purge_words(d: Mapping[str, Any]) -> str:
    parts = [_count(d, key, words, words) for key, words in _PURGED.items() if d.get(key)]
    removed = _count(d, "records", "record")
    listed = f"{removed} removed" if removed else ""
    if parts:
        listed = _joined(listed, ", ".join(parts), sep=": ")
    early = "before the retention date" if d.get("early") else ""
    return _joined(listed, early, sep="; ")


def _merge_words(d: Mapping[str, Any]) -> str:
    dropped = d.get("dropped_erased")
    return _joined(
        _count(d, "new", "new change"),
        f"{dropped:,} about erased people left out" if isinstance(dropped, int) and dropped else "",
        sep="; ",
    )


def _export_words(d: Mapping[str, Any]) -> str:
    recipients = d.get("recipients")
    laptops = len(recipients) if isinstance(recipients, list) else 0
    scope = str(d.get("scope") or "")
    return _file_and(
        d,
        _count(d, "operations", "change"),
        f"for {laptops} laptop{'' if laptops == 1 else 's'}" if laptops else "",
        "" if scope in ("", "full") else scope,
    )


def _bundle_words(d: Mapping[str, Any]) -> str:
    return _file_and(
        d,
        _count(d, "signatures", "signature"),
        "addresses blacked out" if d.get("redacted") else "",
        "signed" if d.get("signed") else "",
    )


def _mail_merge_words(d: Mapping[str, Any]) -> str:
    letters = _count(d, "letters", "letter")
    households = _count(d, "households", "household")
    where = f"walk list {d['walk_list']}" if d.get("walk_list") else ""
    where = where or (f"district {d['district']}" if d.get("district") else "")
    return _file_and(d, _joined(letters, households and f"to {households}", sep=" "), where)


def _laptop_words(d: Mapping[str, Any]) -> str:
    return f"Laptop “{d['name']}”" if d.get("name") else "A laptop"


_DETAIL_WORDS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "register-import": _import_words,
    "erase": _erase_words,
    "suppress": lambda d: capital(str(d.get("scope") or "").replace("-", " ")),
    "subject-access": _subject_access_words,
    "purge": _purge_words,
    "print-walk-sheets": _print_words,
    "print-knock-up": _print_words,
    "print-bundle": _bundle_words,
    "mail-merge": _mail_merge_words,
    "export-supporters": lambda d: _file_and(d, _count(d, "supporters", "supporter")),
    "export": _export_words,
    "merge": _merge_words,
    "enrol-device": _laptop_words,
    "revoke-device": _laptop_words,
    "recovery-key": lambda d: "A new recovery key for the campaign",
    "resolve-conflict": lambda d: _joined(
        capital(RECORD_WORDS.get(str(d.get("entity", "")), "a record")),
        field_words(str(d["field"])) if d.get("field") else "",
        sep=": ",
    ),
    "encrypt-database": lambda d: _joined(
        _count(d, "tables", "table"),
        _count(d, "rows", "row") and f"{_count(d, 'rows', 'row')} copied",
    ),
}


def generic_detail_words(detail: Mapping[str, Any]) -> str:
    """Any detail as "Key: value" pairs, ids left out (an action canvass adds later)."""
    parts = []
    for key, value in detail.items():
        if key in ("id", "ids", "device", "sender") or key.endswith("_id"):
            continue
        if isinstance(value, str) and (UUID.search(value) or value == "(another record)"):
            continue
        if isinstance(value, dict):
            shown = ", ".join(f"{tidy(str(k))} {plain(v)}" for k, v in value.items())
        elif isinstance(value, list):
            shown = ", ".join(plain(v) for v in value if not UUID.search(str(v)))
        else:
            shown = plain(value)
        if shown:
            parts.append(f"{capital(tidy(str(key)))}: {shown}")
    return "; ".join(parts)


def _parsed(detail: Any) -> Any:
    """A stored detail (JSON text) as its value; text that is not JSON stays text."""
    if isinstance(detail, str):
        try:
            return json.loads(detail)
        except ValueError:
            return detail
    return detail


def audit_detail_words(action: str, detail: Any) -> str:
    """An audit entry's detail as short readable text: the key facts, never an id.

    ``detail`` is the stored JSON, parsed (a dict) or not (its text). A detail
    that does not have the keys expected falls back to "Key: value" pairs.
    """
    value = _parsed(detail)
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        return plain(value)
    if not value:
        return "—"
    words = ""
    maker = _DETAIL_WORDS.get(action)
    if maker is not None:
        try:
            words = maker(value)
        except (TypeError, ValueError, KeyError, AttributeError):
            words = ""
    return words or generic_detail_words(value) or "—"


def audit_detail_lines(detail: Any) -> str:
    """An audit entry's whole detail, one "key: value" a line (for a tooltip)."""
    value = _parsed(detail)
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)

    def shown(item: Any) -> str:
        return json.dumps(item, ensure_ascii=False) if isinstance(item, list | dict) else str(item)

    return "\n".join(f"{key}: {shown(item)}" for key, item in value.items())
