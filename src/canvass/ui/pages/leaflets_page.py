"""The Leaflets screen: design leaflets with a live preview, plan their delivery, keep supporters.

Three tabs: the editor (:mod:`~canvass.ui.pages.leaflets_editor`), delivery
rounds (:mod:`~canvass.ui.pages.leaflets_rounds`) and the supporters who sent
back a reply slip (:mod:`~canvass.ui.pages.leaflets_supporters`). Reads go
through the window's reads runner and writes through its task runner, each
via a :class:`~canvass.ui.pages.canvass_common.RunnerQueue`; the editor's
preview renders on a runner of its own.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QTabWidget, QVBoxLayout, QWidget

from canvass.ui.pages.canvass_common import RunnerQueue
from canvass.ui.pages.common import label, panel
from canvass.ui.pages.leaflets_common import STYLE, LeafletsSetup, read_setup
from canvass.ui.pages.leaflets_editor import LeafletEditor
from canvass.ui.pages.leaflets_rounds import RoundsTab
from canvass.ui.pages.leaflets_supporters import SupportersTab

if TYPE_CHECKING:
    from canvass.ui.main_window import MainWindow

EDITOR, ROUNDS, SUPPORTERS = 0, 1, 2


class LeafletsPage(QWidget):
    """The Leaflets screen.

    Signals:
        loaded: The campaign's leaflets, districts, walk lists and rounds were read (again).
    """

    NAV_TITLE = "Leaflets"
    NAV_ICON = "leaflets"

    loaded = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.main = window
        self.setup: LeafletsSetup | None = None
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
        heading.addWidget(label("Leaflets", "pageTitle"))
        heading.addWidget(
            label(
                "Flyers, posters and letters that print well and carry the imprint; "
                "who delivers them; who writes back.",
                "pageSubtitle",
            ),
            1,
            Qt.AlignmentFlag.AlignBottom,
        )
        outer.addLayout(heading)
        self.empty_panel, empty = panel()
        self.empty_title = label("No campaign yet", "sectionTitle")
        self.empty_text = label(
            "Leaflets carry the campaign's name and imprint. Start a campaign (or create the "
            "demo campaign) on the Overview screen first.",
            "hint",
            wrap=True,
        )
        empty.addWidget(self.empty_title)
        empty.addWidget(self.empty_text)
        self.empty_panel.setMaximumWidth(760)
        self.empty_panel.hide()
        outer.addWidget(self.empty_panel, 0, Qt.AlignmentFlag.AlignTop)
        self.editor = LeafletEditor(self)
        self.rounds = RoundsTab(self)
        self.supporters = SupportersTab(self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("canvassTabs")
        self.tabs.tabBar().setObjectName("canvassTabBar")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.editor, "Editor")
        self.tabs.addTab(self.rounds, "Delivery rounds")
        self.tabs.addTab(self.supporters, "Supporters")
        self.tabs.setTabToolTip(EDITOR, "Write a leaflet and see it as it will print")
        self.tabs.setTabToolTip(ROUNDS, "Split a district into rounds of letterboxes")
        self.tabs.setTabToolTip(SUPPORTERS, "People who sent back a reply slip")
        self.tabs.currentChanged.connect(self._on_tab)
        outer.addWidget(self.tabs, 100)
        outer.addStretch(1)  # holds the empty state up when the tabs are hidden

    @property
    def busy(self) -> bool:
        """Whether a read, a write or a preview of this screen is waiting or running."""
        return self.reads.busy or self.writes.busy or self.editor.renderer.busy

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """Read the choices again whenever the screen comes into view."""
        super().showEvent(event)
        self.reload()
        if self.tabs.currentIndex() == EDITOR:
            self.editor.on_shown()

    @Slot(int)
    def _on_tab(self, index: int) -> None:
        if index == EDITOR:
            self.editor.on_shown()
        elif index == SUPPORTERS and self.setup is not None:
            self.supporters.reload()

    def on_database_changed(self) -> None:
        """Forget what was read; the new database is read when the screen shows."""
        self.reads.clear()
        self.writes.clear()
        self.setup = None
        self.editor.forget()
        self.rounds.forget()
        self.supporters.forget()
        if self.isVisible():
            self.reload()

    def shutdown(self) -> None:
        """Stop the preview's worker before the window closes its database."""
        self.editor.renderer.shutdown()

    @Slot()
    def reload(self) -> None:
        """Read the campaign, saved leaflets, districts, walk lists and rounds."""
        db = self.main.db
        self.reads.submit(
            lambda: functools.partial(read_setup, db),
            on_finished=self._on_setup,
            on_failed=self._on_failed,
            key="setup",
        )

    def _on_setup(self, setup: LeafletsSetup) -> None:
        if setup.db is not self.main.db:
            self.reload()  # the database was switched while reading
            return
        self.setup = setup
        has_campaign = bool(setup.campaign)
        self.empty_panel.setVisible(not has_campaign)
        self.tabs.setVisible(has_campaign)
        self.rounds.set_setup(setup)
        self.supporters.set_setup(setup)
        self.loaded.emit()

    def _on_failed(self, message: str) -> None:
        self.main.statusBar().showMessage(f"Could not read the leaflets: {message}", 10000)
        self.loaded.emit()
