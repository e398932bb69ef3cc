"""`canvass petition ...`: petitions and signatures from the shell."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import click

from canvass.domain.errors import ValidationError
from canvass.services import petition_counts, petitions

if TYPE_CHECKING:
    from canvass.cli.main import State

pass_state = click.pass_obj


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"'{text}' is not a date; write it as YYYY-MM-DD.") from None


def _read(path: Path | None, what: str) -> str:
    if path is None:
        return ""
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"Could not read the {what} from {path}: {exc}.") from None


@click.group("petition")
def petition_group() -> None:
    """Petitions: create them, take and import signatures, count them."""


@petition_group.command("create")
@click.option("--title", required=True)
@click.option(
    "--text-file",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The exact text people sign (UTF-8).",
)
@click.option("--councillor", "addressee", required=True, help="Who the petition is addressed to.")
@click.option("--ward", default="", help="The councillor's ward.")
@click.option("--threshold", type=int, help="Signatures the council's scheme asks for.")
@click.option("--council-address", default="")
@click.option("--lead", "lead_petitioner", default="", help="The lead petitioner.")
@click.option("--opens", help="First day of collection (YYYY-MM-DD).")
@click.option("--closes", help="Last day of collection (YYYY-MM-DD).")
@click.option(
    "--consent-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Privacy and consent wording shown to signers (default: a plain one).",
)
@click.option(
    "--letter-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The covering letter to the councillor, printed on the bundle.",
)
@click.option("--json", "as_json", is_flag=True)
@pass_state
def petition_create(
    state: State,
    title: str,
    text_file: Path,
    addressee: str,
    ward: str,
    threshold: int | None,
    council_address: str,
    lead_petitioner: str,
    opens: str | None,
    closes: str | None,
    consent_file: Path | None,
    letter_file: Path | None,
    as_json: bool,
) -> None:
    """Start a petition."""
    draft = petitions.PetitionDraft(
        title=title, text=_read(text_file, "petition text"), addressee=addressee,
        ward_name=ward, council_address=council_address, lead_petitioner=lead_petitioner,
        opens_on=_date(opens), closes_on=_date(closes), threshold=threshold,
        consent_wording=_read(consent_file, "consent wording"),
        letter_text=_read(letter_file, "letter"),
    )  # fmt: skip
    db = state.open()
    try:
        petition_id = petitions.create_petition(db, draft)
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps({"id": petition_id, "title": draft.title}))
    else:
        state.out.print(f"Started the petition '{draft.title}' ({petition_id}).", markup=False)


@petition_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def petition_list(state: State, as_json: bool) -> None:
    """List petitions with their counts against the threshold (counts a purge saved included)."""
    db = state.open()
    try:
        found = petition_counts.list_petitions(db)
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps([asdict(p) for p in found], ensure_ascii=False, sort_keys=True))
        return
    if not found:
        state.out.print("No petitions yet; start one with canvass petition create.")
    for p in found:
        target = f" of {p.threshold:,} needed" if p.threshold else ""
        state.out.print(
            f"{p.title}: {p.counted:,} signature{'s' if p.counted != 1 else ''}{target} "
            f"({p.excluded:,} excluded) · to "
            f"{p.addressee or '?'} · {p.id}",
            markup=False,
        )
        if p.saved_note:
            state.out.print(f"  {p.saved_note}", markup=False)


@petition_group.command("sign")
@click.argument("petition")
@click.option("--name", required=True)
@click.option("--address", default="")
@click.option("--postcode", required=True)
@click.option("--email", default="")
@click.option("--phone", default="")
@click.option("--contact", is_flag=True, help="The signer also wants to hear from the campaign.")
@click.option("--method", type=click.Choice(petitions.METHODS), default="stall", show_default=True)
@click.option("--sheet", type=int, help="Paper sheet number (transcription).")
@click.option("--row", type=int, help="Row on that sheet.")
@click.option("--collector", default="")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def petition_sign(
    state: State,
    petition: str,
    name: str,
    address: str,
    postcode: str,
    email: str,
    phone: str,
    contact: bool,
    method: str,
    sheet: int | None,
    row: int | None,
    collector: str,
    as_json: bool,
) -> None:
    """Record one signature on PETITION (its title or id); the signer consented."""
    signer = petitions.Signer(name=name, address=address, postcode=postcode, email=email,
                              phone=phone, consent=True, contact_ok=contact,
                              sheet_number=sheet, row_number=row)  # fmt: skip
    db = state.open()
    try:
        signature_id = petitions.sign(db, petition, signer, method=method, collector=collector)
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps({"id": signature_id}))
    else:
        state.out.print(f"Signed ({signature_id}).", markup=False)


@petition_group.command("import")
@click.argument("petition")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--collector", default="")
@pass_state
def petition_import(state: State, petition: str, file: Path, collector: str) -> None:
    """Import transcribed paper signatures from a CSV FILE: every row, or none."""
    db = state.open()
    try:
        count = petitions.import_csv(db, petition, file, collector=collector)
    finally:
        db.close()
    state.out.print(f"Imported {count:,} signatures from {file.name}.", markup=False)


@petition_group.command("withdraw")
@click.argument("signature_id")
@pass_state
def petition_withdraw(state: State, signature_id: str) -> None:
    """A signer withdraws their signature (it stops counting, on every laptop)."""
    db = state.open()
    try:
        petitions.withdraw(db, signature_id)
    finally:
        db.close()
    state.out.print("Withdrawn.")


COMMANDS = (petition_group,)
