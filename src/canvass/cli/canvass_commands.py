"""`canvass report` and `canvass codes`: canvassing figures and the campaign's code book."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table

from canvass.cli.progress import run_with_progress
from canvass.domain.errors import ValidationError
from canvass.services import campaigns, code_sets, polling_day, reports

if TYPE_CHECKING:
    from canvass.cli.main import State

pass_state = click.pass_obj


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def _print_figures(
    state: State, t: reports.Figures, labels: dict[str, dict[str, str]], lead: str = ""
) -> None:
    """One set of figures (live, or saved by a purge) as lines of text."""
    say = state.out.print
    say(
        f"{lead}{t.electors:,} electors at {t.doors:,} doors; {t.doors_knocked:,} doors knocked, "
        f"{t.electors_spoken_to:,} people spoken to (contact rate {100 * t.contact_rate:.1f}%), "
        f"{t.visits:,} records.",
        markup=False,
    )
    for title, counts, names in (
        ("Outcomes", t.outcomes, labels["outcomes"]),
        ("Intentions", t.intentions, labels["intentions"]),
        ("Flags", t.flags, labels["flags"]),
    ):
        if counts:
            parts = ", ".join(f"{names.get(k, k)} {v:,}" for k, v in counts.most_common())
            say(f"{title}: {parts}", markup=False)
    if t.support:
        say(
            "Support (1 strongly for … 5 strongly against): "
            + ", ".join(f"{n}: {t.support.get(n, 0):,}" for n in range(1, 6)),
            markup=False,
        )
    if t.issues:
        say("Issues: " + ", ".join(f"{k} {v:,}" for k, v in t.issues.most_common(10)), markup=False)


def _group_table(by: str | None, groups: dict[str, reports.Figures]) -> Table:
    table = Table(by or "", "Electors", "Doors knocked", "Spoken to", "Contact rate")
    for name, g in groups.items():
        table.add_row(
            name,
            f"{g.electors:,}",
            f"{g.doors_knocked:,} of {g.doors:,}",
            f"{g.electors_spoken_to:,}",
            _percent(g.electors_spoken_to, g.electors),
        )
    return table


@click.command("report")
@click.option("--by", type=click.Choice(reports.GROUPINGS), help="Split the figures.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write it as CSV (opens safely in Excel and LibreOffice).",
)
@pass_state
def report_cmd(state: State, by: str | None, as_json: bool, csv_path: Path | None) -> None:
    """How far canvassing has got: doors, contact rate, outcomes, intentions, flags.

    After a retention purge the figures it saved follow, apart from the live ones.
    """
    db = state.open()
    try:
        report = reports.build_report(db, by=by)
    finally:
        db.close()
    if csv_path is not None:
        reports.write_report_csv(report, csv_path)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, sort_keys=True))
        return
    say = state.out.print
    retained = report.retained
    # After a purge the live figures count only the records held now: say so.
    _print_figures(state, report.total, report.labels, "Records held now: " if retained else "")
    if report.groups:
        state.out.print(_group_table(by, report.groups))
    if report.by_canvasser:
        table = Table("Canvasser", "Records", "Spoke")
        for name, c in report.by_canvasser.items():
            table.add_row(name, f"{c.get('visits', 0):,}", f"{c.get('spoke', 0):,}")
        state.out.print(table)
    if retained is not None:
        # Beside the live figures, never added into them: the records behind them are gone.
        say("", markup=False)
        say(f"{retained.heading}.", markup=False)
        _print_figures(state, retained.total, report.labels)
        saved_groups = retained.groups_by(by)
        if saved_groups:
            state.out.print(_group_table(by, saved_groups))
        elif by:
            say(
                f"The purge saved figures by {' and '.join(reports.SAVED_GROUPINGS)}, not by "
                f"{by}: use --by {reports.SAVED_GROUPINGS[0]} to see them split.",
                markup=False,
            )
    if csv_path is not None:
        say(f"Wrote {csv_path}.", markup=False)


@click.group("codes")
def codes_group() -> None:
    """The campaign's doorstep codes and survey questions, as a file to share."""


@codes_group.command("export")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@pass_state
def codes_export(state: State, file: Path) -> None:
    """Write the codes and questions to FILE (JSON)."""
    db = state.open()
    try:
        code_sets.export_code_book(db, file)
    finally:
        db.close()
    state.out.print(f"Wrote {file}.", markup=False)


@codes_group.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@pass_state
def codes_import(state: State, file: Path) -> None:
    """Use the codes and questions in FILE from now on (past records keep theirs)."""
    book = code_sets.read_code_book(file)
    db = state.open()
    try:
        code_sets.save_code_book(db, book)
    finally:
        db.close()
    state.out.print(
        f"Using {len(book.outcomes)} outcomes, {len(book.intentions)} intentions, "
        f"{len(book.flags)} flags and {len(book.questions)} survey questions from {file.name}.",
        markup=False,
    )


@click.command("knock-up")
@click.option("--district", help="Polling district code.")
@click.option("--list", "walk_list", help="A walk list's name instead of a district.")
@click.option(
    "--intentions",
    default=",".join(polling_day.DEFAULT_INTENTIONS),
    show_default=True,
    help="Intention codes that count as a promise, comma-separated.",
)
@click.option(
    "--support",
    "max_support",
    type=click.IntRange(0, 5),
    default=polling_day.DEFAULT_MAX_SUPPORT,
    show_default=True,
    help="Also count support this strong or stronger (1 strongest); 0 for none.",
)
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False))
@pass_state
def knock_up_cmd(
    state: State,
    district: str | None,
    walk_list: str | None,
    intentions: str,
    max_support: int,
    out: Path,
) -> None:
    """Polling day's knock-up list: promised supporters in walking order, with tick rounds."""
    if (district is None) == (walk_list is None):
        raise ValidationError("Give either --district CODE or --list NAME.")
    codes = tuple(c.strip().upper() for c in intentions.split(",") if c.strip())
    db = state.open()
    try:
        sheet = polling_day.knock_up_sheet(
            db,
            district=district,
            walk_list=walk_list,
            intentions=codes,
            max_support=max_support or None,
        )
        result = run_with_progress(polling_day.print_knock_up(db, out, sheet), state.err)
    finally:
        db.close()
    state.out.print(
        f"Wrote {result.path}: {result.pages} pages, {result.electors:,} supporters at "
        f"{result.doors:,} doors.",
        markup=False,
    )


@click.group("campaign")
def campaign_group() -> None:
    """The campaign's own details."""


@campaign_group.command("imprint")
@click.option("--promoter", help="Who promotes the material (a person's name).")
@click.option("--on-behalf-of", "on_behalf_of", help="On whose behalf it is published.")
@click.option("--address", help="The promoter's postal address.")
@click.option("--printer", help="The printer's name and address, when a print shop prints it.")
@pass_state
def campaign_imprint_cmd(
    state: State,
    promoter: str | None,
    on_behalf_of: str | None,
    address: str | None,
    printer: str | None,
) -> None:
    """Show, or set, the imprint printed on every leaflet and sheet (required by UK law)."""
    db = state.open()
    try:
        current = campaigns.campaign_imprint(db)
        if any(v is not None for v in (promoter, on_behalf_of, address, printer)):
            campaigns.set_campaign_imprint(
                db,
                campaigns.Imprint(
                    promoter if promoter is not None else current.promoter,
                    on_behalf_of if on_behalf_of is not None else current.on_behalf_of,
                    address if address is not None else current.address,
                    printer if printer is not None else current.printer,
                ),
            )
            current = campaigns.campaign_imprint(db)
    finally:
        db.close()
    say = state.out.print
    say(f"Promoted by: {current.promoter or '(not set)'}", markup=False)
    say(f"On behalf of: {current.on_behalf_of or '(not set)'}", markup=False)
    say(f"Address: {current.address or '(not set)'}", markup=False)
    say(f"Printed by: {current.printer or '(not printed commercially)'}", markup=False)


COMMANDS = (report_cmd, codes_group, campaign_group)
PRINT_COMMANDS = (knock_up_cmd,)
