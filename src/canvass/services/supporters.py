"""Supporters: people who sent back a leaflet's reply slip, typed in by a volunteer.

A supporter need not be on the register. Each is a ``supporter`` record made
by an operation, so they travel to the coordinator like everything else; they
are never sent in a canvasser's assignment, and a data-subject erasure
removes one for good (``canvass.services.erasure.erase(db, "supporter", id, ...)``).
Names, postcodes, emails and phones are checked as petition signers' are.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from canvass.domain import signers
from canvass.domain.errors import ValidationError
from canvass.domain.spreadsheet import csv_text
from canvass.domain.values import clean_string
from canvass.services.apply import Applied
from canvass.services.audit_log import record
from canvass.services.campaigns import current_campaign
from canvass.services.erasure import erase
from canvass.services.oplog import OpWriter
from canvass.storage.database import Database
from canvass.storage.tables import Leaflet, Supporter

KEEP_INFORMED = "keep me informed"
CAN_HELP = "I can help"
#: The ticks every reply slip template prints, in their usual spelling.
STANDARD_TICKS = (KEEP_INFORMED, CAN_HELP)
MAX_TICKS = 20
MAX_TICK_LENGTH = 100


@dataclass(frozen=True, slots=True)
class SupporterEntry:
    """What a volunteer types in from a returned slip."""

    name: str
    postcode: str
    address: str = ""
    email: str = ""
    phone: str = ""
    ticks: Sequence[str] = ()
    consent: bool = False
    source: str = ""  # "Library leaflet reply slip"
    leaflet: str = ""  # a leaflet's id or title, when the slip came with one
    entered_by: str = ""


@dataclass(frozen=True, slots=True)
class SupporterInfo:
    """A supporter, for lists and exports."""

    id: str
    name: str
    address: str
    postcode: str
    email: str
    phone: str
    ticks: tuple[str, ...]
    consent: bool
    source: str
    leaflet: str  # the leaflet's title, or ""
    entered_by: str
    entered_at: str

    @property
    def keep_informed(self) -> bool:
        """Ticked "keep me informed"."""
        return KEEP_INFORMED in self.ticks

    @property
    def can_help(self) -> bool:
        """Ticked "I can help"."""
        return CAN_HELP in self.ticks


def _one_line(text: str, label: str, limit: int) -> str:
    parts = [" ".join(line.split()) for line in re.split(r"[\r\n]+", text or "")]
    value = ", ".join(p for p in parts if p)
    value = clean_string(value, field=label)
    if len(value) > limit:
        raise ValidationError(f"{label} is longer than {limit:,} characters.")
    return value


def check_ticks(ticks: Sequence[str]) -> list[str]:
    """What was ticked, tidied: the standard ticks in their usual spelling, no repeats.

    Raises:
        ValidationError: For too many or too long ticks.
    """
    standard = {t.casefold(): t for t in STANDARD_TICKS}
    out: list[str] = []
    for raw in ticks:
        tick = _one_line(raw, "A tick", MAX_TICK_LENGTH)
        if not tick:
            continue
        tick = standard.get(tick.casefold(), tick)
        if tick not in out:
            out.append(tick)
    if len(out) > MAX_TICKS:
        raise ValidationError(f"A slip has at most {MAX_TICKS} ticks; {len(out)} were given.")
    return out


def check_entry(entry: SupporterEntry) -> dict[str, object]:
    """Validate a typed-in slip; returns the supporter's field values.

    Raises:
        ValidationError: No consent, or a bad name, postcode, email, phone, address or tick.
    """
    if not entry.consent:
        raise ValidationError(
            "The consent box on the slip is not ticked: without it the campaign cannot keep "
            "these details. Nothing was saved."
        )
    return {
        "name": signers.check_name(entry.name),
        "address": _one_line(entry.address, "The address", 500),
        "postcode": signers.check_postcode(entry.postcode),
        "email": signers.check_email(entry.email),
        "phone": signers.check_phone(entry.phone),
        "ticks": check_ticks(entry.ticks),
        "consent": True,
        "source": _one_line(entry.source, "The source", 300),
        "entered_by": _one_line(entry.entered_by, "Who typed it in", 200),
    }


def _duplicates(
    existing: Sequence[Supporter], name: str, postcode: str, email: str
) -> list[Supporter]:
    key = signers.name_key(name)
    mailbox = signers.canonical_email(email) if email else ""
    return [
        s
        for s in existing
        if (signers.name_key(s.name) == key and s.postcode == postcode)
        or (mailbox and s.email and signers.canonical_email(s.email) == mailbox)
    ]


def add_supporter(db: Database, entry: SupporterEntry, *, allow_duplicate: bool = False) -> str:
    """Record a supporter from a returned slip; returns their id.

    A slip typed in twice is refused (the same name and postcode, or the same
    email) unless ``allow_duplicate``: two people can share a name.

    Raises:
        ValidationError: See :func:`check_entry`; also an unknown leaflet, no
            campaign, or a duplicate.
    """
    values = check_entry(entry)
    with db.write() as session:
        campaign = current_campaign(session)
        if campaign is None:
            raise ValidationError("Start the campaign first: supporters belong to one.")
        leaflet_id = None
        if entry.leaflet.strip():
            leaflet_id = _find_leaflet_id(session.scalars(select(Leaflet)).all(), entry.leaflet)
        if not allow_duplicate:
            same = _duplicates(
                session.scalars(select(Supporter)).all(),
                str(values["name"]),
                str(values["postcode"]),
                str(values["email"]),
            )
            if same:
                raise ValidationError(
                    f"{same[0].name} ({same[0].postcode}) is a supporter already, typed in "
                    f"{same[0].entered_at[:10]}. If this is another person, add them anyway."
                )
        writer = OpWriter.local(session)
        supporter_id = writer.create(
            "supporter",
            {
                **values,
                "campaign_id": campaign.id,
                "leaflet_id": leaflet_id,
                "device_id": writer.device_id,
                "entered_at": writer.now(),
            },
        )
        writer.flush()
    return supporter_id


def _find_leaflet_id(leaflets: Sequence[Leaflet], text: str) -> str:
    text = text.strip()
    found = [x for x in leaflets if text in (x.id, x.title)]
    if not found and len(text) >= 8:
        found = [x for x in leaflets if x.id.startswith(text.lower())]
    if len(found) == 1:
        return found[0].id
    if not found:
        titles = "; ".join(sorted(x.title for x in leaflets)) or "none yet"
        raise ValidationError(f"There is no leaflet '{text}'. Leaflets here: {titles}.")
    raise ValidationError(f"More than one leaflet matches '{text}'; give its id.")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _haystack(s: SupporterInfo) -> tuple[str, str]:
    text = _fold(" ".join((s.name, s.address, s.postcode, s.email, s.phone, s.source, s.leaflet,
                           s.entered_by, *s.ticks)))  # fmt: skip
    return text, text.replace(" ", "")


def list_supporters(db: Database, search: str = "") -> list[SupporterInfo]:
    """Supporters in the order they were typed in, matching every word of ``search``.

    The search ignores case, accents and spaces ("zz11aa" finds "ZZ1 1AA"), over
    name, address, postcode, email, phone, ticks and source.
    """
    with db.read() as session:
        titles = dict(session.execute(select(Leaflet.id, Leaflet.title)).all())
        rows = session.scalars(select(Supporter).order_by(Supporter.entered_at, Supporter.id)).all()
        found = [
            SupporterInfo(
                id=s.id,
                name=s.name,
                address=s.address,
                postcode=s.postcode,
                email=s.email,
                phone=s.phone,
                ticks=tuple(json.loads(s.ticks or "[]")),
                consent=s.consent,
                source=s.source,
                leaflet=titles.get(s.leaflet_id or "", ""),
                entered_by=s.entered_by,
                entered_at=s.entered_at,
            )
            for s in rows
        ]
    words = [_fold(w) for w in search.split()]
    if not words:
        return found
    out = []
    for s in found:
        text, compact = _haystack(s)
        if all(w in text or w in compact for w in words):
            out.append(s)
    return out


CSV_HEADER = (
    "name",
    "address",
    "postcode",
    "email",
    "phone",
    "keep me informed",
    "I can help",
    "other ticks",
    "consent",
    "source",
    "leaflet",
    "entered by",
    "entered at",
    "id",
)


def _csv(found: Sequence[SupporterInfo]) -> str:
    rows = [
        (
            s.name,
            s.address,
            s.postcode,
            s.email,
            s.phone,
            "yes" if s.keep_informed else "",
            "yes" if s.can_help else "",
            "; ".join(t for t in s.ticks if t not in STANDARD_TICKS),
            "yes" if s.consent else "no",
            s.source,
            s.leaflet,
            s.entered_by,
            s.entered_at,
            s.id,
        )
        for s in found
    ]
    return csv_text(CSV_HEADER, rows)


def supporters_csv(db: Database, search: str = "") -> str:
    """Supporters as CSV that opens safely in Excel and LibreOffice (UTF-8 with BOM).

    Cells a spreadsheet would run as a formula ("=...", "+44...") are neutralised.
    """
    return _csv(list_supporters(db, search))


def write_supporters_csv(db: Database, path: Path, search: str = "") -> int:
    """Write :func:`supporters_csv` to ``path``; returns how many supporters it holds.

    Raises:
        ValidationError: If the file cannot be written.
    """
    found = list_supporters(db, search)
    try:
        path.write_text(_csv(found), encoding="utf-8", newline="")
    except OSError as exc:
        raise ValidationError(f"Could not write {path}: {exc.strerror or exc}.") from None
    record(db, "export-supporters", {"file": path.name, "supporters": len(found)})
    return len(found)


def erase_supporter(
    db: Database, supporter_id: str, reason_code: str = "subject-request"
) -> Applied:
    """Erase a supporter for good, on every laptop (a data-subject request, say).

    Raises:
        ValidationError: For an unknown supporter or reason.
    """
    return erase(db, "supporter", supporter_id, reason_code)
