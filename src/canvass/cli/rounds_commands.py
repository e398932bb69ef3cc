"""`canvass print rounds` and `canvass rounds ...`: leaflet delivery rounds."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from canvass.domain.errors import ValidationError
from canvass.services import rounds

if TYPE_CHECKING:
    from canvass.cli.main import State

pass_state = click.pass_obj


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"'{text}' is not a date; write it as YYYY-MM-DD.") from None


@click.command("rounds")
@click.option("--district", required=True, metavar="PD", help="The polling district to split.")
@click.option(
    "--size",
    type=int,
    default=150,
    show_default=True,
    help="About how many letterboxes a round should have.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The PDF file to write.",
)
@click.option("--save", is_flag=True, help="Also record the rounds, to mark them delivered later.")
@click.option("--leaflet", metavar="NAME", help="The leaflet being delivered (its title or id).")
@pass_state
def print_rounds_cmd(
    state: State, district: str, size: int, out: Path, save: bool, leaflet: str | None
) -> None:
    """Delivery rounds: a district's streets in rounds of about --size letterboxes."""
    db = state.open()
    try:
        planned = rounds.plan_rounds(db, district, size)
        if not planned:
            raise ValidationError(
                f"District {district.upper()} has no letterboxes to deliver to (nobody on the "
                "register who may get leaflets)."
            )
        if save:
            planned = rounds.save_rounds(db, leaflet, planned)
        elif leaflet:
            planned = rounds.for_leaflet(db, leaflet, planned)
        report = rounds.print_rounds(db, out, planned)
    finally:
        db.close()
    sizes = [r.letterboxes for r in planned]
    left_out = report.excluded.get("asked for no leaflets", 0)
    spread = f"{min(sizes):,}" if min(sizes) == max(sizes) else f"{min(sizes):,} to {max(sizes):,}"
    state.out.print(
        f"Wrote {out} ({_n(report.pages, 'page')}): {_n(len(planned), 'round')} of "
        f"{spread} letterboxes, {report.doors:,} in all"
        + (f"; {_n(left_out, 'door')} left out (no leaflets)" if left_out else "")
        + "."
        + (" Saved: mark them with canvass rounds delivered ROUND_ID." if save else ""),
        markup=False,
    )


@click.group("rounds")
def rounds_group() -> None:
    """Leaflet delivery rounds: list the saved ones, mark them delivered."""


def _as_json(r: rounds.Round) -> dict[str, Any]:
    return {
        "id": r.id,
        "name": r.name,
        "district": r.district,
        "leaflet": r.leaflet,
        "letterboxes": r.letterboxes,
        "streets": [{**s.to_value(), "houses": s.houses} for s in r.streets],
        "delivered_on": r.delivered_on.isoformat() if r.delivered_on else None,
        "delivered_by": r.delivered_by,
    }


@rounds_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def rounds_list(state: State, as_json: bool) -> None:
    """Show the saved rounds and whether each was delivered."""
    db = state.open()
    try:
        found = rounds.list_rounds(db)
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps([_as_json(r) for r in found], ensure_ascii=False, sort_keys=True))
        return
    if not found:
        state.out.print(
            "No delivery rounds saved yet; plan them with canvass print rounds --district PD "
            "--save."
        )
    for r in found:
        streets = ", ".join(dict.fromkeys(s.street for s in r.streets))
        done = (
            f"delivered {r.delivered_on.isoformat()}"
            + (f" by {r.delivered_by}" if r.delivered_by else "")
            if r.delivered_on
            else "not delivered yet"
        )
        leaflet = f" · {r.leaflet}" if r.leaflet else ""
        state.out.print(
            f"{r.id[:8]}  {r.name}{leaflet}: {_n(r.letterboxes, 'letterbox')} ({streets}); {done}",
            markup=False,
        )


@rounds_group.command("delivered")
@click.argument("round_id")
@click.option("--on", "on", metavar="YYYY-MM-DD", help="The day it was delivered (default today).")
@click.option("--by", "by", default="", help="Who delivered it.")
@pass_state
def rounds_delivered(state: State, round_id: str, on: str | None, by: str) -> None:
    """Mark the round ROUND_ID (its id, the first 8 characters of it, or its name) delivered."""
    db = state.open()
    try:
        done = rounds.mark_delivered(db, round_id, _date(on), by=by)
    finally:
        db.close()
    assert done.delivered_on is not None
    state.out.print(
        f"{done.name}: delivered on {done.delivered_on.isoformat()}"
        + (f" by {done.delivered_by}" if done.delivered_by else "")
        + ".",
        markup=False,
    )


COMMANDS = (rounds_group,)
PRINT_COMMANDS = (print_rounds_cmd,)
