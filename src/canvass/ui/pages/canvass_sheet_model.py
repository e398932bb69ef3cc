"""A paper walk sheet being typed in: who is on it, what was entered, and what was skipped.

A sheet is a walk list or a polling district as its printed walk sheets show
it: electors in walking order, without those who are off the register or asked
not to be contacted (they are never printed), nor those recorded as moved
away (they cannot be entered). Rows are kept per sheet while the app runs, so
switching to another sheet and back keeps the running list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from canvass.domain.electors import parse_elector_number
from canvass.domain.errors import ValidationError
from canvass.services.canvassing import Door, DoorElector
from canvass.ui import theme
from canvass.ui.pages.canvass_common import ERROR_COLOUR, Source, recordable
from canvass.ui.pages.canvass_models import _Table
from canvass.ui.table_models import MUTED_TEXT, AnyIndex

_DISPLAY = Qt.ItemDataRole.DisplayRole

#: What a row's last column says for each state.
STATES = {"saving": "Saving…", "saved": "Saved", "undone": "Undone", "failed": "Not saved"}


@dataclass(slots=True)
class SheetRow:
    """One line typed in from a sheet."""

    elector: DoorElector
    address_id: str
    door: str
    text: str
    visit_id: str = ""
    state: str = "saving"  # "saving", "saved", "undone" or "failed"
    message: str = ""

    @property
    def counts(self) -> bool:
        """Whether the row counts as entered (saved, or on its way)."""
        return self.state in ("saving", "saved")


@dataclass(slots=True)
class Sheet:
    """The electors of one sheet in walking order, and the rows typed in from it."""

    source: Source
    electors: list[tuple[DoorElector, Door]] = field(default_factory=list)
    rows: list[SheetRow] = field(default_factory=list)
    _index: dict[str, int] = field(default_factory=dict)

    def set_doors(self, doors: Sequence[Door]) -> None:
        """The sheet's doors, read (again)."""
        self.electors = [(e, d) for d in doors for e in d.electors]
        self._index = {e.number: n for n, (e, _d) in enumerate(self.electors)}

    def normalise(self, text: str) -> str:
        """A number as typed, in the sheet's spelling ("124/1" → "AA-124/1").

        Raises:
            ValidationError: If ``text`` is not an elector number.
        """
        return str(parse_elector_number(text, district=self.source.district or None))

    def find(self, number: str) -> tuple[DoorElector, Door] | None:
        """The elector with ``number`` (as :meth:`normalise` spells it), if on this sheet."""
        at = self._index.get(number)
        return self.electors[at] if at is not None else None

    def update(self, elector: DoorElector) -> None:
        """Show ``elector``'s new records (for "moved" checks and counts)."""
        at = self._index.get(elector.number)
        if at is not None:
            self.electors[at] = (elector, self.electors[at][1])
        for row in self.rows:
            if row.elector.id == elector.id:
                row.elector = elector

    @property
    def expected(self) -> list[DoorElector]:
        """The electors whose rows can be typed in, in walking order."""
        entered = self.entered_ids
        return [e for e, _d in self.electors if recordable(e) or e.id in entered]

    @property
    def entered_ids(self) -> set[str]:
        """Electors with a row saved (or being saved)."""
        return {row.elector.id for row in self.rows if row.counts}

    def row_of(self, elector_id: str) -> int:
        """The number (from 1) of the row entered for ``elector_id``; 0 if none."""
        return next(
            (
                n + 1
                for n, row in enumerate(self.rows)
                if row.counts and row.elector.id == elector_id
            ),
            0,
        )

    def skipped(self) -> list[tuple[DoorElector, Door]]:
        """Electors before the furthest one entered who have no row: skipped on the sheet."""
        entered = self.entered_ids
        furthest = max(
            (n for n, (e, _d) in enumerate(self.electors) if e.id in entered), default=-1
        )
        return [
            (e, d) for e, d in self.electors[:furthest] if e.id not in entered and recordable(e)
        ]


def sheet_number(text: str, district: str) -> str | None:
    """``text`` as an elector number if it reads as one ("124/1" in ``district``)."""
    try:
        return str(parse_elector_number(text, district=district or None))
    except ValidationError:
        return None


class SheetColumn(IntEnum):
    """The columns of :class:`SheetModel`."""

    ROW = 0
    NUMBER = 1
    NAME = 2
    RECORDED = 3
    STATE = 4


class SheetModel(_Table):
    """The rows typed in from one sheet, in the order they were typed."""

    HEADERS = (
        ("#", "The order the rows were typed in"),
        ("No.", "Elector number"),
        ("Name", "The elector's name as on the register"),
        ("Recorded", "What was saved from the sheet"),
        ("", "Saved, being saved, undone (Ctrl+Z) or not saved"),
    )
    ROW_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[SheetRow] = []
        self._struck = QFont()
        self._struck.setStrikeOut(True)
        self._muted = QBrush(QColor(MUTED_TEXT))
        self._error = QBrush(QColor(ERROR_COLOUR))
        self._good = QBrush(QColor(theme.BRAND_DARK))

    def _rows(self) -> Sequence[object]:
        return self.rows

    def set_rows(self, rows: list[SheetRow]) -> None:
        """Show ``rows`` (the sheet's own list: appended to as rows are typed)."""
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def append(self, row: SheetRow) -> None:
        """Add a row typed in just now."""
        at = len(self.rows)
        self.beginInsertRows(QModelIndex(), at, at)
        self.rows.append(row)
        self.endInsertRows()

    def changed(self, row: SheetRow) -> None:
        """Show a row's new state."""
        at = next((n for n, r in enumerate(self.rows) if r is row), -1)
        if at >= 0:
            self.dataChanged.emit(self.index(at, 0), self.index(at, len(self.HEADERS) - 1))

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        """What a cell shows for ``role``."""
        if not self._valid(index):
            return None
        row = self.rows[index.row()]
        column = SheetColumn(index.column())
        if role == _DISPLAY:
            return self._text(index.row(), row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.elector.name} ({row.elector.number}), {row.door}\n{row.text}" + (
                f"\n{row.message}" if row.message else ""
            )
        if (
            role == Qt.ItemDataRole.FontRole
            and row.state == "undone"
            and column != SheetColumn.STATE
        ):
            return self._struck
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == SheetColumn.STATE:
                return {"failed": self._error, "saved": self._good}.get(row.state, self._muted)
            return self._muted if row.state in ("undone", "failed") else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == SheetColumn.ROW:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == self.ROW_ROLE:
            return row
        return None

    @staticmethod
    def _text(at: int, row: SheetRow, column: SheetColumn) -> str:
        if column == SheetColumn.ROW:
            return f"{at + 1}"
        if column == SheetColumn.NUMBER:
            return row.elector.number
        if column == SheetColumn.NAME:
            return row.elector.name
        if column == SheetColumn.RECORDED:
            return row.text
        return STATES[row.state]
