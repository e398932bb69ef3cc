"""The editable tables of the codes editor: codes with labels, and survey questions.

A :class:`CodeTableModel` holds plain rows of text and never reads or writes
the database; the editor turns its rows into a
:class:`~canvass.services.canvassing.CodeBook` when the person saves, and the
service checks it then.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from canvass.domain.codes import Code
from canvass.services.canvassing import Question

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

CODE_HEADERS = (
    ("Code", "What canvassers key and write: 1 to 6 capital letters or digits"),
    ("Label", "What the screens and reports call it"),
)
QUESTION_HEADERS = (
    ("Code", "A short name for the question: 1 to 6 capital letters or digits"),
    ("Question", "The question as canvassers ask it"),
    ("Choices", "The answers to choose from, separated by commas"),
)


def split_choices(text: str) -> tuple[str, ...]:
    """``"Yes, No, Don't know"`` as its choices, without empty ones."""
    return tuple(c.strip() for c in text.split(",") if c.strip())


class CodeTableModel(QAbstractTableModel):
    """Rows of text cells the person edits: a code (kept in capitals) and what follows.

    Rows are added, removed and moved with Qt's own calls (``insertRows``,
    ``removeRows``, ``moveRows``), so views and tests see ordinary model signals.
    """

    def __init__(self, headers: Sequence[tuple[str, str]], parent: Any = None) -> None:
        super().__init__(parent)
        self.headers = tuple(headers)
        self._rows: list[list[str]] = []

    # -- content ----------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Sequence[str]]) -> None:
        """Show ``rows`` (each as many cells as there are columns) instead of what was shown."""
        width = len(self.headers)
        self.beginResetModel()
        self._rows = [[*(str(c) for c in row[:width]), *[""] * (width - len(row))] for row in rows]
        self.endResetModel()

    def rows(self) -> list[tuple[str, ...]]:
        """Every row as shown, its cells without surrounding spaces."""
        return [tuple(cell.strip() for cell in row) for row in self._rows]

    def set_codes(self, codes: Sequence[Code]) -> None:
        """Show codes with their labels."""
        self.set_rows([list(code) for code in codes])

    def codes(self) -> tuple[Code, ...]:
        """The rows as (code, label) pairs, leaving out rows left wholly empty."""
        return tuple((row[0], row[1]) for row in self.rows() if any(row))

    def set_questions(self, questions: Sequence[Question]) -> None:
        """Show survey questions, their choices separated by commas."""
        self.set_rows([[q.code, q.text, ", ".join(q.choices)] for q in questions])

    def questions(self) -> tuple[Question, ...]:
        """The rows as survey questions, leaving out rows left wholly empty."""
        return tuple(
            Question(row[0], row[1], split_choices(row[2])) for row in self.rows() if any(row)
        )

    def add_row(self, after: int = -1) -> int:
        """Add an empty row after ``after`` (at the end if -1); returns its number."""
        row = len(self._rows) if after < 0 else min(after + 1, len(self._rows))
        self.insertRows(row, 1)
        return row

    def move_row(self, row: int, by: int) -> int:
        """Move ``row`` up (-1) or down (+1); returns where it is now."""
        target = row + by
        if not (0 <= row < len(self._rows) and 0 <= target < len(self._rows)):
            return row
        # Qt counts the destination before the move: one further when moving down.
        self.moveRows(_ROOT, row, 1, _ROOT, target + 1 if by > 0 else target)
        return target

    # -- Qt ---------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:  # noqa: N802 (Qt)
        """Rows under ``parent``: every row at the top, nothing below."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:  # noqa: N802 (Qt)
        """Columns under ``parent``."""
        return 0 if parent.isValid() else len(self.headers)

    def headerData(  # noqa: N802 (Qt)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles and their tooltips; rows are numbered."""
        if orientation == Qt.Orientation.Vertical:
            return section + 1 if role == Qt.ItemDataRole.DisplayRole else None
        if not 0 <= section < len(self.headers):
            return None
        title, tip = self.headers[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return title
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text, for showing and for editing."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.headers[index.column()][1]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        """Every cell can be edited."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def setData(  # noqa: N802 (Qt)
        self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        """Change a cell; codes are kept in capitals."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        if not 0 <= index.row() < len(self._rows):
            return False
        text = "" if value is None else str(value).strip()
        if index.column() == 0:
            text = text.upper()
        if self._rows[index.row()][index.column()] == text:
            return True
        self._rows[index.row()][index.column()] = text
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True

    def insertRows(self, row: int, count: int, parent: AnyIndex = _ROOT) -> bool:  # noqa: N802
        """Insert ``count`` empty rows before ``row``."""
        if parent.isValid() or count < 1 or not 0 <= row <= len(self._rows):
            return False
        self.beginInsertRows(_ROOT, row, row + count - 1)
        for _ in range(count):
            self._rows.insert(row, [""] * len(self.headers))
        self.endInsertRows()
        return True

    def removeRows(self, row: int, count: int, parent: AnyIndex = _ROOT) -> bool:  # noqa: N802
        """Remove ``count`` rows from ``row``."""
        if parent.isValid() or count < 1 or row < 0 or row + count > len(self._rows):
            return False
        self.beginRemoveRows(_ROOT, row, row + count - 1)
        del self._rows[row : row + count]
        self.endRemoveRows()
        return True

    def moveRows(  # noqa: N802 (Qt)
        self,
        source_parent: AnyIndex,
        source_row: int,
        count: int,
        destination_parent: AnyIndex,
        destination_child: int,
    ) -> bool:
        """Move ``count`` rows from ``source_row`` to before ``destination_child``."""
        if source_parent.isValid() or destination_parent.isValid() or count < 1:
            return False
        end = source_row + count
        if source_row < 0 or end > len(self._rows) or not 0 <= destination_child <= len(self._rows):
            return False
        if source_row <= destination_child <= end:
            return False  # onto itself
        if not self.beginMoveRows(_ROOT, source_row, end - 1, _ROOT, destination_child):
            return False
        moving = self._rows[source_row:end]
        del self._rows[source_row:end]
        at = destination_child - count if destination_child > source_row else destination_child
        self._rows[at:at] = moving
        self.endMoveRows()
        return True
