"""One petition open: take signatures (stall, register, paper), or look at them.

The header names the petition and offers its editor and print-outs. Below,
two tabs: "Take signatures", with a tab for each way of taking them and the
collector's name, and "Signatures", the judged list and counts. The counts
are deliberately not shown while signatures are taken, so a signer at a
stall can never tell from the screen that someone already signed.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from canvass.services.search import ensure_index
from canvass.storage.database import Database
from canvass.ui.pages.canvass_common import RunnerQueue
from canvass.ui.pages.common import label
from canvass.ui.pages.petitions_common import (
    COLLECTOR_KEY,
    PetitionDetails,
    SignatureFigures,
    period_words,
    read_details,
    read_signatures,
)
from canvass.ui.pages.petitions_output import PetitionOutput
from canvass.ui.pages.petitions_paper import PaperTab
from canvass.ui.pages.petitions_signatures import SignaturesView
from canvass.ui.pages.petitions_take import RegisterTab, StallTab

if TYPE_CHECKING:
    from canvass.ui.pages.petitions_page import PetitionsPage

#: The top tabs, and the ways of taking signatures.
TAKE, SIGNATURES = 0, 1
STALL, REGISTER, PAPER = 0, 1, 2


class Workspace(QWidget):
    """A petition, open.

    Signals:
        back_requested: The person wants the list of petitions again.
        edit_requested: The petition's id, to open it in the editor.
        loaded: The petition's details were read and are on show.
        figures_loaded: Its signatures and counts were read and are on show.
        changed: A signature was taken, imported, withdrawn or decided.
    """

    back_requested = Signal()
    edit_requested = Signal(str)
    loaded = Signal()
    figures_loaded = Signal()
    changed = Signal()

    def __init__(self, page: PetitionsPage) -> None:
        super().__init__()
        self.page = page
        self.details: PetitionDetails | None = None
        self.petition_id = ""
        self._figures_stale = True
        self._indexed_db: Database | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 8, 20, 8)
        outer.setSpacing(4)
        outer.addLayout(self._build_header())
        self.banner = label("", "warningBanner", wrap=True)
        self.banner.hide()
        outer.addWidget(self.banner)
        self.output = PetitionOutput(self)
        outer.addWidget(self.output.result)
        self.stall = StallTab(self)
        self.register = RegisterTab(self)
        self.paper = PaperTab(self)
        self.methods = QTabWidget()
        self.methods.setObjectName("methodTabs")
        self.methods.tabBar().setObjectName("methodTabBar")
        self.methods.tabBar().setDrawBase(False)
        self.methods.setDocumentMode(True)
        self.methods.addTab(self.stall, "At a stall")
        self.methods.addTab(self.register, "From the register")
        self.methods.addTab(self.paper, "Typing in paper sheets")
        self.methods.setTabToolTip(STALL, "Signers fill in the form and sign on the screen")
        self.methods.setTabToolTip(REGISTER, "At the door: find the elector, they sign")
        self.methods.setTabToolTip(PAPER, "Type in returned paper sheets, or import a CSV file")
        self.methods.setCornerWidget(self._build_collector(), Qt.Corner.TopRightCorner)
        self.methods.currentChanged.connect(self._on_method)
        self.signatures = SignaturesView(self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("canvassTabs")
        self.tabs.tabBar().setObjectName("canvassTabBar")
        self.tabs.setDocumentMode(True)
        take = QWidget()
        take.setObjectName("canvassTab")
        take.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        take_column = QVBoxLayout(take)
        take_column.setContentsMargins(0, 10, 0, 0)
        take_column.addWidget(self.methods)
        self.tabs.addTab(take, "Take signatures")
        self.tabs.addTab(self.signatures, "Signatures")
        self.tabs.setTabToolTip(TAKE, "At a stall, at the door, or from paper sheets")
        self.tabs.setTabToolTip(SIGNATURES, "Every signature, the counts, duplicates, withdrawals")
        self.tabs.currentChanged.connect(self._on_tab)
        outer.addWidget(self.tabs, 1)
        for tab in (self.stall, self.register, self.paper):
            tab.signed.connect(self._on_changed)
        self.paper.imported.connect(self._on_changed)
        self.signatures.changed.connect(self._on_changed)

    def _build_header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(10)
        self.back_button = QPushButton("‹  All petitions")
        self.back_button.setObjectName("back")
        self.back_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.back_button.clicked.connect(self.back_requested)
        row.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        self.title = label("", "workTitle", wrap=True)
        self.meta = label("", "cardMeta", wrap=True)
        titles.addWidget(self.title)
        titles.addWidget(self.meta)
        row.addLayout(titles, 1)
        self.edit_button = QPushButton("Edit petition…")
        self.edit_button.setToolTip("Change the text, addressee, dates, threshold or letter")
        self.edit_button.clicked.connect(lambda: self.edit_requested.emit(self.petition_id))
        self.sheets_button = QPushButton("Print collection sheets…")
        self.bundle_button = QPushButton("Make the bundle…")
        for button in (self.edit_button, self.sheets_button, self.bundle_button):
            button.setObjectName("secondary")
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def _build_collector(self) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 4)
        row.setSpacing(8)
        caption = label("Collected by", "padLabel")
        row.addWidget(caption)
        self.collector = QLineEdit()
        self.collector.setObjectName("field")
        self.collector.setPlaceholderText("Your name")
        self.collector.setToolTip("Who is taking these signatures: saved with each one")
        self.collector.setMinimumWidth(200)
        caption.setBuddy(self.collector)
        stored = self.page.main.settings.qsettings.value(COLLECTOR_KEY, "")
        self.collector.setText(str(stored or ""))
        self.collector.editingFinished.connect(self._remember_collector)
        row.addWidget(self.collector)
        return box

    # -- what the tabs share ----------------------------------------------------------------

    @property
    def db(self) -> Database:
        """The window's database, as it is now."""
        return self.page.main.db

    @property
    def reads(self) -> RunnerQueue:
        """The page's queue on the reads runner."""
        return self.page.reads

    @property
    def writes(self) -> RunnerQueue:
        """The page's queue on the task runner."""
        return self.page.writes

    def collector_name(self) -> str:
        """Who is collecting, as typed."""
        return " ".join(self.collector.text().split())

    @Slot()
    def _remember_collector(self) -> None:
        settings = self.page.main.settings.qsettings
        settings.setValue(COLLECTOR_KEY, self.collector_name())
        settings.sync()

    def show_error(self, title: str, message: str) -> QMessageBox:
        """A warning over the window, without blocking."""
        return self.page.main.show_error(title, message)

    # -- opening and reading ---------------------------------------------------------------------

    def open_petition(self, petition_id: str, tab: int = TAKE) -> None:
        """Show the petition ``petition_id``, on ``tab``; its details are read first."""
        if petition_id != self.petition_id:
            self.details = None
            for mode in (self.stall, self.register, self.paper):
                mode.clear()
            self.signatures.clear()
            self.title.setText("Loading…")
            self.meta.setText("")
            self.banner.hide()
        self.petition_id = petition_id
        self._figures_stale = True
        self.tabs.setCurrentIndex(tab)
        self.reload()

    def forget(self) -> None:
        """The database changed: nothing open."""
        self.petition_id = ""
        self.details = None
        self._indexed_db = None
        for mode in (self.stall, self.register, self.paper):
            mode.clear()
        self.signatures.clear()

    @Slot()
    def reload(self) -> None:
        """Read the petition's details (and its signatures, when they are on show)."""
        if not self.petition_id:
            return
        db, petition_id = self.db, self.petition_id
        self.reads.submit(
            lambda: functools.partial(read_details, db, petition_id),
            on_finished=self._on_details,
            on_failed=self._on_failed,
            key="details",
        )
        if self.tabs.currentIndex() == SIGNATURES:
            self.reload_figures()

    def reload_figures(self) -> None:
        """Read the petition's signatures, judged, and its counts."""
        if not self.petition_id:
            return
        db, petition_id = self.db, self.petition_id
        self._figures_stale = False
        self.reads.submit(
            lambda: functools.partial(read_signatures, db, petition_id),
            on_finished=self._on_figures,
            on_failed=self._on_failed,
            key="figures",
        )

    def _on_details(self, details: PetitionDetails) -> None:
        if details.db is not self.db or details.id != self.petition_id:
            return
        first = self.details is None
        self.details = details
        draft = details.draft
        self.title.setText(draft.title)
        to = f"To {draft.addressee}" if draft.addressee else "No addressee yet"
        ward = f" ({draft.ward_name})" if draft.ward_name else ""
        period = period_words(
            draft.opens_on.isoformat() if draft.opens_on else None,
            draft.closes_on.isoformat() if draft.closes_on else None,
        )
        version = f" · text version {details.text_version}" if details.text_version > 1 else ""
        self.meta.setText(f"{to}{ward} · {period}{version}")
        if details.closed():
            self.banner.setText(
                f"This petition closed on {draft.closes_on}: no more signatures can be taken. "
                "Change its closing date (Edit petition…) to reopen it."
            )
        elif details.not_open():
            self.banner.setText(
                f"This petition opens on {draft.opens_on}: signatures taken before then "
                "are recorded all the same."
            )
        self.banner.setVisible(details.closed() or details.not_open())
        for mode in (self.stall, self.register, self.paper):
            mode.set_details(details)
        if first and self.tabs.currentIndex() == TAKE:
            self._on_method(self.methods.currentIndex())  # the keyboard to the first field
        self.loaded.emit()

    def _on_figures(self, figures: SignatureFigures) -> None:
        if figures.db is not self.db or figures.petition_id != self.petition_id:
            return
        self.signatures.show_figures(figures)
        self.figures_loaded.emit()

    def _on_failed(self, message: str) -> None:
        self.page.main.statusBar().showMessage(f"Could not read the petition: {message}", 10000)
        self.loaded.emit()

    @Slot()
    def _on_changed(self) -> None:
        self._figures_stale = True
        if self.tabs.currentIndex() == SIGNATURES and self.isVisible():
            self.reload_figures()
        self.changed.emit()

    @Slot(int)
    def _on_tab(self, index: int) -> None:
        if index == SIGNATURES and self._figures_stale:
            self.reload_figures()
        elif index == TAKE:
            self._on_method(self.methods.currentIndex())

    @Slot(int)
    def _on_method(self, index: int) -> None:
        if index == STALL:
            self.stall.form.name.setFocus()
        elif index == REGISTER:
            self._index()
            self.register.search.box.setFocus()
        elif index == PAPER:
            self.paper.name.setFocus()

    def _index(self) -> None:
        """Bring the search index up to date once per database (a rebuild is a write)."""
        db = self.db
        if self._indexed_db is db:
            return
        self._indexed_db = db
        self.writes.submit(
            lambda: functools.partial(ensure_index, db),
            on_failed=lambda m: self.register.status.setText(f"Search is not ready: {m}"),
        )
