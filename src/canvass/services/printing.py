"""Printing: gather plain data from the database, hand it to a PDF builder, write atomically."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from canvass.domain import codes
from canvass.domain.addresses import side_key
from canvass.domain.errors import ValidationError
from canvass.domain.progress import Progress, Task
from canvass.domain.suppression import DO_NOT_KNOCK, DO_NOT_LEAFLET, Output, excluded_by_any
from canvass.domain.values import Value
from canvass.pdf.templates import build_document
from canvass.pdf.walk_sheets import (
    SheetDoor,
    SheetElector,
    SheetStreet,
    WalkSheet,
    build_walk_sheet,
)
from canvass.services.audit_log import record
from canvass.services.campaigns import require_campaign
from canvass.services.suppressions import scopes_of
from canvass.services.walk_lists import Scope, find_walk_list
from canvass.storage.database import Database
from canvass.storage.tables import (
    Address,
    Campaign,
    CodeSet,
    Elector,
    PollingDistrict,
    Street,
    SurveyQuestion,
    Ward,
)


@dataclass(frozen=True, slots=True)
class PrintReport:
    """What was printed."""

    path: str
    pages: int
    streets: int
    doors: int
    electors: int
    excluded: dict[str, int]


def _door_label(address: Address) -> str:
    number = f"{address.house_number}{address.house_suffix}" if address.house_number else ""
    parts = [p for p in (address.flat, address.house_name, number) if p]
    return ", ".join(parts) or address.house_name or "—"


def _elector_number(code: str, e: Elector) -> str:
    return f"{code}-{e.elector_number}" + (f"/{e.elector_suffix}" if e.elector_suffix else "")


def campaign_footer(campaign: Campaign) -> str:
    """The imprint line printed at the foot of a campaign's documents."""
    if campaign.imprint_promoter:
        parts = [f"Promoted by {campaign.imprint_promoter}"]
        if campaign.imprint_on_behalf_of:
            parts.append(f"on behalf of {campaign.imprint_on_behalf_of}")
        if campaign.imprint_address:
            parts.append(campaign.imprint_address.replace("\n", ", "))
        text = ", ".join(parts)
        if campaign.imprint_printer:
            text += f". Printed by {campaign.imprint_printer.replace(chr(10), ', ')}"
        return text + ". Personal data: keep safe and return after canvassing."
    return (
        f"{campaign.name}: canvassing record with personal data, not for distribution. "
        "Keep it safe and return it after canvassing."
    )


def walk_sheet_data(
    session: Session,
    districts: Sequence[str] | None = None,
    *,
    by_side: bool = False,
    title: str | None = None,
    canvasser: str = "",
    walk_list: str | None = None,
) -> WalkSheet:
    """The walk sheet for some polling districts (all when none are named).

    Off-register electors, and those who asked for no door knocking (do not
    contact, do not knock), are left out and counted, never printed. Those who
    only asked for no letters are canvassed as usual.

    Raises:
        ValidationError: If there is no campaign or a named district does not exist.
    """
    campaign = require_campaign(session)
    known = dict(
        session.execute(
            select(PollingDistrict.code, PollingDistrict.id)
            .join(Ward, Ward.id == PollingDistrict.ward_id)
            .where(Ward.campaign_id == campaign.id)
        ).all()
    )
    wanted = [d.strip().upper() for d in districts or [] if d.strip()]
    missing = [d for d in wanted if d not in known]
    if missing:
        raise ValidationError(
            f"There is no polling district {', '.join(missing)}; districts here are "
            f"{', '.join(sorted(known)) or 'none yet (import the register first)'}."
        )
    scope: Scope | None = None
    if walk_list is not None:
        found, scope = find_walk_list(session, walk_list)
        title, canvasser = title or f"Walk list: {found.name}", canvasser or found.canvasser
        if not wanted:
            codes_by_id = {pid: code for code, pid in known.items()}
            street_districts = (
                session.scalars(
                    select(Street.polling_district_id).where(Street.id.in_(scope.streets))
                ).all()
                if scope.streets
                else []
            )
            wanted = sorted(
                {codes_by_id[d] for d in (*scope.districts, *street_districts) if d in codes_by_id}
            )
    chosen = {known[d]: d for d in (wanted or sorted(known))}
    suppressed = {
        elector_id: _not_knocked(scopes)
        for elector_id, scopes in scopes_of(session).items()
        if excluded_by_any(scopes, Output.KNOCK)
    }
    excluded = {
        "off the register": 0,
        "do not contact": 0,
        "do not knock": 0,
        "without an address": 0,
    }
    by_address: dict[str, list[SheetElector]] = defaultdict(list)
    electors = session.execute(
        select(Elector)
        .where(Elector.polling_district_id.in_(list(chosen)))
        .order_by(Elector.elector_number, Elector.elector_suffix)
    ).scalars()
    # Left-out electors are counted by door, so that a walk list's sheet counts
    # only those behind the doors it covers.
    left_out: dict[str | None, list[str]] = defaultdict(list)
    for e in electors:
        if e.removed:
            left_out[e.address_id].append("off the register")
            continue
        if e.id in suppressed:
            left_out[e.address_id].append(suppressed[e.id])
            continue
        if e.address_id is None:
            left_out[None].append("without an address")
            continue
        note = f"attainer {_day(e.attainment_date)}" if e.attainment_date else ""
        name = " ".join(p for p in (e.title, e.forenames, e.surname) if p)
        by_address[e.address_id].append(
            SheetElector(_elector_number(chosen[e.polling_district_id], e), name, e.markers, note)
        )
    streets: list[SheetStreet] = []
    for street in session.scalars(
        select(Street)
        .where(Street.polling_district_id.in_(list(chosen)))
        .order_by(Street.polling_district_id, Street.walk_order, Street.name)
    ):
        addresses = session.scalars(
            select(Address).where(Address.street_id == street.id).order_by(Address.walk_order)
        ).all()
        if scope is not None:
            addresses = [a for a in addresses if scope.covers(a, street.polling_district_id)]
        for a in addresses:
            for reason in left_out.get(a.id, ()):
                excluded[reason] += 1
        if by_side:
            addresses = sorted(addresses, key=lambda a: side_key(a.side, a.walk_order))
        doors = tuple(
            SheetDoor(_door_label(a), a.side, tuple(by_address[a.id]))
            for a in addresses
            if by_address.get(a.id)
        )
        if doors:
            streets.append(
                SheetStreet(street.name, street.town, chosen[street.polling_district_id], doors)
            )
    streets.sort(key=lambda s: (s.district, 0))
    if scope is None or not scope.streets:  # whole districts: their other electors too
        excluded["without an address"] = len(left_out.get(None, ()))
    stored = session.scalars(
        select(CodeSet.codes).where(CodeSet.campaign_id == campaign.id)
    ).first()
    code_set = json.loads(stored) if stored else None
    questions = tuple(
        (q.code, q.text, tuple(json.loads(q.choices or "[]")))
        for q in session.scalars(
            select(SurveyQuestion)
            .where(SurveyQuestion.campaign_id == campaign.id)
            .order_by(SurveyQuestion.position)
        )
    )
    label = title or (
        "Polling district " + ", ".join(chosen.values())
        if len(chosen) <= 6
        else f"{len(chosen)} polling districts"
    )
    return WalkSheet(
        campaign=campaign.name,
        title=label,
        canvasser=canvasser,
        streets=tuple(streets),
        outcomes=codes.codes_from(code_set, "outcomes"),
        intentions=codes.codes_from(code_set, "intentions"),
        flags=codes.codes_from(code_set, "flags"),
        scales=codes.SCALES,
        questions=questions,
        footer=campaign_footer(campaign),
        by_side=by_side,
        printed_on=_day(dt.date.today(), month="%B"),
        excluded=excluded,
    )


def _not_knocked(scopes: set[str]) -> str:
    """Why a suppressed elector is left off a walk sheet, as the sheet counts it."""
    # Only a no-letters request beside it still means "do not knock"; anything
    # else (do-not-contact, a scope this version does not know) is the stricter one.
    return "do not contact" if scopes - {DO_NOT_KNOCK, DO_NOT_LEAFLET} else "do not knock"


def _day(day: dt.date, month: str = "%b") -> str:
    """A date like 3 Apr 2027 (not %-d, which Windows' strftime lacks)."""
    return f"{day.day} {day.strftime(month)} {day.year}"


def write_atomically(out: Path, build: object) -> None:
    """Run ``build(tmp_path)`` and move the finished file into place.

    A crash or error leaves the old file (if any) untouched, never half a PDF.

    Raises:
        ValidationError: If the folder does not exist.
    """
    if not out.parent.is_dir():
        raise ValidationError(
            f"The folder {out.parent} does not exist; create it or choose another."
        )
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    except OSError as exc:
        raise ValidationError(
            f"Cannot write in {out.parent} ({exc.strerror}); choose another folder."
        ) from exc
    os.close(fd)
    try:
        build(Path(tmp))  # type: ignore[operator]
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def print_walk_sheets(
    db: Database,
    out: Path,
    districts: Sequence[str] | None = None,
    *,
    by_side: bool = False,
    walk_list: str | None = None,
) -> Task[PrintReport]:
    """Write walk sheets for some polling districts, or one walk list, to ``out`` (a PDF)."""
    yield Progress(0, 2, "Gathering households")
    with db.read() as session:
        sheet = walk_sheet_data(session, districts, by_side=by_side, walk_list=walk_list)
    yield Progress(1, 2, "Laying out pages")
    pages: list[int] = []

    def build(path: Path) -> None:
        pages.append(
            build_document(
                path,
                build_walk_sheet(sheet),
                title=f"Walk sheet — {sheet.title}",
                campaign=sheet.campaign,
                footer=sheet.footer,
            )
        )

    write_atomically(out, build)
    report = PrintReport(
        str(out),
        pages[0] if pages else 0,
        len(sheet.streets),
        sum(len(s.doors) for s in sheet.streets),
        sum(len(d.electors) for s in sheet.streets for d in s.doors),
        sheet.excluded,
    )
    record(db, "print-walk-sheets", print_audit_detail(report))
    yield Progress(2, 2, "Done")
    return report


def print_audit_detail(report: PrintReport) -> dict[str, Value]:
    """What the audit trail keeps of a print: the file's name and the counts, no names."""
    return {
        "file": Path(report.path).name,
        "pages": report.pages,
        "streets": report.streets,
        "doors": report.doors,
        "electors": report.electors,
        "left_out": sum(report.excluded.values()),
    }
