"""`canvass privacy export PERSON --out DIR`: answer a subject access request from the shell."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from canvass.services import subject_access

if TYPE_CHECKING:
    from canvass.cli.main import State

pass_state = click.pass_obj


@click.command("export")
@click.argument("person")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder to write the PDF and the JSON file into (it must exist).",
)
@pass_state
def privacy_export(state: State, person: str, out_dir: Path) -> None:
    """Everything held about PERSON (an elector number like LA-4/1, or a record id).

    Writes a readable PDF and a JSON file with their register entry, linked
    duplicates, doorstep records, signatures, do-not-contact requests, reply
    slips, every change to those records and the audit entries that mention
    them; nothing about anyone else. The export is recorded in the audit trail.
    """
    db = state.open()
    try:
        found = subject_access.find_person(db, person)
        result = subject_access.export(db, found, out_dir)
    finally:
        db.close()
    state.out.print(
        f"Subject access export for {found.label} (reference {found.reference}): "
        f"{result.records:,} records, {result.pages} pages.",
        markup=False,
    )
    state.out.print(f"  {result.pdf}", markup=False)
    state.out.print(f"  {result.json}", markup=False)
