"""Petitions: the text people sign, the signatures, duplicates and withdrawals.

Every signature is a create operation and merges like everything else; a
withdrawal or a person's decision about a flagged duplicate is a set
operation on it, so it survives merges. Counting them is
:mod:`canvass.services.petition_counts`.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from canvass.domain import signers
from canvass.domain.errors import ValidationError
from canvass.domain.values import clean_string
from canvass.services.campaigns import current_campaign
from canvass.services.oplog import OpWriter
from canvass.storage.database import Database
from canvass.storage.tables import (
    Address,
    Elector,
    Petition,
    Signature,
    Street,
)

METHODS = ("doorstep", "stall", "paper")
MAX_CSV_ROWS = 100_000


@dataclass(frozen=True, slots=True)
class PetitionDraft:
    """What the petition editor (or ``petition create``) gives."""

    title: str
    text: str
    addressee: str = ""
    ward_name: str = ""
    council_address: str = ""
    lead_petitioner: str = ""
    opens_on: dt.date | None = None
    closes_on: dt.date | None = None
    threshold: int | None = None
    consent_wording: str = ""
    letter_text: str = ""


DEFAULT_CONSENT = (
    "By signing you agree that {campaign} keeps your name, address and signature to present "
    "this petition to the council, and deletes them within six months of handing it in. "
    "Tick the second box only if you also want to hear from us about the campaign."
)


def _check_draft(draft: PetitionDraft) -> dict[str, object]:
    title = " ".join(clean_string(draft.title, field="The title").split())
    text = clean_string(draft.text.strip(), field="The petition text")
    if not title or len(title) > 300:
        raise ValidationError("Give the petition a title of 1 to 300 characters.")
    if not text:
        raise ValidationError("The petition needs its text: what people are asked to sign.")
    if draft.threshold is not None and not 1 <= draft.threshold <= 10_000_000:
        raise ValidationError("The threshold is the number of signatures the council asks for.")
    if draft.opens_on and draft.closes_on and draft.closes_on < draft.opens_on:
        raise ValidationError("The petition closes before it opens; check the dates.")
    return {
        "title": title,
        "text": text,
        "addressee": clean_string(draft.addressee.strip(), field="The addressee")[:300],
        "ward_name": clean_string(draft.ward_name.strip(), field="The ward")[:200],
        "council_address": clean_string(draft.council_address.strip(), field="The address"),
        "lead_petitioner": clean_string(draft.lead_petitioner.strip(), field="The lead")[:200],
        "opens_on": draft.opens_on.isoformat() if draft.opens_on else None,
        "closes_on": draft.closes_on.isoformat() if draft.closes_on else None,
        "threshold": draft.threshold,
        "consent_wording": clean_string(draft.consent_wording.strip(), field="The consent"),
        "letter_text": clean_string(draft.letter_text.strip(), field="The letter"),
    }


def create_petition(db: Database, draft: PetitionDraft) -> str:
    """Start a petition; returns its id.

    Raises:
        ValidationError: For a missing title or text, bad dates or threshold, or no campaign.
    """
    values = _check_draft(draft)
    with db.write() as session:
        campaign = current_campaign(session)
        if campaign is None:
            raise ValidationError("Start the campaign first: petitions belong to one.")
        if not values["consent_wording"]:
            values["consent_wording"] = DEFAULT_CONSENT.format(campaign=campaign.name)
        writer = OpWriter.local(session)
        petition_id = writer.create(
            "petition", {**values, "campaign_id": campaign.id, "text_version": 1}
        )
        writer.flush()
    return petition_id


def update_petition(db: Database, petition_id: str, draft: PetitionDraft) -> None:
    """Change a petition.

    A new text or consent wording gets a new version number: signatures keep
    the version they saw.
    """
    values = _check_draft(draft)
    with db.write() as session:
        petition = session.get(Petition, petition_id)
        if petition is None:
            raise ValidationError("That petition no longer exists.")
        writer = OpWriter.local(session)
        if values["text"] != petition.text:
            writer.set("petition", petition_id, "text_version", petition.text_version + 1)
        if values["consent_wording"] and values["consent_wording"] != petition.consent_wording:
            writer.set("petition", petition_id, "consent_version", petition.consent_version + 1)
        elif not values["consent_wording"]:
            values["consent_wording"] = petition.consent_wording
        for name, value in values.items():
            current = getattr(petition, name)
            if isinstance(current, dt.date):
                current = current.isoformat()
            if current != value:
                writer.set("petition", petition_id, name, value)
        writer.flush()


def find_petition(session: Session, text: str) -> Petition:
    """A petition by id, id prefix (8+ characters) or exact title.

    Raises:
        ValidationError: If none or several match.
    """
    text = text.strip()
    petitions = list(session.scalars(select(Petition)))
    found = [p for p in petitions if p.id == text or p.title == text]
    if not found and len(text) >= 8:
        found = [p for p in petitions if p.id.startswith(text.lower())]
    if len(found) == 1:
        return found[0]
    if not found:
        titles = "; ".join(p.title for p in petitions) or "none yet"
        raise ValidationError(f"There is no petition '{text}'. Petitions here: {titles}.")
    raise ValidationError(f"More than one petition matches '{text}'; give its id.")


def text_hash(text: str) -> str:
    """SHA-256 of a petition's exact text (UTF-8), as printed on the bundle."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- signing ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Signer:
    """What a signer gives (at a stall, or transcribed from paper)."""

    name: str
    address: str = ""
    postcode: str = ""
    email: str = ""
    phone: str = ""
    consent: bool = False
    contact_ok: bool = False
    strokes: list[list[int]] | None = None
    sheet_number: int | None = None
    row_number: int | None = None


def check_signer(signer: Signer, *, method: str) -> dict[str, object]:
    """Validate a signer; returns the signature's field values.

    Raises:
        ValidationError: For a bad name, postcode, email or phone, no consent,
            an unknown method, or paper rows without sheet and row numbers.
    """
    if method not in METHODS:
        raise ValidationError(f"A signature is taken at the {', '.join(METHODS)}, not '{method}'.")
    if not signer.consent:
        raise ValidationError("The signer has not ticked the consent box: it is required.")
    if method == "paper" and (signer.sheet_number is None or signer.row_number is None):
        raise ValidationError("A transcribed signature needs its sheet and row numbers.")
    for label, n in (("sheet", signer.sheet_number), ("row", signer.row_number)):
        if n is not None and not 1 <= n <= 1_000_000:
            raise ValidationError(f"The {label} number must be a whole number from 1.")
    address = " ".join(clean_string(signer.address or "", field="The address").split())
    if len(address) > 500:
        raise ValidationError("The address is longer than 500 characters.")
    return {
        "name": signers.check_name(signer.name),
        "address": address,
        "postcode": signers.check_postcode(signer.postcode),
        "email": signers.check_email(signer.email),
        "phone": signers.check_phone(signer.phone),
        "consent": True,
        "contact_ok": bool(signer.contact_ok),
        "strokes": signers.check_strokes(signer.strokes or []),
        "method": method,
        "sheet_number": signer.sheet_number,
        "row_number": signer.row_number,
    }


def _open_petition(session: Session, petition: str) -> Petition:
    found = find_petition(session, petition)
    today = dt.date.today()
    if found.closes_on is not None and found.closes_on < today:
        raise ValidationError(f"The petition '{found.title}' closed on {found.closes_on}.")
    if found.opens_on is not None and found.opens_on > today:
        raise ValidationError(f"The petition '{found.title}' opens on {found.opens_on}.")
    return found


def _check_sheet_rows(
    session: Session, petition_id: str, rows: Sequence[Mapping[str, object]]
) -> None:
    """Refuse a paper row already typed in (the same sheet and row number)."""
    wanted = [
        (r["sheet_number"], r["row_number"]) for r in rows if r.get("sheet_number") is not None
    ]
    if not wanted:
        return
    taken = set(
        session.execute(
            select(Signature.sheet_number, Signature.row_number).where(
                Signature.petition_id == petition_id, Signature.sheet_number.is_not(None)
            )
        ).all()
    )
    seen: set[tuple[object, object]] = set()
    for key in wanted:
        if key in taken or key in seen:
            raise ValidationError(
                f"Sheet {key[0]} row {key[1]} is typed in already; check the sheet and row numbers."
            )
        seen.add(key)


def sign(
    db: Database,
    petition: str,
    signer: Signer,
    *,
    method: str = "stall",
    collector: str = "",
    elector_id: str | None = None,
) -> str:
    """Record one signature; returns its id.

    Raises:
        ValidationError: See :func:`check_signer`; also an unknown or closed petition.
    """
    values = check_signer(signer, method=method)
    with db.write() as session:
        found = _open_petition(session, petition)
        _check_sheet_rows(session, found.id, [values])
        writer = OpWriter.local(session)
        signature_id = writer.create(
            "signature",
            {
                **values,
                "petition_id": found.id,
                "elector_id": elector_id,
                "collector": clean_string(collector.strip(), field="The collector")[:200],
                "device_id": writer.device_id,
                "signed_at": writer.now(),
                "text_version": found.text_version,
                "consent_version": found.consent_version,
            },
        )
        writer.flush()
    return signature_id


def signer_from_elector(db: Database, elector_id: str) -> Signer:
    """A signer prefilled from the register (the doorstep case): name, address, postcode."""
    with db.read() as session:
        row = session.execute(
            select(Elector, Address, Street.name)
            .outerjoin(Address, Address.id == Elector.address_id)
            .outerjoin(Street, Street.id == Address.street_id)
            .where(Elector.id == elector_id)
        ).first()
        if row is None:
            raise ValidationError("That elector is not in this database.")
        elector, address, street = row
        door = ""
        if address is not None:
            number = f"{address.house_number or ''}{address.house_suffix}"
            door = ", ".join(
                p
                for p in (address.flat, address.house_name, f"{number} {street or ''}".strip())
                if p
            )
        return Signer(
            name=f"{elector.forenames} {elector.surname}".strip(),
            address=door,
            postcode=address.postcode if address is not None else "",
        )


CSV_COLUMNS = (
    "name",
    "address",
    "postcode",
    "email",
    "phone",
    "consent",
    "contact",
    "sheet",
    "row",
)
_YES = {"y", "yes", "1", "true", "x", "✓", "ticked"}


def import_csv(db: Database, petition: str, path: Path, *, collector: str = "") -> int:
    """Transcribed paper signatures from a CSV file; all rows or none.

    Columns (header row, any order): name, address, postcode, email, phone,
    consent, contact, sheet, row. Every row is checked first; any broken row
    stops the import with the line numbers of all of them.

    Raises:
        ValidationError: With every broken row's line number and reason.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"Could not read {path}: {exc.strerror or exc}.") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    headers = {(h or "").strip().lower() for h in reader.fieldnames or []}
    if "name" not in headers or "postcode" not in headers:
        raise ValidationError(
            f"{path.name} needs a header row with at least name and postcode columns "
            f"(possible columns: {', '.join(CSV_COLUMNS)})."
        )
    rows: list[dict[str, object]] = []
    problems: list[str] = []
    for line, record in enumerate(reader, start=2):
        if line - 1 > MAX_CSV_ROWS:
            raise ValidationError(f"{path.name} has more than {MAX_CSV_ROWS:,} rows; split it.")
        data = {(k or "").strip().lower(): (v or "").strip() for k, v in record.items() if k}
        if None in record:
            problems.append(f"line {line}: more cells than columns")
            continue
        if not any(data.values()):
            continue
        try:
            rows.append(
                check_signer(
                    Signer(
                        name=data.get("name", ""),
                        address=data.get("address", ""),
                        postcode=data.get("postcode", ""),
                        email=data.get("email", ""),
                        phone=data.get("phone", ""),
                        consent=data.get("consent", "yes").lower() in _YES,
                        contact_ok=data.get("contact", "").lower() in _YES,
                        sheet_number=_int(data.get("sheet", "")),
                        row_number=_int(data.get("row", "")),
                    ),
                    method="paper",
                )
            )
        except ValidationError as exc:
            problems.append(f"line {line}: {str(exc).rstrip('.')}")
    if problems:
        shown = "; ".join(problems[:10])
        more = f"; and {len(problems) - 10} more" if len(problems) > 10 else ""
        raise ValidationError(
            f"Nothing was imported: {len(problems)} row(s) of {path.name} need fixing: "
            f"{shown}{more}."
        )
    with db.write() as session:
        found = _open_petition(session, petition)
        _check_sheet_rows(session, found.id, rows)
        writer = OpWriter.local(session)
        for values in rows:
            writer.create(
                "signature",
                {
                    **values,
                    "petition_id": found.id,
                    "collector": collector[:200],
                    "device_id": writer.device_id,
                    "signed_at": writer.now(),
                    "text_version": found.text_version,
                    "consent_version": found.consent_version,
                },
            )
        writer.flush()
    return len(rows)


def _int(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValidationError(f"'{text}' is not a sheet or row number.")
    return int(text)


def withdraw(db: Database, signature_id: str) -> None:
    """A signer withdraws: the signature stays on record but no longer counts."""
    _set(db, signature_id, {"withdrawn": True})


def decide(db: Database, signature_id: str, decision: str, reason: str = "") -> None:
    """A person decides about a flagged signature: "count", "exclude" or "" (follow the rules)."""
    if decision not in ("", "count", "exclude"):
        raise ValidationError("The decision is count, exclude, or back to the rules.")
    _set(
        db,
        signature_id,
        {"count_decision": decision, "decision_reason": clean_string(reason.strip())[:200]},
    )


def _set(db: Database, signature_id: str, values: Mapping[str, object]) -> None:
    with db.write() as session:
        signature = session.get(Signature, signature_id)
        if signature is None:
            raise ValidationError("That signature no longer exists.")
        writer = OpWriter.local(session)
        for name, value in values.items():
            if getattr(signature, name) != value:
                writer.set("signature", signature_id, name, value)
        writer.flush()
