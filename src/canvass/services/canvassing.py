"""Recording doorstep responses: the canvass screen's and the sheet-entry mode's services.

Every record is a *create* of a visit (an append-only fact); undo marks the
visit void and redo clears that, and an edit sets fields of the visit: all
operations, so they travel and merge like everything else.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from canvass.domain import codes
from canvass.domain.electors import parse_elector_number
from canvass.domain.errors import ValidationError
from canvass.domain.suppression import DO_NOT_CONTACT as DO_NOT_CONTACT_SCOPE
from canvass.domain.suppression import Output
from canvass.services.campaigns import current_campaign, notice_version_in
from canvass.services.oplog import OpWriter
from canvass.services.suppressions import create_suppression, kept_off
from canvass.services.walk_lists import find_walk_list
from canvass.storage.database import Database
from canvass.storage.tables import (
    Address,
    CodeSet,
    Elector,
    PollingDistrict,
    Signature,
    Street,
    SurveyQuestion,
    Visit,
)

#: Outcomes that mean someone answered the door and talked.
SPOKE = "SPK"
NOT_IN = "NI"
MOVED = "MV"
DO_NOT_CONTACT = "DNC"


@dataclass(frozen=True, slots=True)
class Question:
    """A survey question of the campaign."""

    code: str
    text: str
    choices: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CodeBook:
    """The campaign's codes, as the canvass screen keys and shows them."""

    outcomes: tuple[codes.Code, ...]
    intentions: tuple[codes.Code, ...]
    flags: tuple[codes.Code, ...]
    questions: tuple[Question, ...] = ()

    def label(self, kind: str, code: str) -> str:
        """The screen label of a code ("SPK" -> "Spoke"), or the code itself."""
        found: dict[str, str] = dict(getattr(self, kind))
        return found.get(code, code)


def code_book_of(session: Session) -> CodeBook:
    """The campaign's code book (the defaults until the campaign edits them)."""
    campaign = current_campaign(session)
    stored = None
    questions: tuple[Question, ...] = ()
    if campaign is not None:
        text = session.scalars(
            select(CodeSet.codes).where(CodeSet.campaign_id == campaign.id).order_by(CodeSet.id)
        ).first()
        stored = json.loads(text) if text else None
        questions = tuple(
            Question(q.code, q.text, tuple(json.loads(q.choices or "[]")))
            for q in session.scalars(
                select(SurveyQuestion)
                .where(SurveyQuestion.campaign_id == campaign.id)
                .order_by(SurveyQuestion.position, SurveyQuestion.code)
            )
        )
    return CodeBook(
        codes.codes_from(stored, "outcomes"),
        codes.codes_from(stored, "intentions"),
        codes.codes_from(stored, "flags"),
        questions,
    )


def code_book(db: Database) -> CodeBook:
    """The campaign's code book."""
    with db.read() as session:
        return code_book_of(session)


@dataclass(frozen=True, slots=True)
class Entry:
    """What a canvasser records for one elector."""

    outcome: str
    intention: str = ""
    support: int | None = None
    likelihood: int | None = None
    flags: tuple[str, ...] = ()
    issues: tuple[str, ...] = ()
    notes: str = ""
    answers: Mapping[str, str] = field(default_factory=dict)


def check_entry(book: CodeBook, entry: Entry) -> dict[str, object]:
    """Validate an entry against the code book; returns the visit's field values.

    Raises:
        ValidationError: For a code not in the set, a score out of 1–5, or an
            intention recorded without having spoken to the person.
    """
    outcomes = dict(book.outcomes)
    if entry.outcome not in outcomes:
        raise ValidationError(
            f"'{entry.outcome}' is not an outcome in this campaign's codes ({', '.join(outcomes)})."
        )
    intentions = dict(book.intentions)
    if entry.intention and entry.intention not in intentions:
        raise ValidationError(
            f"'{entry.intention}' is not a voting-intention code here ({', '.join(intentions)})."
        )
    talked = entry.outcome == SPOKE
    if not talked and (entry.intention or entry.support or entry.likelihood or entry.answers):
        raise ValidationError(
            f"An intention, score or answer needs the outcome “{outcomes.get(SPOKE, 'Spoke')}”, "
            f"not “{outcomes[entry.outcome]}”."
        )
    for name, score in (("Support", entry.support), ("Likelihood", entry.likelihood)):
        if score is not None and not 1 <= score <= 5:
            raise ValidationError(f"{name} is a number from 1 to 5, not {score}.")
    flags = dict(book.flags)
    unknown = [f for f in entry.flags if f not in flags]
    if unknown:
        raise ValidationError(f"'{unknown[0]}' is not a flag here ({', '.join(flags)}).")
    questions = {q.code: q for q in book.questions}
    for code, answer in entry.answers.items():
        question = questions.get(code)
        if question is None:
            raise ValidationError(f"There is no survey question '{code}'.")
        if question.choices and answer not in question.choices:
            raise ValidationError(
                f"'{answer}' is not an answer to “{question.text}” ({', '.join(question.choices)})."
            )
    issues = sorted({i.strip() for i in entry.issues if i.strip()})
    return {
        "outcome": entry.outcome,
        "intention": entry.intention,
        "support": entry.support,
        "likelihood": entry.likelihood,
        "flags": ",".join(sorted(set(entry.flags))),
        "issues": ",".join(issues),
        "notes": entry.notes.strip(),
        "survey_answers": dict(sorted(entry.answers.items())),
    }


@dataclass(frozen=True, slots=True)
class VisitInfo:
    """One earlier record, as an elector's history shows it."""

    id: str
    visited_at: str
    outcome: str
    intention: str
    support: int | None
    likelihood: int | None
    flags: tuple[str, ...]
    issues: tuple[str, ...]
    notes: str
    canvasser: str
    method: str
    voided: bool
    answers: Mapping[str, str] = field(default_factory=dict)
    #: The privacy-notice version the person was given; 0: not recorded.
    notice_version: int = 0


@dataclass(frozen=True, slots=True)
class DoorElector:
    """An elector at a door, with what is known about them."""

    id: str
    number: str
    name: str
    markers: str
    do_not_contact: bool
    removed: bool
    visits: tuple[VisitInfo, ...]
    signatures: int

    @property
    def latest(self) -> VisitInfo | None:
        """The latest record that was not undone."""
        live = [v for v in self.visits if not v.voided]
        return live[-1] if live else None

    @property
    def moved(self) -> bool:
        """Recorded as moved away (by the latest record)."""
        latest = self.latest
        return latest is not None and latest.outcome == MOVED

    @property
    def can_record(self) -> bool:
        """Whether a new record may be made without a deliberate override."""
        return not (self.do_not_contact or self.removed)


@dataclass(frozen=True, slots=True)
class Door:
    """One household in walking order."""

    address_id: str
    label: str
    street: str
    postcode: str
    district: str
    electors: tuple[DoorElector, ...]


def _visit_info(v: Visit) -> VisitInfo:
    return VisitInfo(
        id=v.id,
        visited_at=v.visited_at,
        outcome=v.outcome,
        intention=v.intention,
        support=v.support,
        likelihood=v.likelihood,
        flags=tuple(f for f in v.flags.split(",") if f),
        issues=tuple(i for i in v.issues.split(",") if i),
        notes=v.notes,
        canvasser=v.canvasser,
        method=v.method,
        voided=v.voided,
        answers=json.loads(v.survey_answers or "{}"),
        notice_version=v.notice_version,
    )


def door_label(address: Address) -> str:
    """The label of a door: "Flat 2, 14A", "Rose Cottage"."""
    number = f"{address.house_number or ''}{address.house_suffix}"
    return ", ".join(p for p in (address.flat, address.house_name, number) if p) or "(no number)"


def doors(
    db: Database,
    *,
    walk_list: str | None = None,
    district: str | None = None,
    street_id: str | None = None,
) -> list[Door]:
    """The households of a walk list, district or street, in walking order.

    Raises:
        ValidationError: If the walk list or district does not exist, or none is given.
    """
    with db.read() as session:
        query = (
            select(Address, Street, PollingDistrict.code)
            .join(Street, Street.id == Address.street_id)
            .join(PollingDistrict, PollingDistrict.id == Street.polling_district_id)
        )
        covers = None
        if walk_list is not None:
            _, covers = find_walk_list(session, walk_list)
            if covers.streets:
                query = query.where(Street.id.in_(covers.streets))
            elif covers.districts:
                query = query.where(Street.polling_district_id.in_(covers.districts))
        elif district is not None:
            code = district.strip().upper()
            if (
                session.scalar(select(PollingDistrict.id).where(PollingDistrict.code == code))
                is None
            ):
                raise ValidationError(f"There is no polling district {code}.")
            query = query.where(PollingDistrict.code == code)
        elif street_id is not None:
            query = query.where(Street.id == street_id)
        else:
            raise ValidationError("Choose a walk list, a polling district or a street.")
        rows = [
            (a, s, code)
            for a, s, code in session.execute(
                query.order_by(
                    PollingDistrict.code, Street.walk_order, Street.name, Address.walk_order
                )
            )
            if covers is None or covers.covers(a, s.polling_district_id)
        ]
        address_ids = [a.id for a, _, _ in rows]
        people = _people(session, address_ids)
        return [
            Door(a.id, door_label(a), s.name, a.postcode, code, tuple(people.get(a.id, ())))
            for a, s, code in rows
            if people.get(a.id)
        ]


def _people(session: Session, address_ids: Sequence[str]) -> dict[str, list[DoorElector]]:
    out: dict[str, list[DoorElector]] = defaultdict(list)
    if not address_ids:
        return out
    electors: list[tuple[Elector, str]] = []
    for start in range(0, len(address_ids), 2000):
        part = address_ids[start : start + 2000]
        electors += list(
            session.execute(
                select(Elector, PollingDistrict.code)
                .join(PollingDistrict, PollingDistrict.id == Elector.polling_district_id)
                .where(Elector.address_id.in_(part))
                .order_by(Elector.elector_number, Elector.elector_suffix)
            ).all()
        )
    ids = [e.id for e, _ in electors]
    visits: dict[str, list[VisitInfo]] = defaultdict(list)
    signed: dict[str, int] = defaultdict(int)
    suppressed: set[str] = set()
    for start in range(0, len(ids), 2000):
        part = ids[start : start + 2000]
        for v in session.scalars(
            select(Visit).where(Visit.elector_id.in_(part)).order_by(Visit.visited_at, Visit.id)
        ):
            visits[v.elector_id or ""].append(_visit_info(v))
        for elector_id in session.scalars(
            select(Signature.elector_id).where(Signature.elector_id.in_(part))
        ):
            signed[elector_id or ""] += 1
        # Only a suppression that stops door knocking stops a canvasser ("no letters" does not).
        suppressed |= kept_off(session, Output.KNOCK, part)
    for e, code in electors:
        number = f"{code}-{e.elector_number}" + (f"/{e.elector_suffix}" if e.elector_suffix else "")
        out[e.address_id or ""].append(
            DoorElector(
                id=e.id,
                number=number,
                name=" ".join(p for p in (e.title, e.forenames, e.surname) if p),
                markers=e.markers,
                do_not_contact=e.id in suppressed,
                removed=e.removed,
                visits=tuple(visits.get(e.id, ())),
                signatures=signed.get(e.id, 0),
            )
        )
    return out


def _elector_for_record(session: Session, elector_id: str, *, allow_moved: bool) -> Elector:
    elector = session.get(Elector, elector_id)
    if elector is None:
        raise ValidationError("That elector is not in this database (erased or never imported).")
    name = f"{elector.forenames} {elector.surname}".strip()
    if elector.removed:
        raise ValidationError(f"{name} is off the register; nothing was recorded.")
    if kept_off(session, Output.KNOCK, [elector_id]):
        raise ValidationError(f"{name} asked not to be contacted; nothing was recorded.")
    if not allow_moved:
        last = session.scalars(
            select(Visit.outcome)
            .where(Visit.elector_id == elector_id, Visit.voided.is_(False))
            .order_by(Visit.visited_at.desc(), Visit.id.desc())
        ).first()
        if last == MOVED:
            raise ValidationError(
                f"{name} was recorded as moved away; nothing was recorded. Undo that record "
                "first if they are back."
            )
    return elector


def record(
    db: Database,
    elector_id: str,
    entry: Entry,
    *,
    canvasser: str = "",
    method: str = "doorstep",
    allow_moved: bool = False,
) -> str:
    """Record one doorstep response; returns the visit's id.

    "Do not contact" also puts the elector on the suppression list.

    Raises:
        ValidationError: For a bad entry, or an elector who is off the register,
            asked not to be contacted, or moved away (unless ``allow_moved``).
    """
    with db.write() as session:
        values = check_entry(code_book_of(session), entry)
        elector = _elector_for_record(session, elector_id, allow_moved=allow_moved)
        writer = OpWriter.local(session)
        visit_id = writer.create(
            "visit",
            {
                **values,
                "elector_id": elector.id,
                "address_id": elector.address_id,
                "canvasser": canvasser.strip()[:200],
                "device_id": writer.device_id,
                "visited_at": writer.now(),
                "method": method,
                "notice_version": notice_version_in(session),
            },
        )
        if entry.outcome == DO_NOT_CONTACT:
            # with its match key, so it finds the person again in a later register
            create_suppression(
                session, writer, elector.id, DO_NOT_CONTACT_SCOPE, "asked at the door"
            )
        writer.flush()
    return visit_id


def household_not_in(db: Database, address_id: str, *, canvasser: str = "") -> list[str]:
    """Record "not in" for everyone at a door who can be recorded; returns the visit ids."""
    with db.write() as session:
        book = code_book_of(session)
        values = check_entry(book, Entry(NOT_IN))
        notice = notice_version_in(session)
        writer = OpWriter.local(session)
        made = []
        for elector in session.scalars(
            select(Elector).where(Elector.address_id == address_id).order_by(Elector.elector_number)
        ):
            try:
                _elector_for_record(session, elector.id, allow_moved=False)
            except ValidationError:
                continue
            made.append(
                writer.create(
                    "visit",
                    {
                        **values,
                        "elector_id": elector.id,
                        "address_id": address_id,
                        "canvasser": canvasser.strip()[:200],
                        "device_id": writer.device_id,
                        "visited_at": writer.now(),
                        "notice_version": notice,
                    },
                )
            )
        writer.flush()
    return made


def set_voided(db: Database, visit_ids: Iterable[str], voided: bool) -> None:
    """Undo (``voided=True``) or redo records; each is an operation that travels."""
    with db.write() as session:
        writer = OpWriter.local(session)
        for visit_id in visit_ids:
            visit = session.get(Visit, visit_id)
            if visit is None:
                raise ValidationError("That record no longer exists.")
            if visit.voided != voided:
                writer.set("visit", visit_id, "voided", voided)
        writer.flush()


def edit(db: Database, visit_id: str, entry: Entry) -> None:
    """Change an earlier record: new operations for the fields that differ."""
    with db.write() as session:
        visit = session.get(Visit, visit_id)
        if visit is None:
            raise ValidationError("That record no longer exists.")
        values = check_entry(code_book_of(session), entry)
        writer = OpWriter.local(session)
        for name, value in values.items():
            current = getattr(visit, name)
            if name == "survey_answers":
                current = json.loads(current or "{}")
            if current != value:
                writer.set("visit", visit_id, name, value)
        writer.flush()


@dataclass(frozen=True, slots=True)
class SheetElector:
    """An elector found by number on a paper sheet."""

    id: str
    number: str
    name: str
    door: str


def find_by_number(db: Database, text: str, *, district: str | None = None) -> SheetElector:
    """The elector with a number typed from a sheet: ``AB-124/1``, or ``124/1`` in ``district``.

    Raises:
        ValidationError: If the number is malformed or nobody has it.
    """
    parsed = parse_elector_number(text, district=district)
    with db.read() as session:
        row = session.execute(
            select(Elector, Address)
            .join(PollingDistrict, PollingDistrict.id == Elector.polling_district_id)
            .outerjoin(Address, Address.id == Elector.address_id)
            .where(
                PollingDistrict.code == parsed.district,
                Elector.elector_number == parsed.number,
                Elector.elector_suffix == parsed.suffix,
            )
        ).first()
        if row is None:
            raise ValidationError(f"There is no elector {parsed} in this campaign.")
        elector, address = row
        return SheetElector(
            elector.id,
            str(parsed),
            f"{elector.forenames} {elector.surname}".strip(),
            door_label(address) if address is not None else "",
        )
