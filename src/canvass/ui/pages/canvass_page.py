"""The Canvass screen: record doorstep responses at the door, or type in paper walk sheets.

Two tabs share one code book and one pair of queues: reads (the campaign's
codes, walk lists and districts, a list's doors, searches) go through the
window's reads runner, and every write (records, undo and redo, changes, the
search index) through its task runner, one short transaction each.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QTabWidget, QVBoxLayout, QWidget

from canvass.services.search import ensure_index
from canvass.ui.pages.canvass_common import STYLE, RunnerQueue, Setup, read_setup
from canvass.ui.pages.canvass_door import DoorMode
from canvass.ui.pages.canvass_sheet import SheetMode
from canvass.ui.pages.common import label

if TYPE_CHECKING:
    from canvass.ui.main_window import MainWindow


class CanvassPage(QWidget):
    """The Canvass screen.

    Signals:
        loaded: The codes, walk lists and districts were read (again).
        import_requested: The person asked to import the register (empty state).
    """

    NAV_TITLE = "Canvass"
    NAV_ICON = "canvass"

    loaded = Signal()
    import_requested = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.main = window
        self.setup: Setup | None = None
        self.setObjectName("pageArea")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(STYLE)
        self.reads = RunnerQueue(window.reads, self)
        self.writes = RunnerQueue(window.tasks, self)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 12, 20, 8)
        outer.setSpacing(4)
        heading = QHBoxLayout()
        heading.setSpacing(14)
        heading.addWidget(label("Canvass", "pageTitle"))
        self.subtitle = label(
            "One key per code, shown on every button. Enter saves and moves on; Ctrl+Z undoes.",
            "pageSubtitle",
        )
        heading.addWidget(self.subtitle, 1, Qt.AlignmentFlag.AlignBottom)
        outer.addLayout(heading)
        self.door = DoorMode(self)
        self.sheet = SheetMode(self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("canvassTabs")
        self.tabs.tabBar().setObjectName("canvassTabBar")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.door, "At the door")
        self.tabs.addTab(self.sheet, "Paper sheets")
        self.tabs.setTabToolTip(0, "Record each elector as you walk a list, door by door")
        self.tabs.setTabToolTip(1, "Type in returned paper walk sheets, row by row")
        self.tabs.currentChanged.connect(self._on_tab)
        outer.addWidget(self.tabs, 1)
        # Anywhere on the screen (even from the sidebar): to the search box, at the door.
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WindowShortcut)
        find.activated.connect(self.focus_find)

    @property
    def busy(self) -> bool:
        """Whether a read or a write of this screen is waiting or running."""
        return self.reads.busy or self.writes.busy

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """Read the codes, lists and districts whenever the screen comes into view."""
        super().showEvent(event)
        self.reload()
        self._index()

    def on_database_changed(self) -> None:
        """Forget everything shown; the window's new database is read when the screen shows."""
        self.setup = None
        self.reads.clear()
        self.writes.clear()
        for mode in (self.door, self.sheet):
            mode.history.forget()
        self.sheet.sheets.clear()
        self.sheet.sheet = None
        self.door.source = None
        self.door.search.clear()
        if self.isVisible():
            self.reload()
            self._index()

    @Slot()
    def reload(self) -> None:
        """Read the code book, walk lists and districts on the reads runner."""
        db = self.main.db
        self.reads.submit(
            lambda: functools.partial(read_setup, db),
            on_finished=self._on_setup,
            on_failed=self._on_failed,
            key="setup",
        )

    def _index(self) -> None:
        """Bring the search index up to date (a rebuild is a write: on the task runner)."""
        db = self.main.db
        self.writes.submit(
            lambda: functools.partial(ensure_index, db),
            on_failed=lambda m: self.door.status.setText(f"Search is not ready: {m}"),
        )

    def _on_setup(self, setup: Setup) -> None:
        if setup.db is not self.main.db:
            self.reload()  # the database was switched while reading
            return
        self.setup = setup
        self.door.set_setup(setup)
        self.sheet.set_setup(setup)
        self.loaded.emit()

    def _on_failed(self, message: str) -> None:
        self.main.statusBar().showMessage(f"Could not read the database: {message}", 10000)
        self.loaded.emit()

    @Slot()
    def focus_find(self) -> None:
        """Ctrl+F: the search box of the "At the door" tab."""
        self.tabs.setCurrentWidget(self.door)
        self.door.focus_search()

    @Slot(int)
    def _on_tab(self, _index: int) -> None:
        current = self.tabs.currentWidget()
        if current is self.door and self.door.body.currentIndex() == 1:
            self.door.pad.setFocus()
        elif current is self.sheet and self.sheet.sheet is not None:
            self.sheet.focus_number()
