"""The Petitions screen's table models: a petition's signatures, and paper rows just typed.

They only hold the plain rows they are given (:class:`SignatureRow`); they
never read the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from canvass.ui import theme
from canvass.ui.pages.canvass_common import ERROR_COLOUR, WARNING_COLOUR, when
from canvass.ui.pages.petitions_common import SignatureRow
from canvass.ui.table_models import MUTED_TEXT, AnyIndex, fold

_DISPLAY = Qt.ItemDataRole.DisplayRole
_TIP = Qt.ItemDataRole.ToolTipRole
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

#: The Signatures view's filter: its key, its words and what it keeps.
FILTERS: tuple[tuple[str, str, str], ...] = (
    ("all", "All", "Every signature, in the order they were taken"),
    ("counted", "Counted", "The signatures that count towards the threshold"),
    ("excluded", "Excluded", "Duplicates, withdrawals and those a person excluded"),
    (
        "flagged",
        "Flagged",
        "Duplicates and crowded addresses the rules found, that no person has decided yet",
    ),
)


def keeps(row: SignatureRow, mode: str) -> bool:
    """Whether the filter ``mode`` shows ``row``."""
    if mode == "counted":
        return row.counted
    if mode == "excluded":
        return not row.counted
    if mode == "flagged":
        return row.flagged
    return True


class SignatureColumn(IntEnum):
    """The columns of :class:`SignatureModel`."""

    NUMBER = 0
    NAME = 1
    POSTCODE = 2
    HOW = 3
    COLLECTOR = 4
    WHEN = 5
    STATUS = 6
    REASONS = 7


class _Table(QAbstractTableModel):
    """Headers with tooltips; no children."""

    HEADERS: tuple[tuple[str, str], ...] = ()

    def _count(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt)
        """Rows at the top level; nothing below."""
        return 0 if parent.isValid() else self._count()

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt)
        """Columns at the top level; nothing below."""
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802 (Qt)
        self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY
    ) -> Any:
        """Column titles and what each holds."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == _DISPLAY:
            return self.HEADERS[section][0]
        if role == _TIP:
            return self.HEADERS[section][1]
        return None

    def _valid(self, index: AnyIndex) -> bool:
        return (
            index.isValid()
            and index.model() is self
            and 0 <= index.row() < self._count()
            and 0 <= index.column() < len(self.HEADERS)
        )


class SignatureModel(_Table):
    """A petition's signatures, judged, filtered by what they are and by a text."""

    HEADERS = (
        ("#", "Its place in the order the signatures were taken"),
        ("Name", "The signer's name as given"),
        ("Postcode", "The signer's postcode"),
        ("How", "At the doorstep, at a stall, or a paper sheet (sheet/row)"),
        ("Collector", "Who took the signature"),
        ("When", "When it was taken (or typed in)"),
        ("Counts?", "Whether it counts towards the threshold"),
        ("Why", "Why it is excluded, or what the rules want a person to check"),
    )
    ROW_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[SignatureRow] = []
        self.shown: list[SignatureRow] = []
        self.mode = "all"
        self.text = ""
        self._brushes = {
            "counts": QBrush(QColor(theme.BRAND_DARK)),
            "excluded": QBrush(QColor(ERROR_COLOUR)),
            "withdrawn": QBrush(QColor(MUTED_TEXT)),
            "flag": QBrush(QColor(WARNING_COLOUR)),
        }
        self._bold = QFont()
        self._bold.setBold(True)

    def _count(self) -> int:
        return len(self.shown)

    def set_rows(self, rows: Sequence[SignatureRow]) -> None:
        """Hold ``rows`` instead; the filter stays as it is."""
        self.beginResetModel()
        self.rows = list(rows)
        self.shown = self._filtered()
        self.endResetModel()

    def set_filter(self, mode: str, text: str = "") -> None:
        """Show the rows ``mode`` keeps whose name or postcode holds ``text``."""
        self.beginResetModel()
        self.mode, self.text = mode, text
        self.shown = self._filtered()
        self.endResetModel()

    def _filtered(self) -> list[SignatureRow]:
        words = fold(self.text).split()
        out = []
        for row in self.rows:
            if not keeps(row, self.mode):
                continue
            if words:
                haystack = fold(f"{row.name} {row.postcode} {row.postcode.replace(' ', '')}")
                if not all(word in haystack for word in words):
                    continue
            out.append(row)
        return out

    def row_at(self, row: int) -> SignatureRow | None:
        """The signature shown on ``row``."""
        return self.shown[row] if 0 <= row < len(self.shown) else None

    def find(self, signature_id: str) -> int:
        """The row showing ``signature_id`` (-1 if it is not shown)."""
        return next((n for n, r in enumerate(self.shown) if r.id == signature_id), -1)

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        """What a cell shows for ``role``."""
        if not self._valid(index):
            return None
        row = self.shown[index.row()]
        column = SignatureColumn(index.column())
        if role in (_DISPLAY, _TIP):
            return self._text(row, column, tip=role == _TIP)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if column == SignatureColumn.NUMBER else _LEFT)
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.withdrawn:
                return self._brushes["withdrawn"]
            if column == SignatureColumn.STATUS:
                return self._brushes["counts" if row.counted else "excluded"]
            if column == SignatureColumn.REASONS and row.reasons:
                return self._brushes["flag" if row.counted else "excluded"]
            return None
        if role == Qt.ItemDataRole.FontRole and column == SignatureColumn.STATUS:
            return self._bold
        if role == self.ROW_ROLE:
            return row
        return None

    @staticmethod
    def _text(row: SignatureRow, column: SignatureColumn, *, tip: bool) -> str:
        if column == SignatureColumn.NUMBER:
            return str(row.number)
        if column == SignatureColumn.NAME:
            return row.name
        if column == SignatureColumn.POSTCODE:
            return row.postcode
        if column == SignatureColumn.HOW:
            if tip and row.method == "paper":
                return f"Paper sheet {row.sheet}, row {row.row}"
            return row.how
        if column == SignatureColumn.COLLECTOR:
            return row.collector or ("(not named)" if tip else "")
        if column == SignatureColumn.WHEN:
            return row.signed_at if tip else when(row.signed_at)
        if column == SignatureColumn.STATUS:
            return row.status
        return "" if row.withdrawn else "; ".join(row.reasons)


@dataclass(frozen=True, slots=True)
class PaperRow:
    """A paper row typed in during this session."""

    sheet: int
    row: int
    name: str
    postcode: str


class PaperRowsModel(_Table):
    """The paper rows typed in this session, the latest first."""

    HEADERS = (
        ("Sheet", "The sheet number written on the paper"),
        ("Row", "The row on the sheet"),
        ("Name", "The name as typed"),
        ("Postcode", "The postcode as saved"),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[PaperRow] = []

    def _count(self) -> int:
        return len(self.rows)

    def add(self, row: PaperRow) -> None:
        """Put ``row`` at the top."""
        self.beginInsertRows(QModelIndex(), 0, 0)
        self.rows.insert(0, row)
        self.endInsertRows()

    def clear(self) -> None:
        """Forget every row."""
        self.beginResetModel()
        self.rows = []
        self.endResetModel()

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        """What a cell shows for ``role``."""
        if not self._valid(index):
            return None
        row = self.rows[index.row()]
        if role in (_DISPLAY, _TIP):
            return (str(row.sheet), str(row.row), row.name, row.postcode)[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if index.column() < 2 else _LEFT)
        return None
