"""What the Browse screen shows: districts, streets, households, electors, with counts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

from canvass.domain import suppression as rules
from canvass.services.campaigns import current_campaign
from canvass.storage.database import Database
from canvass.storage.tables import (
    Address,
    Elector,
    PollingDistrict,
    Signature,
    Street,
    Suppression,
    Visit,
    Ward,
)


@dataclass(frozen=True, slots=True)
class StreetNode:
    """A street and how many doors and electors it has."""

    id: str
    name: str
    town: str
    households: int
    electors: int


@dataclass(frozen=True, slots=True)
class DistrictNode:
    """A polling district, its ward and its streets in walking order."""

    id: str
    code: str
    name: str
    ward: str
    electors: int
    households: int
    without_address: int
    streets: tuple[StreetNode, ...]


@dataclass(frozen=True, slots=True)
class ElectorRow:
    """One elector at a door, with what has been recorded about them."""

    id: str
    number: str
    name: str
    markers: str
    attainment: str
    removed: bool
    #: The scopes of the person's suppressions, as :func:`rules.shown_scopes` names them.
    scopes: tuple[str, ...]
    visits: int
    signatures: int

    @property
    def suppressed(self) -> bool:
        """Whether any suppression is held on the person."""
        return bool(self.scopes)

    @property
    def not_knocked(self) -> bool:
        """Whether a suppression keeps canvassers from their door (do not contact or knock)."""
        return rules.excluded_by_any(self.scopes, rules.Output.KNOCK)


@dataclass(frozen=True, slots=True)
class HouseholdRow:
    """A door and the electors behind it."""

    id: str
    door: str
    postcode: str
    side: str
    electors: tuple[ElectorRow, ...]


def district_tree(db: Database) -> list[DistrictNode]:
    """Every polling district with its streets and counts (electors on the register only)."""
    with db.read() as session:
        campaign = current_campaign(session)
        if campaign is None:
            return []
        districts = session.execute(
            select(PollingDistrict.id, PollingDistrict.code, PollingDistrict.name, Ward.name)
            .join(Ward, Ward.id == PollingDistrict.ward_id)
            .where(Ward.campaign_id == campaign.id)
            .order_by(PollingDistrict.code)
        ).all()
        on_register = Elector.removed.is_(False)
        # Doors and electors per street in one pass over the electors.
        per_street: dict[str, int] = {}
        electors_per_street: dict[str, int] = {}
        for street_id, doors, people in session.execute(
            select(Address.street_id, func.count(func.distinct(Address.id)), func.count(Elector.id))
            .join(Elector, Elector.address_id == Address.id)
            .where(on_register)
            .group_by(Address.street_id)
        ):
            per_street[street_id] = doors
            electors_per_street[street_id] = people
        no_address = dict(
            session.execute(
                select(Elector.polling_district_id, func.count(Elector.id))
                .where(on_register, Elector.address_id.is_(None))
                .group_by(Elector.polling_district_id)
            ).all()
        )
        streets: dict[str, list[StreetNode]] = defaultdict(list)
        for sid, did, name, town in session.execute(
            select(Street.id, Street.polling_district_id, Street.name, Street.town).order_by(
                Street.walk_order, Street.name
            )
        ):
            streets[did].append(
                StreetNode(sid, name, town, per_street.get(sid, 0), electors_per_street.get(sid, 0))
            )
        out = []
        for did, code, name, ward in districts:
            its = tuple(streets.get(did, ()))
            out.append(
                DistrictNode(
                    did,
                    code,
                    name,
                    ward,
                    sum(s.electors for s in its) + no_address.get(did, 0),
                    sum(s.households for s in its),
                    no_address.get(did, 0),
                    its,
                )
            )
        return out


def street_households(db: Database, street_id: str) -> list[HouseholdRow]:
    """A street's doors in walking order, each with its electors (including off-register ones)."""
    with db.read() as session:
        code = (
            session.scalar(
                select(PollingDistrict.code)
                .join(Street, Street.polling_district_id == PollingDistrict.id)
                .where(Street.id == street_id)
            )
            or "?"
        )
        addresses = session.scalars(
            select(Address).where(Address.street_id == street_id).order_by(Address.walk_order)
        ).all()
        ids = [a.id for a in addresses]
        electors = session.scalars(
            select(Elector)
            .where(Elector.address_id.in_(ids))
            .order_by(Elector.elector_number, Elector.elector_suffix)
        ).all()
        elector_ids = [e.id for e in electors]
        scopes: dict[str, set[str]] = defaultdict(set)
        for suppressed, scope in session.execute(
            select(Suppression.elector_id, Suppression.scope).where(
                Suppression.elector_id.in_(elector_ids)
            )
        ):
            if suppressed:
                scopes[suppressed].add(scope)
        visits = dict(
            session.execute(
                select(Visit.elector_id, func.count())
                .where(Visit.elector_id.in_(elector_ids))
                .group_by(Visit.elector_id)
            ).all()
        )
        signatures = dict(
            session.execute(
                select(Signature.elector_id, func.count())
                .where(Signature.elector_id.in_(elector_ids))
                .group_by(Signature.elector_id)
            ).all()
        )
        people: dict[str, list[ElectorRow]] = defaultdict(list)
        for e in electors:
            number = f"{code}-{e.elector_number}" + (
                f"/{e.elector_suffix}" if e.elector_suffix else ""
            )
            assert e.address_id is not None
            people[e.address_id].append(
                ElectorRow(
                    e.id,
                    number,
                    " ".join(p for p in (e.title, e.forenames, e.surname) if p),
                    e.markers,
                    e.attainment_date.isoformat() if e.attainment_date else "",
                    e.removed,
                    rules.shown_scopes(scopes.get(e.id, ())),
                    visits.get(e.id, 0),
                    signatures.get(e.id, 0),
                )
            )
        rows = []
        for a in addresses:
            number = f"{a.house_number}{a.house_suffix}" if a.house_number else ""
            door = ", ".join(p for p in (a.flat, a.house_name, number) if p) or "—"
            rows.append(HouseholdRow(a.id, door, a.postcode, a.side, tuple(people.get(a.id, ()))))
        return rows
