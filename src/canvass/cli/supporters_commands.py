"""`canvass supporters ...`: people who sent back a reply slip."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import click

from canvass.services import supporters

if TYPE_CHECKING:
    from canvass.cli.main import State

pass_state = click.pass_obj


@click.group("supporters")
def supporters_group() -> None:
    """Supporters from returned reply slips: type them in, list, export."""


@supporters_group.command("add")
@click.option("--name", required=True)
@click.option("--postcode", required=True)
@click.option("--address", default="", help="House and street (the postcode goes in --postcode).")
@click.option("--email", default="")
@click.option("--phone", default="")
@click.option(
    "--tick",
    "ticks",
    multiple=True,
    metavar="TEXT",
    help='What they ticked, e.g. "keep me informed" or "I can help" (repeat for more).',
)
@click.option("--source", default="", help="Which leaflet or slip it came back on, in words.")
@click.option("--leaflet", default="", metavar="NAME", help="The leaflet (its title or id).")
@click.option("--entered-by", default="", help="Who is typing it in.")
@click.option(
    "--allow-duplicate",
    is_flag=True,
    help="Add them even if someone with that name and postcode (or email) is there already.",
)
@click.option("--json", "as_json", is_flag=True)
@pass_state
def supporters_add(
    state: State,
    name: str,
    postcode: str,
    address: str,
    email: str,
    phone: str,
    ticks: tuple[str, ...],
    source: str,
    leaflet: str,
    entered_by: str,
    allow_duplicate: bool,
    as_json: bool,
) -> None:
    """Type in a returned reply slip whose consent box is ticked."""
    entry = supporters.SupporterEntry(
        name=name,
        postcode=postcode,
        address=address,
        email=email,
        phone=phone,
        ticks=ticks,
        consent=True,
        source=source,
        leaflet=leaflet,
        entered_by=entered_by,
    )
    db = state.open()
    try:
        supporter_id = supporters.add_supporter(db, entry, allow_duplicate=allow_duplicate)
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps({"id": supporter_id}))
    else:
        state.out.print(f"Added {name.strip()} ({supporter_id}).", markup=False)


@supporters_group.command("list")
@click.option("--search", default="", help="Only those matching every word (name, postcode...).")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def supporters_list(state: State, search: str, as_json: bool) -> None:
    """List supporters in the order they were typed in."""
    db = state.open()
    try:
        found = supporters.list_supporters(db, search)
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps([asdict(s) for s in found], ensure_ascii=False, sort_keys=True))
        return
    if not found:
        state.out.print(
            "No supporters match."
            if search
            else "No supporters yet; add one with "
            "canvass supporters add --name NAME --postcode POSTCODE."
        )
    for s in found:
        contact = ", ".join(p for p in (s.email, s.phone) if p)
        ticked = f" · ticked: {', '.join(s.ticks)}" if s.ticks else ""
        state.out.print(
            f"{s.name}, {', '.join(p for p in (s.address, s.postcode) if p)}"
            + (f" · {contact}" if contact else "")
            + ticked
            + f" · {s.id[:8]}",
            markup=False,
        )


@supporters_group.command("export")
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--search", default="", help="Only those matching every word.")
@pass_state
def supporters_export(state: State, out: Path, search: str) -> None:
    """Write supporters to a CSV file that opens safely in Excel and LibreOffice."""
    db = state.open()
    try:
        count = supporters.write_supporters_csv(db, out, search)
    finally:
        db.close()
    state.out.print(
        f"Wrote {out}: {count:,} supporter{'s' if count != 1 else ''}. It holds personal "
        "data: keep it safe, and delete it when it is no longer needed.",
        markup=False,
    )


COMMANDS = (supporters_group,)
