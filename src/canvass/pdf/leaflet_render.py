"""Leaflets to PDF: lay each piece out once, then put its pages on paper.

Every layout returns a list of page-drawing functions for one copy, drawing
in trimmed-page coordinates. This module places them: one per page (with
optional 3 mm bleed, TrimBox/BleedBox and crop marks), or N-up on A4 sheets to
cut apart, fronts and backs alternating so a double-sided piece prints duplex.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from canvass.domain.errors import ValidationError
from canvass.domain.leaflet_spec import TEMPLATES, Recipient
from canvass.pdf import (
    leaflet_flyers,
    leaflet_folded,
    leaflet_letter,
    leaflet_poster,
    leaflet_slip,
)
from canvass.pdf.leaflet_kit import Kit, PageDraw, Piece
from canvass.pdf.leaflet_media import PRINT_DPI, Picture, pictures

__all__ = ["BLEED", "Piece", "Rendered", "impose", "render_pdf"]

BLEED = 3 * mm
_MARK_GAP = 1 * mm  # crop marks stop short of the trimmed corner

Layout = Callable[[Piece, Kit, list[Picture], Recipient | None], list[PageDraw]]
LAYOUTS: dict[str, Layout] = {
    "a5-flyer": leaflet_flyers.a5_flyer,
    "dl": leaflet_flyers.dl_flyer,
    "a4-folded": leaflet_folded.folded,
    "a4-letter": leaflet_letter.letter,
    "a4-poster": leaflet_poster.poster,
    "a3-poster": leaflet_poster.poster,
    "reply-slip": leaflet_slip.reply_slip,
}

T = TypeVar("T")


@dataclass(slots=True)
class Rendered:
    """What was written."""

    pages: int
    size_mm: tuple[float, float]
    warnings: list[str] = field(default_factory=list)


def impose(pieces: Sequence[Sequence[T]], n_up: int) -> list[list[T | None]]:
    """The sheet sides for pieces printed ``n_up`` to a sheet, in printing order.

    Each group of ``n_up`` pieces shares a run of sheets: side 1 holds their first
    pages left to right, side 2 their second pages right to left (the sheet turns
    over about its vertical axis, so slot 1's back is behind slot 1's front), and
    so on. Empty slots are None.
    """
    sides: list[list[T | None]] = []
    for start in range(0, len(pieces), n_up):
        group = list(pieces[start : start + n_up])
        for page in range(max(len(p) for p in group)):
            row: list[T | None] = [p[page] if page < len(p) else None for p in group]
            row += [None] * (n_up - len(row))
            sides.append(row[::-1] if page % 2 else row)
    return sides


def _check_options(piece: Piece, n_up: int, bleed: bool, recipients: object) -> None:
    t = TEMPLATES[piece.spec.template]
    if n_up not in t.n_up:
        allowed = " or ".join(str(n) for n in t.n_up)
        raise ValidationError(
            f"The {t.label} can be printed {allowed} to an A4 sheet, not {n_up}; "
            f"choose n-up {allowed}."
        )
    if bleed and n_up > 1:
        raise ValidationError(
            "Bleed is for a print shop that trims each piece; N-up sheets are cut from A4 "
            "without it. Choose either bleed or n-up."
        )
    if recipients is not None and piece.spec.template != "a4-letter":
        raise ValidationError(
            "Mail merge writes letters: use the a4-letter template for a merge list."
        )


def _crop_marks(kit: Kit, c: Canvas, w: float, h: float, b: float) -> None:
    """Corner marks in the bleed, on the trim lines, stopping short of the corners."""
    c.saveState()
    # A white edge under each mark keeps it visible on a full-bleed colour.
    for colour, width in ((kit.inks.paper, 1.0), (kit.inks.registration, 0.25)):
        c.setStrokeColor(colour)
        c.setLineWidth(width)
        for x in (b, b + w):
            for y in (b, b + h):
                out_x = -1 if x == b else 1
                out_y = -1 if y == b else 1
                c.line(x + out_x * _MARK_GAP, y, x + out_x * b, y)
                c.line(x, y + out_y * _MARK_GAP, x, y + out_y * b)
    c.restoreState()


def _cut_guides(
    kit: Kit, c: Canvas, xs: Sequence[float], y0: float, y1: float, sheet_h: float
) -> None:
    """Short ticks in the sheet's margins where the guillotine cuts."""
    c.saveState()
    c.setStrokeColor(kit.inks.muted)
    c.setLineWidth(0.3)
    for x in xs:
        if y0 > 2 * mm:
            c.line(x, 0, x, y0 - 1 * mm)
        if sheet_h - y1 > 2 * mm:
            c.line(x, y1 + 1 * mm, x, sheet_h)
    c.restoreState()


def render_pdf(
    path: Path,
    piece: Piece,
    *,
    n_up: int = 1,
    bleed: bool = False,
    cmyk: bool = False,
    recipients: list[Recipient] | None = None,
    max_dpi: int = PRINT_DPI,
) -> Rendered:
    """Write ``piece`` to ``path`` (see :mod:`canvass.services.leaflets` for the options).

    Raises:
        ValidationError: For options the template cannot do, and broken or huge images.
    """
    _check_options(piece, n_up, bleed, recipients)
    spec = piece.spec
    kit = Kit(spec, cmyk=cmyk, bleed=BLEED if bleed else 0.0, max_dpi=max_dpi)
    pics = pictures(kit, piece.base_dir)
    layout = LAYOUTS[spec.template]
    if recipients is not None:
        if not recipients:
            raise ValidationError("The merge list has no households to write to.")
        pieces = [layout(piece, kit, pics, r) for r in recipients]
    else:
        pieces = [layout(piece, kit, pics, None)]
    w, h = (v * mm for v in spec.layout.size_mm)
    c = Canvas(str(path), pagesize=(w, h), initialFontName=kit.fonts.regular, pageCompression=1)
    c.setTitle(spec.title)
    c.setAuthor(piece.organisation or piece.campaign)
    c.setSubject(piece.imprint)
    c.setCreator("canvass")
    if n_up == 1:
        b = kit.bleed
        size = (w + 2 * b, h + 2 * b)
        for pages in pieces:
            for draw in pages:
                c.setPageSize(size)
                if b:
                    c.setTrimBox((b, b, b + w, b + h))
                    c.setBleedBox((0, 0, size[0], size[1]))
                c.saveState()
                c.translate(b, b)
                draw(c)
                c.restoreState()
                if b:
                    _crop_marks(kit, c, w, h, b)
                c.showPage()
    else:
        size = landscape(A4)
        x0 = (size[0] - n_up * w) / 2
        y0 = (size[1] - h) / 2
        copies = [pieces[0]] * n_up if recipients is None else pieces
        for side in impose(copies, n_up):
            c.setPageSize(size)
            for slot, drawer in enumerate(side):
                if drawer is None:
                    continue
                c.saveState()
                c.translate(x0 + slot * w, y0)
                clip = c.beginPath()
                clip.rect(0, 0, w, h)
                c.clipPath(clip, stroke=0, fill=0)
                drawer(c)
                c.restoreState()
            _cut_guides(kit, c, [x0 + i * w for i in range(n_up + 1)], y0, y0 + h, size[1])
            c.showPage()
    pages = c.getPageNumber() - 1
    c.save()
    return Rendered(pages, (round(size[0] / mm, 1), round(size[1] / mm, 1)), kit.warnings)
