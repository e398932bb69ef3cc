"""Canvassing reports: how far the campaign has got, and what people said.

Activity (doors knocked, outcomes, per canvasser, per day) counts every record
that was not undone. Opinion (intentions, support, flags, issues) counts each
elector once, from the latest record in which someone spoke to them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from canvass.domain.errors import ValidationError
from canvass.domain.spreadsheet import csv_text
from canvass.services.canvassing import SPOKE, code_book_of
from canvass.storage.database import Database
from canvass.storage.tables import Address, Elector, PollingDistrict, Street, Visit, Ward

GROUPINGS = ("district", "ward", "street")


@dataclass(slots=True)
class Figures:
    """The counts for the whole campaign or one group of it."""

    electors: int = 0
    doors: int = 0
    doors_knocked: int = 0
    visits: int = 0
    electors_spoken_to: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    intentions: Counter[str] = field(default_factory=Counter)
    support: Counter[int] = field(default_factory=Counter)
    flags: Counter[str] = field(default_factory=Counter)
    issues: Counter[str] = field(default_factory=Counter)

    @property
    def contact_rate(self) -> float:
        """Share of the electorate spoken to (the ALDC measure), 0 to 1."""
        return self.electors_spoken_to / self.electors if self.electors else 0.0

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "electors": self.electors,
            "doors": self.doors,
            "doors_knocked": self.doors_knocked,
            "visits": self.visits,
            "electors_spoken_to": self.electors_spoken_to,
            "contact_rate": round(self.contact_rate, 4),
            "outcomes": dict(sorted(self.outcomes.items())),
            "intentions": dict(sorted(self.intentions.items())),
            "support": {str(k): v for k, v in sorted(self.support.items())},
            "flags": dict(sorted(self.flags.items())),
            "issues": dict(self.issues.most_common()),
        }


@dataclass(slots=True)
class Report:
    """A campaign report."""

    total: Figures
    by: str | None
    groups: dict[str, Figures]
    by_canvasser: dict[str, dict[str, int]]
    by_day: dict[str, dict[str, int]]
    labels: dict[str, dict[str, str]]

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "total": self.total.to_json(),
            "by": self.by,
            "groups": {k: v.to_json() for k, v in self.groups.items()},
            "by_canvasser": self.by_canvasser,
            "by_day": self.by_day,
            "labels": self.labels,
        }


def build_report(db: Database, *, by: str | None = None) -> Report:
    """Count everything; ``by`` splits the figures by district, ward or street.

    Raises:
        ValidationError: For an unknown grouping.
    """
    if by is not None and by not in GROUPINGS:
        raise ValidationError(f"Group by one of {', '.join(GROUPINGS)}, not '{by}'.")
    with db.read() as session:
        book = code_book_of(session)
        group_of: dict[str, str] = {}  # elector id -> group label
        electors: dict[str, tuple[str | None, str]] = {}  # id -> (address, group)
        rows = session.execute(
            select(
                Elector.id,
                Elector.address_id,
                PollingDistrict.code,
                Ward.name,
                Street.name,
            )
            .join(PollingDistrict, PollingDistrict.id == Elector.polling_district_id)
            .join(Ward, Ward.id == PollingDistrict.ward_id)
            .outerjoin(Address, Address.id == Elector.address_id)
            .outerjoin(Street, Street.id == Address.street_id)
            .where(Elector.removed.is_(False))
        )
        for elector_id, address_id, district, ward, street in rows:
            label = {
                "district": district,
                "ward": ward,
                "street": f"{street or '(no street)'} ({district})",
            }.get(by or "", "")
            electors[elector_id] = (address_id, label)
            group_of[elector_id] = label
        visits = session.execute(
            select(
                Visit.elector_id,
                Visit.address_id,
                Visit.outcome,
                Visit.intention,
                Visit.support,
                Visit.flags,
                Visit.issues,
                Visit.canvasser,
                Visit.visited_at,
            )
            .where(Visit.voided.is_(False))
            .order_by(Visit.visited_at, Visit.id)
        ).all()
        total_doors = int(session.scalar(select(func.count()).select_from(Address)) or 0)
    total = Figures()
    groups: dict[str, Figures] = defaultdict(Figures)
    doors_by_group: dict[str, set[str]] = defaultdict(set)
    for address_id, label in electors.values():
        total.electors += 1
        if by:
            groups[label].electors += 1
            if address_id:
                doors_by_group[label].add(address_id)
    total.doors = total_doors
    for label, doors in doors_by_group.items():
        groups[label].doors = len(doors)
    knocked: dict[str, set[str]] = defaultdict(set)
    latest_spoken: dict[str, Any] = {}
    canvassers: dict[str, Counter[str]] = defaultdict(Counter)
    days: dict[str, Counter[str]] = defaultdict(Counter)
    for v in visits:
        label = group_of.get(v.elector_id or "", "")
        targets = [total] + ([groups[label]] if by and v.elector_id in group_of else [])
        for figures in targets:
            figures.visits += 1
            figures.outcomes[v.outcome] += 1
        if v.address_id:
            knocked[""].add(v.address_id)
            if by and v.elector_id in group_of:
                knocked[label].add(v.address_id)
        name = v.canvasser or "(not named)"
        canvassers[name]["visits"] += 1
        days[v.visited_at[:10]]["visits"] += 1
        if v.outcome == SPOKE:
            canvassers[name]["spoke"] += 1
            days[v.visited_at[:10]]["spoke"] += 1
            if v.elector_id:
                latest_spoken[v.elector_id] = v
    total.doors_knocked = len(knocked[""])
    for label in groups:
        groups[label].doors_knocked = len(knocked[label])
    for elector_id, v in latest_spoken.items():
        if elector_id not in electors:
            continue  # off the register now
        label = group_of[elector_id]
        for figures in [total] + ([groups[label]] if by else []):
            figures.electors_spoken_to += 1
            if v.intention:
                figures.intentions[v.intention] += 1
            if v.support:
                figures.support[v.support] += 1
            for flag in filter(None, v.flags.split(",")):
                figures.flags[flag] += 1
            for issue in filter(None, v.issues.split(",")):
                figures.issues[issue] += 1
    labels = {
        "outcomes": dict(book.outcomes),
        "intentions": dict(book.intentions),
        "flags": dict(book.flags),
    }
    return Report(
        total=total,
        by=by,
        groups=dict(sorted(groups.items())),
        by_canvasser={k: dict(v) for k, v in sorted(canvassers.items())},
        by_day={k: dict(v) for k, v in sorted(days.items())},
        labels=labels,
    )


def report_csv(report: Report) -> str:
    """The report as CSV (safe in spreadsheets): one row for the total and one per group."""
    labels = report.labels
    outcomes = list(labels["outcomes"])
    intentions = list(labels["intentions"])
    flags = list(labels["flags"])
    header = [
        report.by or "campaign",
        "electors",
        "doors",
        "doors knocked",
        "records",
        "spoken to",
        "contact rate %",
        *(f"outcome: {labels['outcomes'][c]}" for c in outcomes),
        *(f"intention: {labels['intentions'][c]}" for c in intentions),
        *(f"support {n}" for n in range(1, 6)),
        *(f"flag: {labels['flags'][c]}" for c in flags),
    ]

    def row(name: str, f: Figures) -> list[object]:
        return [
            name,
            f.electors,
            f.doors,
            f.doors_knocked,
            f.visits,
            f.electors_spoken_to,
            round(100 * f.contact_rate, 1),
            *(f.outcomes.get(c, 0) for c in outcomes),
            *(f.intentions.get(c, 0) for c in intentions),
            *(f.support.get(n, 0) for n in range(1, 6)),
            *(f.flags.get(c, 0) for c in flags),
        ]

    rows = [row("All", report.total)] + [row(k, v) for k, v in report.groups.items()]
    return csv_text(header, rows)


def write_report_csv(report: Report, path: Path) -> None:
    """Write :func:`report_csv` to ``path``.

    Raises:
        ValidationError: If the file cannot be written.
    """
    try:
        path.write_text(report_csv(report), encoding="utf-8", newline="")
    except OSError as exc:
        raise ValidationError(f"Could not write {path}: {exc.strerror or exc}.") from None
