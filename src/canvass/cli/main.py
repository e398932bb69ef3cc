"""`canvass` commands. Each one opens the database, calls a service, prints the result."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from canvass import __version__
from canvass.cli import (
    bundle_commands,
    canvass_commands,
    db_commands,
    leaflet_commands,
    petition_commands,
    privacy_commands,
    rounds_commands,
    supporters_commands,
    sync_commands,
)
from canvass.cli.db_commands import PASSPHRASE_FILE, read_passphrase_file
from canvass.cli.progress import run_with_progress
from canvass.domain.errors import CanvassError, DatabaseError, ValidationError
from canvass.paths import Paths
from canvass.services import campaigns, demo, info
from canvass.services.databases import is_encrypted, open_db
from canvass.services.printing import print_walk_sheets
from canvass.services.register import import_register
from canvass.services.walk_lists import create_walk_list, parse_numbers, walk_lists
from canvass.storage.database import Database
from canvass.storage.target import parse_target

#: Starts the desktop app: ``(db_text, paths)``, plus ``passphrase=`` when one was given.
GuiLauncher = Callable[..., int]


@dataclass
class State:
    """What every command needs: the ``--db`` value, the passphrase file and the user's folders."""

    db_text: str | None
    paths: Paths
    launch_gui: GuiLauncher
    out: Console
    err: Console
    #: ``--passphrase-file``: unlocks an encrypted database, or encrypts a new one.
    passphrase_file: Path | None = None

    #: SQLite files this command created; removed again if the command fails,
    #: so bad input leaves nothing behind.
    created: list[Path] = field(default_factory=list)

    def passphrase(self) -> str | None:
        """The passphrase from ``--passphrase-file``, or None when none was given."""
        if self.passphrase_file is None:
            return None
        return read_passphrase_file(self.passphrase_file)

    def database_text(self, *, create: bool = False) -> str:
        """The ``--db`` value, or the default database in the data folder."""
        if self.db_text is not None:
            return self.db_text
        default = self.paths.default_database
        if create:
            self.paths.ensure()
        elif not default.exists():
            raise DatabaseError(
                f"There is no canvass database yet (looked for {default}). Start one with "
                "`canvass init --campaign NAME`, or give one with --db."
            )
        return str(default)

    def open(
        self, *, create: bool = False, encrypted: bool = False, unlock: bool = True
    ) -> Database:
        """Open the chosen database (the default one in the data folder if no --db).

        Args:
            create: Create it if it does not exist yet; with a passphrase, encrypted.
            encrypted: A new database must be encrypted: refuse if no passphrase was given.
            unlock: Use the passphrase (False to open a plain database whatever was given).
        """
        text = self.database_text(create=create)
        target = parse_target(text)
        is_new = target.path is not None and not target.path.exists()
        passphrase = self.passphrase() if unlock else None
        if encrypted and passphrase is None:
            raise ValidationError(
                "--encrypted needs the passphrase: give it with --passphrase-file FILE "
                "(before the command, e.g. `canvass --passphrase-file FILE init ...`)."
            )
        if encrypted and not is_new:
            raise ValidationError(
                f"{target.display} exists already; --encrypted is for a new database. "
                "To encrypt an existing one, use `canvass db encrypt`."
            )
        db = open_db(text, create=create, passphrase=passphrase)
        if is_new and target.path is not None:
            self.created.append(target.path)
        return db

    def remove_created(self) -> None:
        """Delete the databases this command created (after it failed)."""
        for path in self.created:
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)


pass_state = click.make_pass_decorator(State)


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True)
@click.option(
    "--db",
    "db_text",
    metavar="PATH_OR_URL",
    envvar="CANVASS_DB",
    help="Database: a SQLite file or postgresql+psycopg://user@host/name. "
    "Default: canvass.db in your data folder.",
)
@click.option(
    "--passphrase-file",
    type=PASSPHRASE_FILE,
    envvar="CANVASS_DB_PASSPHRASE_FILE",
    help="A file whose first line is the passphrase of an encrypted database "
    "(- reads it from standard input). A database created with it is encrypted.",
)
@click.version_option(__version__, "-V", "--version", prog_name="canvass")
@click.pass_context
def cli(ctx: click.Context, db_text: str | None, passphrase_file: Path | None) -> None:
    """Canvass doorsteps, collect petition signatures and print campaign material, offline.

    With no command, opens the desktop application.
    """
    ctx.obj.db_text = db_text
    ctx.obj.passphrase_file = passphrase_file
    if ctx.invoked_subcommand is None:
        ctx.invoke(gui)


@cli.command()
@click.option("--campaign", "name", required=True, help="The campaign's name.")
@click.option("--organisation", default="", help="The group running it.")
@click.option(
    "--encrypted",
    is_flag=True,
    help="Encrypt the new database with the passphrase from --passphrase-file.",
)
@pass_state
def init(state: State, name: str, organisation: str, encrypted: bool) -> None:
    """Create a database for a new campaign."""
    db = state.open(create=True, encrypted=encrypted)
    try:
        made = campaigns.create_campaign(db, name, organisation)
        details = info.database_info(db, with_digest=False)
    finally:
        db.close()
    state.out.print(f"Created the campaign “{made.name}” in {details.database}")
    state.out.print(f"This computer is device {details.device_id} ({details.device_name}).")


@cli.command("demo")
@click.option(
    "--electors",
    default=5000,
    show_default=True,
    type=int,
    help="How many synthetic electors to create.",
)
@click.option("--seed", default=7, show_default=True, type=int, help="Same seed, same data.")
@click.option(
    "--encrypted",
    is_flag=True,
    help="Encrypt the new database with the passphrase from --passphrase-file.",
)
@pass_state
def demo_cmd(state: State, electors: int, seed: int, encrypted: bool) -> None:
    """Create a synthetic demo campaign in a new (or empty) database."""
    db = state.open(create=True, encrypted=encrypted)
    try:
        summary = run_with_progress(demo.create_demo(db, electors, seed), state.err)
    finally:
        db.close()
    state.out.print(
        f"Demo campaign ready in {db.target.display}: {summary.electors:,} electors in "
        f"{summary.households:,} households, {summary.visits:,} visits, "
        f"{summary.signatures:,} petition signatures ({summary.operations:,} changes recorded)."
    )


@cli.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_state
def info_cmd(state: State, as_json: bool) -> None:
    """Show what a database holds."""
    db = state.open()
    try:
        details = info.database_info(db)
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps(details.to_json(), ensure_ascii=False, sort_keys=True))
        return
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(no_wrap=True)
    # Fold, never truncate: people compare digests between databases by eye.
    table.add_column(overflow="fold")
    engine = f"{details.engine}, encrypted" if db.encrypted else details.engine
    rows: list[tuple[str, Any]] = [
        ("Campaign", details.campaign or "(none yet: run init)"),
        ("Database", f"{details.database} ({engine})"),
        ("Schema", f"{details.schema_version} ({details.schema_revision})"),
        ("This device", f"{details.device_name} ({details.device_id})"),
    ]
    rows += [(name.replace("_", " ").capitalize(), f"{n:,}") for name, n in details.counts.items()]
    rows.append(("State digest", details.state_digest))
    for label, value in rows:
        table.add_row(f"[bold]{label}[/]", str(value))
    state.out.print(table)


@cli.group()
def register() -> None:
    """The electoral register: import a council's file, or a later edition of it."""


@register.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--mapping",
    type=click.Path(path_type=Path, dir_okay=False),
    help="JSON file naming the column for each field, for layouts canvass does not recognise.",
)
@click.option("--edition", help="A label for this edition, e.g. '2026-12'. Default: file name.")
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option(
    "--confirm-removals",
    is_flag=True,
    help="Take electors missing from the file off the register even when many are missing "
    "(otherwise held, in case the file holds only a month's changes).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@pass_state
def register_import(
    state: State,
    file: Path,
    mapping: Path | None,
    edition: str | None,
    dry_run: bool,
    as_json: bool,
    confirm_removals: bool,
) -> None:
    """Import FILE (CSV or tab-separated) into the campaign."""
    db = state.open()
    try:
        report = run_with_progress(
            import_register(
                db,
                file,
                mapping=mapping,
                edition=edition,
                dry_run=dry_run,
                confirm_removals=confirm_removals,
            ),
            state.err,
        )
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, sort_keys=True))
        return
    verb = "Would import" if dry_run else "Imported"
    say = state.out.print
    say(
        f"{verb} {_n(report.electors, 'elector')} in {_n(report.households, 'household')}, "
        f"{_n(report.streets, 'street')} and {_n(report.polling_districts, 'polling district')} "
        f"({report.without_address:,} without an address) from {file.name}.",
        markup=False,
    )
    say(f"Layout: {report.layout}; encoding {report.encoding}.", markup=False)
    if not report.first_import:
        say(
            f"Compared with the register already held: {report.added:,} added, "
            f"{report.changed:,} changed, {report.removed:,} off the register, "
            f"{report.unchanged:,} unchanged.",
            markup=False,
        )
    if report.held_removals:
        say(f"Held: {report.held_removals}", markup=False)
    if suppressions := report.suppression_words():
        say(suppressions, markup=False)
    if report.rejected:
        say(f"{_n(len(report.rejected), 'row')} could not be read:", markup=False)
        for row in report.rejected[:20]:
            say(f"  line {row['line']}: {row['reason']}", markup=False)
        if len(report.rejected) > 20:
            say(f"  ... and {len(report.rejected) - 20:,} more (see --json).", markup=False)
    if dry_run:
        say("Dry run: nothing was written.")


def _n(count: int, noun: str) -> str:
    """A count with its noun: 1 street, 2 streets."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


@cli.group("print")
def print_group() -> None:
    """Print documents as PDF files: walk sheets (more to come)."""


@print_group.command("walk-sheets")
@click.option(
    "--district",
    "districts",
    multiple=True,
    metavar="PD",
    help="A polling district to print (repeat for more). Default: all of them.",
)
@click.option("--list", "list_name", metavar="NAME", help="Print one walk list.")
@click.option("--sides", is_flag=True, help="Group each street's odd and even numbers.")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The PDF file to write.",
)
@pass_state
def print_walk_sheets_cmd(
    state: State, districts: tuple[str, ...], list_name: str | None, sides: bool, out: Path
) -> None:
    """Walk sheets: streets in walking order, a row per elector, boxes for the codes."""
    db = state.open()
    try:
        report = run_with_progress(
            print_walk_sheets(db, out, list(districts), by_side=sides, walk_list=list_name),
            state.err,
        )
    finally:
        db.close()
    left_out = ", ".join(f"{n:,} {why}" for why, n in report.excluded.items() if n)
    state.out.print(
        f"Wrote {out} ({_n(report.pages, 'page')}): {_n(report.streets, 'street')}, "
        f"{_n(report.doors, 'door')}, {_n(report.electors, 'elector')}"
        + (f"; not listed: {left_out}." if left_out else "."),
        markup=False,
    )


@cli.group("walk-list")
def walk_list_group() -> None:
    """Walk lists: named parts of the area, assigned to canvassers."""


@walk_list_group.command("create")
@click.argument("name")
@click.option(
    "--district",
    "districts",
    multiple=True,
    metavar="PD",
    help="A polling district to include (repeat for more).",
)
@click.option(
    "--street",
    "streets",
    multiple=True,
    metavar="NAME",
    help="A street to include (repeat for more).",
)
@click.option("--numbers", metavar="FROM-TO", help="Only these house numbers, e.g. 2-40.")
@click.option("--canvasser", default="", help="Who will walk it.")
@pass_state
def walk_list_create(
    state: State,
    name: str,
    districts: tuple[str, ...],
    streets: tuple[str, ...],
    numbers: str | None,
    canvasser: str,
) -> None:
    """Save a walk list called NAME."""
    db = state.open()
    try:
        made = create_walk_list(
            db,
            name,
            districts=districts,
            streets=streets,
            numbers=parse_numbers(numbers),
            canvasser=canvasser,
        )
    finally:
        db.close()
    who = f", for {made.canvasser}" if made.canvasser else ""
    state.out.print(
        f"Saved the walk list “{made.name}”{who}: {_n(made.doors, 'door')}, "
        f"{_n(made.electors, 'elector')}.",
        markup=False,
    )


@walk_list_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def walk_list_list(state: State, as_json: bool) -> None:
    """Show the saved walk lists."""
    db = state.open()
    try:
        lists = walk_lists(db)
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps([asdict(w) for w in lists], ensure_ascii=False))
        return
    if not lists:
        state.out.print("No walk lists yet; create one with canvass walk-list create NAME.")
    for w in lists:
        where = ", ".join([*w.districts, *w.streets]) + (
            f" (numbers {w.numbers[0]}-{w.numbers[1]})" if w.numbers else ""
        )
        state.out.print(
            f"{w.name}: {where}; {_n(w.doors, 'door')}, {_n(w.electors, 'elector')}"
            + (f"; canvasser {w.canvasser}" if w.canvasser else ""),
            markup=False,
        )


@cli.command()
@pass_state
def gui(state: State) -> None:
    """Open the desktop application."""
    passphrase = state.passphrase()
    text = state.database_text(create=state.db_text is None)
    if passphrase is None and is_encrypted(text):
        pass  # the desktop app asks for the passphrase itself
    else:
        # Check the database here, so a bad --db fails fast without loading Qt.
        state.open(create=state.db_text is None).close()
    if passphrase is None:
        code = state.launch_gui(state.db_text, state.paths)
    else:
        code = state.launch_gui(state.db_text, state.paths, passphrase=passphrase)
    if code:
        raise SystemExit(code)


for _command in (
    *sync_commands.COMMANDS,
    *canvass_commands.COMMANDS,
    *petition_commands.COMMANDS,
    *bundle_commands.COMMANDS,
    *leaflet_commands.COMMANDS,
    *rounds_commands.COMMANDS,
    *supporters_commands.COMMANDS,
    *privacy_commands.COMMANDS,
    *db_commands.COMMANDS,
):
    cli.add_command(_command)
for _command in (
    *canvass_commands.PRINT_COMMANDS,
    *bundle_commands.PRINT_COMMANDS,
    *rounds_commands.PRINT_COMMANDS,
):
    print_group.add_command(_command)
for _command in bundle_commands.PETITION_COMMANDS:
    petition_commands.petition_group.add_command(_command)


def run(argv: Sequence[str] | None, *, paths: Paths, launch_gui: GuiLauncher) -> int:
    """Run the command line; returns the process exit code.

    Every :class:`CanvassError` becomes one line on stderr and exit code 1.
    """
    # soft_wrap: long paths and digests stay on one line when output is piped or parsed.
    # emoji=False: rich would turn ":ab:" in a hex fingerprint into an emoji.
    err = Console(stderr=True, soft_wrap=True, highlight=False, emoji=False)
    out = Console(soft_wrap=True, highlight=False, emoji=False)
    state = State(None, paths, launch_gui, out, err)
    try:
        result = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="canvass",
            obj=state,
            standalone_mode=False,
        )
    except CanvassError as exc:
        state.remove_created()
        click.echo(f"canvass: {exc}", err=True)
        return 1
    except click.exceptions.Abort:
        state.remove_created()
        click.echo("canvass: cancelled.", err=True)
        return 130
    except click.ClickException as exc:
        state.remove_created()
        exc.show()
        return exc.exit_code
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    return result if isinstance(result, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run(None, paths=Paths.for_user(), launch_gui=lambda _db, _p: 1))
