"""The single shared stylesheet: every document's fonts, sizes and colours."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle

from canvass.pdf.fonts import BODY, BOLD, register_fonts

BRAND = colors.HexColor("#0E7C86")
INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#5F6B76")
RULE = colors.HexColor("#C9D1D8")
SHADE = colors.HexColor("#EEF3F5")


@dataclass(frozen=True)
class Styles:
    """Paragraph styles for documents."""

    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    footer: ParagraphStyle


@cache
def styles() -> Styles:
    """The shared styles (fonts registered on first use)."""
    register_fonts()
    base = ParagraphStyle("body", fontName=BODY, fontSize=9.5, leading=12, textColor=INK)
    return Styles(
        title=ParagraphStyle(
            "title",
            parent=base,
            fontName=BOLD,
            fontSize=15,
            leading=18,
            textColor=BRAND,
            spaceAfter=2,
        ),
        heading=ParagraphStyle(
            "heading",
            parent=base,
            fontName=BOLD,
            fontSize=11.5,
            leading=14,
            spaceBefore=6,
            spaceAfter=3,
        ),
        body=base,
        small=ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5, textColor=MUTED),
        cell=ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10),
        cell_bold=ParagraphStyle("cellbold", parent=base, fontName=BOLD, fontSize=8.5, leading=10),
        footer=ParagraphStyle("footer", parent=base, fontSize=7, leading=8.5, textColor=MUTED),
    )
