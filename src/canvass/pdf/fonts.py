"""The fonts every document uses, registered with ReportLab once.

The 14 standard PDF fonts cannot show names like Łukasz or Nguyễn, so
documents use Roboto (from the font-roboto package), embedded in the PDF.
"""

from __future__ import annotations

from functools import cache

import font_roboto
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

BODY = "CanvassSans"
BOLD = "CanvassSans-Bold"
ITALIC = "CanvassSans-Italic"
BOLD_ITALIC = "CanvassSans-BoldItalic"


@cache
def register_fonts() -> str:
    """Register the document fonts (idempotent); returns the body font's name."""
    files = {
        BODY: font_roboto.Roboto,
        BOLD: font_roboto.RobotoBold,
        ITALIC: font_roboto.RobotoItalic,
        BOLD_ITALIC: font_roboto.RobotoBoldItalic,
    }
    for name, path in files.items():
        pdfmetrics.registerFont(TTFont(name, path))
    addMapping(BODY, 0, 0, BODY)
    addMapping(BODY, 1, 0, BOLD)
    addMapping(BODY, 0, 1, ITALIC)
    addMapping(BODY, 1, 1, BOLD_ITALIC)
    return BODY
