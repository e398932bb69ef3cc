"""`canvass privacy suppress` and `canvass privacy suppressions`: the suppression list.

Defined as plain commands; the ``privacy`` group of
:mod:`canvass.cli.privacy_commands` holds them (``COMMANDS`` here).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from canvass.domain.errors import ValidationError
from canvass.domain.suppression import SCOPES
from canvass.services import canvassing, erasure, suppressions

if TYPE_CHECKING:
    from canvass.cli.main import State

pass_state = click.pass_obj
_ID_LENGTH = 36


@click.command("suppress")
@click.argument("person")
@click.option(
    "--scope",
    type=click.Choice(tuple(SCOPES)),
    required=True,
    help="do-not-contact: no contact at all; do-not-knock: no door knocking; "
    "do-not-leaflet: no addressed mail.",
)
@click.option(
    "--reason",
    default="",
    help="A short category, recorded with it (no names): 'asked by letter'.",
)
@pass_state
def privacy_suppress(state: State, person: str, scope: str, reason: str) -> None:
    """Put PERSON (an elector number like LA-4/1, or a record id) on the suppression list.

    The suppression is never cleared: it follows the person into later
    editions of the register and outlives their erasure, and it travels with
    the next exchange files.
    """
    db = state.open()
    try:
        try:
            found = canvassing.find_by_number(db, person)
            elector_id, label = found.id, found.number
        except ValidationError:
            if len(person.strip()) != _ID_LENGTH:
                raise
            elector_id, label = person.strip().lower(), person.strip().lower()
        erasure.suppress(db, elector_id, scope, reason)
    finally:
        db.close()
    state.out.print(
        f"Suppressed {label}: {scope} ({SCOPES[scope]}). It travels with the next exchange "
        "files and is never cleared.",
        markup=False,
    )


@click.command("suppressions")
@click.option("--json", "as_json", is_flag=True, help="Print the list as one JSON array.")
@pass_state
def privacy_suppressions(state: State, as_json: bool) -> None:
    """The suppression list, oldest first: scope, reason, date and who, if on the register."""
    db = state.open()
    try:
        found = suppressions.list_suppressions(db)
    finally:
        db.close()
    if as_json:
        rows = [
            {
                "id": s.id,
                "scope": s.scope,
                "reason": s.reason,
                "created_at": s.created_at,
                "elector": s.elector or None,
                "on_register": s.on_register,
            }
            for s in found
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, sort_keys=True))
        return
    if not found:
        state.out.print("The suppression list is empty.")
        return
    for s in found:
        who = s.elector or "not in the current register"
        state.out.print(
            f"{s.created_at[:10]}  {s.scope:<15}  {who:<28}  {s.reason or '—'}", markup=False
        )
    noun = "suppression" if len(found) == 1 else "suppressions"
    state.out.print(f"{len(found):,} {noun}; none is ever cleared.", markup=False)


COMMANDS = (privacy_suppress, privacy_suppressions)
