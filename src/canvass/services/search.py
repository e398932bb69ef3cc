"""Finding electors as you type: by name, address, postcode or elector number."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from canvass.domain.electors import parse_elector_number
from canvass.domain.errors import ValidationError
from canvass.domain.suppression import Output
from canvass.services.suppressions import kept_off
from canvass.storage import search_index
from canvass.storage.database import Database
from canvass.storage.tables import Address, Elector, PollingDistrict, Street

#: More hits than this are not shown; the user types another letter.
LIMIT = 200


@dataclass(frozen=True, slots=True)
class ElectorHit:
    """One elector found, as a search result row shows it."""

    elector_id: str
    number: str  # "AB-124/1"
    name: str
    address: str
    postcode: str
    address_id: str | None
    do_not_contact: bool
    removed: bool


def ensure_index(db: Database) -> bool:
    """Rebuild the search index if the data changed since it was built; True if it was."""
    with db.read() as session:
        if search_index.is_fresh(session):
            return False
    with db.write() as session:
        if not search_index.is_fresh(session):
            search_index.rebuild(session)
    return True


def _exact_number(session: Session, query: str) -> str | None:
    try:
        parsed = parse_elector_number(query)
    except ValidationError:
        return None
    return session.scalar(
        select(Elector.id)
        .join(PollingDistrict, PollingDistrict.id == Elector.polling_district_id)
        .where(
            PollingDistrict.code == parsed.district,
            Elector.elector_number == parsed.number,
            Elector.elector_suffix == parsed.suffix,
        )
    )


def elector_code(district: str, number: int, suffix: int) -> str:
    """The printed form of an elector number: ``AB-124/1``, or ``AB-124`` with no suffix."""
    return f"{district}-{number}/{suffix}" if suffix else f"{district}-{number}"


def search_electors(
    db: Database, query: str, *, limit: int = LIMIT, refresh: bool = True
) -> list[ElectorHit]:
    """Electors matching every word of ``query`` as a prefix, best matches first.

    Args:
        db: The database.
        query: What was typed.
        limit: Most hits returned.
        refresh: Check the index is up to date first. A search box calls
            :func:`ensure_index` when it opens and passes False per keystroke.

    Raises:
        ValidationError: If the query is longer than anyone would type.
    """
    if len(query) > 200:
        raise ValidationError("That search is too long; type part of a name, street or number.")
    if not search_index.tokens(query):
        return []
    if refresh:
        ensure_index(db)
    with db.read() as session:
        ids = search_index.matching_ids(session, query, limit)
        exact = _exact_number(session, query)
        if exact is not None:  # "AB-12" is that elector first, then AB-120...
            ids = [exact, *(i for i in ids if i != exact)][:limit]
        if not ids:
            return []
        rows = session.execute(
            select(Elector, PollingDistrict.code, Address, Street.name)
            .join(PollingDistrict, PollingDistrict.id == Elector.polling_district_id)
            .outerjoin(Address, Address.id == Elector.address_id)
            .outerjoin(Street, Street.id == Address.street_id)
            .where(Elector.id.in_(ids))
        ).all()
        # A "no letters" request does not stop a canvasser at the door.
        suppressed = kept_off(session, Output.KNOCK, ids)
        order = {elector_id: n for n, elector_id in enumerate(ids)}
        hits = []
        for elector, code, address, street in rows:
            door = ""
            if address is not None:
                number = f"{address.house_number or ''}{address.house_suffix}"
                door = ", ".join(
                    p
                    for p in (address.flat, address.house_name, f"{number} {street or ''}".strip())
                    if p
                )
            hits.append(
                ElectorHit(
                    elector_id=elector.id,
                    number=elector_code(code, elector.elector_number, elector.elector_suffix),
                    name=f"{elector.forenames} {elector.surname}".strip(),
                    address=door,
                    postcode=address.postcode if address is not None else "",
                    address_id=elector.address_id,
                    do_not_contact=elector.id in suppressed,
                    removed=elector.removed,
                )
            )
    return sorted(hits, key=lambda h: order[h.elector_id])
