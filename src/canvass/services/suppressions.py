"""The suppression list: recording, asking, listing and carrying over to a new register.

The rule of which scope keeps a person off which output lives in
:mod:`canvass.domain.suppression`; this module asks the database with it. A
suppression is only ever created (grow-only): nothing here, or anywhere,
changes or removes one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from canvass.domain import suppression as rules
from canvass.domain.errors import ValidationError
from canvass.services.campaigns import require_campaign
from canvass.services.oplog import OpWriter
from canvass.storage.database import Database
from canvass.storage.tables import Address, Elector, PollingDistrict, Suppression

_CHUNK = 2000


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def scopes_of(session: Session, elector_ids: Sequence[str] | None = None) -> dict[str, set[str]]:
    """Each suppressed elector's scopes: of ``elector_ids``, or of everyone when None."""
    found: dict[str, set[str]] = defaultdict(set)
    query = select(Suppression.elector_id, Suppression.scope).where(
        Suppression.elector_id.is_not(None)
    )
    parts = (
        [query]
        if elector_ids is None
        else [query.where(Suppression.elector_id.in_(part)) for part in _chunks(list(elector_ids))]
    )
    for part_query in parts:
        for elector_id, scope in session.execute(part_query):
            if elector_id:
                found[elector_id].add(scope)
    return dict(found)


def kept_off(
    session: Session, output: rules.Output, elector_ids: Sequence[str] | None = None
) -> set[str]:
    """The electors (of ``elector_ids``, or all) that a suppression keeps off ``output``."""
    return {
        elector_id
        for elector_id, scopes in scopes_of(session, elector_ids).items()
        if rules.excluded_by_any(scopes, output)
    }


def _keys(session: Session) -> rules.MatchKeys:
    campaign = require_campaign(session)
    return rules.MatchKeys(rules.campaign_key(campaign.id))


def _people(session: Session, elector_ids: Sequence[str]) -> dict[str, tuple[str, str, str]]:
    """(forenames, surname, postcode) of each elector still held."""
    out: dict[str, tuple[str, str, str]] = {}
    for part in _chunks(list(elector_ids)):
        for elector_id, forenames, surname, postcode in session.execute(
            select(Elector.id, Elector.forenames, Elector.surname, Address.postcode)
            .outerjoin(Address, Address.id == Elector.address_id)
            .where(Elector.id.in_(part))
        ):
            out[elector_id] = (forenames, surname, postcode or "")
    return out


def create_suppression(
    session: Session, writer: OpWriter, elector_id: str, scope: str, reason: str
) -> str:
    """Record a suppression of an elector, with their match key; returns its id.

    For every place that suppresses (the door's "do not contact" too), so
    that each suppression can find its person in a later register.

    Raises:
        ValidationError: For an unknown elector, scope or a bad reason.
    """
    scope, reason = rules.check_scope(scope), rules.check_reason(reason)
    person = _people(session, [elector_id]).get(elector_id)
    if person is None:
        raise ValidationError(
            "That elector is not in this database (erased or never imported); nothing was "
            "suppressed."
        )
    if scope in scopes_of(session, [elector_id]).get(elector_id, set()):
        # Suppressions are never removed, so a second one would only clutter the list.
        raise ValidationError(f"This person is already suppressed ({scope}); nothing was added.")
    return writer.create(
        "suppression",
        {
            "elector_id": elector_id,
            "match_key": _keys(session).of(*person),
            "scope": scope,
            "reason": reason,
            "created_at": writer.now(),
        },
    )


def key_before_erasing(session: Session, writer: OpWriter, elector_ids: Sequence[str]) -> int:
    """Give a keyed copy to each keyless suppression of electors about to be erased.

    Suppressions made before match keys existed (or arriving from an older
    laptop) are matched through their elector's name, which an erasure or a
    purge deletes: without a key of their own they would never find the person
    in a later register, and a do-not-contact would silently lapse. Suppressions
    only grow, so the key goes on a new suppression of the same scope. Returns
    how many were made.
    """
    if not elector_ids:
        return 0
    rows = [
        (elector_id, scope)
        for part in _chunks(list(elector_ids))
        for elector_id, scope in session.execute(
            select(Suppression.elector_id, Suppression.scope).where(
                Suppression.elector_id.in_(part), Suppression.match_key == ""
            )
        )
    ]
    keyed = {
        (elector_id, scope)
        for part in _chunks(list(elector_ids))
        for elector_id, scope in session.execute(
            select(Suppression.elector_id, Suppression.scope).where(
                Suppression.elector_id.in_(part), Suppression.match_key != ""
            )
        )
    }
    wanted = sorted({row for row in rows if row not in keyed and row[0] is not None})
    if not wanted:
        return 0
    people = _people(session, [elector_id for elector_id, _ in wanted if elector_id])
    keys = _keys(session)
    made = 0
    for elector_id, scope in wanted:
        person = people.get(elector_id or "")
        if person is None:
            continue
        writer.create(
            "suppression",
            {
                "elector_id": elector_id,
                "match_key": keys.of(*person),
                "scope": scope,
                "reason": "key kept when the person's record was erased",
                "created_at": writer.now(),
            },
        )
        made += 1
    return made


@dataclass(frozen=True, slots=True)
class SuppressionInfo:
    """One suppression, as the list shows it (no name: the number says who, if anyone)."""

    id: str
    scope: str
    reason: str
    created_at: str
    #: The elector number while the person is on the register, else "".
    elector: str

    @property
    def on_register(self) -> bool:
        """Whether the person is on the current register."""
        return bool(self.elector)


def list_suppressions(db: Database) -> list[SuppressionInfo]:
    """Every suppression, oldest first, with the elector number of those on the register."""
    with db.read() as session:
        rows = session.execute(
            select(
                Suppression.id,
                Suppression.scope,
                Suppression.reason,
                Suppression.created_at,
                Elector.elector_number,
                Elector.elector_suffix,
                Elector.removed,
                PollingDistrict.code,
            )
            .outerjoin(Elector, Elector.id == Suppression.elector_id)
            .outerjoin(PollingDistrict, PollingDistrict.id == Elector.polling_district_id)
            .order_by(Suppression.created_at, Suppression.id)
        ).all()
    out = []
    for sid, scope, reason, created_at, number, suffix, removed, code in rows:
        elector = ""
        if number is not None and code is not None and not removed:
            elector = f"{code}-{number}" + (f"/{suffix}" if suffix else "")
        out.append(SuppressionInfo(sid, scope, reason, created_at, elector))
    return out


@dataclass(frozen=True, slots=True)
class MaybeMoved:
    """A suppressed person who left the register while others of their name left or joined.

    Any of the newcomers may be them, so nothing was carried: a person checks
    by hand. Elector numbers only, never the name: this goes into the audit.
    """

    #: The suppressed person's elector number in the edition before (now off the register).
    left: str
    #: Their scopes that found nobody in this edition.
    scopes: tuple[str, ...]
    #: Elector numbers of this edition's newcomers of the same name.
    joined: tuple[str, ...]
    #: Elector numbers of others of the same name who left with them.
    also_left: tuple[str, ...] = ()

    def to_json(self) -> dict[str, str]:
        """A flat dict for the import report and the audit trail."""
        return {
            "left": self.left,
            "scopes": ", ".join(self.scopes),
            "joined": ", ".join(self.joined),
            "also_left": ", ".join(self.also_left),
        }


@dataclass(frozen=True, slots=True)
class Carried:
    """What carrying suppressions over to a register edition did (or would do)."""

    carried: int  # new suppressions, on electors of this edition found by match key
    unmatched: int  # suppressions whose person is not in this edition (kept all the same)
    #: New suppressions on a newcomer of the same name as a suppressed person who left.
    moved: int = 0
    #: Suppressed people who left where several of their name left or joined.
    maybe_moved: tuple[MaybeMoved, ...] = ()

    @property
    def to_check(self) -> int:
        """Suppressions whose person may have moved, to check by hand."""
        return sum(len(case.scopes) for case in self.maybe_moved)


#: (elector id, forenames, surname, postcode) of one person in a register edition.
EditionPerson = tuple[str, str, str, str]


@dataclass(frozen=True, slots=True)
class Mover:
    """Someone an import took off the register, or added as a new record."""

    elector_id: str
    #: Their elector number: in the edition before for someone who left, else in this one.
    number: str
    forenames: str
    surname: str


@dataclass(slots=True)
class Moves:
    """Who left the register and who joined it in one import (filled in by the import)."""

    left: list[Mover] = field(default_factory=list)
    joined: list[Mover] = field(default_factory=list)


#: (elector id, scope, match key, reason) of a suppression to record.
Create = Callable[[str, str, str, str], None]


class CarryOver:
    """The suppression list as a register import finds it, to carry over to the new edition.

    Load it before the import writes anything: a suppression made before match
    keys existed (empty key) is keyed from its elector as they were.
    """

    def __init__(self, session: Session, campaign_id: str) -> None:
        self.keys = rules.MatchKeys(rules.campaign_key(campaign_id))
        rows = session.execute(
            select(Suppression.id, Suppression.elector_id, Suppression.match_key, Suppression.scope)
        ).all()
        self.total = len(rows)
        keyless = [r.elector_id for r in rows if not r.match_key and r.elector_id]
        people = _people(session, keyless)
        self.by_key: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.attached: dict[str, set[str]] = defaultdict(set)
        #: Each elector's suppression ids by scope, as they were before the import.
        self.held: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for sid, elector_id, key, scope in rows:
            if not key and elector_id in people:
                key = self.keys.of(*people[elector_id])
            if key:
                self.by_key[key][scope].add(sid)
            if elector_id:
                self.attached[elector_id].add(scope)
                self.held[elector_id][scope].add(sid)

    def carry(
        self, edition: Iterable[EditionPerson], create: Create, moves: Moves | None = None
    ) -> Carried:
        """Give each person of the edition the suppressions their key matches.

        Then, with ``moves``, follow a suppressed person who moved to another
        postcode (see :meth:`_follow`). ``create(elector_id, scope, match_key,
        reason)`` records one; it is not called for a scope the elector
        already holds.
        """
        if not self.by_key:
            return Carried(0, self.total)
        matched: set[str] = set()
        keys: dict[str, str] = {}
        carried = 0
        for elector_id, forenames, surname, postcode in edition:
            key = self.keys.of(forenames, surname, postcode)
            keys[elector_id] = key
            found = self.by_key.get(key)
            if not found:
                continue
            for scope in sorted(found):
                matched |= found[scope]
                if scope in self.attached[elector_id]:
                    continue
                create(elector_id, scope, key, rules.CARRIED_REASON)
                self.attached[elector_id].add(scope)
                carried += 1
        moved, cases = self._follow(moves, matched, keys, create) if moves else (0, [])
        return Carried(carried, self.total - len(matched), moved, tuple(cases))

    def _follow(
        self, moves: Moves, matched: set[str], keys: dict[str, str], create: Create
    ) -> tuple[int, list[MaybeMoved]]:
        """Carry the suppressions of a person who left to the one newcomer of their name.

        Someone who moves to another postcode gets a new record whose match
        key differs, so their suppression would lapse. When exactly one person
        of a name left this import and exactly one of that name joined, they
        are taken to be the same person. When more left or joined, any of them
        may be the one: nothing is carried (a suppression on the wrong person
        would keep a stranger uncontacted, and could not be taken off), and the
        case is returned for a person to check. ``matched`` suppressions
        already found their person by key, and are left alone; ``matched``
        gains those carried here.
        """
        left: dict[str, list[Mover]] = defaultdict(list)
        joined: dict[str, list[Mover]] = defaultdict(list)
        for group, people in ((left, moves.left), (joined, moves.joined)):
            for person in people:
                name = rules.normalise_name(person.forenames, person.surname)
                if name:
                    group[name].append(person)
        moved = 0
        cases: list[MaybeMoved] = []
        for name, leavers in sorted(left.items()):
            newcomers = joined.get(name, [])
            if not newcomers:
                continue
            for leaver in leavers:
                unplaced = {
                    scope: sids
                    for scope, sids in self.held.get(leaver.elector_id, {}).items()
                    if not sids & matched
                }
                if not unplaced:
                    continue
                if len(leavers) > 1 or len(newcomers) > 1:
                    cases.append(
                        MaybeMoved(
                            leaver.number,
                            tuple(sorted(unplaced)),
                            tuple(p.number for p in newcomers),
                            tuple(p.number for p in leavers if p is not leaver),
                        )
                    )
                    continue
                newcomer = newcomers[0].elector_id
                for scope, sids in sorted(unplaced.items()):
                    matched |= sids
                    if scope in self.attached[newcomer]:
                        continue
                    create(newcomer, scope, keys.get(newcomer, ""), rules.MOVED_REASON)
                    self.attached[newcomer].add(scope)
                    moved += 1
        return moved, cases


def carried_values(
    elector_id: str, scope: str, key: str, now: str, reason: str = rules.CARRIED_REASON
) -> dict[str, object]:
    """The fields of a suppression carried over from an earlier register edition."""
    return {
        "elector_id": elector_id,
        "match_key": key,
        "scope": scope,
        "reason": reason,
        "created_at": now,
    }
