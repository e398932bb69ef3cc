"""Subject access, part one: whom a request is about, and which records are theirs.

:func:`find_person` turns what was typed (an elector number or a record id)
into the record asked about. :class:`Held` then finds, for an elector, every
register entry joined to it by person links (duplicates), however many steps
away, and the signatures whose elector id is one of them; then records with
no link at all (off-register signatures, reply-slip supporters) that match
one of the person's own records by normalised name and postcode, or by
canonical email. Each record keeps the reason it was included. Household
members are never followed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from canvass.domain import signers
from canvass.domain.electors import parse_elector_number
from canvass.domain.errors import ValidationError
from canvass.domain.postcodes import normalise_postcode
from canvass.services import canvassing
from canvass.storage.database import Database
from canvass.storage.tables import (
    Address,
    Elector,
    PersonLink,
    PollingDistrict,
    Signature,
    Supporter,
)

ID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class PersonRef:
    """The record a request is about, as found from what the user typed."""

    kind: str  # "elector", "signature" (someone not on the register) or "supporter"
    id: str
    label: str  # for the person making the export: "LA-4/1 Siân Testwell"

    @property
    def reference(self) -> str:
        """The short reference quoted in the file names and on the cover."""
        return self.id[:8]


def elector_number(code: str, e: Elector) -> str:
    """An elector's number as printed: ``LA-4/1``, or ``LA-4`` without a suffix."""
    return f"{code}-{e.elector_number}" + (f"/{e.elector_suffix}" if e.elector_suffix else "")


def find_person(db: Database, text: str) -> PersonRef:
    """The person meant by an elector number (``LA-4/1``) or a record id.

    A record id may be an elector's, a signature's or a supporter's; a
    signature made by someone on the register stands for that elector.

    Raises:
        ValidationError: If ``text`` is neither, or nobody has it.
    """
    text = (text or "").strip()
    if not text:
        raise ValidationError(
            "Say whose data to export: an elector number like LA-4/1, or a record id."
        )
    if ID_PATTERN.fullmatch(text.lower()):
        with db.read() as session:
            return _ref_by_id(session, text.lower())
    try:
        number = parse_elector_number(text)
    except ValidationError:
        raise ValidationError(
            f"'{text}' is neither an elector number (like LA-4/1) nor a record id (the "
            "36-character id shown on the Register, Petitions or Supporters screen)."
        ) from None
    try:
        found = canvassing.find_by_number(db, text)
    except ValidationError:
        # After an erasure the number leads nowhere, as a record id does: say why it may be.
        raise ValidationError(
            f"There is no elector {number} in this campaign (they may have been erased, or "
            "never imported: check the number against the register)."
        ) from None
    return PersonRef("elector", found.id, f"{found.number} {found.name}")


def _ref_by_id(session: Session, record_id: str) -> PersonRef:
    elector = session.get(Elector, record_id)
    if elector is None:
        signature = session.get(Signature, record_id)
        if signature is not None:
            if signature.elector_id and session.get(Elector, signature.elector_id) is not None:
                return _ref_by_id(session, signature.elector_id)
            return PersonRef("signature", record_id, f"signature of {signature.name}")
        supporter = session.get(Supporter, record_id)
        if supporter is not None:
            return PersonRef("supporter", record_id, f"supporter {supporter.name}")
        raise ValidationError(
            f"There is no elector, signature or supporter with the id {record_id} "
            "(it may have been erased)."
        )
    code = session.scalar(
        select(PollingDistrict.code).where(PollingDistrict.id == elector.polling_district_id)
    )
    return PersonRef(
        "elector",
        elector.id,
        f"{elector_number(code or '?', elector)} {elector.forenames} {elector.surname}".strip(),
    )


def chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    """Ids in sorted groups small enough for one ``IN (...)`` on any database."""
    items = sorted(set(ids))
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


class Held:
    """One person's records, found inside a read session (a subclass shapes the document)."""

    def __init__(self, session: Session, person: PersonRef) -> None:
        self.s = session
        self.person = person
        self.electors: dict[str, Elector] = {}
        self.links: dict[str, PersonLink] = {}
        self.signatures: dict[str, Signature] = {}
        self.supporters: dict[str, Supporter] = {}
        self.because: dict[str, str] = {}
        self.numbers: dict[str, str] = {}
        self._collect()

    def _collect(self) -> None:
        kind, record_id = self.person.kind, self.person.id
        missing = ValidationError(
            f"The {kind} {record_id} is no longer in this database (it may have been erased)."
        )
        if kind == "elector":
            if self.s.get(Elector, record_id) is None:
                raise missing
            self._follow_links(record_id)
        elif kind == "signature":
            signature = self.s.get(Signature, record_id)
            if signature is None:
                raise missing
            self.signatures[record_id] = signature
            self.because[record_id] = "the signature asked about"
        elif kind == "supporter":
            supporter = self.s.get(Supporter, record_id)
            if supporter is None:
                raise missing
            self.supporters[record_id] = supporter
            self.because[record_id] = "the supporter record asked about"
        else:
            raise ValidationError(f"'{kind}' is not a kind of record a person can ask about.")
        codes = dict(
            self.s.execute(
                select(PollingDistrict.id, PollingDistrict.code).where(
                    PollingDistrict.id.in_({e.polling_district_id for e in self.electors.values()})
                )
            ).all()
        )
        for e in self.electors.values():
            self.numbers[e.id] = elector_number(codes.get(e.polling_district_id, "?"), e)
        for eid in self.electors:
            if eid == record_id:
                self.because[eid] = "the register entry asked about"
            else:
                self.because[eid] = f"linked to {self.numbers[record_id]} as the same person"
        for chunk in chunks(self.electors):
            for s in self.s.scalars(select(Signature).where(Signature.elector_id.in_(chunk))):
                self.signatures[s.id] = s
                self.because[s.id] = f"signed as {self.numbers[s.elector_id or '']}"
        self._match_unlinked()

    def _follow_links(self, start: str) -> None:
        """Every register entry joined to ``start`` by person links, however indirectly."""
        frontier = {start}
        while frontier:
            for eid in frontier:
                found = self.s.get(Elector, eid)
                if found is not None:
                    self.electors[eid] = found
            rows = self.s.scalars(
                select(PersonLink).where(
                    or_(
                        PersonLink.elector_a_id.in_(frontier),
                        PersonLink.elector_b_id.in_(frontier),
                    )
                )
            ).all()
            frontier = set()
            for link in rows:
                self.links[link.id] = link
                for eid in (link.elector_a_id, link.elector_b_id):
                    if eid not in self.electors and self.s.get(Elector, eid) is not None:
                        frontier.add(eid)

    def _match_unlinked(self) -> None:
        """Off-register signatures and supporters that match one of the person's own records."""
        by_name: dict[tuple[str, str], str] = {}
        by_email: dict[str, str] = {}
        names: set[str] = set()

        def key(name: str, postcode: str, source: str) -> None:
            folded = signers.name_key(name)
            names.add(folded)
            if folded and postcode:
                by_name.setdefault((folded, _postcode(postcode)), source)

        for eid, e in self.electors.items():
            address = self.s.get(Address, e.address_id) if e.address_id else None
            if address is not None:
                source = f"register entry {self.numbers[eid]}"
                key(f"{e.forenames} {e.surname}", address.postcode, source)
        own: list[tuple[str, str, str, str]] = [
            (s.name, s.postcode, s.email, f"the signature {s.id[:8]}")
            for s in self.signatures.values()
        ]
        own += [
            (p.name, p.postcode, p.email, "the supporter record asked about")
            for p in self.supporters.values()
        ]
        for name, postcode, email, source in own:
            key(name, postcode, source)
            if email:
                by_email.setdefault(signers.canonical_email(email), source)

        def why(name: str, postcode: str, email: str) -> str | None:
            folded = signers.name_key(name)
            source = by_name.get((folded, _postcode(postcode)))
            if source is not None:
                return f"the same name and postcode as {source}"
            # An address is often shared (a household's, a family's), so it only
            # counts with the same name: nothing about anyone else is exported.
            if not email or folded not in names:
                return None
            source = by_email.get(signers.canonical_email(email))
            return f"the same name and email address as {source}" if source else None

        # Columns only: a petition may hold 200,000 signatures, few of them this person's.
        unlinked = self.s.execute(
            select(Signature.id, Signature.name, Signature.postcode, Signature.email).where(
                Signature.elector_id.is_(None)
            )
        )
        for sid, name, postcode, email in unlinked:
            reason = None if sid in self.signatures else why(name, postcode, email)
            if reason is not None:
                self.signatures[sid] = self.s.get_one(Signature, sid)
                self.because[sid] = reason
        slips = self.s.execute(
            select(Supporter.id, Supporter.name, Supporter.postcode, Supporter.email)
        )
        for pid, name, postcode, email in slips:
            reason = None if pid in self.supporters else why(name, postcode, email)
            if reason is not None:
                self.supporters[pid] = self.s.get_one(Supporter, pid)
                self.because[pid] = reason


def _postcode(text: str) -> str:
    """A postcode as typed ("zz1 7jh", "ZZ17JH") in the one form the register uses."""
    return normalise_postcode(text) or text.strip().upper()
