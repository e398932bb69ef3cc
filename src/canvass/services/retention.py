"""Retention: when the campaign's personal data is no longer needed, and the purge.

Canvass records hold political opinions (special-category data, UK GDPR
Art. 9); storage limitation (Art. 5(1)(e)) means deleting them once the
campaign no longer needs them. The purge first saves the figures reports and
petition counts show, as anonymous totals on the campaign, then erases every
doorstep record, signature, supporter and register entry with erasure
operations (reason "retention"). Erasures travel in exchange files and win
over everything, so a laptop that merges the coordinator's next file is purged
too, and no stale file merged later brings anyone back.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import ORMExecuteState, Session, defer

from canvass.domain.errors import ValidationError
from canvass.domain.progress import Progress, Task
from canvass.domain.values import Value
from canvass.services import reports
from canvass.services.apply import recorded_locally
from canvass.services.campaigns import current_campaign, is_coordinator, require_campaign
from canvass.services.oplog import OpWriter
from canvass.services.petition_counts import tally_in
from canvass.services.suppressions import key_before_erasing
from canvass.storage import materialise, replay, search_index
from canvass.storage.database import Database
from canvass.storage.tables import (
    Address,
    AuditEvent,
    Campaign,
    Erasure,
    HeldRecord,
    Leaflet,
    PersonLink,
    Petition,
    Signature,
    Suppression,
)
from canvass.sync.ops import OpKind

#: With no date of its own, a campaign keeps its data this many months after
#: polling day: time to settle what follows an election (a result can be
#: questioned by election petition, expenses returns are checked, a recount or
#: by-election may follow), after which doorstep opinions are no longer needed.
#: The campaign sets its own date when its purpose ends sooner or later.
RETENTION_MONTHS_AFTER_POLLING_DAY = 6
#: The erasure reason the purge records (one of services.erasure.REASON_CODES).
REASON = "retention"
#: Erasures applied per batch: one transaction in all, a batch at a time.
BATCH = 5_000

#: What the purge erases (every kind an erasure can remove), in this order (children
#: before the register entries they point at): entity, words for it, why it goes.
ERASED: tuple[tuple[str, str, str], ...] = (
    (
        "visit",
        "doorstep records",
        "they hold political opinions (special-category data); the report figures are saved first",
    ),
    (
        "signature",
        "petition signatures",
        "signers' names and addresses; each petition's counts are kept as an anonymous line",
    ),
    ("supporter", "supporters from reply slips", "names and contact details"),
    (
        "elector",
        "register entries (electors)",
        "the campaign's copy of the electoral register, needed only while campaigning",
    ),
)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months (the last day of a shorter month when it has no such day)."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def retention_date(campaign: Campaign) -> tuple[dt.date | None, str]:
    """The campaign's retention date and where it comes from: "set", "polling day" or "none"."""
    if campaign.retention_until is not None:
        return campaign.retention_until, "set"
    if campaign.polling_day is not None:
        return add_months(campaign.polling_day, RETENTION_MONTHS_AFTER_POLLING_DAY), "polling day"
    return None, "none"


@dataclass(frozen=True, slots=True)
class PlanLine:
    """One kind of record: how many a purge would erase, or keeps, and why."""

    record: str
    action: str  # "erase" or "keep"
    count: int
    why: str


@dataclass(frozen=True, slots=True)
class PurgePlan:
    """What a purge would do now, per kind of record."""

    lines: tuple[PlanLine, ...]

    @property
    def to_erase(self) -> int:
        """Records the purge would erase."""
        return sum(line.count for line in self.lines if line.action == "erase")

    def to_json(self) -> list[dict[str, Any]]:
        """JSON-ready list."""
        return [
            {"record": x.record, "action": x.action, "count": x.count, "why": x.why}
            for x in self.lines
        ]


@dataclass(frozen=True, slots=True)
class RetentionStatus:
    """The retention date, whether the purge is due, and what it would do."""

    until: dt.date | None
    source: str  # "set", "polling day" or "none"
    polling_day: dt.date | None
    today: dt.date
    plan: PurgePlan
    last_purge: str  # when the last purge saved its figures; "" never

    @property
    def due(self) -> bool:
        """Whether the retention date has come (a purge needs no --early)."""
        return self.until is not None and self.today >= self.until

    @property
    def message(self) -> str:
        """The status in one or two sentences, with what to do."""
        if self.until is None:
            return (
                "There is no retention date: neither a date nor polling day is set. Set one "
                "with `canvass privacy retention --until YYYY-MM-DD`, or give polling day "
                "with `--polling-day YYYY-MM-DD` (the data is then kept "
                f"{RETENTION_MONTHS_AFTER_POLLING_DAY} months after it)."
            )
        origin = (
            "set by the campaign"
            if self.source == "set"
            else f"{RETENTION_MONTHS_AFTER_POLLING_DAY} months after polling day, "
            f"{self.polling_day.isoformat() if self.polling_day else ''}"
        )
        days = (self.until - self.today).days
        if not self.due:
            when = f"in {days:,} day{'s' if days != 1 else ''}"
            return (
                f"Data is kept until {self.until.isoformat()} ({origin}): the purge is due {when}."
            )
        if not self.plan.to_erase:
            return (
                f"The retention date {self.until.isoformat()} ({origin}) has passed and "
                "nothing is left to purge."
            )
        return (
            f"The retention date {self.until.isoformat()} ({origin}) has passed: purge the "
            f"{self.plan.to_erase:,} records below with `canvass privacy purge`."
        )

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "retention_until": self.until.isoformat() if self.until else None,
            "source": self.source,
            "polling_day": self.polling_day.isoformat() if self.polling_day else None,
            "today": self.today.isoformat(),
            "due": self.due,
            "message": self.message,
            "last_purge": self.last_purge or None,
            "plan": self.plan.to_json(),
        }


def _count(session: Session, model: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _targets(session: Session) -> dict[str, list[str]]:
    """Ids the purge erases, per entity: every row, and every record waiting for a parent."""
    out: dict[str, list[str]] = {}
    held: dict[str, list[str]] = {}
    for h in session.scalars(select(HeldRecord)):
        held.setdefault(h.entity, []).append(h.entity_id)
    for entity, _, _ in ERASED:
        model = materialise.model_for(entity)
        ids = set(session.scalars(select(model.id)))
        out[entity] = sorted(ids | set(held.get(entity, ())))
    return out


def _plan(session: Session, targets: dict[str, list[str]]) -> PurgePlan:
    lines = [PlanLine(words, "erase", len(targets[e]), why) for e, words, why in ERASED]
    lines.append(
        PlanLine(
            "links between duplicate register entries",
            "erase",
            _count(session, PersonLink),
            "they link register entries of one person; erased with them",
        )
    )
    keep = (
        (
            "do-not-contact entries (suppressions)",
            Suppression,
            "they hold no name, only a hashed match key, and are needed to honour objections "
            "when a new register is imported",
        ),
        (
            "erasure tombstones",
            Erasure,
            "ids only: they stop an old exchange file bringing an erased record back",
        ),
        ("audit entries", AuditEvent, "accountability; they hold ids and counts, no personal data"),
        (
            "petitions",
            Petition,
            "their texts, and their counts saved as anonymous figures before the signatures go",
        ),
        ("leaflets", Leaflet, "campaign material, no personal data"),
        ("households (addresses)", Address, "addresses without names, for the next campaign"),
    )
    lines += [PlanLine(words, "keep", _count(session, m), why) for words, m, why in keep]
    return PurgePlan(tuple(lines))


def retention_status(db: Database, *, today: dt.date | None = None) -> RetentionStatus:
    """The retention date, whether it has come, and what a purge would erase and keep.

    Raises:
        ValidationError: If there is no campaign yet.
    """
    with db.read() as session:
        campaign = require_campaign(session)
        until, source = retention_date(campaign)
        return RetentionStatus(
            until=until,
            source=source,
            polling_day=campaign.polling_day,
            today=today or dt.date.today(),
            plan=_plan(session, _targets(session)),
            last_purge=campaign.retained_at,
        )


@dataclass(frozen=True, slots=True)
class PurgeResult:
    """What a purge did."""

    erased: dict[str, int]  # entity -> records erased (each an erasure that travels)
    records_removed: int  # with what went with them (links between register entries)
    saved_at: str
    early: bool


def _defer_strokes(state: ORMExecuteState) -> None:
    # The counts need no drawn signatures: a big petition stays small in memory.
    if state.is_select and Signature.__mapper__ in state.all_mappers:
        state.statement = state.statement.options(defer(Signature.strokes))


def _petition_figures(session: Session, earlier: reports.Retained | None) -> dict[str, Value]:
    """Each petition's counts, plus what an earlier purge saved: anonymous figures only."""
    out: dict[str, Value] = {}
    event.listen(session, "do_orm_execute", _defer_strokes)
    try:
        for petition in session.scalars(select(Petition).order_by(Petition.id)):
            tally = tally_in(session, petition)
            before = earlier.petitions.get(petition.id) if earlier else None
            by_method = Counter(tally.by_method) + Counter(before.by_method if before else {})
            by_ward = Counter(tally.by_ward) + Counter(before.by_ward if before else {})
            out[petition.id] = {
                "signatures": len(tally.judged) + (before.signatures if before else 0),
                "counted": tally.counted + (before.counted if before else 0),
                "excluded": sum(tally.excluded.values()) + (before.excluded if before else 0),
                "flagged": tally.flagged + (before.flagged if before else 0),
                "by_method": dict(sorted(by_method.items())),
                "by_ward": dict(sorted(by_ward.items())),
            }
    finally:
        event.remove(session, "do_orm_execute", _defer_strokes)
    return out


def _check_due(until: dt.date | None, today: dt.date, early: bool) -> None:
    if early:
        return
    if until is None:
        raise ValidationError(
            "There is no retention date, so no purge is due; nothing was purged. Set one with "
            "`canvass privacy retention --until YYYY-MM-DD`, or purge now with --early if the "
            "data is no longer needed."
        )
    if today < until:
        days = (until - today).days
        raise ValidationError(
            f"The data is kept until {until.isoformat()} ({days:,} day{'s' if days != 1 else ''} "
            "from now); nothing was purged. To purge before then, add --early (only if the "
            "campaign no longer needs it)."
        )


def purge(db: Database, *, early: bool = False, today: dt.date | None = None) -> Task[PurgeResult]:
    """Save the figures, then erase every record the retention plan erases, in one transaction.

    Yields progress; closing the task before it ends rolls everything back.
    Afterwards the write-ahead log is emptied, so nothing erased is left in it.

    Args:
        db: The campaign's (coordinator's) database.
        early: Purge before the retention date (or with none set).
        today: The date to judge by (tests); today by default.

    Raises:
        ValidationError: With no campaign; before the retention date unless
            ``early``; on a laptop that is not the coordinator's; or with
            nothing to purge.
    """
    today = today or dt.date.today()
    with db.write() as session:
        campaign = current_campaign(session)
        if campaign is None:
            raise ValidationError("This database has no campaign yet; nothing to purge.")
        until, _ = retention_date(campaign)
        _check_due(until, today, early)
        writer = OpWriter.local(session)
        writer.flush()  # a first change registers this device: in the table before the check
        if not is_coordinator(session, writer.device_id):
            raise ValidationError(
                "Only the coordinator's database purges: it holds every laptop's records, and "
                "the figures it saves become the campaign's. This laptop is purged when it "
                "merges the coordinator's next exchange file."
            )
        targets = _targets(session)
        total = sum(len(ids) for ids in targets.values())
        if not total:
            raise ValidationError(
                "There is nothing to purge: no doorstep records, signatures, supporters or "
                "register entries are stored."
            )
        yield Progress(0, total, "Saving the figures")
        saved_at = writer.now()
        earlier = reports.retained_of(session, campaign)
        figures = reports.saved_figures(session)
        petitions = _petition_figures(session, earlier)
        # The figures first: the same transaction that erases the records keeps their totals.
        writer.set("campaign", campaign.id, "retained_report", figures)
        writer.set("campaign", campaign.id, "retained_petitions", petitions)
        writer.set("campaign", campaign.id, "retained_at", saved_at)
        done = removed = 0
        erased: dict[str, int] = {}
        value: dict[str, Value] = {"reason_code": REASON, "erased_at": saved_at}
        # A do-not-contact must outlive the names it was matched by.
        key_before_erasing(session, writer, targets.get("elector", []))
        writer.flush()
        for entity, words, _ in ERASED:
            ids = targets[entity]
            for part in replay.chunks(ids, BATCH):
                ops = [writer.make(OpKind.ERASE, entity, i, None, value) for i in part]
                removed += recorded_locally(session, ops).erased_records
                writer.flush()
                done += len(part)
                yield Progress(done, total, f"Erasing {words}")
            erased[entity] = len(ids)
        writer.audit(
            "purge",
            {**{f"{e}s": n for e, n in erased.items()}, "records": removed, "early": early},
        )
        # The search index holds names; rebuilt now, not at the next search.
        search_index.forget_erased(session)
    db.scrub()  # nothing erased left in the write-ahead log either
    return PurgeResult(erased, removed, saved_at, early)
