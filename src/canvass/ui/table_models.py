"""Qt models over the plain rows that services return, and the delegates that paint them.

The models only hold what they are given: they never read the database. A page
loads rows on a task runner and hands them over with ``set_*``, which resets the
model in one go (DESIGN.md §6: resetting a table model is cheap, a proxy over a
large Python model is not). The district tree is small (hundreds of streets), so
it is filtered in memory by a proxy.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QStandardItem,
    QStandardItemModel,
)

from canvass.domain import suppression as rules
from canvass.services.browse import DistrictNode, ElectorRow, HouseholdRow
from canvass.ui import theme

AnyIndex = QModelIndex | QPersistentModelIndex
_USER = Qt.ItemDataRole.UserRole

#: Shading of every other household, so the doors of a street stand apart.
HOUSEHOLD_SHADE = "#F3F6F8"
#: Text of electors who are off the register or whose door must not be knocked on.
MUTED_TEXT = "#8A96A0"


def fold(text: str) -> str:
    """``text`` lower-cased and without accents, for matching as people type."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def plural(count: int, word: str, many: str | None = None) -> str:
    """``"1 door"``, ``"2 doors"``, with thousands separators."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def nice_date(iso: str) -> str:
    """``2027-04-03`` as ``3 Apr 2027``; anything unreadable unchanged."""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day:%b %Y}"


# -- households and electors ------------------------------------------------------


class HouseholdColumn(IntEnum):
    """The columns of :class:`HouseholdTableModel`."""

    DOOR = 0
    NUMBER = 1
    NAME = 2
    MARKERS = 3
    NOTES = 4


_HEADERS = {
    HouseholdColumn.DOOR: ("Door", "The house number, name or flat, in walking order"),
    HouseholdColumn.NUMBER: ("No.", "Elector number: polling district and number"),
    HouseholdColumn.NAME: ("Name", "The elector's name as on the register"),
    HouseholdColumn.MARKERS: ("Markers", "Franchise markers from the register (F, G, M, …)"),
    HouseholdColumn.NOTES: (
        "Notes",
        "Attainers, off the register, suppressions (do not contact, do not knock, "
        "no letters), activity",
    ),
}


class FlagKind(IntEnum):
    """What a note on an elector is about; decides its colour."""

    ATTAINER = 0
    REMOVED = 1
    DO_NOT_CONTACT = 2  # a suppression that keeps canvassers from the door
    ACTIVITY = 3
    NO_LETTERS = 4  # a suppression of addressed mail only: the door may be knocked


@dataclass(frozen=True, slots=True)
class Flag:
    """One short note shown beside an elector."""

    text: str
    kind: FlagKind
    #: What the note means, for the tooltip ("" when the text says it all).
    meaning: str = ""


#: Background and text colour of each kind of note.
FLAG_COLOURS = {
    FlagKind.ATTAINER: ("#E6EEFB", "#2F5597"),
    FlagKind.REMOVED: ("#ECEFF1", "#55616B"),
    FlagKind.DO_NOT_CONTACT: ("#FBE5E3", "#A8322A"),
    FlagKind.ACTIVITY: (theme.BRAND_TINT, theme.BRAND_DARK),
    FlagKind.NO_LETTERS: ("#FDF1DC", "#8A5A00"),
}


def elector_flags(elector: ElectorRow) -> list[Flag]:
    """The notes shown beside ``elector``, most important first."""
    flags = []
    if elector.removed:
        flags.append(Flag("Off the register", FlagKind.REMOVED))
    for scope in elector.scopes:
        stops_knocking = rules.excludes(scope, rules.Output.KNOCK)
        kind = FlagKind.DO_NOT_CONTACT if stops_knocking else FlagKind.NO_LETTERS
        flags.append(Flag(rules.LABELS[scope], kind, rules.SCOPES[scope]))
    if elector.attainment:
        flags.append(Flag(f"18 on {nice_date(elector.attainment)}", FlagKind.ATTAINER))
    if elector.visits:
        flags.append(Flag(plural(elector.visits, "visit"), FlagKind.ACTIVITY))
    if elector.signatures:
        flags.append(Flag(plural(elector.signatures, "signature"), FlagKind.ACTIVITY))
    return flags


@dataclass(frozen=True, slots=True)
class ElectorLine:
    """One row of the table: an elector at a door, or a door with nobody registered."""

    household: HouseholdRow
    household_number: int
    first: bool
    elector: ElectorRow | None
    flags: tuple[Flag, ...]

    @property
    def muted(self) -> bool:
        """Whether the row is shown greyed: off the register, or not to be knocked on.

        A "no letters" request leaves the person to canvass at the door, so
        their row stays as legible as anyone's.
        """
        return self.elector is not None and (self.elector.removed or self.elector.not_knocked)


def lines_of(households: Sequence[HouseholdRow]) -> list[ElectorLine]:
    """One line per elector, households in walking order, each door's first line marked."""
    lines = []
    for number, household in enumerate(households):
        if not household.electors:
            lines.append(ElectorLine(household, number, True, None, ()))
            continue
        for position, elector in enumerate(household.electors):
            flags = tuple(elector_flags(elector))
            lines.append(ElectorLine(household, number, position == 0, elector, flags))
    return lines


class HouseholdTableModel(QAbstractTableModel):
    """A street's households and their electors, one row per elector, in walking order.

    The door is shown on a household's first row only, and every
    other household is shaded (:attr:`Qt.BackgroundRole`), so the doors stand apart.

    Roles beyond Qt's: :attr:`FLAGS_ROLE` (the row's :class:`Flag` tuple),
    :attr:`FIRST_ROLE` (True on a household's first row), :attr:`MUTED_ROLE`
    (off the register, or do not contact or knock), :attr:`ELECTOR_ID_ROLE`.
    """

    FLAGS_ROLE = _USER + 1
    FIRST_ROLE = _USER + 2
    MUTED_ROLE = _USER + 3
    ELECTOR_ID_ROLE = _USER + 4

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._lines: list[ElectorLine] = []
        self._households = 0
        self._struck = QFont()
        self._struck.setStrikeOut(True)
        self._italic = QFont()
        self._italic.setItalic(True)
        self._shade = QBrush(QColor(HOUSEHOLD_SHADE))
        self._muted = QBrush(QColor(MUTED_TEXT))

    # -- content ------------------------------------------------------------------

    def set_rows(self, households: Sequence[HouseholdRow]) -> None:
        """Show ``households`` (in walking order) instead of what was shown."""
        self.beginResetModel()
        self._lines = lines_of(households)
        self._households = len(households)
        self.endResetModel()

    def clear(self) -> None:
        """Show nothing."""
        self.set_rows(())

    @property
    def household_count(self) -> int:
        """How many doors are shown."""
        return self._households

    def line(self, row: int) -> ElectorLine:
        """The line shown on ``row``."""
        return self._lines[row]

    # -- Qt -------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt)
        """Rows under ``parent``: every line at the top, nothing below."""
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt)
        """Columns under ``parent``."""
        return 0 if parent.isValid() else len(HouseholdColumn)

    def headerData(  # noqa: N802 (Qt)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles and their tooltips."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HouseholdColumn):
            return None
        title, tip = _HEADERS[HouseholdColumn(section)]
        if role == Qt.ItemDataRole.DisplayRole:
            return title
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """What a cell shows for ``role``."""
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        column = HouseholdColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(line, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(line)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._shade if line.household_number % 2 else None
        if role == Qt.ItemDataRole.ForegroundRole and column != HouseholdColumn.DOOR:
            return self._muted if line.muted or line.elector is None else None
        if role == Qt.ItemDataRole.FontRole:
            if line.elector is None and column == HouseholdColumn.NAME:
                return self._italic
            if line.elector is not None and line.elector.removed and column in _STRUCK:
                return self._struck
            return None
        if role == self.FLAGS_ROLE:
            return line.flags
        if role == self.FIRST_ROLE:
            return line.first
        if role == self.MUTED_ROLE:
            return line.muted
        if role == self.ELECTOR_ID_ROLE:
            return line.elector.id if line.elector else None
        return None

    @staticmethod
    def _text(line: ElectorLine, column: HouseholdColumn) -> str:
        if column == HouseholdColumn.DOOR:
            return line.household.door if line.first else ""
        if column == HouseholdColumn.NOTES:
            return " · ".join(flag.text for flag in line.flags)
        elector = line.elector
        if elector is None:
            return "(nobody registered here)" if column == HouseholdColumn.NAME else ""
        if column == HouseholdColumn.NUMBER:
            return elector.number
        if column == HouseholdColumn.NAME:
            return elector.name
        return elector.markers

    @staticmethod
    def _tooltip(line: ElectorLine) -> str:
        where = f"{line.household.door}, {line.household.postcode}".strip(", ")
        if line.household.side:
            where += f" ({line.household.side} side)"
        if line.elector is None:
            return f"{where}\nNobody on the register lives here."
        notes = "\n".join(
            f"{flag.text}: {flag.meaning}" if flag.meaning else flag.text for flag in line.flags
        )
        return f"{line.elector.name} ({line.elector.number})\n{where}" + (
            f"\n{notes}" if notes else ""
        )


_STRUCK = (HouseholdColumn.NUMBER, HouseholdColumn.NAME)


# -- districts and streets --------------------------------------------------------


class TreeColumn(IntEnum):
    """The columns of :class:`DistrictTreeModel`."""

    AREA = 0
    ELECTORS = 1
    HOUSEHOLDS = 2


class DistrictTreeModel(QStandardItemModel):
    """Polling districts with their streets beneath, each with its counts.

    Roles on the first column: :attr:`KIND_ROLE` (``"district"`` or
    ``"street"``), :attr:`ID_ROLE`, :attr:`SUBTITLE_ROLE` (a district's second
    line: ward and electors without an address) and :attr:`FILTER_ROLE` (the
    folded text the filter matches).
    """

    KIND_ROLE = _USER + 1
    ID_ROLE = _USER + 2
    SUBTITLE_ROLE = _USER + 3
    FILTER_ROLE = _USER + 4

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: dict[str, QStandardItem] = {}
        self._set_headers()

    def _set_headers(self) -> None:
        self.setHorizontalHeaderLabels(["District / street", "Electors", "Doors"])
        for column, tip in (
            (TreeColumn.AREA, "Polling districts, and their streets in walking order"),
            (TreeColumn.ELECTORS, "Electors on the register"),
            (TreeColumn.HOUSEHOLDS, "Doors with at least one elector on the register"),
        ):
            header = self.horizontalHeaderItem(column)
            if header is not None:
                header.setToolTip(tip)
                if column != TreeColumn.AREA:
                    header.setTextAlignment(_NUMBER_ALIGNMENT)

    def set_districts(self, districts: Sequence[DistrictNode]) -> None:
        """Show ``districts`` instead of what was shown."""
        self._items = {}
        self.removeRows(0, self.rowCount())
        bold = QFont()
        bold.setBold(True)
        root = self.invisibleRootItem()
        for district in districts:
            row = self._row(district.id, "district", district_title(district), district)
            row[0].setData(district_subtitle(district, short=True), self.SUBTITLE_ROLE)
            row[0].setData(fold(district.code), self.FILTER_ROLE)
            row[0].setToolTip(f"{district_title(district)}\n{district_subtitle(district)}")
            for item in row:
                item.setFont(bold)
            for street in district.streets:
                name = f"{street.name}, {street.town}" if street.town else street.name
                child = self._row(street.id, "street", street.name, street)
                child[0].setData(fold(street.name), self.FILTER_ROLE)
                child[0].setToolTip(f"{name}\nDistrict {district.code}")
                row[0].appendRow(child)
            root.appendRow(row)

    def _row(self, key: str, kind: str, text: str, counts: Any) -> list[QStandardItem]:
        first = QStandardItem(text)
        first.setData(kind, self.KIND_ROLE)
        first.setData(key, self.ID_ROLE)
        self._items[key] = first
        row = [first]
        for value in (counts.electors, counts.households):
            item = QStandardItem(f"{value:,}")
            item.setTextAlignment(_NUMBER_ALIGNMENT)
            row.append(item)
        for item in row:
            item.setEditable(False)
        return row

    def index_of(self, key: str) -> QModelIndex:
        """The first-column index of the district or street with id ``key`` (invalid if none)."""
        item = self._items.get(key)
        return item.index() if item is not None else QModelIndex()


_NUMBER_ALIGNMENT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def district_title(district: DistrictNode, *, long: bool = False) -> str:
    """``"AA district"`` (``"AA"`` if ``long``), or ``"AA — Sampleton North"``.

    The name is shown only when it adds something to the code.
    """
    code = fold(district.code)
    name = district.name.strip()
    if fold(name) in ("", code, f"{code} district", f"district {code}"):
        return district.code if long else f"{district.code} district"
    return f"{district.code} — {name}"


def ward_text(ward: str) -> str:
    """``"Northmock ward"``; a name that already says "ward" as it is."""
    if not ward.strip():
        return "No ward"
    return ward if "ward" in fold(ward) else f"{ward} ward"


def district_subtitle(district: DistrictNode, *, short: bool = False) -> str:
    """The ward (its bare name if ``short``), and how many electors have no address."""
    parts = [district.ward.strip() or "No ward" if short else ward_text(district.ward)]
    if district.without_address:
        parts.append(f"{district.without_address:,} without an address")
    return " · ".join(parts)


class StreetFilterProxy(QSortFilterProxyModel):
    """Keeps the streets whose name contains the typed text (ignoring case and accents).

    A district stays while any of its streets match; typing a district's code
    exactly shows all of its streets.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._needle = ""
        self.setRecursiveFilteringEnabled(True)
        self.setAutoAcceptChildRows(True)

    @property
    def needle(self) -> str:
        """The folded filter text ("" shows everything)."""
        return self._needle

    def set_text(self, text: str) -> None:
        """Filter by ``text`` from now on."""
        needle = fold(text.strip())
        if needle != self._needle:
            self.beginFilterChange()
            self._needle = needle
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:  # noqa: N802
        """Whether the row's street name (or district code) matches the filter."""
        if not self._needle:
            return True
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        key = model.data(index, DistrictTreeModel.FILTER_ROLE) or ""
        if model.data(index, DistrictTreeModel.KIND_ROLE) == "district":
            return bool(key == self._needle)
        return self._needle in key


# -- painting ------------------------------------------------------------------------
