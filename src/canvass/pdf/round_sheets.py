"""Round sheets: what a volunteer delivering leaflets carries.

An overview of every round for the coordinator, then a page per round: the
streets in walking order with the house numbers to deliver to, how many
letterboxes, the doors to leave out, a box to tick as each street is done,
and a line for the day and the deliverer's name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from canvass.pdf.fonts import BODY
from canvass.pdf.styles import INK, RULE, SHADE, styles


@dataclass(frozen=True, slots=True)
class SheetSegment:
    """A street of a round, or a range of its house numbers."""

    street: str
    town: str
    houses: str  # "whole street (1–58)", "1–57, odd numbers"
    letterboxes: int
    skip: tuple[str, ...] = ()  # doors not to deliver to


@dataclass(frozen=True, slots=True)
class RoundSheet:
    """One round, as printed."""

    name: str
    district: str
    segments: tuple[SheetSegment, ...]
    leaflet: str = ""
    delivered_on: str = ""  # filled in when it was delivered already
    delivered_by: str = ""

    @property
    def letterboxes(self) -> int:
        """Letterboxes in the round."""
        return sum(s.letterboxes for s in self.segments)


class TickBox(Flowable):  # type: ignore[misc]
    """An empty square to tick by hand."""

    def __init__(self, size: float = 5 * mm) -> None:
        super().__init__()
        self.size = size
        self.width = self.height = size
        self.hAlign = "CENTER"

    def draw(self) -> None:
        """Draw the square at the flowable's origin."""
        canvas: Canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.8)
        canvas.rect(0, 0, self.size, self.size, stroke=1, fill=0)
        canvas.restoreState()


_COLUMNS = (
    ("Street", 52 * mm),
    ("Houses", 50 * mm),
    ("Letterboxes", 22 * mm),
    ("Leave out (no leaflets)", 44 * mm),
    ("Done", 14 * mm),
)
_BASE_STYLE: list[tuple[object, ...]] = [
    ("FONTNAME", (0, 0), (-1, -1), BODY),
    ("BACKGROUND", (0, 0), (-1, 0), SHADE),
    ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("TOPPADDING", (0, 0), (-1, -1), 3),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
]


def _p(text: str, style: object) -> Paragraph:
    return Paragraph(escape(text), style)


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def _street_table(sheet: RoundSheet) -> Table:
    st = styles()
    right = st.cell.clone("right", alignment=2)
    data: list[list[object]] = [[_p(h, st.cell_bold) for h, _ in _COLUMNS]]
    data[0][2] = _p("Letterboxes", st.cell_bold.clone("rightbold", alignment=2))
    data[0][4] = _p("Done", st.cell_bold.clone("centrebold", alignment=1))
    for seg in sheet.segments:
        street = f"<b>{escape(seg.street)}</b>" + (
            f"<br/><font size=7 color='#5F6B76'>{escape(seg.town)}</font>" if seg.town else ""
        )
        data.append(
            [
                Paragraph(street, st.cell),
                _p(seg.houses, st.cell),
                _p(f"{seg.letterboxes:,}", right),
                _p("; ".join(seg.skip) or "–", st.cell),
                TickBox(),
            ]
        )
    data.append(
        [
            _p("Total", st.cell_bold),
            _p(_n(len(sheet.segments), "street") if len(sheet.segments) != 1 else "", st.cell),
            _p(f"{sheet.letterboxes:,}", st.cell_bold.clone("totalright", alignment=2)),
            "",
            "",
        ]
    )
    last = len(data) - 1
    commands = [
        *_BASE_STYLE,
        ("ALIGN", (4, 0), (4, -1), "CENTER"),
        ("RIGHTPADDING", (2, 0), (2, -1), 10),
        ("LINEBELOW", (0, 1), (-1, last - 2), 0.4, RULE),
        ("LINEABOVE", (0, last), (-1, last), 0.8, INK),
        ("TOPPADDING", (0, 1), (-1, last - 1), 5),
        ("BOTTOMPADDING", (0, 1), (-1, last - 1), 5),
    ]
    table = Table(data, colWidths=[w for _, w in _COLUMNS], repeatRows=1)
    table.setStyle(TableStyle(commands))
    return table


def _signed_off(sheet: RoundSheet) -> Table:
    st = styles()
    on = sheet.delivered_on or ""
    by = sheet.delivered_by or ""
    data = [
        [
            _p("Delivered on", st.cell_bold),
            _p(on, st.cell),
            _p("by", st.cell_bold),
            _p(by, st.cell),
        ],
    ]
    table = Table(data, colWidths=[25 * mm, 45 * mm, 10 * mm, 82 * mm], rowHeights=[9 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), BODY),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (1, 0), (1, 0), 0.6, INK),
                ("LINEBELOW", (3, 0), (3, 0), 0.6, INK),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    table.hAlign = "LEFT"
    return table


def _notes_lines(count: int = 4) -> Table:
    st = styles()
    data = [
        [_p("Notes (letterboxes you could not reach, new homes, “no junk mail” signs)", st.small)]
    ]
    data += [[""] for _ in range(count)]
    table = Table(
        data,
        colWidths=[sum(w for _, w in _COLUMNS)],
        rowHeights=[5 * mm] + [7.5 * mm] * count,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), BODY),  # else empty cells set Helvetica
                ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    table.hAlign = "LEFT"
    return table


def _round_page(sheet: RoundSheet, printed_on: str) -> list[Flowable]:
    st = styles()
    facts = [
        f"Polling district {sheet.district}",
        f"{_n(sheet.letterboxes, 'letterbox')} in {_n(len(sheet.segments), 'street')}",
    ]
    if sheet.leaflet:
        facts.append(f"leaflet: {sheet.leaflet}")
    if printed_on:
        facts.append(f"printed {printed_on}")
    skipped = sum(len(s.skip) for s in sheet.segments)
    advice = (
        "Deliver to every letterbox in the houses listed, street by street in this order, "
        "and tick Done as you finish each street."
    )
    if skipped:
        advice += (
            " Leave out the doors in the “Leave out” column: everyone there asked not to get "
            "leaflets."
        )
    return [
        _p(f"Delivery round: {sheet.name}", st.title),
        _p(" · ".join(facts), st.small),
        Spacer(1, 2 * mm),
        _p(advice, st.body),
        Spacer(1, 4 * mm),
        _street_table(sheet),
        Spacer(1, 8 * mm),
        KeepTogether([_signed_off(sheet), Spacer(1, 6 * mm), _notes_lines()]),
    ]


def _overview(sheets: Sequence[RoundSheet], title: str, printed_on: str) -> list[Flowable]:
    st = styles()
    total = sum(s.letterboxes for s in sheets)
    right = st.cell.clone("ovright", alignment=2)
    data: list[list[object]] = [
        [
            _p("Round", st.cell_bold),
            _p("Streets", st.cell_bold),
            _p("Letterboxes", st.cell_bold.clone("ovrightbold", alignment=2)),
            _p("Given to", st.cell_bold),
            _p("Back", st.cell_bold.clone("ovcentre", alignment=1)),
        ]
    ]
    for sheet in sheets:
        data.append(
            [
                _p(sheet.name, st.cell_bold),
                _p(", ".join(dict.fromkeys(s.street for s in sheet.segments)), st.cell),
                _p(f"{sheet.letterboxes:,}", right),
                _p(sheet.delivered_by, st.cell),
                TickBox(4 * mm),
            ]
        )
    table = Table(data, colWidths=[30 * mm, 88 * mm, 22 * mm, 30 * mm, 12 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                *_BASE_STYLE,
                ("ALIGN", (4, 0), (4, -1), "CENTER"),
                ("RIGHTPADDING", (2, 0), (2, -1), 10),
                ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
            ]
        )
    )
    lead = (
        f"{_n(len(sheets), 'round')}, {_n(total, 'letterbox')} in all"
        + (f" · printed {printed_on}" if printed_on else "")
        + ". A page for each round follows: hand it to the volunteer, and note here who has it."
    )
    return [_p(title, st.title), _p(lead, st.small), Spacer(1, 4 * mm), table]


def build_round_sheets(
    sheets: Sequence[RoundSheet], *, title: str, printed_on: str = ""
) -> list[Flowable]:
    """The story: an overview of the rounds, then a page per round."""
    story: list[Flowable] = []
    if len(sheets) > 1:
        story += _overview(sheets, title, printed_on)
    for sheet in sheets:
        if story:
            story.append(PageBreak())
        story += _round_page(sheet, printed_on)
    if not story:
        story.append(_p("No rounds: there are no letterboxes to deliver to here.", styles().body))
    return story
