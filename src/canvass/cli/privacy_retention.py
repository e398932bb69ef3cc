"""`canvass privacy retention|purge|notice`: keeping personal data no longer than needed.

Attached to the `privacy` group by :mod:`canvass.cli.main`.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table

from canvass.cli.progress import run_with_progress
from canvass.domain.errors import ValidationError
from canvass.services import campaigns, retention

if TYPE_CHECKING:
    from canvass.cli.main import State

pass_state = click.pass_obj


def _date(text: str | None, what: str) -> dt.date | None:
    """A YYYY-MM-DD option; "none" clears it."""
    if text is None or text.strip().lower() == "none":
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            f"{what} must be a date written YYYY-MM-DD (or 'none' to clear it), not '{text}'."
        ) from None


def _show(state: State, status: retention.RetentionStatus) -> None:
    say = state.out.print
    say(status.message, markup=False)
    if status.last_purge:
        say(
            f"Last purge: {status.last_purge[:10]} (its figures are shown in reports).",
            markup=False,
        )
    table = Table("Records", "Purge", "How many", "Why", title="What a purge does now")
    for line in status.plan.lines:
        table.add_row(line.record, line.action, f"{line.count:,}", line.why)
    state.out.print(table)


@click.command("retention")
@click.option("--until", metavar="DATE", help="Keep the data until DATE (YYYY-MM-DD; 'none').")
@click.option("--polling-day", "polling_day", metavar="DATE", help="Polling day (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="Print the status as one JSON object.")
@pass_state
def privacy_retention(
    state: State, until: str | None, polling_day: str | None, as_json: bool
) -> None:
    """Show how long personal data is kept and what a purge would erase; or set the date.

    With no date of its own, the data is kept for six months after polling day.
    """
    new_until = _date(until, "--until")
    new_polling_day = _date(polling_day, "--polling-day")
    db = state.open()
    try:
        if polling_day is not None:
            campaigns.set_polling_day(db, new_polling_day)
        if until is not None:
            campaigns.set_retention_until(db, new_until)
        status = retention.retention_status(db)
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps(status.to_json(), ensure_ascii=False, sort_keys=True))
        return
    _show(state, status)


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Only show what would be erased and kept.")
@click.option("--early", is_flag=True, help="Purge before the retention date.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def privacy_purge(state: State, dry_run: bool, early: bool, yes: bool) -> None:
    """Erase the campaign's personal data once the retention date has come.

    The report figures and petition counts are saved first. The erasures
    travel in exchange files: laptops that merge the next file are purged too.
    """
    db = state.open()
    try:
        status = retention.retention_status(db)
        if dry_run:
            _show(state, status)
            return
        # Asked only when the purge would go ahead; otherwise it says why not.
        if not yes and (early or status.due) and status.plan.to_erase:
            click.confirm(
                f"Erase {status.plan.to_erase:,} records (doorstep records, signatures, "
                "supporters and register entries) for good? Reports keep their figures.",
                abort=True,
            )
        result = run_with_progress(retention.purge(db, early=early), state.err)
    finally:
        db.close()
    parts = ", ".join(f"{n:,} {entity}s" for entity, n in result.erased.items())
    state.out.print(
        f"Purged: {parts} erased ({result.records_removed:,} records in all). The figures "
        "are saved for reports; the erasures travel with the next exchange files.",
        markup=False,
    )


@click.command("notice")
@click.option(
    "--text-file",
    "text_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A UTF-8 text file holding the notice canvassers give at the door.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the notice as one JSON object.")
@pass_state
def privacy_notice(state: State, text_file: Path | None, as_json: bool) -> None:
    """Show, or set, the doorstep privacy notice; each change of wording is a new version.

    Every doorstep record keeps the version in force when it was made.
    """
    text = None
    if text_file is not None:
        try:
            text = text_file.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ValidationError(
                f"{text_file} is not UTF-8 text; save it as UTF-8 and try again."
            ) from None
        except OSError as exc:
            raise ValidationError(f"Could not read {text_file}: {exc.strerror or exc}.") from None
    db = state.open()
    try:
        if text is not None:
            notice = campaigns.set_privacy_notice(db, text)
        else:
            notice = campaigns.privacy_notice(db)
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps({"version": notice.version, "text": notice.text}, ensure_ascii=False))
        return
    if not notice.text:
        state.out.print(
            "No privacy notice is stored yet: doorstep records keep version 0 (not recorded). "
            "Set one with `canvass privacy notice --text-file FILE`.",
            markup=False,
        )
        return
    state.out.print(f"Privacy notice, version {notice.version}:", markup=False)
    state.out.print(notice.text, markup=False)


COMMANDS = (privacy_retention, privacy_purge, privacy_notice)
