"""`canvass export`, `merge`, `keys`, `devices` and `conflicts`: file-based sync from the shell."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table

from canvass.cli.progress import run_with_progress
from canvass.crypto.keys import load_identity
from canvass.crypto.passphrases import generate_passphrase, passphrase_bits
from canvass.domain.errors import ValidationError
from canvass.services import conflicts as conflict_service
from canvass.services import exchange, keys, merge_files

if TYPE_CHECKING:
    from canvass.cli.main import State

pass_state = click.pass_obj


def read_passphrase(path: Path | None) -> str | None:
    """The passphrase in the first line of a file (None without a file)."""
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"Could not read the passphrase file {path}: {exc}.") from None
    phrase = text[0].strip() if text else ""
    if not phrase:
        raise ValidationError(
            f"The passphrase file {path} is empty; its first line is the passphrase."
        )
    return phrase


_PASSPHRASE = click.option(
    "--passphrase-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="File whose first line is the campaign passphrase (for groups without keys).",
)


@click.command("export")
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="File to write, or a folder to write a named .canvass file into.",
)
@click.option(
    "--to",
    "to",
    multiple=True,
    metavar="DEVICE_OR_RECIPIENT",
    help="Device (name or id) or age recipient (age1...) to encrypt for; repeatable. "
    "Default: the campaign's coordinators.",
)
@_PASSPHRASE
@click.option("--area", help="Walk list name or district codes: an assignment of only that area.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_state
def export_cmd(
    state: State,
    out: Path,
    to: tuple[str, ...],
    passphrase_file: Path | None,
    area: str | None,
    as_json: bool,
) -> None:
    """Write an encrypted, signed exchange file of this database's changes."""
    passphrase = read_passphrase(passphrase_file)
    db = state.open()
    try:
        result = exchange.export_file(db, out, to=to, passphrase=passphrase, area=area)
    finally:
        db.close()
    if as_json:
        click.echo(
            json.dumps(
                {
                    "path": str(result.path),
                    "file_id": result.file_id,
                    "operations": result.operations,
                    "recipients": list(result.recipients),
                    "scope": result.scope,
                    "bytes": result.size,
                },
                sort_keys=True,
            )
        )
        return
    state.out.print(
        f"Wrote {result.path} ({result.operations:,} changes, {result.size / 1024:,.0f} KB, "
        f"{result.scope}); read back and verified.",
        markup=False,
    )
    state.out.print(
        "It holds personal data: delete it from the stick once it has been merged.", markup=False
    )


@click.command("merge")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@_PASSPHRASE
@click.option(
    "--identity",
    "identity_files",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="An extra age identity file (the campaign's recovery key).",
)
@click.option("--dry-run", is_flag=True, help="Report what merging would do; change nothing.")
@click.option(
    "--accept-clock",
    is_flag=True,
    help="Merge files whose sender's clock was wrong (changes dated in the future or 1970).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per file.")
@pass_state
def merge_cmd(
    state: State,
    files: tuple[Path, ...],
    passphrase_file: Path | None,
    identity_files: tuple[Path, ...],
    dry_run: bool,
    accept_clock: bool,
    as_json: bool,
) -> int:
    """Merge exchange FILES into this database; each file merges whole or not at all.

    On a new laptop the database is created by its first merge (the file brings
    the campaign); if nothing merged, the new database is removed again.
    """
    passphrase = read_passphrase(passphrase_file)
    identities = []
    for path in identity_files:
        try:
            identities.append(load_identity(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationError(f"Could not read the identity file {path}: {exc}.") from None
    db = state.open(create=True)
    try:
        reports = run_with_progress(
            merge_files.merge_files(
                db,
                list(files),
                passphrase=passphrase,
                identities=identities,
                dry_run=dry_run,
                accept_clock=accept_clock,
            ),
            state.err,
        )
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps([r.to_json() for r in reports], ensure_ascii=False, sort_keys=True))
    else:
        for r in reports:
            if r.status in ("merged", "would merge"):
                verb = "Merged" if r.status == "merged" else "Would merge"
                state.out.print(
                    f"{verb} {r.file} from {r.sender}: {r.new:,} new, {r.already_had:,} already "
                    f"had, {r.records_created:,} records added, {r.records_updated:,} updated, "
                    f"{r.conflicts:,} open conflicts, dropped {r.dropped_erased:,} (erased) and "
                    f"{r.dropped_suppressed:,} (suppressed), {r.clock_warnings:,} clock warnings"
                    + (f", {r.held:,} waiting for a record they refer to" if r.held else "")
                    + (
                        f", {r.dropped_unauthorised:,} device-registry changes a canvasser's "
                        "file may not make left out"
                        if r.dropped_unauthorised
                        else ""
                    )
                    + ".",
                    markup=False,
                )
            elif r.status == "already imported":
                state.out.print(f"{r.file}: {r.message}", markup=False)
            else:
                state.err.print(f"{r.file}: refused. {r.message}", markup=False)
        if dry_run:
            state.out.print("Dry run: nothing was changed.")
    if not any(r.status == "merged" for r in reports):
        state.remove_created()
    return 0 if all(r.ok for r in reports) else 1


@click.group("keys")
def keys_group() -> None:
    """This device's keys, enrolment file, the campaign's recovery key and passphrase."""


@keys_group.command("show")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def keys_show(state: State, as_json: bool) -> None:
    """Show this device's id, name and fingerprint (to read aloud when enrolling)."""
    db = state.open()
    try:
        me = keys.this_device(db)
    finally:
        db.close()
    if as_json:
        click.echo(
            json.dumps(
                {
                    "device_id": me.id,
                    "name": me.name,
                    "role": me.role,
                    "fingerprint": me.fingerprint,
                },
                sort_keys=True,
            )
        )
        return
    state.out.print(
        f"This device: {me.name} ({me.role})\nId: {me.id}\nFingerprint: {me.fingerprint}",
        markup=False,
    )


@keys_group.command("enrolment-file")
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False))
@pass_state
def keys_enrolment(state: State, out: Path) -> None:
    """Write this device's public enrolment file, for the coordinator (or a laptop) to enrol."""
    db = state.open()
    try:
        me = keys.write_enrolment_file(db, out)
    finally:
        db.close()
    state.out.print(
        f"Wrote {out}. When it is enrolled, read this fingerprint aloud: {me.fingerprint}",
        markup=False,
    )


@keys_group.command("rename")
@click.argument("name")
@pass_state
def keys_rename(state: State, name: str) -> None:
    """Name this device as others will see it (e.g. "Ada's laptop"); the name travels."""
    db = state.open()
    try:
        me = keys.rename_this_device(db, name)
    finally:
        db.close()
    state.out.print(f"This device is now called '{me.name}'.", markup=False)


@keys_group.command("recovery")
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to save the secret recovery key (then keep it offline).",
)
@click.option("--replace", is_flag=True, help="Replace the campaign's existing recovery key.")
@pass_state
def keys_recovery(state: State, out: Path, replace: bool) -> None:
    """Make the campaign's recovery key; every later export is also encrypted to it."""
    db = state.open()
    try:
        recipient = keys.create_recovery_key(db, out, replace=replace)
    finally:
        db.close()
    state.out.print(
        f"Saved the recovery key to {out}. Print it or move it to offline storage for the data "
        f"controller, then delete it from this computer. Public key: {recipient}",
        markup=False,
    )


@keys_group.command("passphrase")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also save it to this file (for --passphrase-file).",
)
def keys_passphrase(out: Path | None) -> None:
    """Generate a passphrase for a group that exchanges files without keys."""
    phrase = generate_passphrase()
    if out is not None:
        if out.exists():
            raise ValidationError(f"{out} exists already; choose a new file.")
        out.write_text(phrase + "\n", encoding="utf-8")
        out.chmod(0o600)
    click.echo(phrase)
    click.echo(
        f"({passphrase_bits():.0f} bits; give it to each canvasser in person, not by email.)",
        err=True,
    )


@click.group("devices")
def devices_group() -> None:
    """The laptops of the campaign: list, enrol, revoke."""


@devices_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def devices_list(state: State, as_json: bool) -> None:
    """List the devices this database knows."""
    db = state.open()
    try:
        devices = keys.list_devices(db)
    finally:
        db.close()
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "id": d.id,
                        "name": d.name,
                        "role": d.role,
                        "status": d.status,
                        "fingerprint": d.fingerprint,
                    }
                    for d in devices
                ],
                sort_keys=True,
            )
        )
        return
    table = Table("Name", "Role", "Status", "Fingerprint", "Id")
    for d in devices:
        table.add_row(d.name, d.role, d.status, d.fingerprint, d.id)
    state.out.print(table)


@devices_group.command("enrol")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--role",
    type=click.Choice(["coordinator", "canvasser"]),
    help="Override the role the device declares.",
)
@click.option("--yes", is_flag=True, help="Do not ask; the fingerprint was compared already.")
@pass_state
def devices_enrol(state: State, file: Path, role: str | None, yes: bool) -> None:
    """Enrol the device whose enrolment FILE this is, after comparing fingerprints."""
    enrolment = keys.read_enrolment_file(file)
    state.out.print(
        f"Device '{enrolment.name}' ({enrolment.role or 'canvasser'})"
        + (f" of campaign '{enrolment.campaign_name}'" if enrolment.campaign_name else "")
        + f"\nFingerprint: {enrolment.fingerprint}",
        markup=False,
    )
    if not yes:
        click.confirm("Does the device show the same fingerprint?", abort=True)
    db = state.open()
    try:
        info = keys.enrol(db, enrolment, role=role)
    finally:
        db.close()
    state.out.print(f"Enrolled '{info.name}' as {info.role}.", markup=False)


@devices_group.command("revoke")
@click.argument("device")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def devices_revoke(state: State, device: str, yes: bool) -> None:
    """Revoke DEVICE (name or id): its files are refused from now on, on every laptop."""
    if not yes:
        click.confirm(f"Revoke '{device}'? This cannot be undone.", abort=True)
    db = state.open()
    try:
        info = keys.revoke(db, device)
    finally:
        db.close()
    state.out.print(f"Revoked '{info.name}'.", markup=False)


@click.command("join")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask; the fingerprint was compared already.")
@pass_state
def join_cmd(state: State, file: Path, yes: bool) -> None:
    """Set this laptop up for a campaign: enrol its coordinator from their enrolment FILE.

    Then send the coordinator this laptop's own enrolment file
    (`canvass keys enrolment-file`) and merge the assignment file they send back.
    """
    enrolment = keys.read_enrolment_file(file)
    state.out.print(
        f"Coordinator '{enrolment.name}' of campaign '{enrolment.campaign_name or '?'}'"
        f"\nFingerprint: {enrolment.fingerprint}",
        markup=False,
    )
    if not yes:
        click.confirm("Does the coordinator's screen show the same fingerprint?", abort=True)
    db = state.open(create=True)
    try:
        info = keys.enrol(db, enrolment, role="coordinator")
        me = keys.this_device(db)
    finally:
        db.close()
    state.out.print(
        f"Joined: '{info.name}' is enrolled as this laptop's coordinator. This laptop's "
        f"fingerprint is {me.fingerprint}; write its enrolment file with "
        "`canvass keys enrolment-file --out FILE` and give it to the coordinator.",
        markup=False,
    )


@click.group("conflicts")
def conflicts_group() -> None:
    """Edits that did not see each other, waiting for a person to choose."""


@conflicts_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def conflicts_list(state: State, as_json: bool) -> None:
    """List open conflicts with every competing value."""
    db = state.open()
    try:
        items = conflict_service.list_conflicts(db)
    finally:
        db.close()
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "id": c.id,
                        "record": c.record,
                        "entity": c.entity,
                        "entity_id": c.entity_id,
                        "field": c.field,
                        "shown": c.shown,
                        "candidates": [
                            {"op_id": x.op_id, "value": x.value, "device": x.device, "at": x.at}
                            for x in c.candidates
                        ],
                    }
                    for c in items
                ],
                ensure_ascii=False,
                sort_keys=True,
            )
        )
        return
    if not items:
        state.out.print("No conflicts.")
    for c in items:
        state.out.print(f"#{c.id} {c.record}: {c.field}", markup=False)
        for n, x in enumerate(c.candidates, start=1):
            state.out.print(f"   {n}. {x.value!r}  ({x.device}, {x.at})", markup=False)


@conflicts_group.command("resolve")
@click.argument("conflict_id", type=int)
@click.option("--pick", type=int, help="Keep candidate N (as numbered by conflicts list).")
@click.option("--value", "value_json", help="A new value, as JSON (e.g. '\"Testington\"').")
@pass_state
def conflicts_resolve(
    state: State, conflict_id: int, pick: int | None, value_json: str | None
) -> None:
    """Settle conflict CONFLICT_ID; the resolution travels to every laptop."""
    if (pick is None) == (value_json is None):
        raise ValidationError("Give either --pick N or --value JSON.")
    db = state.open()
    try:
        if pick is not None:
            found = [c for c in conflict_service.list_conflicts(db) if c.id == conflict_id]
            if not found:
                raise ValidationError(f"There is no open conflict #{conflict_id}.")
            if not 1 <= pick <= len(found[0].candidates):
                raise ValidationError(f"Pick a number from 1 to {len(found[0].candidates)}.")
            value = found[0].candidates[pick - 1].value
        else:
            try:
                value = json.loads(value_json or "")
            except ValueError:
                raise ValidationError("--value must be JSON, e.g. '\"text\"' or 3.") from None
        conflict_service.resolve_conflict(db, conflict_id, value)
    finally:
        db.close()
    state.out.print(f"Resolved conflict #{conflict_id}.")


COMMANDS = (export_cmd, merge_cmd, join_cmd, keys_group, devices_group, conflicts_group)
