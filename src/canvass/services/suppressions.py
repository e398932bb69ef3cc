"""The suppression list: recording, asking, listing and carrying over to a new register.

The rule of which scope keeps a person off which output lives in
:mod:`canvass.domain.suppression`; this module asks the database with it. A
suppression is only ever created (grow-only): nothing here, or anywhere,
changes or removes one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from canvass.domain import suppression as rules
from canvass.domain.errors import ValidationError
from canvass.services.campaigns import current_campaign
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
    campaign = current_campaign(session)
    if campaign is None:
        raise ValidationError("This database has no campaign yet; start one first.")
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
class Carried:
    """What carrying suppressions over to a register edition did (or would do)."""

    carried: int  # new suppressions, on electors of this edition
    unmatched: int  # suppressions whose person is not in this edition (kept all the same)


#: (elector id, forenames, surname, postcode) of one person in a register edition.
EditionPerson = tuple[str, str, str, str]


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
        for sid, elector_id, key, scope in rows:
            if not key and elector_id in people:
                key = self.keys.of(*people[elector_id])
            if key:
                self.by_key[key][scope].add(sid)
            if elector_id:
                self.attached[elector_id].add(scope)

    def carry(
        self, edition: Iterable[EditionPerson], create: Callable[[str, str, str], None]
    ) -> Carried:
        """Give each person of the edition the suppressions their key matches.

        ``create(elector_id, scope, match_key)`` records one; it is not called
        for a scope the elector already holds.
        """
        if not self.by_key:
            return Carried(0, self.total)
        matched: set[str] = set()
        carried = 0
        for elector_id, forenames, surname, postcode in edition:
            key = self.keys.of(forenames, surname, postcode)
            found = self.by_key.get(key)
            if not found:
                continue
            for scope in sorted(found):
                matched |= found[scope]
                if scope in self.attached[elector_id]:
                    continue
                create(elector_id, scope, key)
                self.attached[elector_id].add(scope)
                carried += 1
        return Carried(carried, self.total - len(matched))


def carried_values(elector_id: str, scope: str, key: str, now: str) -> dict[str, object]:
    """The fields of a suppression carried over from an earlier register edition."""
    return {
        "elector_id": elector_id,
        "match_key": key,
        "scope": scope,
        "reason": rules.CARRIED_REASON,
        "created_at": now,
    }
