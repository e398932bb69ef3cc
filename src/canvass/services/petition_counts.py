"""Counting a petition's signatures: duplicates, withdrawals, decisions, and what a purge saved.

Counting is done afresh from the signatures each time (:func:`tally`), so
signatures merged from two laptops are compared with each other wherever
they were taken. Taking and editing signatures is :mod:`canvass.services.petitions`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from canvass.domain import signers
from canvass.services.petitions import find_petition
from canvass.services.reports import purge_day, retained_of
from canvass.storage.database import Database
from canvass.storage.tables import (
    Elector,
    Petition,
    PollingDistrict,
    Signature,
    Ward,
)

#: More signatures than this at one address are flagged for a person to look at.
HOUSEHOLD_LIMIT = 6


@dataclass(frozen=True, slots=True)
class Judged:
    """One signature and whether it counts."""

    signature: Signature
    counted: bool
    reasons: tuple[str, ...]  # why it is excluded or flagged
    ward: str


@dataclass(slots=True)
class Tally:
    """A petition's signatures, judged, and the counts the bundle prints."""

    petition: Petition
    judged: list[Judged]
    counted: int = 0
    excluded: Counter[str] = field(default_factory=Counter)
    flagged: int = 0
    by_ward: Counter[str] = field(default_factory=Counter)
    by_method: Counter[str] = field(default_factory=Counter)
    by_collector: Counter[str] = field(default_factory=Counter)
    by_version: Counter[int] = field(default_factory=Counter)
    erased: int = 0


def _wards(session: Session, elector_ids: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for start in range(0, len(elector_ids), 2000):
        part = elector_ids[start : start + 2000]
        out.update(
            session.execute(
                select(Elector.id, Ward.name)
                .join(PollingDistrict, PollingDistrict.id == Elector.polling_district_id)
                .join(Ward, Ward.id == PollingDistrict.ward_id)
                .where(Elector.id.in_(part))
            ).all()
        )
    return out


def tally_in(session: Session, petition: Petition) -> Tally:
    """Judge every signature of a petition (inside a session).

    In time order, the first signature of a person counts; a later one with the
    same name and postcode, or the same email, is excluded as a duplicate.
    More than :data:`HOUSEHOLD_LIMIT` at one address are flagged (not
    excluded). A withdrawn signature never counts. A person's decision wins
    over the duplicate and household rules.
    """
    signatures = list(
        session.scalars(
            select(Signature)
            .where(Signature.petition_id == petition.id)
            .order_by(Signature.signed_at, Signature.id)
        )
    )
    wards = _wards(session, [s.elector_id for s in signatures if s.elector_id])
    seen_name: dict[tuple[str, str], str] = {}
    seen_email: dict[str, str] = {}
    at_address: dict[tuple[str, str], int] = defaultdict(int)
    for s in signatures:
        if not s.withdrawn:
            at_address[(s.address.casefold(), s.postcode)] += 1
    tally = Tally(petition, [])
    for s in signatures:
        reasons: list[str] = []
        counted = True
        if s.withdrawn:
            counted, reasons = False, ["withdrawn"]
        else:
            key = (signers.name_key(s.name), s.postcode)
            email = signers.canonical_email(s.email) if s.email else ""
            if key in seen_name:
                reasons.append("duplicate: same name and postcode")
            elif email and email in seen_email:
                reasons.append("duplicate: same email")
            else:
                seen_name[key] = s.id
                if email:
                    seen_email[email] = s.id
            if reasons:
                counted = False
            if at_address[(s.address.casefold(), s.postcode)] > HOUSEHOLD_LIMIT and s.address:
                reasons.append(f"more than {HOUSEHOLD_LIMIT} at one address: check")
            if s.count_decision == "count":
                counted = True
            elif s.count_decision == "exclude":
                counted = False
                reasons.append(f"excluded by a person: {s.decision_reason or 'no reason given'}")
        ward = wards.get(s.elector_id or "", "") or "not matched to the register"
        tally.judged.append(Judged(s, counted, tuple(reasons), ward))
        if counted:
            tally.counted += 1
            tally.by_ward[ward] += 1
            tally.by_method[s.method] += 1
            tally.by_collector[s.collector or "(not named)"] += 1
            tally.by_version[s.text_version] += 1
            if reasons:
                tally.flagged += 1
        else:
            tally.excluded[reasons[0].split(":")[0] if reasons else "excluded"] += 1
    return tally


def tally(db: Database, petition: str) -> Tally:
    """Judge and count a petition's signatures."""
    with db.read() as session:
        found = find_petition(session, petition)
        result = tally_in(session, found)
        session.expunge_all()
        return result


@dataclass(frozen=True, slots=True)
class PetitionSummary:
    """A petition for lists: its counts against the threshold.

    ``counted`` is what goes against the threshold: the signatures counted now
    plus those a retention purge counted before erasing them (``saved_counted``
    of them, saved at ``saved_at``). Say so beside it (:attr:`saved_note`): the
    signatures behind the saved part no longer exist. ``excluded`` is live only.
    """

    id: str
    title: str
    addressee: str
    ward_name: str
    threshold: int | None
    counted: int
    excluded: int
    text_version: int
    opens_on: str | None
    closes_on: str | None
    saved_counted: int = 0
    saved_at: str = ""  # when the last retention purge saved the counts; "" never

    @property
    def saved_note(self) -> str:
        """How many of ``counted`` a retention purge saved, in words ("" when none)."""
        return saved_note(self.saved_counted, self.saved_at)


def saved_note(saved_counted: int, saved_at: str) -> str:
    """Words for the counted signatures a retention purge saved ("" when none)."""
    n = saved_counted
    if not n:
        return ""
    return (
        f"{n:,} of them {'was' if n == 1 else 'were'} saved at the retention purge of "
        f"{purge_day(saved_at)}: the signatures behind them were erased."
    )


def saved_counts(db: Database, petition_id: str) -> tuple[int, str]:
    """A petition's counted signatures a retention purge saved, and when ((0, "") if none)."""
    with db.read() as session:
        retained = retained_of(session)
    kept = retained.petitions.get(petition_id) if retained else None
    return (kept.counted, retained.saved_at) if kept and retained else (0, "")


def list_petitions(db: Database) -> list[PetitionSummary]:
    """Every petition with its count against the threshold, saved counts included."""
    out = []
    with db.read() as session:
        retained = retained_of(session)
        for p in session.scalars(select(Petition).order_by(Petition.title)):
            t = tally_in(session, p)
            saved = retained.petitions.get(p.id) if retained else None
            out.append(
                PetitionSummary(
                    p.id,
                    p.title,
                    p.addressee,
                    p.ward_name,
                    p.threshold,
                    t.counted + (saved.counted if saved else 0),
                    sum(t.excluded.values()),
                    p.text_version,
                    p.opens_on.isoformat() if p.opens_on else None,
                    p.closes_on.isoformat() if p.closes_on else None,
                    saved_counted=saved.counted if saved else 0,
                    saved_at=retained.saved_at if retained else "",
                )
            )
    return out
