"""The Petitions screen: the campaign's petitions, their editor, and one petition open.

Three views in turn: the list (each petition's count against the council's
threshold), the editor, and an open petition (take signatures, or look at
them: :mod:`canvass.ui.pages.petitions_workspace`). Reads go through the
window's reads runner and writes through its task runner, each via a
:class:`~canvass.ui.pages.canvass_common.RunnerQueue`, so a volunteer who
signs people up faster than the database answers never has a click refused.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from canvass.services.info import DatabaseInfo
from canvass.ui.pages.canvass_common import RunnerQueue
from canvass.ui.pages.petitions_common import (
    STYLE,
    PetitionDetails,
    PetitionList,
    read_details,
    read_list,
)
from canvass.ui.pages.petitions_editor import PetitionEditor
from canvass.ui.pages.petitions_list import PetitionListView
from canvass.ui.pages.petitions_workspace import SIGNATURES, TAKE, Workspace

if TYPE_CHECKING:
    from canvass.ui.main_window import MainWindow

#: The page's views, in its stack.
LIST, EDITOR, WORK = 0, 1, 2


class PetitionsPage(QWidget):
    """The Petitions screen.

    Signals:
        loaded: The list of petitions was read (again) and is on show.
        editing: The editor was filled and is on show.
    """

    NAV_TITLE = "Petitions"
    NAV_ICON = "petitions"

    loaded = Signal()
    editing = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.main = window
        self.petitions: PetitionList | None = None
        self._counts: dict[str, int] | None = None
        self._editor_back = LIST
        self.setObjectName("pageArea")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(STYLE)
        self.reads = RunnerQueue(window.reads, self)
        self.writes = RunnerQueue(window.tasks, self)
        self.list = PetitionListView()
        self.editor = PetitionEditor(self)
        self.work = Workspace(self)
        self.stack = QStackedWidget()
        for view in (self.list, self.editor, self.work):
            self.stack.addWidget(view)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self.list.new_requested.connect(self.new_petition)
        self.list.take.connect(lambda pid: self.open_petition(pid, TAKE))
        self.list.view.connect(lambda pid: self.open_petition(pid, SIGNATURES))
        self.list.edit.connect(lambda pid: self.edit_petition(pid, back=LIST))
        self.editor.saved.connect(self._on_saved)
        self.editor.cancelled.connect(self._leave_editor)
        self.work.back_requested.connect(self.show_list)
        self.work.edit_requested.connect(lambda pid: self.edit_petition(pid, back=WORK))
        window.live.updated.connect(self._on_live_info)

    @property
    def busy(self) -> bool:
        """Whether a read or a write of this screen is waiting or running."""
        return self.reads.busy or self.writes.busy

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """Read what is on show again whenever the screen comes into view."""
        super().showEvent(event)
        self._refresh()

    def on_database_changed(self) -> None:
        """Forget everything shown; the new database is read when the screen shows."""
        self.reads.clear()
        self.writes.clear()
        self.petitions = None
        self._counts = None
        self.work.forget()
        self.list.show_loading()
        self.stack.setCurrentIndex(LIST)
        if self.isVisible():
            self.reload()

    def _refresh(self) -> None:
        current = self.stack.currentIndex()
        if current == LIST:
            self.reload()
        elif current == WORK:
            self.work.reload()

    @Slot(object)
    def _on_live_info(self, info: DatabaseInfo) -> None:
        # Signatures merged or taken elsewhere move the counts: show them.
        changed = self._counts is not None and info.counts != self._counts
        self._counts = dict(info.counts)
        if changed and self.isVisible():
            self._refresh()

    # -- the list -------------------------------------------------------------------------------

    @Slot()
    def reload(self) -> None:
        """Read the petitions and their counts on the reads runner."""
        db = self.main.db
        self.reads.submit(
            lambda: functools.partial(read_list, db),
            on_finished=self._on_list,
            on_failed=self._on_failed,
            key="list",
        )

    def _on_list(self, petitions: PetitionList) -> None:
        if petitions.db is not self.main.db:
            self.reload()  # the database was switched while reading
            return
        self.petitions = petitions
        self.list.show_petitions(petitions.campaign, petitions.petitions)
        self.loaded.emit()

    def _on_failed(self, message: str) -> None:
        self.main.statusBar().showMessage(f"Could not read the petitions: {message}", 10000)
        self.loaded.emit()

    @Slot()
    def show_list(self) -> None:
        """Back to the list of petitions."""
        self.stack.setCurrentIndex(LIST)
        self.reload()

    # -- one petition ---------------------------------------------------------------------------

    def open_petition(self, petition_id: str, tab: int = TAKE) -> None:
        """Open ``petition_id`` to take signatures (or on ``tab``)."""
        self.stack.setCurrentIndex(WORK)
        self.work.open_petition(petition_id, tab)

    @Slot()
    def new_petition(self) -> None:
        """The editor, empty."""
        self._editor_back = LIST
        self.editor.load(None)
        self.stack.setCurrentIndex(EDITOR)
        self.editing.emit()

    def edit_petition(self, petition_id: str, *, back: int = LIST) -> None:
        """The editor, holding ``petition_id`` once it is read."""
        self._editor_back = back
        db = self.main.db
        self.reads.submit(
            lambda: functools.partial(read_details, db, petition_id),
            on_finished=self._on_edit_details,
            on_failed=self._on_failed,
        )

    def _on_edit_details(self, details: PetitionDetails) -> None:
        if details.db is not self.main.db:
            return
        self.editor.load(details)
        self.stack.setCurrentIndex(EDITOR)
        self.editing.emit()

    @Slot(str)
    def _on_saved(self, petition_id: str) -> None:
        new = self.editor.details is None
        self.main.statusBar().showMessage("Petition saved.", 6000)
        if new or self._editor_back == WORK:
            self.open_petition(petition_id, self.work.tabs.currentIndex() if not new else TAKE)
        else:
            self.show_list()

    @Slot()
    def _leave_editor(self) -> None:
        if self._editor_back == WORK and self.work.petition_id:
            self.stack.setCurrentIndex(WORK)
        else:
            self.show_list()
