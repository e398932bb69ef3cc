"""Leaflets to PDF: lay out each piece once, then impose it on sheets.

Skeleton: every template draws its headline and imprint on a page of the right
size; the layouts replace it template by template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from canvass.domain.leaflet_spec import LeafletSpec, Recipient
from canvass.pdf.fonts import BODY, BOLD, register_fonts


@dataclass(frozen=True, slots=True)
class Piece:
    """What the layouts need: the spec and what the campaign adds to it."""

    spec: LeafletSpec
    campaign: str
    organisation: str
    imprint: str  # printed on every page of every copy
    printed_on: str  # "3 April 2027"
    base_dir: Path | None = None  # image paths are relative to it


@dataclass(slots=True)
class Rendered:
    """What was written."""

    pages: int
    size_mm: tuple[float, float]
    warnings: list[str] = field(default_factory=list)


def render_pdf(
    path: Path,
    piece: Piece,
    *,
    n_up: int = 1,
    bleed: bool = False,
    cmyk: bool = False,
    recipients: list[Recipient] | None = None,
) -> Rendered:
    """Write ``piece`` to ``path``."""
    register_fonts()
    w, h = piece.spec.layout.size_mm
    c = Canvas(str(path), pagesize=(w * mm, h * mm), initialFontName=BODY)
    c.setFont(BOLD, 20)
    c.drawString(10 * mm, h * mm - 20 * mm, piece.spec.headline or piece.spec.title)
    c.setFont(BODY, 7)
    c.drawString(10 * mm, 6 * mm, piece.imprint)
    c.showPage()
    c.save()
    return Rendered(1, (w, h), [])
