"""Blank petition collection sheets: the text, numbered rows to sign, the privacy notice.

Each sheet carries its number in a box at the top right, and rows are
numbered, so a transcriber records "sheet 12, row 5" for every signature
typed in (``petition import`` takes sheet and row columns). Landscape A4,
drawn on the canvas: a sheet is the same every time, only its number changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from canvass.pdf.fonts import BODY, BOLD, register_fonts
from canvass.pdf.styles import BRAND, INK, MUTED, RULE, SHADE, styles

MARGIN = 12 * mm


@dataclass(frozen=True, slots=True)
class CollectionSheet:
    """What every sheet prints."""

    campaign: str
    title: str
    text: str
    text_version: int
    addressee: str
    consent_wording: str
    footer: str  # the imprint
    rows: int = 20
    sheets: int = 1
    closes_on: str = ""


_COLUMNS = (
    ("Row", 12 * mm),
    ("Name", 55 * mm),
    ("Address", 82 * mm),
    ("Postcode", 24 * mm),
    ("Signature", 60 * mm),
    ("I agree*", 19 * mm),
    ("Contact me", 21 * mm),
)


def _tick_box(c: Canvas, x: float, y: float, size: float = 4 * mm) -> None:
    c.rect(x, y, size, size, stroke=1, fill=0)


def _header(c: Canvas, sheet: CollectionSheet, number: int, width: float, top: float) -> float:
    """Title, text and sheet number box; returns the y where the rows start."""
    st = styles()
    box_w, box_h = 40 * mm, 15 * mm
    c.setStrokeColor(INK)
    c.setLineWidth(1.2)
    c.rect(width - MARGIN - box_w, top - box_h, box_w, box_h, stroke=1, fill=0)
    c.setFont(BODY, 7.5)
    c.setFillColor(MUTED)
    c.drawString(width - MARGIN - box_w + 2 * mm, top - 4 * mm, "Sheet number")
    c.setFont(BOLD, 18)
    c.setFillColor(INK)
    c.drawRightString(width - MARGIN - 3 * mm, top - box_h + 3 * mm, f"{number:,}")
    c.setFont(BODY, 7)
    c.setFillColor(MUTED)
    c.drawRightString(width - MARGIN, top - box_h - 3.5 * mm, f"of {sheet.sheets:,}")
    text_w = width - 2 * MARGIN - box_w - 6 * mm
    c.setFillColor(BRAND)
    c.setFont(BOLD, 14)
    c.drawString(MARGIN, top - 5 * mm, simpleSplit(sheet.title, BOLD, 14, text_w)[0])
    details = [f"Text version {sheet.text_version}"]
    if sheet.addressee:
        details.append(f"to {sheet.addressee}")
    if sheet.closes_on:
        details.append(f"signatures collected until {sheet.closes_on}")
    paragraphs = [
        Paragraph(escape(b.strip()).replace("\n", "<br/>"), st.body)
        for b in sheet.text.split("\n\n")
        if b.strip()
    ]
    paragraphs.append(Paragraph(escape(" · ".join(details)), st.small))
    y = top - 8 * mm
    room = 60 * mm
    for para in paragraphs:
        _, h = para.wrap(text_w, room)
        if h > room:  # too long for a sheet: say so rather than print half a text
            c.setFont(BOLD, 8)
            c.setFillColor(INK)
            c.drawString(MARGIN, y - 10, "The full text is printed on the campaign's notice.")
            y -= 12
            break
        para.drawOn(c, MARGIN, y - h)
        y -= h + 1.5 * mm
        room -= h + 1.5 * mm
    return float(min(y, top - box_h - 6 * mm) - 1 * mm)


def _rows(c: Canvas, sheet: CollectionSheet, top: float, bottom: float) -> None:
    width = sum(w for _, w in _COLUMNS)
    head_h = 6 * mm
    row_h = (top - bottom - head_h) / sheet.rows
    c.setFillColor(SHADE)
    c.rect(MARGIN, top - head_h, width, head_h, stroke=0, fill=1)
    c.setFillColor(INK)
    c.setFont(BOLD, 8)
    x = MARGIN
    for title, w in _COLUMNS:
        c.drawString(x + 1.5 * mm, top - head_h + 2 * mm, title)
        x += w
    c.setStrokeColor(RULE)
    c.setLineWidth(0.6)
    y = top - head_h
    c.line(MARGIN, top, MARGIN + width, top)
    for n in range(1, sheet.rows + 1):
        c.setStrokeColor(RULE)
        c.line(MARGIN, y, MARGIN + width, y)
        c.setFont(BOLD, 9)
        c.setFillColor(INK)
        c.drawString(MARGIN + 2 * mm, y - row_h / 2 - 1.2 * mm, str(n))
        c.setStrokeColor(INK)
        c.setLineWidth(0.6)
        tick_x = MARGIN + sum(w for _, w in _COLUMNS[:5])
        _tick_box(c, tick_x + _COLUMNS[5][1] / 2 - 2 * mm, y - row_h / 2 - 2 * mm)
        _tick_box(c, tick_x + _COLUMNS[5][1] + _COLUMNS[6][1] / 2 - 2 * mm, y - row_h / 2 - 2 * mm)
        y -= row_h
    c.setStrokeColor(RULE)
    c.line(MARGIN, y, MARGIN + width, y)
    x = MARGIN
    for _, w in _COLUMNS:
        c.line(x, top, x, y)
        x += w
    c.line(x, top, x, y)


def _notice(c: Canvas, sheet: CollectionSheet, width: float, y: float) -> None:
    st = styles()
    text = (
        f"<b>* Privacy and consent:</b> {escape(sheet.consent_wording)} "
        "<b>Contact me:</b> tick only if you also want to hear from the campaign. "
        "Write clearly; one person per row; sign in the box."
    )
    para = Paragraph(text, st.small)
    _, h = para.wrap(width - 2 * MARGIN, 30 * mm)
    para.drawOn(c, MARGIN, y - h)


def _footer(c: Canvas, sheet: CollectionSheet, width: float) -> None:
    c.setFont(BODY, 6.8)
    c.setFillColor(MUTED)
    y = MARGIN - 1 * mm
    for line in simpleSplit(sheet.footer, BODY, 6.8, width - 2 * MARGIN)[:2]:
        c.drawString(MARGIN, y, line)
        y -= 8


def write_collection_sheets(path: Path, sheet: CollectionSheet) -> int:
    """Write ``sheet.sheets`` numbered sheets to ``path``; returns the page count."""
    register_fonts()
    width, height = landscape(A4)
    c = Canvas(str(path), pagesize=(width, height), initialFontName=BODY, pageCompression=1)
    c.setTitle(f"Collection sheets: {sheet.title}")
    c.setAuthor(sheet.campaign)
    c.setCreator("canvass")
    for number in range(1, sheet.sheets + 1):
        c.setFont(BOLD, 8)
        c.setFillColor(BRAND)
        c.drawString(MARGIN, height - MARGIN + 3 * mm, sheet.campaign)
        rows_top = _header(c, sheet, number, width, height - MARGIN - 1 * mm)
        _rows(c, sheet, rows_top, MARGIN + 13 * mm)
        _notice(c, sheet, width, MARGIN + 11.5 * mm)
        _footer(c, sheet, width)
        c.showPage()
    c.save()
    return sheet.sheets
