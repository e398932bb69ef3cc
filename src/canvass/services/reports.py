"""Canvassing reports: how far the campaign has got, and what people said.

Activity (doors knocked, outcomes, per canvasser, per day) counts every record
that was not undone. Opinion (intentions, support, flags, issues) counts each
elector once, from the latest record in which someone spoke to them.

After a retention purge the records are gone but the figures are not: the
purge saved them first (:func:`saved_figures`), and every report shows them
apart from the live figures, labelled as what they are (:class:`Retained`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from canvass.domain.errors import ValidationError
from canvass.domain.spreadsheet import csv_text
from canvass.domain.values import Value
from canvass.services.campaigns import current_campaign
from canvass.services.canvassing import SPOKE, code_book_of
from canvass.storage.database import Database
from canvass.storage.tables import (
    Address,
    Campaign,
    Elector,
    Petition,
    PollingDistrict,
    Street,
    Visit,
    Ward,
)

GROUPINGS = ("district", "ward", "street")
#: Groupings a purge saves. By street would be one set of figures per street
#: (hundreds), too big for the one change that carries them to every laptop.
SAVED_GROUPINGS = ("district", "ward")


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

    def saved(self) -> dict[str, Value]:
        """The counts as a purge saves them: whole numbers only (rates are recomputed)."""
        out: dict[str, Value] = self.to_json()
        del out["contact_rate"]
        return out

    @classmethod
    def from_saved(cls, data: Mapping[str, Any]) -> Figures:
        """Figures from :meth:`saved` (missing counts are 0)."""

        def counter(name: str) -> Counter[str]:
            return Counter({str(k): int(v) for k, v in (data.get(name) or {}).items()})

        return cls(
            electors=int(data.get("electors", 0)),
            doors=int(data.get("doors", 0)),
            doors_knocked=int(data.get("doors_knocked", 0)),
            visits=int(data.get("visits", 0)),
            electors_spoken_to=int(data.get("electors_spoken_to", 0)),
            outcomes=counter("outcomes"),
            intentions=counter("intentions"),
            support=Counter({int(k): int(v) for k, v in (data.get("support") or {}).items()}),
            flags=counter("flags"),
            issues=counter("issues"),
        )

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.electors + other.electors,
            self.doors + other.doors,
            self.doors_knocked + other.doors_knocked,
            self.visits + other.visits,
            self.electors_spoken_to + other.electors_spoken_to,
            self.outcomes + other.outcomes,
            self.intentions + other.intentions,
            self.support + other.support,
            self.flags + other.flags,
            self.issues + other.issues,
        )


@dataclass(frozen=True, slots=True)
class RetainedPetition:
    """A petition's counts as a purge saved them, before its signatures were erased."""

    id: str
    title: str
    signatures: int  # every signature erased, counted or not
    counted: int
    excluded: int
    flagged: int
    by_method: dict[str, int]
    by_ward: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "title": self.title,
            "signatures": self.signatures,
            "counted": self.counted,
            "excluded": self.excluded,
            "flagged": self.flagged,
            "by_method": self.by_method,
            "by_ward": self.by_ward,
        }


@dataclass(slots=True)
class Retained:
    """Figures a retention purge saved before erasing the records behind them.

    Shown beside the live figures, never mixed in: after a purge the live
    figures count only what was recorded since.
    """

    saved_at: str
    total: Figures
    groups: dict[str, dict[str, Figures]]  # grouping ("district", "ward") -> label -> figures
    by_canvasser: dict[str, dict[str, int]]
    by_day: dict[str, dict[str, int]]
    petitions: dict[str, RetainedPetition]

    @property
    def label(self) -> str:
        """What these figures are, in words."""
        return (
            f"Figures saved at the retention purge of {self.saved_at[:10]}: the records "
            "behind them were erased at the end of the retention period."
        )

    @property
    def saved_on(self) -> str:
        """The purge's day in words ("22 May 2027")."""
        return purge_day(self.saved_at)

    @property
    def heading(self) -> str:
        """The line over the saved figures wherever they are shown beside the live ones."""
        return (
            f"Saved at the retention purge of {self.saved_on}: the records behind them were erased"
        )

    def groups_by(self, by: str | None) -> dict[str, Figures] | None:
        """The saved figures split ``by`` district or ward; None for a split no purge saves."""
        return self.groups.get(by) if by in SAVED_GROUPINGS else None

    def to_json(self, by: str | None = None) -> dict[str, Any]:
        """JSON-ready dict; ``by`` picks the saved grouping shown (none for street)."""
        return {
            "label": self.label,
            "saved_at": self.saved_at,
            "total": self.total.to_json(),
            "groups": {k: v.to_json() for k, v in self.groups.get(by or "", {}).items()},
            "by_canvasser": self.by_canvasser,
            "by_day": self.by_day,
            "petitions": {k: v.to_json() for k, v in self.petitions.items()},
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
    #: Figures saved by a retention purge; None before any purge.
    retained: Retained | None = None
    #: Live records by the privacy-notice version their person was given ("0": not recorded).
    notice_versions: dict[str, int] = field(default_factory=dict)
    #: The campaign's current privacy-notice version.
    notice_version: int = 0

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "total": self.total.to_json(),
            "by": self.by,
            "groups": {k: v.to_json() for k, v in self.groups.items()},
            "by_canvasser": self.by_canvasser,
            "by_day": self.by_day,
            "labels": self.labels,
            "retained": self.retained.to_json(self.by) if self.retained else None,
            "notice_versions": self.notice_versions,
            "privacy_notice_version": self.notice_version,
        }


def purge_day(saved_at: str) -> str:
    """A purge's time stamp as a day in words ("22 May 2027"); the stamp itself if unreadable."""
    try:
        day = dt.date.fromisoformat(saved_at[:10])
    except ValueError:
        return saved_at
    return f"{day.day} {day:%B %Y}"


def _int_table(data: object) -> dict[str, dict[str, int]]:
    if not isinstance(data, dict):
        return {}
    return {
        str(k): {str(n): int(c) for n, c in v.items()}
        for k, v in sorted(data.items())
        if isinstance(v, dict)
    }


def retained_of(session: Session, campaign: Campaign | None = None) -> Retained | None:
    """The figures the campaign's retention purges saved, or None if it never purged."""
    campaign = campaign or current_campaign(session)
    if campaign is None or not campaign.retained_at:
        return None
    report = json.loads(campaign.retained_report or "{}")
    petitions = json.loads(campaign.retained_petitions or "{}")
    titles = {i: t for i, t in session.execute(select(Petition.id, Petition.title))}
    return Retained(
        saved_at=campaign.retained_at,
        total=Figures.from_saved(report.get("total") or {}),
        groups={
            by: {str(k): Figures.from_saved(v) for k, v in sorted((report.get(by) or {}).items())}
            for by in SAVED_GROUPINGS
        },
        by_canvasser=_int_table(report.get("by_canvasser")),
        by_day=_int_table(report.get("by_day")),
        petitions={
            pid: RetainedPetition(
                id=pid,
                title=titles.get(pid, "(petition no longer here)"),
                signatures=int(p.get("signatures", 0)),
                counted=int(p.get("counted", 0)),
                excluded=int(p.get("excluded", 0)),
                flagged=int(p.get("flagged", 0)),
                by_method={str(k): int(v) for k, v in (p.get("by_method") or {}).items()},
                by_ward={str(k): int(v) for k, v in (p.get("by_ward") or {}).items()},
            )
            for pid, p in sorted(petitions.items())
            if isinstance(p, dict)
        },
    )


def _add_tables(
    a: Mapping[str, Mapping[str, int]], b: Mapping[str, Mapping[str, int]]
) -> dict[str, dict[str, int]]:
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for table in (a, b):
        for key, counts in table.items():
            out[key].update(counts)
    return {k: dict(sorted(v.items())) for k, v in sorted(out.items())}


def saved_figures(session: Session) -> dict[str, Value]:
    """The report figures a purge saves: the live ones plus any an earlier purge saved.

    Each set of figures sits at most three levels deep, as operation values must.
    """
    earlier = retained_of(session)
    live = {by: build_report_in(session, by=by) for by in SAVED_GROUPINGS}
    first = live[SAVED_GROUPINGS[0]]
    total = first.total + earlier.total if earlier else first.total
    out: dict[str, Value] = {"total": total.saved()}
    for by, report in live.items():
        groups = dict(report.groups)
        for label, figures in (earlier.groups.get(by, {}) if earlier else {}).items():
            groups[label] = groups[label] + figures if label in groups else figures
        out[by] = {k: v.saved() for k, v in sorted(groups.items())}
    out["by_canvasser"] = cast(
        Value, _add_tables(first.by_canvasser, earlier.by_canvasser if earlier else {})
    )
    out["by_day"] = cast(Value, _add_tables(first.by_day, earlier.by_day if earlier else {}))
    return out


def build_report(db: Database, *, by: str | None = None) -> Report:
    """Count everything; ``by`` splits the figures by district, ward or street.

    Raises:
        ValidationError: For an unknown grouping.
    """
    with db.read() as session:
        return build_report_in(session, by=by)


def build_report_in(session: Session, *, by: str | None = None) -> Report:
    """:func:`build_report` inside a session (a purge counts in its own transaction).

    Raises:
        ValidationError: For an unknown grouping.
    """
    if by is not None and by not in GROUPINGS:
        raise ValidationError(f"Group by one of {', '.join(GROUPINGS)}, not '{by}'.")
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
            Visit.notice_version,
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
    notices: Counter[str] = Counter()
    for v in visits:
        notices[str(v.notice_version)] += 1
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
    campaign = current_campaign(session)
    return Report(
        total=total,
        by=by,
        groups=dict(sorted(groups.items())),
        by_canvasser={k: dict(v) for k, v in sorted(canvassers.items())},
        by_day={k: dict(v) for k, v in sorted(days.items())},
        labels=labels,
        retained=retained_of(session, campaign),
        notice_versions=dict(sorted(notices.items(), key=lambda kv: int(kv[0]))),
        notice_version=campaign.privacy_notice_version if campaign else 0,
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
    if report.retained is not None:
        # A separate row, never added into "All": those records no longer exist.
        rows.append(
            row(
                f"Saved at the retention purge of {report.retained.saved_at[:10]}",
                report.retained.total,
            )
        )
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
