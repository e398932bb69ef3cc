"""Polling day: the knock-up list of promised supporters, in walking order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from canvass.domain.errors import ValidationError
from canvass.domain.progress import Progress, Task
from canvass.domain.suppression import Output
from canvass.pdf.knock_up import (
    KnockUpDoor,
    KnockUpPerson,
    KnockUpSheet,
    KnockUpStreet,
    build_knock_up,
)
from canvass.pdf.templates import build_document
from canvass.services.audit_log import record
from canvass.services.campaigns import require_campaign
from canvass.services.canvassing import SPOKE, DoorElector, code_book, doors
from canvass.services.printing import (
    PrintReport,
    campaign_footer,
    print_audit_detail,
    write_atomically,
)
from canvass.services.suppressions import kept_off
from canvass.storage.database import Database

DEFAULT_INTENTIONS = ("S",)
DEFAULT_MAX_SUPPORT = 2


def is_supporter(elector: DoorElector, intentions: Sequence[str], max_support: int | None) -> bool:
    """Whether the latest conversation with an elector counts as a promise.

    Whether a suppression keeps them off the knock-up list is for the caller
    to judge (:func:`knock_up_sheet`): only some scopes stop door knocking.
    """
    spoken = [v for v in elector.visits if not v.voided and v.outcome == SPOKE]
    if not spoken or elector.removed or elector.moved:
        return False
    latest = spoken[-1]
    if latest.intention and latest.intention in intentions:
        return True
    return max_support is not None and latest.support is not None and latest.support <= max_support


def knock_up_sheet(
    db: Database,
    *,
    district: str | None = None,
    walk_list: str | None = None,
    intentions: Sequence[str] = DEFAULT_INTENTIONS,
    max_support: int | None = DEFAULT_MAX_SUPPORT,
) -> KnockUpSheet:
    """The supporters of a district or walk list, street by street in walking order.

    Supporters who asked for no door knocking (do not contact, do not knock)
    are left off; asking for no letters does not stop a knock on polling day.

    Raises:
        ValidationError: For an unknown district, walk list or intention code.
    """
    book = code_book(db)
    known = dict(book.intentions)
    unknown = [i for i in intentions if i not in known]
    if unknown:
        raise ValidationError(
            f"'{unknown[0]}' is not a voting-intention code here ({', '.join(known)})."
        )
    if max_support is not None and not 1 <= max_support <= 5:
        raise ValidationError("Support is from 1 (strongly for) to 5; choose 1 to 5.")
    found = doors(db, district=district, walk_list=walk_list)
    with db.read() as session:
        not_knocked = kept_off(session, Output.KNOCK, [e.id for d in found for e in d.electors])
    flags = dict(book.flags)
    streets: dict[tuple[str, str], list[KnockUpDoor]] = {}
    for door in found:
        people = []
        for e in door.electors:
            if e.id in not_knocked or not is_supporter(e, intentions, max_support):
                continue
            latest = [v for v in e.visits if not v.voided and v.outcome == SPOKE][-1]
            pledge = " · ".join(
                p
                for p in (
                    known.get(latest.intention, latest.intention),
                    f"support {latest.support}" if latest.support else "",
                )
                if p
            )
            note = ", ".join(flags.get(f, f) for f in latest.flags if f in ("LIFT", "PV", "WPV"))
            people.append(KnockUpPerson(e.number, e.name, pledge, note))
        if people:
            streets.setdefault((door.district, door.street), []).append(
                KnockUpDoor(door.label, tuple(people))
            )
    rule = "supporters: " + ", ".join(known[i] for i in intentions)
    if max_support is not None:
        rule += f", or support {max_support} or stronger"
    return KnockUpSheet(
        title=f"Knock-up list — {walk_list or 'district ' + (district or '').upper()}",
        rule=rule,
        streets=tuple(KnockUpStreet(name, code, tuple(ds)) for (code, name), ds in streets.items()),
        printed_on=dt.date.today().strftime("%-d %B %Y"),
    )


def print_knock_up(db: Database, out: Path, sheet: KnockUpSheet) -> Task[PrintReport]:
    """Write a knock-up sheet to ``out`` (a PDF), with the campaign's imprint."""
    yield Progress(0, 1, "Laying out pages")
    with db.read() as session:
        campaign = require_campaign(session)
        name, footer = campaign.name, campaign_footer(campaign)
    pages: list[int] = []

    def build(path: Path) -> None:
        pages.append(
            build_document(
                path, build_knock_up(sheet), title=sheet.title, campaign=name, footer=footer
            )
        )

    write_atomically(out, build)
    report = PrintReport(
        str(out),
        pages[0] if pages else 0,
        len(sheet.streets),
        sum(len(s.doors) for s in sheet.streets),
        sum(len(d.people) for s in sheet.streets for d in s.doors),
        {},
    )
    record(db, "print-knock-up", print_audit_detail(report))
    yield Progress(1, 1, "Done")
    return report
