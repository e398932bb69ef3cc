"""Mail merge: one personalised letter per household of a walk list or district.

Households come in walking order (the order of :func:`canvassing.doors`), so a
volunteer delivers the printed pile from the top. A household is left out
only when nobody there may get a letter: everyone is off the register or
asked not to be contacted or leafleted. Otherwise the letter names the people
who may get it, and never those who asked not to ("Dear Ms Testwell",
"Dear Ada Testwell and Bo Testwell", "Dear residents").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from canvass.domain.errors import ValidationError
from canvass.domain.leaflet_spec import LeafletSpec, Recipient
from canvass.domain.suppression import Output, scopes_excluding
from canvass.domain.values import Value
from canvass.services.audit_log import record
from canvass.services.canvassing import Door, doors
from canvass.services.suppressions import kept_off
from canvass.storage.database import Database
from canvass.storage.tables import Address, Elector, Street

if TYPE_CHECKING:
    from canvass.services.leaflets import RenderReport

#: Suppression scopes that stop letters and leaflets ("do-not-knock" does not).
NO_LETTERS = scopes_excluding(Output.LETTER)
_CHUNK = 2000


@dataclass(frozen=True, slots=True)
class Person:
    """Someone at a household, as a letter names them."""

    title: str
    forenames: str
    surname: str


@dataclass(frozen=True, slots=True)
class Household:
    """A door in walking order, with what letters and delivery rounds need of it."""

    door: Door
    street_id: str
    town: str
    house_number: int | None
    address_lines: tuple[str, ...]
    #: People who may get a letter and are still there (not moved away).
    named: tuple[Person, ...]
    #: Anyone here may get a letter or leaflet (so it is a letterbox to deliver to).
    deliver: bool
    #: Some people here were left off (asked for no letters, or off the register).
    left_out: int


def _address_lines(
    flat: str, name: str, number: int | None, suffix: str, street: str, town: str, postcode: str
) -> tuple[str, ...]:
    door = f"{number}{suffix}" if number else ""
    first = " ".join(p for p in (door, street) if p)
    return tuple(p for p in (flat, name, first, town, postcode) if p)


@dataclass(frozen=True, slots=True)
class _Place:
    street_id: str
    town: str
    house_number: int | None
    lines: tuple[str, ...]


def households(
    db: Database, *, walk_list: str | None = None, district: str | None = None
) -> list[Household]:
    """The households of a walk list or district in walking order, with who may get letters.

    Raises:
        ValidationError: If the walk list or district does not exist, or none is given.
    """
    found = doors(db, walk_list=walk_list, district=district)
    address_ids = [d.address_id for d in found]
    elector_ids = [e.id for d in found for e in d.electors]
    places: dict[str, _Place] = {}
    streets = {d.address_id: d.street for d in found}
    people: dict[str, Person] = {}
    no_letters: set[str] = set()
    with db.read() as session:
        for start in range(0, len(address_ids), _CHUNK):
            part = address_ids[start : start + _CHUNK]
            for a_id, street_id, town, flat, name, number, suffix, postcode in session.execute(
                select(
                    Address.id,
                    Address.street_id,
                    Street.town,
                    Address.flat,
                    Address.house_name,
                    Address.house_number,
                    Address.house_suffix,
                    Address.postcode,
                )
                .join(Street, Street.id == Address.street_id)
                .where(Address.id.in_(part))
            ):
                lines = _address_lines(flat, name, number, suffix, streets[a_id], town, postcode)
                places[a_id] = _Place(street_id, town, number, lines)
        for start in range(0, len(elector_ids), _CHUNK):
            part = elector_ids[start : start + _CHUNK]
            for elector_id, title, forenames, surname in session.execute(
                select(Elector.id, Elector.title, Elector.forenames, Elector.surname).where(
                    Elector.id.in_(part)
                )
            ):
                people[elector_id] = Person(title.strip(), forenames.strip(), surname.strip())
            no_letters |= kept_off(session, Output.LETTER, part)
    out: list[Household] = []
    for door in found:
        place = places[door.address_id]
        may = [e for e in door.electors if not e.removed and e.id not in no_letters]
        named = tuple(people[e.id] for e in may if not e.moved and e.id in people)
        out.append(
            Household(
                door=door,
                street_id=place.street_id,
                town=place.town,
                house_number=place.house_number,
                address_lines=place.lines,
                named=named,
                deliver=bool(may),
                left_out=len(door.electors) - len(may),
            )
        )
    return out


def _full_name(person: Person) -> str:
    first = person.forenames.split()[0] if person.forenames.split() else ""
    return " ".join(p for p in (first, person.surname) if p)


def salutation(people: Sequence[Person]) -> tuple[str, str]:
    """(salutation, name) of a letter to these people.

    One person with a title: "Dear Ms Testwell" to "Ms Ada Testwell"; without one,
    "Dear Ada Testwell". Two: "Dear Ada Testwell and Bo Testwell". Nobody known,
    or more than two: "Dear resident" / "Dear residents".
    """
    known = [p for p in people if p.surname]
    if len(known) == 1:
        person = known[0]
        full = " ".join(p for p in (person.title, person.forenames, person.surname) if p)
        if person.title:
            return f"Dear {person.title} {person.surname}", full
        return f"Dear {_full_name(person)}", full
    if len(known) == 2:
        both = f"{_full_name(known[0])} and {_full_name(known[1])}"
        return f"Dear {both}", both
    if not known:
        return "Dear resident", "The resident"
    return "Dear residents", "The residents"


@dataclass(frozen=True, slots=True)
class MailMerge:
    """The letters of a mail merge, and what was left out."""

    recipients: tuple[Recipient, ...]
    households: int  # every household of the list or district
    skipped: int  # households where nobody may get a letter
    partly: int  # households written to, with some people left off the letter
    unnamed: int  # letters to "Dear resident(s)"

    @property
    def counts(self) -> dict[str, int]:
        """The figures, for a report line or JSON."""
        return {
            "households": self.households,
            "letters": len(self.recipients),
            "skipped": self.skipped,
            "partly": self.partly,
            "unnamed": self.unnamed,
        }


def mail_merge(
    db: Database, walk_list: str | None = None, *, district: str | None = None
) -> MailMerge:
    """The letters for a walk list or district, one per household, in walking order.

    Raises:
        ValidationError: If the walk list or district does not exist, or none is given.
    """
    found = households(db, walk_list=walk_list, district=district)
    letters: list[Recipient] = []
    tally: Counter[str] = Counter()
    for home in found:
        if not home.deliver:
            tally["skipped"] += 1
            continue
        if home.left_out:
            tally["partly"] += 1
        greeting, name = salutation(home.named)
        if sum(1 for p in home.named if p.surname) not in (1, 2):
            tally["unnamed"] += 1
        letters.append(Recipient(greeting, name, home.address_lines))
    return MailMerge(
        tuple(letters), len(found), tally["skipped"], tally["partly"], tally["unnamed"]
    )


def _audit_detail(
    merge: MailMerge, walk_list: str | None, district: str | None, out: Path | None
) -> dict[str, Value]:
    """What the audit trail keeps of a mail merge: where to, the counts, the file; no names."""
    return {
        "walk_list": walk_list or "",
        "district": (district or "").strip().upper(),
        "file": out.name if out is not None else "",
        **merge.counts,
    }


def recipients(
    db: Database,
    walk_list: str | None = None,
    *,
    district: str | None = None,
    out: Path | None = None,
) -> list[Recipient]:
    """One addressee per household of a walk list or district, in walking order.

    Households where everyone is off the register or asked for no letters
    (do-not-contact, do-not-leaflet) are left out; see :func:`mail_merge` for the counts.
    Names and addresses leave the database here, for letters, so the audit
    trail records it (with ``out``, the file they are for).

    Raises:
        ValidationError: If the walk list or district does not exist, or none is given.
    """
    merge = mail_merge(db, walk_list, district=district)
    record(db, "mail-merge", _audit_detail(merge, walk_list, district, out))
    return list(merge.recipients)


def print_letters(
    db: Database,
    spec: LeafletSpec,
    out: Path,
    walk_list: str | None = None,
    *,
    district: str | None = None,
    n_up: int = 1,
    bleed: bool = False,
    cmyk: bool = False,
    base_dir: Path | None = None,
) -> tuple[RenderReport, MailMerge]:
    """Write the mail-merged letters of a walk list or district to ``out`` (a PDF).

    The audit trail records the file's name and the counts once it is written.

    Raises:
        ValidationError: If the walk list or district does not exist, nobody there
            may get a letter, or the letter cannot be rendered.
    """
    from canvass.services.leaflets import render  # ReportLab: only when printing

    merge = mail_merge(db, walk_list, district=district)
    if not merge.recipients:
        raise ValidationError(
            f"Nobody in {walk_list or 'district ' + (district or '').upper()} may get a letter "
            "(all asked for none, or none on the register); nothing was written."
        )
    report = render(
        db,
        spec,
        out,
        n_up=n_up,
        bleed=bleed,
        cmyk=cmyk,
        recipients=list(merge.recipients),
        base_dir=base_dir,
    )
    record(db, "mail-merge", _audit_detail(merge, walk_list, district, Path(report.path)))
    return report, merge
