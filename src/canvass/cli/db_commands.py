"""`canvass db encrypt`, and reading passphrases from files for every command.

A passphrase is never an argument on the command line: other users of the
computer can read a process's arguments, and the shell keeps a history. It
comes from a file (or standard input) named by ``--passphrase-file``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from canvass.domain.errors import DatabaseError, ValidationError
from canvass.services.databases import encrypt_database, is_encrypted
from canvass.storage.target import parse_target

if TYPE_CHECKING:
    from canvass.cli.main import State

pass_state = click.pass_obj

#: The type of every ``--passphrase-file`` option.
PASSPHRASE_FILE = click.Path(path_type=Path, dir_okay=False, allow_dash=True)


def read_passphrase_file(path: Path) -> str:
    """The passphrase in ``path``: its first line (``-`` reads standard input).

    Only the first line counts, so the newline an editor or ``echo`` adds is
    not taken for part of the passphrase.

    Raises:
        ValidationError: If the file cannot be read or its first line is empty.
    """
    try:
        raw = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ValidationError(
            f"Cannot read the passphrase file {path}: {reason}. Give a text file whose "
            "first line is the passphrase."
        ) from exc
    lines = raw.splitlines()
    if not lines or not lines[0]:
        raise ValidationError(
            f"The passphrase file {path} is empty: its first line must be the passphrase."
        )
    return lines[0]


@click.group("db")
def db_group() -> None:
    """The database file itself: encrypting it with a passphrase."""


@db_group.command("encrypt")
@click.option(
    "--passphrase-file",
    "new_passphrase_file",
    type=PASSPHRASE_FILE,
    help="A file whose first line is the new passphrase (- reads standard input). "
    "Default: the global --passphrase-file.",
)
@pass_state
def db_encrypt(state: State, new_passphrase_file: Path | None) -> None:
    """Encrypt a plain SQLite database in place, with a passphrase.

    The encrypted copy is made beside it and checked table by table before it
    replaces the original; if anything fails, the original stays as it was.
    Close the desktop app and other canvass commands using the database first.
    """
    source = new_passphrase_file or state.passphrase_file
    if source is None:
        raise click.UsageError("Give the new passphrase with --passphrase-file FILE.")
    passphrase = read_passphrase_file(source)
    text = state.database_text()
    if is_encrypted(text):
        raise DatabaseError(f"{parse_target(text).display} is already encrypted.")
    db = state.open(unlock=False)
    encrypted, report = encrypt_database(db, passphrase)
    encrypted.close()
    say = state.out.print
    say(
        f"Encrypted {encrypted.target.display}: {report.tables:,} tables and "
        f"{report.rows:,} rows copied and checked; the plain file is gone.",
        markup=False,
    )
    say(
        "From now on give the passphrase with --passphrase-file (or "
        "CANVASS_DB_PASSPHRASE_FILE); the desktop app asks for it. Keep it safe: "
        "without it nobody can read the database.",
        markup=False,
    )
    if report.plain_backups:
        say(
            f"Not encrypted: older backups beside it ({', '.join(report.plain_backups)}). "
            "Delete them, or keep them somewhere as safe as the passphrase.",
            markup=False,
        )


COMMANDS = (db_group,)
