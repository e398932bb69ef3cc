"""Leaflets: check the imprint, render print-ready PDFs and previews, keep designs.

A leaflet is a :class:`~canvass.domain.leaflet_spec.LeafletSpec`. Designs are
saved as operations (so they travel between laptops like everything else) and
shared as small TOML files. Rendering refuses election material without the
imprint UK electoral law requires; community material may go without one.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select

from canvass.domain.errors import ValidationError
from canvass.domain.leaflet_spec import (
    TEMPLATES,
    LeafletSpec,
    Recipient,
    parse_spec,
    spec_from_data,
    spec_to_data,
    spec_to_toml,
)
from canvass.pdf.leaflet_render import Piece, render_pdf
from canvass.services.campaigns import require_campaign
from canvass.services.oplog import OpWriter
from canvass.services.printing import write_atomically
from canvass.storage.database import Database
from canvass.storage.tables import Campaign, Leaflet

#: Where to fill in the imprint, for messages.
WHERE_TO_FILL = (
    "fill it in on the Settings screen (Campaign and imprint), or with "
    "`canvass campaign imprint --promoter ... --address ... --on-behalf-of ...`"
)


@dataclass(frozen=True, slots=True)
class RenderReport:
    """What was rendered: the file, its pages and page size, and what to look at."""

    path: str
    pages: int
    size_mm: tuple[float, float]
    warnings: list[str] = field(default_factory=list)
    advice: str = ""  # how to print it: paper, sides, cutting or folding


def print_advice(spec: LeafletSpec, *, n_up: int = 1, bleed: bool = False) -> str:
    """How to print a leaflet, in one sentence for the person at the printer."""
    t = TEMPLATES[spec.template]
    paper = "A4" if n_up > 1 or spec.template in ("a4-folded",) else t.paper
    if bleed:
        return f"For a print shop: {t.paper} trimmed from the 3 mm bleed at the crop marks" + (
            ", printed double-sided." if spec.sides == 2 or t.sides == (2,) else "."
        )
    if spec.template == "a4-folded":
        return (
            "Print on A4, double-sided, flipping on the short edge; fold in half with the "
            "front cover outside."
        )
    two = spec.sides == 2
    text = f"Print on {paper}" + (
        ", double-sided, flipping on the short edge" if two and n_up > 1 else ""
    )
    text += ", double-sided, flipping on the long edge" if two and n_up == 1 else ""
    if n_up > 1:
        text += f"; cut into {n_up} along the marks"
    return text + "."


@dataclass(frozen=True, slots=True)
class LeafletSummary:
    """A saved leaflet, for lists."""

    id: str
    title: str
    template: str
    election_material: bool


def leaflet_imprint(campaign: Campaign) -> str:
    """The imprint line a leaflet carries, or the campaign's name when it has none."""
    promoter = campaign.imprint_promoter.strip()
    if not promoter:
        who = campaign.organisation.strip() or campaign.name.strip()
        return f"Published by {who}." if who else ""
    text = f"Promoted by {promoter}"
    if campaign.imprint_on_behalf_of.strip():
        text += f" on behalf of {campaign.imprint_on_behalf_of.strip()}"
    if campaign.imprint_address.strip():
        text += ", " + _one_line(campaign.imprint_address)
    text += "."
    if campaign.imprint_printer.strip():
        text += f" Printed by {_one_line(campaign.imprint_printer)}."
    return text


def _one_line(text: str) -> str:
    return ", ".join(
        part.strip() for part in text.replace(",\n", "\n").splitlines() if part.strip()
    )


def _campaign(db_or_campaign: Database | Campaign) -> Campaign:
    if isinstance(db_or_campaign, Campaign):
        return db_or_campaign
    with db_or_campaign.read() as session:
        campaign = require_campaign(session)
        session.expunge(campaign)
        return campaign


def check_imprint(db_or_campaign: Database | Campaign, spec: LeafletSpec) -> str:
    """The imprint to print on ``spec``; refuses election material without a full one.

    Returns:
        The imprint text ("" only for community material of a campaign with no name).

    Raises:
        ValidationError: Naming the missing imprint fields and where to fill them in.
    """
    campaign = _campaign(db_or_campaign)
    if spec.election_material:
        missing = [
            label
            for label, value, needed in (
                ("the promoter's name", campaign.imprint_promoter, True),
                ("the promoter's address", campaign.imprint_address, True),
                ("on whose behalf it is published", campaign.imprint_on_behalf_of, True),
                (
                    "the printer's name and address",
                    campaign.imprint_printer,
                    spec.printed_commercially,
                ),
            )
            if needed and not value.strip()
        ]
        if missing:
            raise ValidationError(
                "This is election material, and UK electoral law requires it to carry an "
                "imprint (who promoted it and their address, on whose behalf, and the printer "
                "when printed commercially). The campaign's imprint lacks "
                + ", ".join(missing)
                + f": {WHERE_TO_FILL}, or mark the leaflet as community material."
            )
    return leaflet_imprint(campaign)


def _piece(campaign: Campaign, spec: LeafletSpec, imprint: str, base_dir: Path | None) -> Piece:
    today = dt.date.today()
    return Piece(
        spec=spec,
        campaign=campaign.name,
        organisation=campaign.organisation,
        imprint=imprint,
        printed_on=f"{today.day} {today.strftime('%B')} {today.year}",
        base_dir=base_dir,
    )


def default_file_name(spec: LeafletSpec, pages: int, *, n_up: int = 1) -> str:
    """A file name saying what is inside: ``meeting-A5-2pp.pdf``, ``flyer-DL-3up-2pp.pdf``."""
    stem = "".join(ch if ch.isalnum() else "-" for ch in spec.title.lower()).strip("-")
    stem = "-".join(part for part in stem.split("-") if part)[:40] or spec.template
    paper = TEMPLATES[spec.template].paper
    up = f"-{n_up}up-on-A4" if n_up > 1 else ""
    return f"{stem}-{paper}{up}-{pages}pp.pdf"


def render(
    db: Database,
    spec: LeafletSpec,
    out: Path,
    *,
    n_up: int = 1,
    bleed: bool = False,
    cmyk: bool = False,
    recipients: list[Recipient] | None = None,
    base_dir: Path | None = None,
) -> RenderReport:
    """Write a print-ready PDF of ``spec`` to ``out``.

    Args:
        db: The campaign's database (its name and imprint go on the leaflet).
        spec: The leaflet.
        out: The PDF to write; a folder means "a file named for its contents in it".
        n_up: Copies per A4 sheet (2 for A5, 3 for DL), cut apart after printing.
        bleed: Add 3 mm bleed and crop marks, for print shops that trim.
        cmyk: Colours as CMYK, for print shops that ask for it.
        recipients: Mail merge: one letter per recipient (a4-letter only).
        base_dir: Folder image paths are relative to (the spec file's).

    Raises:
        ValidationError: Election material without an imprint, impossible options,
            broken or huge images, or a folder that cannot be written.
    """
    campaign = _campaign(db)
    imprint = check_imprint(campaign, spec)
    piece = _piece(campaign, spec, imprint, base_dir)
    results = []

    def build(path: Path) -> None:
        results.append(
            render_pdf(path, piece, n_up=n_up, bleed=bleed, cmyk=cmyk, recipients=recipients)
        )

    if out.is_dir():  # named once the page count is known
        folder = out
        out = folder / f".leaflet-{os.getpid()}.pdf"
        write_atomically(out, build)
        named = folder / default_file_name(spec, results[0].pages, n_up=n_up)
        os.replace(out, named)
        out = named
    else:
        write_atomically(out, build)
    done = results[0]
    advice = print_advice(spec, n_up=n_up, bleed=bleed)
    return RenderReport(str(out), done.pages, done.size_mm, list(done.warnings), advice)


def preview_png(
    db: Database, spec: LeafletSpec, *, dpi: int = 60, base_dir: Path | None = None
) -> tuple[list[bytes], list[str]]:
    """PNG images of each page, for the editor's live preview, and the warnings.

    The PDF is rendered exactly as for printing, then rasterised with PDFium.
    An imprint refusal is a warning here (the volunteer is still typing).
    """
    import pypdfium2  # here: loading PDFium is for the GUI, not every command

    campaign = _campaign(db)
    warnings: list[str] = []
    try:
        imprint = check_imprint(campaign, spec)
    except ValidationError as exc:
        warnings.append(str(exc))
        imprint = leaflet_imprint(campaign)
    piece = _piece(campaign, spec, imprint, base_dir)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "preview.pdf"
        done = render_pdf(path, piece)
        warnings.extend(done.warnings)
        document = pypdfium2.PdfDocument(path)
        images = []
        try:
            for page in document:
                bitmap = page.render(scale=dpi / 72)
                buffer = io.BytesIO()
                bitmap.to_pil().save(buffer, format="PNG")
                images.append(buffer.getvalue())
        finally:
            document.close()
    return images, warnings


# -- designs kept in the database ------------------------------------------------


def save_leaflet(db: Database, spec: LeafletSpec, leaflet_id: str | None = None) -> str:
    """Save a design (new, or over ``leaflet_id``) as operations; returns its id."""
    content = spec_to_data(spec)
    with db.write() as session:
        campaign = require_campaign(session)
        imprint = leaflet_imprint(campaign)
        writer = OpWriter.local(session)
        values = {"template": spec.template, "title": spec.title, "content": content,
                  "imprint": imprint}  # fmt: skip
        if leaflet_id is None:
            leaflet_id = writer.create("leaflet", {"campaign_id": campaign.id, **values})
            writer.flush()
            return leaflet_id
        row = session.get(Leaflet, leaflet_id)
        if row is None:
            raise ValidationError(f"There is no saved leaflet {leaflet_id}.")
        stored = {"template": row.template, "title": row.title, "imprint": row.imprint}
        for name, value in values.items():
            if name == "content":
                if spec_from_data(_json(row.content)) != spec:
                    writer.set("leaflet", leaflet_id, name, value)
            elif stored[name] != value:
                writer.set("leaflet", leaflet_id, name, value)
        return leaflet_id


def _json(text: str) -> object:
    return json.loads(text or "{}")


def list_leaflets(db: Database) -> list[LeafletSummary]:
    """The saved designs, by title."""
    with db.read() as session:
        rows = session.scalars(select(Leaflet).order_by(Leaflet.title, Leaflet.id)).all()
        out = []
        for row in rows:
            content = _json(row.content)
            election = isinstance(content, dict) and content.get("election_material") is True
            out.append(LeafletSummary(row.id, row.title, row.template, election))
        return out


def load_leaflet(db: Database, leaflet_id: str) -> LeafletSpec:
    """A saved design.

    Raises:
        ValidationError: If there is no such leaflet, or it was saved by a newer canvass.
    """
    with db.read() as session:
        row = session.get(Leaflet, leaflet_id)
        if row is None:
            matches = session.scalars(select(Leaflet).where(Leaflet.id.startswith(leaflet_id)))
            found = matches.all()
            if len(found) != 1:
                raise ValidationError(
                    f"There is no saved leaflet {leaflet_id}; `canvass leaflet list` shows them."
                )
            row = found[0]
        return spec_from_data(_json(row.content))


def export_spec(spec: LeafletSpec, path: Path) -> None:
    """Write a design to a TOML file (``.json`` if the name ends so) to share."""
    text = (
        json.dumps(spec_to_data(spec), ensure_ascii=False, indent=2) + "\n"
        if path.suffix.lower() == ".json"
        else spec_to_toml(spec)
    )

    def build(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    write_atomically(path, build)


def import_spec(path: Path) -> LeafletSpec:
    """Read a design from a ``.toml`` or ``.json`` file; image paths become absolute.

    Raises:
        ValidationError: If the file cannot be read or a field is missing or wrong.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"Could not read the leaflet spec {path}: {exc}.") from None
    try:
        spec = parse_spec(text, fmt="json" if path.suffix.lower() == ".json" else "toml")
    except ValidationError as exc:
        raise ValidationError(f"{path.name}: {exc}") from None
    return with_absolute_images(spec, path.parent)


def with_absolute_images(spec: LeafletSpec, folder: Path) -> LeafletSpec:
    """The spec with image paths relative to ``folder`` made absolute."""
    images = tuple(
        replace(image, path=str((folder / image.path).resolve()))
        if not Path(image.path).is_absolute()
        else image
        for image in spec.images
    )
    return replace(spec, images=images)
