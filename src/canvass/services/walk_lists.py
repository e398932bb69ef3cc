"""Walk lists: named parts of the area, assigned to canvassers."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from canvass.domain.errors import ValidationError
from canvass.domain.suppression import Output
from canvass.domain.values import clean_string
from canvass.services.campaigns import current_campaign, require_campaign
from canvass.services.oplog import OpWriter
from canvass.services.suppressions import kept_off
from canvass.storage.database import Database
from canvass.storage.tables import (
    Address,
    Elector,
    PollingDistrict,
    Street,
    WalkList,
    Ward,
)


@dataclass(frozen=True, slots=True)
class WalkListSummary:
    """A walk list, for display."""

    id: str
    name: str
    canvasser: str
    districts: tuple[str, ...]
    streets: tuple[str, ...]
    numbers: tuple[int, int] | None
    electors: int
    doors: int


@dataclass(frozen=True, slots=True)
class Scope:
    """Which doors a walk list covers."""

    districts: tuple[str, ...]  # polling district ids
    streets: tuple[str, ...]  # street ids
    numbers: tuple[int, int] | None

    @classmethod
    def from_json(cls, text: str) -> Scope:
        """The scope stored in a walk list row."""
        data: dict[str, Any] = json.loads(text or "{}")
        numbers = data.get("numbers")
        return cls(
            tuple(data.get("districts", ())),
            tuple(data.get("streets", ())),
            (int(numbers[0]), int(numbers[1])) if numbers else None,
        )

    def to_value(self) -> dict[str, Any]:
        """The scope as an operation value."""
        return {
            "districts": list(self.districts),
            "streets": list(self.streets),
            "numbers": list(self.numbers) if self.numbers else None,
        }

    def covers(self, address: Address, district_id: str) -> bool:
        """Whether a door is on this list."""
        if self.streets and address.street_id not in self.streets:
            return False
        if self.districts and district_id not in self.districts:
            return False
        if self.numbers is not None:
            low, high = self.numbers
            return address.house_number is not None and low <= address.house_number <= high
        return True


def _districts(session: Session, campaign_id: str) -> dict[str, str]:
    return {
        code.upper(): pid
        for code, pid in session.execute(
            select(PollingDistrict.code, PollingDistrict.id)
            .join(Ward, Ward.id == PollingDistrict.ward_id)
            .where(Ward.campaign_id == campaign_id)
        )
    }


def parse_numbers(text: str | None) -> tuple[int, int] | None:
    """A range of house numbers: "2-40" gives (2, 40).

    Raises:
        ValidationError: If it is not a range of house numbers.
    """
    if not text:
        return None
    low, _, high = text.partition("-")
    if not (low.strip().isdigit() and high.strip().isdigit()) or int(low) > int(high):
        raise ValidationError(f"'{text}' is not a range of house numbers; write it like 2-40.")
    return int(low), int(high)


def create_walk_list(
    db: Database,
    name: str,
    *,
    districts: Sequence[str] = (),
    streets: Sequence[str] = (),
    numbers: tuple[int, int] | None = None,
    canvasser: str = "",
) -> WalkListSummary:
    """Save a walk list over districts and/or streets (optionally a range of numbers).

    Raises:
        ValidationError: For an empty or duplicate name, an unknown district or
            street, or a list that covers nobody.
    """
    name = clean_string(name.strip(), field="The list name")
    canvasser = clean_string(canvasser.strip(), field="The canvasser")
    if not name:
        raise ValidationError("Give the walk list a name, for example 'High Street, Saturday'.")
    with db.write() as session:
        campaign = require_campaign(session)
        if session.scalar(
            select(WalkList.id).where(
                WalkList.campaign_id == campaign.id,
                WalkList.name == name,
                WalkList.archived.is_(False),
            )
        ):
            raise ValidationError(f"There is already a walk list called '{name}'.")
        known = _districts(session, campaign.id)
        missing = [d for d in districts if d.strip().upper() not in known]
        if missing:
            raise ValidationError(
                f"There is no polling district {', '.join(missing)}; districts here are "
                f"{', '.join(sorted(known)) or 'none yet (import the register first)'}."
            )
        district_ids = tuple(known[d.strip().upper()] for d in districts)
        codes = {pid: code for code, pid in known.items()}
        street_ids: list[str] = []
        for street_name in streets:
            query = select(Street.id).where(
                func.lower(Street.name) == street_name.strip().casefold(),
                Street.polling_district_id.in_(district_ids or list(known.values())),
            )
            found = session.execute(query.add_columns(Street.polling_district_id)).all()
            if not found:
                raise ValidationError(f"There is no street called '{street_name}' here.")
            places = sorted({codes[d] for _, d in found})
            if len(places) > 1:
                raise ValidationError(
                    f"There is a street called '{street_name}' in districts "
                    f"{', '.join(places)}; add --district to say which."
                )
            street_ids.extend(sid for sid, _ in found)
        if numbers is not None and not street_ids:
            raise ValidationError("A range of house numbers needs a street (--street).")
        scope = Scope(district_ids, tuple(street_ids), numbers)
        if not district_ids and not street_ids:
            raise ValidationError("Choose at least one polling district or street for the list.")
        summary = _summary(session, "", name, canvasser, scope, known)
        if summary.electors == 0:
            raise ValidationError(f"The walk list '{name}' would hold nobody to call on.")
        writer = OpWriter.local(session)
        list_id = writer.create(
            "walk_list",
            {
                "campaign_id": campaign.id,
                "name": name,
                "canvasser": canvasser,
                "scope": scope.to_value(),
                "created_at": writer.now(),
            },
        )
        writer.flush()
    return _replace_id(summary, list_id)


def _replace_id(summary: WalkListSummary, list_id: str) -> WalkListSummary:
    return WalkListSummary(
        list_id,
        *(
            getattr(summary, f)
            for f in ("name", "canvasser", "districts", "streets", "numbers", "electors", "doors")
        ),
    )


def _summary(
    session: Session, list_id: str, name: str, canvasser: str, scope: Scope, known: dict[str, str]
) -> WalkListSummary:
    codes = {pid: code for code, pid in known.items()}
    # Those who asked for no door knocking are not on any list to call on.
    suppressed = kept_off(session, Output.KNOCK)
    doors: set[str] = set()
    electors = 0
    query = (
        select(Address, Elector.id, Elector.polling_district_id)
        .join(Elector, Elector.address_id == Address.id)
        .where(Elector.removed.is_(False))
    )
    if scope.streets:
        query = query.where(Address.street_id.in_(scope.streets))
    if scope.districts:
        query = query.where(Elector.polling_district_id.in_(scope.districts))
    for address, elector_id, district_id in session.execute(query):
        if elector_id in suppressed or not scope.covers(address, district_id):
            continue
        electors += 1
        doors.add(address.id)
    street_names = (
        tuple(session.scalars(select(Street.name).where(Street.id.in_(scope.streets))).all())
        if scope.streets
        else ()
    )
    return WalkListSummary(
        list_id,
        name,
        canvasser,
        tuple(codes.get(d, "?") for d in scope.districts),
        street_names,
        scope.numbers,
        electors,
        len(doors),
    )


def walk_lists(db: Database) -> list[WalkListSummary]:
    """Every walk list of the campaign, with how many doors and electors each holds now."""
    with db.read() as session:
        campaign = current_campaign(session)
        if campaign is None:
            return []
        known = _districts(session, campaign.id)
        return [
            _summary(session, w.id, w.name, w.canvasser, Scope.from_json(w.scope), known)
            for w in session.scalars(
                select(WalkList)
                .where(WalkList.campaign_id == campaign.id, WalkList.archived.is_(False))
                .order_by(WalkList.name)
            )
        ]


def find_walk_list(session: Session, name: str) -> tuple[WalkList, Scope]:
    """A walk list by name.

    Raises:
        ValidationError: If there is none by that name.
    """
    found = session.scalars(
        select(WalkList).where(WalkList.name == name.strip(), WalkList.archived.is_(False))
    ).first()
    if found is None:
        names = session.scalars(select(WalkList.name).where(WalkList.archived.is_(False))).all()
        raise ValidationError(
            f"There is no walk list called '{name}'"
            + (
                f"; lists here are {', '.join(sorted(names))}."
                if names
                else "; create one with canvass walk-list create."
            )
        )
    return found, Scope.from_json(found.scope)
