"""The Privacy screen's tables: one plain model of text rows, and the views that show them.

Each tab turns what it read into :class:`Row` s (the texts of the cells, a
tooltip, whether the row is greyed, and the object it stands for); the model
never reads the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from canvass.ui.table_models import MUTED_TEXT, AnyIndex

_DISPLAY = Qt.ItemDataRole.DisplayRole
_TIP = Qt.ItemDataRole.ToolTipRole


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a :class:`TextTableModel`.

    Attributes:
        cells: The text of each column.
        tips: A tooltip per column ("" for the cell's own text).
        muted: Grey the row (off the register, a purge keeps it...).
        item: What the row stands for, handed back by :meth:`TextTableModel.item`.
    """

    cells: tuple[str, ...]
    tips: tuple[str, ...] = ()
    muted: bool = False
    item: object = None


class TextTableModel(QAbstractTableModel):
    """Rows of text under headings with tooltips; replaced in one go."""

    def __init__(self, headers: Sequence[tuple[str, str]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers = tuple(headers)
        self.rows: list[Row] = []
        self._muted = QBrush(QColor(MUTED_TEXT))

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Show ``rows`` instead of what was shown."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def item(self, row: int) -> Any:
        """What row ``row`` stands for (None outside the rows)."""
        return self.rows[row].item if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt)
        """Rows at the top level; nothing below."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt)
        """Columns at the top level; nothing below."""
        return 0 if parent.isValid() else len(self.headers)

    def headerData(  # noqa: N802 (Qt)
        self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY
    ) -> Any:
        """Column titles and their tooltips."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.headers):
            return None
        if role == _DISPLAY:
            return self.headers[section][0]
        if role == _TIP:
            return self.headers[section][1]
        return None

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        """A cell's text, tooltip and colour."""
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if not 0 <= column < len(row.cells):
            return None
        if role == _DISPLAY:
            return row.cells[column]
        if role == _TIP:
            tip = row.tips[column] if column < len(row.tips) else ""
            return tip or row.cells[column] or None
        if role == Qt.ItemDataRole.ForegroundRole and row.muted:
            return self._muted
        return None


def text_table(model: TextTableModel, widths: Sequence[int] = ()) -> QTableView:
    """A read-only table of whole rows, its last column stretched, columns ``widths`` wide."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(32)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for column, width in enumerate(widths):
        header.resizeSection(column, width)
    return view
