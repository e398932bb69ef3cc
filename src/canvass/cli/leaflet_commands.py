"""`canvass leaflet ...`: render, save, list and export leaflet designs."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import click

from canvass.services import leaflets, mail_merge

if TYPE_CHECKING:
    from canvass.cli.main import State

pass_state = click.pass_obj


@click.group("leaflet")
def leaflet_group() -> None:
    """Leaflets, letters and posters: print-ready PDFs from a small TOML file."""


@leaflet_group.command("render")
@click.argument("spec_file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="The PDF to write, or a folder (the file is then named for its contents).",
)
@click.option(
    "--n-up",
    type=int,
    default=1,
    show_default=True,
    help="Copies per A4 sheet, to cut apart: 2 for A5, 3 for DL.",
)
@click.option("--bleed", is_flag=True, help="3 mm bleed and crop marks, for a print shop.")
@click.option("--cmyk", is_flag=True, help="Colours in CMYK, for print shops that ask.")
@click.option(
    "--merge-list",
    metavar="NAME",
    help="A letter for every household of this walk list, in walking order.",
)
@click.option("--json", "as_json", is_flag=True)
@pass_state
def leaflet_render(
    state: State,
    spec_file: Path,
    out: Path,
    n_up: int,
    bleed: bool,
    cmyk: bool,
    merge_list: str | None,
    as_json: bool,
) -> None:
    """Render SPEC_FILE (.toml or .json) to a PDF."""
    spec = leaflets.import_spec(spec_file)
    db = state.open()
    try:
        if merge_list:  # audited once written, under the file's final name
            report = mail_merge.print_letters(
                db, spec, out, merge_list, n_up=n_up, bleed=bleed, cmyk=cmyk
            )[0]
        else:
            report = leaflets.render(db, spec, out, n_up=n_up, bleed=bleed, cmyk=cmyk)
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps(asdict(report), ensure_ascii=False))
        return
    width, height = report.size_mm
    state.out.print(
        f"Wrote {report.path}: {report.pages} page{'s' if report.pages != 1 else ''}, "
        f"{width:g} × {height:g} mm.",
        markup=False,
    )
    if report.advice:
        state.out.print(report.advice, markup=False)
    for warning in report.warnings:
        state.err.print(f"Warning: {warning}", markup=False)


@leaflet_group.command("save")
@click.argument("spec_file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--json", "as_json", is_flag=True)
@pass_state
def leaflet_save(state: State, spec_file: Path, as_json: bool) -> None:
    """Save the design in SPEC_FILE in the database (it travels with exchange files)."""
    spec = leaflets.import_spec(spec_file)
    db = state.open()
    try:
        leaflet_id = leaflets.save_leaflet(db, spec)
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps({"id": leaflet_id, "title": spec.title}, ensure_ascii=False))
    else:
        state.out.print(f"Saved the leaflet '{spec.title}' ({leaflet_id}).", markup=False)


@leaflet_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def leaflet_list(state: State, as_json: bool) -> None:
    """List the saved leaflet designs."""
    db = state.open()
    try:
        found = leaflets.list_leaflets(db)
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps([asdict(f) for f in found], ensure_ascii=False))
        return
    if not found:
        state.out.print("No leaflets saved yet; save one with canvass leaflet save SPEC_FILE.")
    for f in found:
        kind = "election material" if f.election_material else "community material"
        state.out.print(f"{f.title} · {f.template} · {kind} · {f.id}", markup=False)


@leaflet_group.command("export")
@click.argument("leaflet_id", metavar="ID")
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False))
@pass_state
def leaflet_export(state: State, leaflet_id: str, out: Path) -> None:
    """Write the saved leaflet ID to a .toml (or .json) file to share."""
    db = state.open()
    try:
        spec = leaflets.load_leaflet(db, leaflet_id)
    finally:
        db.close()
    leaflets.export_spec(spec, out)
    state.out.print(f"Wrote {out}.", markup=False)


COMMANDS = (leaflet_group,)
