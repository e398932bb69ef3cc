"""`canvass audit` and `canvass privacy erase`: accountability and erasure from the shell."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from canvass.cli import privacy_retention, privacy_suppress
from canvass.cli.privacy_export import privacy_export
from canvass.domain.errors import ValidationError
from canvass.services import audit_log, canvassing, erasure

if TYPE_CHECKING:
    from canvass.cli.main import State

pass_state = click.pass_obj


@click.group("audit")
def audit_group() -> None:
    """The audit trail of imports, exports, merges, erasures and enrolments."""


@audit_group.command("verify")
@pass_state
def audit_verify(state: State) -> int:
    """Check that no audit entry was changed, removed or inserted since it was written."""
    db = state.open()
    try:
        check = audit_log.verify_chain(db)
    finally:
        db.close()
    if check.ok:
        state.out.print(
            f"The audit trail holds: {check.entries:,} entries, each chained to the last: none "
            "was changed, and none removed or inserted among them. (Newest entries cut off the "
            "end leave no mark in the trail itself: keep copies of `audit list` elsewhere.)"
        )
        return 0
    state.err.print(
        f"The audit trail is broken at entry {check.broken_at}: {check.reason}.", markup=False
    )
    return 1


@audit_group.command("list")
@click.option("--limit", type=int, default=50, show_default=True)
@pass_state
def audit_list(state: State, limit: int) -> None:
    """The latest audit entries, newest first."""
    db = state.open()
    try:
        found = audit_log.entries(db, limit=limit)
    finally:
        db.close()
    if not found:
        state.out.print("The audit trail is empty.")
    for e in found:
        state.out.print(
            f"{e.id:>5}  {e.at}  {e.actor:<12}  {e.action:<16}  {e.detail}", markup=False
        )


@click.group("privacy")
def privacy_group() -> None:
    """Data-protection duties: subject access, erasure, suppression, retention."""


@privacy_group.command("erase")
@click.argument("person")
@click.option(
    "--reason", type=click.Choice(erasure.REASON_CODES), required=True, help="Why (recorded)."
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def privacy_erase(state: State, person: str, reason: str, yes: bool) -> None:
    """Erase PERSON (an elector number like LA-4/1, or a record id) everywhere, for good.

    Their register entry, doorstep records and signatures are removed; a
    tombstone without personal data travels in exchange files so no other
    laptop, and no old file, brings them back.
    """
    db = state.open()
    try:
        try:
            found = canvassing.find_by_number(db, person)
            entity, entity_id, label = "elector", found.id, f"{found.number} {found.name}"
        except ValidationError:
            if len(person) != 36:
                raise
            entity, entity_id, label = "elector", person.lower(), person
        if not yes:
            click.confirm(
                f"Erase {label} and everything recorded about them? This cannot be undone.",
                abort=True,
            )
        applied = erasure.erase(db, entity, entity_id, reason)
    finally:
        db.close()
    state.out.print(
        f"Erased {label}: {applied.erased_records:,} records removed; the erasure travels "
        "with the next exchange files.",
        markup=False,
    )


for _command in (privacy_export, *privacy_suppress.COMMANDS, *privacy_retention.COMMANDS):
    privacy_group.add_command(_command)

COMMANDS = (audit_group, privacy_group)
