"""What the Privacy screen's tabs share: finding people, what is held about one, words, styles.

Everything here that touches the database runs on the window's reads
runner and hands back plain dataclasses. Electors are found with the same
search service as the Canvass and Petitions screens
(:func:`canvass.services.search.search_electors`); people who are not on the
register (a petition signer, a supporter who sent back a reply slip) are
found by their name or postcode, because the full-text index only holds
electors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from canvass.services.search import ElectorHit, elector_code, search_electors
from canvass.storage.database import Database
from canvass.storage.tables import (
    Address,
    Elector,
    PollingDistrict,
    Signature,
    Street,
    Supporter,
    Suppression,
    Visit,
)
from canvass.ui import theme

ERROR_COLOUR = "#A8322A"
ERROR_TINT = "#FBE5E3"
WARNING_COLOUR = "#8A5A00"
WARNING_TINT = "#FFF4D6"
#: People not on the register found by one search, at most (electors have their own limit).
OTHERS_LIMIT = 50

#: The kinds of record a person is found as, in words.
KIND_WORDS = {
    "elector": "On the register",
    "signature": "Petition signer, not on the register",
    "supporter": "Supporter (reply slip), not on the register",
}
#: The same, short, for a column of search results.
KIND_NOTES = {"signature": "Petition signer", "supporter": "Supporter"}

# -- finding people -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonHit:
    """One person found: an elector, or a record of someone not on the register.

    Attributes:
        kind: ``elector``, ``signature`` or ``supporter``: what erasing them removes.
        id: That record's id.
        number: The elector number (``AB-124/1``), "" when not on the register.
        note: Why they are greyed, or what kind of record they are, in words.
    """

    kind: str
    id: str
    name: str
    number: str
    address: str
    postcode: str
    note: str = ""

    @property
    def label(self) -> str:
        """The person as a line: "AB-124/1 Ada Testwell", or the name alone."""
        return f"{self.number} {self.name}" if self.number else self.name


def elector_hit(hit: ElectorHit) -> PersonHit:
    """An elector found by the register's search, as a :class:`PersonHit`."""
    notes = ["Off the register"] if hit.removed else []
    if hit.do_not_contact:
        notes.append("Suppressed")
    return PersonHit(
        "elector",
        hit.elector_id,
        hit.name,
        hit.number,
        hit.address or "(no address)",
        hit.postcode,
        " · ".join(notes),
    )


def _words_match(
    columns: Sequence[InstrumentedAttribute[str]], words: Sequence[str]
) -> ColumnElement[bool]:
    """Every word is part of one of ``columns`` (case does not matter)."""
    return and_(
        *(or_(*(func.lower(c).contains(w, autoescape=True) for c in columns)) for w in words)
    )


def _others(session: Session, words: list[str]) -> list[PersonHit]:
    """Signers and supporters not on the register whose name or postcode has every word."""
    hits: list[PersonHit] = []
    signers = session.execute(
        select(Signature.id, Signature.name, Signature.address, Signature.postcode)
        .where(Signature.elector_id.is_(None))
        .where(_words_match((Signature.name, Signature.postcode, Signature.address), words))
        .order_by(Signature.name, Signature.id)
        .limit(OTHERS_LIMIT)
    )
    for sid, name, address, postcode in signers:
        first_line = (address or "").splitlines()[0] if address else ""
        hits.append(
            PersonHit("signature", sid, name, "", first_line, postcode, KIND_NOTES["signature"])
        )
    supporters = session.execute(
        select(Supporter.id, Supporter.name, Supporter.address, Supporter.postcode)
        .where(_words_match((Supporter.name, Supporter.postcode, Supporter.address), words))
        .order_by(Supporter.name, Supporter.id)
        .limit(OTHERS_LIMIT)
    )
    for sid, name, address, postcode in supporters:
        first_line = (address or "").splitlines()[0] if address else ""
        hits.append(
            PersonHit("supporter", sid, name, "", first_line, postcode, KIND_NOTES["supporter"])
        )
    return hits


def search_people(db: Database, text: str) -> list[PersonHit]:
    """Electors matching ``text`` (best first), then people found who are not on the register.

    Raises:
        ValidationError: If the text is longer than anyone would type.
    """
    electors = [elector_hit(h) for h in search_electors(db, text, refresh=False)]
    words = [w.lower() for w in text.split() if w.strip()]
    if not words:
        return electors
    with db.read() as session:
        return electors + _others(session, words)


# -- what is held about one person --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonSummary:
    """What is held about one person, in summary (the subject-access export has it all).

    Attributes:
        db: The database it was read from.
        person: Who, as found.
        register: Their register entry in words ("" when not on the register).
        visits: Doorstep records about them (undone ones included: they are held).
        signatures: Petition signatures they gave.
        supporter_records: Reply slips they sent back (for a supporter).
        suppressions: The scopes of their suppressions, oldest first.
        notice_versions: The privacy-notice versions they were shown at the door.
        consent_versions: The consent wording versions of the petitions they signed.
        records: What erasing them removes: "register entry", "3 doorstep records"...
    """

    db: Database
    person: PersonHit
    register: str
    visits: int
    signatures: int
    supporter_records: int
    suppressions: tuple[str, ...]
    notice_versions: tuple[int, ...]
    consent_versions: tuple[int, ...]

    @property
    def records(self) -> list[str]:
        """What erasing this person removes, in words."""
        out = []
        if self.person.kind == "elector":
            out.append("their register entry")
        if self.visits:
            out.append(plural(self.visits, "doorstep record"))
        if self.signatures:
            out.append(plural(self.signatures, "petition signature"))
        if self.supporter_records:
            out.append(plural(self.supporter_records, "supporter record"))
        return out


def _versions(values: Sequence[int | None]) -> tuple[int, ...]:
    return tuple(sorted({v for v in values if v}))


def _notice_versions(session: Session, elector_id: str) -> tuple[int, ...]:
    """The privacy-notice versions recorded on an elector's visits (0, not recorded, left out)."""
    found = session.scalars(select(Visit.notice_version).where(Visit.elector_id == elector_id))
    return _versions(list(found))


def _elector_summary(db: Database, session: Session, person: PersonHit) -> PersonSummary | None:
    row = session.execute(
        select(Elector, PollingDistrict.code, Address, Street.name)
        .join(PollingDistrict, PollingDistrict.id == Elector.polling_district_id)
        .outerjoin(Address, Address.id == Elector.address_id)
        .outerjoin(Street, Street.id == Address.street_id)
        .where(Elector.id == person.id)
    ).first()
    if row is None:
        return None
    elector, code, address, street = row
    number = elector_code(code, elector.elector_number, elector.elector_suffix)
    door = ""
    if address is not None:
        house = f"{address.house_number or ''}{address.house_suffix}"
        parts = (address.flat, address.house_name, f"{house} {street or ''}".strip())
        door = ", ".join(p for p in parts if p)
    found = PersonHit(
        "elector",
        elector.id,
        f"{elector.forenames} {elector.surname}".strip(),
        number,
        door or "(no address)",
        address.postcode if address is not None else "",
        person.note,
    )
    edition = f", {elector.register_edition} edition" if elector.register_edition else ""
    markers = f"; markers {elector.markers}" if elector.markers else ""
    state = "off the register now" if elector.removed else "on the register"
    visits = session.scalar(select(func.count()).where(Visit.elector_id == elector.id)) or 0
    signed = list(
        session.scalars(select(Signature.consent_version).where(Signature.elector_id == elector.id))
    )
    scopes = session.scalars(
        select(Suppression.scope)
        .where(Suppression.elector_id == elector.id)
        .order_by(Suppression.created_at)
    )
    return PersonSummary(
        db,
        found,
        f"{number}, {state}{edition}{markers}",
        int(visits),
        len(signed),
        0,
        tuple(dict.fromkeys(scopes)),
        _notice_versions(session, elector.id),
        _versions(signed),
    )


def read_person(db: Database, person: PersonHit) -> PersonSummary | None:
    """What is held about ``person`` (None once they are gone), on the reads runner."""
    with db.read() as session:
        if person.kind == "elector":
            return _elector_summary(db, session, person)
        if person.kind == "signature":
            signature = session.get(Signature, person.id)
            if signature is None:
                return None
            return PersonSummary(
                db, person, "", 0, 1, 0, (), (), _versions([signature.consent_version])
            )
        if session.get(Supporter, person.id) is None:
            return None
        return PersonSummary(db, person, "", 0, 0, 1, (), (), ())


# -- words --------------------------------------------------------------------------------


def plural(count: int, word: str, many: str | None = None) -> str:
    """``"1 record"``, ``"2 records"``, with thousands separators."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def moment_text(iso: str) -> str:
    """A stored time (UTC, ISO) in this computer's time: "22 Nov 2026, 14:05"."""
    try:
        moment = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return f"{moment.day} {moment:%b %Y, %H:%M}"


def date_text(day: dt.date | None) -> str:
    """A date for people: "22 May 2027"; "not set" for none."""
    return f"{day.day} {day:%B %Y}" if day is not None else "not set"


def versions_text(versions: Sequence[int], what: str) -> str:
    """``"version 2"``, ``"versions 1 and 2"``, or that none was recorded."""
    if not versions:
        return f"no {what} recorded"
    if len(versions) == 1:
        return f"version {versions[0]}"
    listed = ", ".join(str(v) for v in versions[:-1])
    return f"versions {listed} and {versions[-1]}"


# -- style --------------------------------------------------------------------------------

STYLE = f"""
QTabWidget#privacyTabs::pane {{ border: none; border-top: 1px solid {theme.LINE}; top: -1px; }}
QTabWidget#privacyTabs > QWidget {{ background: {theme.BACKGROUND}; }}
QTabBar#privacyTabBar {{ background: transparent; }}
QTabBar#privacyTabBar::tab {{
    background: transparent; color: {theme.MUTED}; border: none;
    border-bottom: 3px solid transparent; padding: 8px 18px 9px 18px; margin-right: 6px;
    font-size: 11pt;
}}
QTabBar#privacyTabBar::tab:hover {{ color: {theme.INK}; }}
QTabBar#privacyTabBar::tab:selected {{
    color: {theme.BRAND_DARK}; border-bottom-color: {theme.BRAND}; font-weight: 600;
}}
QWidget#privacyTab, QScrollArea#privacyScroll, QWidget#privacyScrollBody {{
    background: {theme.BACKGROUND};
}}
QFrame#panel QTableView {{
    border: 1px solid {theme.LINE}; border-radius: 6px; background: {theme.SURFACE}; outline: 0;
    selection-background-color: {theme.BRAND_TINT}; selection-color: {theme.INK};
}}
QFrame#panel QHeaderView::section {{
    background: {theme.SURFACE}; color: {theme.MUTED}; border: none;
    border-bottom: 1px solid {theme.LINE}; padding: 6px 8px; font-weight: 600;
}}
QFrame#panel QTableView::item {{ padding: 0 8px; }}
QLineEdit#search, QLineEdit#field, QDateEdit#field {{
    border: 1px solid #C5CED6; border-radius: 6px; padding: 5px 9px; background: {theme.SURFACE};
}}
QLineEdit#search:focus, QLineEdit#field:focus, QDateEdit#field:focus {{
    border-color: {theme.BRAND};
}}
QPushButton#danger {{
    background: {ERROR_COLOUR}; color: white; border: 1px solid #86261F;
    border-radius: 6px; padding: 7px 16px; font-weight: 600;
}}
QPushButton#danger:hover {{ background: #86261F; }}
QPushButton#danger:disabled {{ background: #E0AFAA; border-color: #E0AFAA; }}
QLabel#personName {{ color: {theme.INK}; font-size: 15pt; font-weight: 600; }}
QLabel#kindBadge {{
    background: {theme.BRAND_TINT}; color: {theme.BRAND_DARK}; border-radius: 9px;
    padding: 2px 9px; font-size: 9pt; font-weight: 600;
}}
QLabel#suppressedBadge {{
    background: {WARNING_TINT}; color: {WARNING_COLOUR}; border-radius: 9px;
    padding: 2px 9px; font-size: 9pt; font-weight: 600;
}}
QLabel#good {{
    color: {theme.BRAND_DARK}; background: {theme.BRAND_TINT}; border-radius: 6px;
    padding: 8px 12px; font-size: 10pt;
}}
QLabel#bad {{
    color: {ERROR_COLOUR}; background: {ERROR_TINT}; border-radius: 6px;
    padding: 8px 12px; font-size: 10pt;
}}
QLabel#warning {{
    color: {WARNING_COLOUR}; background: {WARNING_TINT}; border-radius: 6px;
    padding: 8px 12px; font-size: 10pt;
}}
QLabel#fieldLabel {{ color: {theme.MUTED}; font-size: 10pt; font-weight: 600; }}
QLabel#statusWord {{ color: {theme.INK}; font-size: 13pt; font-weight: 600; }}
"""
