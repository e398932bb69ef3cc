"""Walk sheets: a canvasser's list of doors and people, in walking order."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from canvass.pdf.fonts import BODY
from canvass.pdf.styles import BRAND, INK, RULE, SHADE, styles

Code = tuple[str, str]


@dataclass(frozen=True)
class SheetElector:
    """One row: an elector at a door."""

    number: str  # "AA-124/1"
    name: str
    markers: str = ""
    note: str = ""  # e.g. "attainer 1 Apr 2027"


@dataclass(frozen=True)
class SheetDoor:
    """A household: its door label and the electors behind it."""

    label: str  # "Flat 2, 16" or "Rose Cottage"
    side: str  # "odd", "even" or ""
    electors: tuple[SheetElector, ...]


@dataclass(frozen=True)
class SheetStreet:
    """One street of a district, doors in walking order."""

    name: str
    town: str
    district: str
    doors: tuple[SheetDoor, ...]


@dataclass(frozen=True)
class WalkSheet:
    """Everything a walk sheet prints."""

    campaign: str
    title: str  # "Polling district AA" or the walk list's name
    canvasser: str
    streets: tuple[SheetStreet, ...]
    outcomes: tuple[Code, ...]
    intentions: tuple[Code, ...]
    flags: tuple[Code, ...]
    scales: str
    questions: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # code, text, choices
    footer: str = ""
    by_side: bool = False
    printed_on: str = ""
    excluded: dict[str, int] = field(default_factory=dict)


_COLUMNS = (
    ("Door", 20 * mm),
    ("Elector", 19 * mm),
    ("Name", 52 * mm),
    ("Mk", 8 * mm),
    ("Result", 15 * mm),
    ("Int", 10 * mm),
    ("Sup", 9 * mm),
    ("Lik", 9 * mm),
    ("Flags", 17 * mm),
    ("Notes", 23 * mm),
)


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def _p(text: str, style: object) -> Paragraph:
    return Paragraph(escape(text), style)


def _key(sheet: WalkSheet) -> list[Flowable]:
    st = styles()

    def line(label: str, codes: tuple[Code, ...]) -> Paragraph:
        items = "   ".join(f"<b>{escape(c)}</b> {escape(t)}" for c, t in codes)
        return Paragraph(f"<b>{label}:</b>   {items}", st.small)

    rows: list[Flowable] = [
        line("Result", sheet.outcomes),
        line("Intention", sheet.intentions),
        line("Flags", sheet.flags),
        _p(sheet.scales, st.small),
    ]
    for code, text, choices in sheet.questions:
        options = " / ".join(choices)
        rows.append(
            Paragraph(
                f"<b>{escape(code)}</b> {escape(text)}"
                f"{'  (' + escape(options) + ')' if options else ''}",
                st.small,
            )
        )
    box = Table([[r] for r in rows], colWidths=[sum(w for _, w in _COLUMNS)])
    box.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), BODY),
                ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return [box]


def _street_table(street: SheetStreet, by_side: bool) -> Table:
    st = styles()
    title = f"{street.name}{', ' + street.town if street.town else ''}"
    data: list[list[object]] = [
        [_p(f"{title} — district {street.district}", st.cell_bold)] + [""] * (len(_COLUMNS) - 1),
        [_p(h, st.cell_bold) for h, _ in _COLUMNS],
    ]
    commands: list[tuple[object, ...]] = [
        # Empty write-in cells are drawn in the table's font: it must be embedded too.
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
    side = None
    for door in street.doors:
        if by_side and door.side != side:
            side = door.side
            label = {"odd": "Odd numbers", "even": "Even numbers"}.get(side, "Named houses")
            data.append([_p(label, st.cell_bold)] + [""] * (len(_COLUMNS) - 1))
            commands += [
                ("SPAN", (0, len(data) - 1), (-1, len(data) - 1)),
                ("TEXTCOLOR", (0, len(data) - 1), (-1, len(data) - 1), BRAND),
            ]
        first = len(data)
        for i, person in enumerate(door.electors):
            name = person.name + (f" ({person.note})" if person.note else "")
            data.append(
                [
                    _p(door.label if i == 0 else "", st.cell_bold),
                    _p(person.number, st.cell),
                    _p(name, st.cell),
                    _p(person.markers, st.cell),
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                ]
            )
        # A household is one block: a rule above it, boxes to write in for each person.
        commands += [
            ("LINEABOVE", (0, first), (-1, first), 0.7, INK),
            ("GRID", (4, first), (-1, len(data) - 1), 0.4, RULE),
        ]
    table = Table(data, colWidths=[w for _, w in _COLUMNS], repeatRows=2)
    table.setStyle(TableStyle(commands))
    return table


def build_walk_sheet(sheet: WalkSheet) -> list[Flowable]:
    """The story of a walk sheet: title, code key, one table per street."""
    st = styles()
    electors = sum(len(d.electors) for s in sheet.streets for d in s.doors)
    doors = sum(len(s.doors) for s in sheet.streets)
    summary = (
        f"{_n(len(sheet.streets), 'street')} · {_n(doors, 'door')} · {_n(electors, 'elector')}"
        f"{' · canvasser: ' + sheet.canvasser if sheet.canvasser else ''}"
        f"{' · printed ' + sheet.printed_on if sheet.printed_on else ''}"
    )
    story: list[Flowable] = [_p(sheet.title, st.title), _p(summary, st.small), Spacer(1, 2 * mm)]
    if sheet.excluded:
        left_out = ", ".join(f"{n} {why}" for why, n in sheet.excluded.items() if n)
        if left_out:
            story.append(_p(f"Not listed: {left_out}.", st.small))
    story += [*_key(sheet), Spacer(1, 3 * mm)]
    for street in sheet.streets:
        table = _street_table(street, sheet.by_side)
        story += [KeepTogether([table]) if len(street.doors) <= 3 else table, Spacer(1, 4 * mm)]
    if not sheet.streets:
        story.append(
            _p("Nobody to call on: every elector here is excluded or off the register.", st.body)
        )
    return story
