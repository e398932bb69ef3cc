"""Knock-up sheets: polling day's list of promised supporters, in walking order.

Tellers outside the polling station collect numbers of people who have voted;
the committee room crosses them off, and runners knock on the doors of the
supporters not yet crossed off. Three tick columns, one per round.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from canvass.pdf.fonts import BODY
from canvass.pdf.styles import INK, RULE, SHADE, styles


@dataclass(frozen=True, slots=True)
class KnockUpPerson:
    """A supporter to call on."""

    number: str
    name: str
    pledge: str  # "S · support 1"
    note: str = ""  # "wants a lift", "postal vote"


@dataclass(frozen=True, slots=True)
class KnockUpDoor:
    """A door with supporters behind it."""

    label: str
    people: tuple[KnockUpPerson, ...]


@dataclass(frozen=True, slots=True)
class KnockUpStreet:
    """A street's doors, in walking order."""

    name: str
    district: str
    doors: tuple[KnockUpDoor, ...]


@dataclass(frozen=True, slots=True)
class KnockUpSheet:
    """The whole list."""

    title: str
    rule: str  # who counts as a supporter, in words
    streets: tuple[KnockUpStreet, ...]
    printed_on: str = ""


_COLUMNS = (
    ("Door", 22 * mm),
    ("Number", 20 * mm),
    ("Name", 50 * mm),
    ("Pledge", 36 * mm),
    ("Note", 30 * mm),
    ("R1", 9 * mm),
    ("R2", 9 * mm),
    ("R3", 9 * mm),
)


def _p(text: str, style: object) -> Paragraph:
    return Paragraph(escape(text), style)


def _street_table(street: KnockUpStreet) -> Table:
    st = styles()
    data: list[list[object]] = [
        [_p(f"{street.name} — district {street.district}", st.cell_bold)]
        + [""] * (len(_COLUMNS) - 1),
        [_p(h, st.cell_bold) for h, _ in _COLUMNS],
    ]
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), BODY),
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 1), (-1, 1), 0.8, INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for door in street.doors:
        first = len(data)
        for i, person in enumerate(door.people):
            data.append(
                [
                    _p(door.label if i == 0 else "", st.cell_bold),
                    _p(person.number, st.cell),
                    _p(person.name, st.cell),
                    _p(person.pledge, st.cell),
                    _p(person.note, st.cell),
                    "",
                    "",
                    "",
                ]
            )
        commands += [
            ("LINEABOVE", (0, first), (-1, first), 0.7, INK),
            ("GRID", (5, first), (-1, len(data) - 1), 0.4, RULE),
        ]
    table = Table(data, colWidths=[w for _, w in _COLUMNS], repeatRows=2)
    table.setStyle(TableStyle(commands))
    return table


def build_knock_up(sheet: KnockUpSheet) -> list[Flowable]:
    """The story of a knock-up sheet."""
    st = styles()
    people = sum(len(d.people) for s in sheet.streets for d in s.doors)
    doors = sum(len(s.doors) for s in sheet.streets)
    story: list[Flowable] = [
        _p(sheet.title, st.title),
        _p(
            f"{people:,} supporters at {doors:,} doors in {len(sheet.streets):,} streets · "
            f"{sheet.rule}{' · printed ' + sheet.printed_on if sheet.printed_on else ''}",
            st.small,
        ),
        _p(
            "Cross off each person when the tellers' numbers show they have voted; call on "
            "the rest, round by round, and tick R1, R2, R3 as each round knocks.",
            st.small,
        ),
        Spacer(1, 3 * mm),
    ]
    for street in sheet.streets:
        table = _street_table(street)
        story += [KeepTogether([table]) if len(street.doors) <= 3 else table, Spacer(1, 4 * mm)]
    if not sheet.streets:
        story.append(
            _p(
                "No supporters recorded here yet: nobody to knock up. Record intentions on "
                "the Canvass screen first.",
                st.body,
            )
        )
    return story
