"""The Canvass screen's table models: doors, electors at a door, an elector's history.

They hold the plain rows the canvassing services return; they never read the
database. The page replaces or patches their rows (a record saved, undone,
changed) without reading everything again.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from canvass.services.canvassing import CodeBook, Door, DoorElector, VisitInfo
from canvass.ui import theme
from canvass.ui.pages.canvass_common import describe_visit, is_today, plural, recordable, when
from canvass.ui.table_models import MUTED_TEXT, AnyIndex, Flag, FlagKind

_USER = Qt.ItemDataRole.UserRole
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TIP = Qt.ItemDataRole.ToolTipRole
_CENTRE = Qt.AlignmentFlag.AlignCenter


def recorded_today(elector: DoorElector) -> bool:
    """Whether ``elector`` has a record (not undone) made today."""
    return elector.latest is not None and is_today(elector.latest.visited_at)


def done_today(door: Door) -> int:
    """Electors at ``door`` with a record (not undone) made today."""
    return sum(1 for e in door.electors if recorded_today(e))


def callable_at(door: Door) -> int:
    """Electors at ``door`` to call on today: those who may be, and those already done."""
    return sum(1 for e in door.electors if recordable(e) or recorded_today(e))


def badges(elector: DoorElector) -> tuple[Flag, ...]:
    """The short labels beside an elector: why they are greyed, and petition signatures."""
    out = []
    if elector.removed:
        out.append(Flag("Off register", FlagKind.REMOVED))
    if elector.do_not_contact:
        out.append(Flag("Do not contact", FlagKind.DO_NOT_CONTACT))
    if elector.moved:
        out.append(Flag("Moved", FlagKind.REMOVED))
    if elector.signatures:
        out.append(Flag(plural(elector.signatures, "signature"), FlagKind.ACTIVITY))
    return tuple(out)


def history_line(book: CodeBook, elector: DoorElector) -> str:
    """The latest record at a glance: "Spoke · Supporter · support 2 — 3 Apr 2027"."""
    latest = elector.latest
    if latest is None:
        return "No record yet"
    earlier = sum(1 for v in elector.visits if not v.voided) - 1
    more = f" (+{earlier} earlier)" if earlier > 0 else ""
    return f"{describe_visit(book, latest)} — {when(latest.visited_at)}{more}"


class _Table(QAbstractTableModel):
    """Shared plumbing: headers with tooltips, no children."""

    HEADERS: tuple[tuple[str, str], ...] = ()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt)
        """Rows at the top level; nothing below."""
        return 0 if parent.isValid() else len(self._rows())

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt)
        """Columns at the top level; nothing below."""
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802 (Qt)
        self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY
    ) -> Any:
        """Column titles and their tooltips."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == _DISPLAY:
            return self.HEADERS[section][0]
        if role == _TIP:
            return self.HEADERS[section][1]
        return None

    def _rows(self) -> Sequence[object]:
        raise NotImplementedError

    def _valid(self, index: AnyIndex) -> bool:
        return index.isValid() and 0 <= index.row() < len(self._rows())


class DoorColumn(IntEnum):
    """The columns of :class:`DoorModel`."""

    DOOR = 0
    TODAY = 1


class DoorModel(_Table):
    """Households in walking order: the door, its street, and how many were done today."""

    HEADERS = (
        ("Door", "House number, name or flat, and street, in walking order"),
        ("Today", "Electors recorded today, of those who may be called on"),
    )
    DOOR_ROLE = _USER + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.doors: list[Door] = []
        self._done_brush = QBrush(QColor(theme.BRAND_DARK))
        self._muted = QBrush(QColor(MUTED_TEXT))

    def _rows(self) -> Sequence[object]:
        return self.doors

    def set_doors(self, doors: Sequence[Door]) -> None:
        """Show ``doors`` instead of what was shown."""
        self.beginResetModel()
        self.doors = list(doors)
        self.endResetModel()

    def replace(self, row: int, door: Door) -> None:
        """Show ``door`` (with new records) on ``row``."""
        self.doors[row] = door
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        """What a cell shows for ``role``."""
        if not self._valid(index):
            return None
        door = self.doors[index.row()]
        column = DoorColumn(index.column())
        done, total = done_today(door), callable_at(door)
        if role == _DISPLAY:
            if column == DoorColumn.DOOR:
                return f"{door.label} {door.street}"
            if total == 0:
                return "—"
            return f"✓ {done}/{total}" if done >= total else f"{done}/{total}"
        if role == _TIP:
            people = ", ".join(e.name for e in door.electors)
            return (
                f"{door.label} {door.street}, {door.postcode}\n{people}\n"
                f"{done} of {total} recorded today"
            )
        if role == Qt.ItemDataRole.ForegroundRole and column == DoorColumn.TODAY:
            return self._done_brush if total and done >= total else self._muted
        if role == Qt.ItemDataRole.TextAlignmentRole and column == DoorColumn.TODAY:
            return _CENTRE
        if role == self.DOOR_ROLE:
            return door
        return None


class ElectorModel(QAbstractListModel):
    """The electors at one door, each with their latest record at a glance.

    Roles beyond Qt's: :attr:`NUMBER_ROLE`, :attr:`HISTORY_ROLE` (the latest
    record in words), :attr:`BADGES_ROLE` (a tuple of :class:`Flag`),
    :attr:`MUTED_ROLE` (nothing can be recorded for them by a key) and
    :attr:`ELECTOR_ROLE`.
    """

    NUMBER_ROLE = _USER + 1
    HISTORY_ROLE = _USER + 2
    BADGES_ROLE = _USER + 3
    MUTED_ROLE = _USER + 4
    ELECTOR_ROLE = _USER + 5

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.book = CodeBook((), (), ())
        self.electors: list[DoorElector] = []

    def set_electors(self, book: CodeBook, electors: Sequence[DoorElector]) -> None:
        """Show ``electors`` (one door's) instead of what was shown."""
        self.beginResetModel()
        self.book, self.electors = book, list(electors)
        self.endResetModel()

    def replace(self, row: int, elector: DoorElector) -> None:
        """Show ``elector`` (with new records) on ``row``."""
        self.electors[row] = elector
        self.dataChanged.emit(self.index(row), self.index(row))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt)
        """One row per elector; nothing below."""
        return 0 if parent.isValid() else len(self.electors)

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        """What a row shows for ``role``."""
        if not index.isValid() or not 0 <= index.row() < len(self.electors):
            return None
        elector = self.electors[index.row()]
        if role == _DISPLAY:
            return elector.name
        if role == _TIP:
            extra = f"\nMarkers: {elector.markers}" if elector.markers else ""
            return f"{elector.name} ({elector.number}){extra}\n{history_line(self.book, elector)}"
        if role == self.NUMBER_ROLE:
            return elector.number
        if role == self.HISTORY_ROLE:
            return history_line(self.book, elector)
        if role == self.BADGES_ROLE:
            return badges(elector)
        if role == self.MUTED_ROLE:
            return not recordable(elector)
        if role == self.ELECTOR_ROLE:
            return elector
        return None


class HistoryColumn(IntEnum):
    """The columns of :class:`HistoryModel`."""

    WHEN = 0
    RECORD = 1
    BY = 2


class HistoryModel(_Table):
    """One elector's records, newest first; undone ones struck through."""

    HEADERS = (
        ("When", "When the record was made"),
        ("Record", "Outcome, intention, scores, flags, issues and notes"),
        ("By", "Who recorded it, at the door or from a paper sheet"),
    )
    VISIT_ROLE = _USER + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.book = CodeBook((), (), ())
        self.visits: list[VisitInfo] = []
        self._struck = QFont()
        self._struck.setStrikeOut(True)
        self._muted = QBrush(QColor(MUTED_TEXT))

    def _rows(self) -> Sequence[object]:
        return self.visits

    def set_visits(self, book: CodeBook, visits: Sequence[VisitInfo]) -> None:
        """Show ``visits`` (oldest first, as the services give them), newest at the top."""
        self.beginResetModel()
        self.book, self.visits = book, list(reversed(visits))
        self.endResetModel()

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        """What a cell shows for ``role``."""
        if not self._valid(index):
            return None
        visit = self.visits[index.row()]
        column = HistoryColumn(index.column())
        how = "from a paper sheet" if visit.method == "paper" else "at the door"
        by = f"{visit.canvasser}, {how}" if visit.canvasser else how
        text = describe_visit(self.book, visit) + (" (undone)" if visit.voided else "")
        if role == _DISPLAY:
            if column == HistoryColumn.WHEN:
                return when(visit.visited_at)
            return text if column == HistoryColumn.RECORD else by
        if role == _TIP:
            notice = (
                f"privacy notice version {visit.notice_version} given"
                if visit.notice_version
                else "no privacy notice version recorded"
            )
            return f"{when(visit.visited_at)}: {text}\nRecorded by {by}; {notice}"
        if role == Qt.ItemDataRole.FontRole and visit.voided:
            return self._struck
        if role == Qt.ItemDataRole.ForegroundRole and visit.voided:
            return self._muted
        if role == self.VISIT_ROLE:
            return visit
        return None
