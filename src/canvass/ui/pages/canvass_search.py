"""Finding any elector as you type, on the Canvass screen.

The database does the filtering (its full-text index, via
:func:`canvass.services.search.search_electors`); the hits, at most a couple of
hundred, go into :class:`SearchModel`. Typing waits :data:`DEBOUNCE_MS` for a
pause, and only the latest text is ever searched.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableView, QWidget

from canvass.services.search import ElectorHit, search_electors
from canvass.ui.pages.canvass_common import plural
from canvass.ui.pages.canvass_models import _Table
from canvass.ui.table_models import MUTED_TEXT, AnyIndex

if TYPE_CHECKING:
    from canvass.storage.database import Database
    from canvass.ui.pages.canvass_common import RunnerQueue

#: Milliseconds of quiet after a keystroke before searching.
DEBOUNCE_MS = 150

_DISPLAY = Qt.ItemDataRole.DisplayRole


class SearchColumn(IntEnum):
    """The columns of :class:`SearchModel`."""

    NAME = 0
    NUMBER = 1
    ADDRESS = 2
    POSTCODE = 3
    NOTE = 4


class SearchModel(_Table):
    """Electors found by a search, best first."""

    HEADERS = (
        ("Name", "The elector's name as on the register"),
        ("No.", "Elector number"),
        ("Address", "Where they live"),
        ("Postcode", "The postcode"),
        ("", "Off the register, or asked not to be contacted"),
    )
    HIT_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.hits: list[ElectorHit] = []
        self._muted = QBrush(QColor(MUTED_TEXT))

    def _rows(self) -> Sequence[object]:
        return self.hits

    def set_hits(self, hits: Sequence[ElectorHit]) -> None:
        """Show ``hits`` instead of what was shown."""
        self.beginResetModel()
        self.hits = list(hits)
        self.endResetModel()

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        """What a cell shows for ``role``."""
        if not self._valid(index):
            return None
        hit = self.hits[index.row()]
        column = SearchColumn(index.column())
        if role in (_DISPLAY, Qt.ItemDataRole.ToolTipRole):
            if column == SearchColumn.NAME:
                return hit.name
            if column == SearchColumn.NUMBER:
                return hit.number.removesuffix("/0")  # as the rest of the screen spells it
            if column == SearchColumn.ADDRESS:
                return hit.address or "(no address)"
            if column == SearchColumn.POSTCODE:
                return hit.postcode
            notes = ["Off the register"] if hit.removed else []
            return " · ".join([*notes, *(["Do not contact"] if hit.do_not_contact else [])])
        if role == Qt.ItemDataRole.ForegroundRole and (hit.removed or hit.do_not_contact):
            return self._muted
        if role == self.HIT_ROLE:
            return hit
        return None


class SearchBox(QLineEdit):
    """The search field: ↓ moves into the results, Esc clears it."""

    down = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """↓ and Esc are the box's own; every other key types."""
        if event.key() == Qt.Key.Key_Down:
            self.down.emit()
        elif event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
        else:
            super().keyPressEvent(event)


class Search(QObject):
    """The search box, its results table and the reading behind them.

    Signals:
        active: Whether there is text to search for (the results should show).
        chosen: The :class:`ElectorHit` picked (Enter or a double click).
        searched: The hits for the latest text are on show.
    """

    active = Signal(bool)
    chosen = Signal(object)
    searched = Signal()

    def __init__(self, reads: RunnerQueue, database: Any, parent: QWidget) -> None:
        """``database`` is called for the database to search (the window's, as it is now)."""
        super().__init__(parent)
        self.reads = reads
        self._database = database
        self.box = SearchBox()
        self.box.setObjectName("search")
        self.box.setClearButtonEnabled(True)
        self.box.setPlaceholderText(
            "Find anyone: name, address, postcode or elector number  (Ctrl+F)"
        )
        self.box.setToolTip(
            "Finds electors as you type; Enter or a double click goes to their door"
        )
        self.model = SearchModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(34)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column, width in ((0, 240), (1, 100), (2, 280), (3, 100)):
            header.resizeSection(column, width)
        self.view.doubleClicked.connect(self._choose_index)
        self.view.installEventFilter(self)
        self.status = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._search)
        self.box.textChanged.connect(self._on_text)
        self.box.returnPressed.connect(self._choose_current)
        self.box.down.connect(self._into_results)

    def _on_text(self, text: str) -> None:
        self.active.emit(bool(text.strip()))
        if not text.strip():
            self._timer.stop()
            self.model.set_hits(())
            return
        self._timer.start()

    @Slot()
    def _search(self) -> None:
        text = self.box.text().strip()
        if not text:
            return
        db: Database = self._database()
        self.reads.submit(
            lambda: functools.partial(search_electors, db, text, refresh=False),
            on_finished=functools.partial(self._on_hits, text),
            on_failed=self._on_failed,
            key="search",
        )

    def _on_hits(self, text: str, hits: list[ElectorHit]) -> None:
        if text != self.box.text().strip():
            return  # typed on meanwhile; the newer search is on its way
        self.model.set_hits(hits)
        if hits:
            self.view.selectRow(0)
        self.status = f"{plural(len(hits), 'elector')} found" if hits else "Nobody found"
        self.searched.emit()

    def _on_failed(self, message: str) -> None:
        self.model.set_hits(())
        self.status = message
        self.searched.emit()

    @Slot()
    def _into_results(self) -> None:
        if self.model.rowCount():
            self.view.setFocus()
            if not self.view.selectionModel().hasSelection():
                self.view.selectRow(0)

    @Slot()
    def _choose_current(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if rows:
            self._choose_index(rows[0])
        elif self.model.rowCount():
            self._choose_index(self.model.index(0, 0))

    @Slot(QModelIndex)
    def _choose_index(self, index: QModelIndex) -> None:
        hit = self.model.data(self.model.index(index.row(), 0), SearchModel.HIT_ROLE)
        if hit is not None:
            self.chosen.emit(hit)

    def eventFilter(self, watched: QObject, event: Any) -> bool:  # noqa: N802 (Qt override)
        """Enter in the results goes to the door; Esc or typing goes back to the box."""
        if (
            watched is self.view
            and isinstance(event, QKeyEvent)
            and event.type() == event.Type.KeyPress
        ):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._choose_current()
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.box.setFocus()
                return True
            if event.text() and event.text().isprintable():
                self.box.setFocus()
                self.box.keyPressEvent(event)
                return True
        return super().eventFilter(watched, event)

    def clear(self) -> None:
        """Empty the box and the results."""
        self._timer.stop()
        self.box.clear()
        self.model.set_hits(())
