"""The Print page: walk sheets, and polling day's knock-up list.

Two tabs. Walk sheets cover all or some polling districts, or a saved walk
list; the knock-up list (:mod:`canvass.ui.pages.print_knock_up`) holds the
promised supporters of a district or walk list. The page reads its choices
(districts with their counts, saved walk lists, the intention codes) and
writes PDFs on the main window's task runner; it only shows what comes back.
New walk lists are made in a small dialog from the same page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabBar, QVBoxLayout, QWidget

from canvass.domain.codes import Code
from canvass.services.browse import DistrictNode, district_tree
from canvass.services.canvassing import code_book
from canvass.services.walk_lists import WalkListSummary, walk_lists
from canvass.ui.pages.common import READABLE_WIDTH, SECTION_SPACING, ScrollingPage, label, panel
from canvass.ui.pages.print_common import TAB_STYLE, documents_folder, result_text
from canvass.ui.pages.print_knock_up import KnockUpSection
from canvass.ui.pages.print_walk_sheets import WalkSheetsSection

if TYPE_CHECKING:
    from canvass.ui.main_window import MainWindow

WALK_SHEETS, KNOCK_UP = 0, 1
SUBTITLES = (
    "Walk sheets for canvassers: streets in walking order, one row per elector, "
    "with boxes for the campaign's codes.",
    "Polling day's knock-up list: the supporters who promised their vote, street by "
    "street in walking order, with tick columns for three rounds of knocking up.",
)
__all__ = ["PrintPage", "documents_folder", "result_text"]


class PrintPage(ScrollingPage):
    """Choose what to print, where to save it, and create the PDF.

    Signals:
        loaded: The districts, walk lists and intention codes were read (again).
        printed: The :class:`~canvass.services.printing.PrintReport` of a PDF written,
            walk sheets or knock-up list.
        walk_list_created: A new walk list was saved from this page.
        import_requested: The person asked to import the register (empty state).
    """

    NAV_TITLE = "Print"
    NAV_ICON = "print"

    loaded = Signal()
    printed = Signal(object)
    walk_list_created = Signal(object)
    import_requested = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.main = window
        self.districts: list[DistrictNode] = []
        self.lists: list[WalkListSummary] = []
        self._reload_wanted = False

        # One column of readable width. Its width is capped here, by a row with
        # a stretch, and not on the wrapping labels inside: a layout asks those
        # for their height at the full width and would squeeze the page.
        column_widget = QWidget()
        column_widget.setMaximumWidth(READABLE_WIDTH)
        self.column = QVBoxLayout(column_widget)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(SECTION_SPACING)
        heading = QVBoxLayout()
        heading.setSpacing(6)
        heading.addWidget(label("Print", "pageTitle"))
        self.subtitle = label(SUBTITLES[WALK_SHEETS], "pageSubtitle", wrap=True)
        heading.addWidget(self.subtitle)
        self.column.addLayout(heading)
        self._build_empty()
        self.content = QWidget()
        content = QVBoxLayout(self.content)
        content.setContentsMargins(0, 0, 0, 0)
        content.setSpacing(16)
        self.tabs = QTabBar()
        self.tabs.setObjectName("printTabBar")
        self.tabs.setStyleSheet(TAB_STYLE)
        self.tabs.setDrawBase(False)
        self.tabs.setExpanding(False)
        self.tabs.setUsesScrollButtons(False)  # two tabs always fit; bold ones are wider
        self.tabs.addTab("Walk sheets")
        self.tabs.addTab("Knock-up list (polling day)")
        self.tabs.setTabToolTip(WALK_SHEETS, "Sheets to canvass from, one row per elector")
        self.tabs.setTabToolTip(KNOCK_UP, "Supporters to call on during polling day")
        self.tabs.currentChanged.connect(self._on_tab)
        content.addWidget(self.tabs)
        self.walk = WalkSheetsSection(window)
        self.walk.printed.connect(self.printed)
        self.walk.walk_list_created.connect(self._on_list_created)
        content.addWidget(self.walk)
        self.knock_up = KnockUpSection(window)
        self.knock_up.printed.connect(self.printed)
        self.knock_up.hide()
        content.addWidget(self.knock_up)
        self.column.addWidget(self.content)
        row = QHBoxLayout()
        row.addWidget(column_widget, 1)
        row.addStretch(0)
        self.body.addLayout(row)
        self.body.addStretch(1)
        self.content.hide()
        # Reload after any read (when one was waiting) and after any write task
        # (creating a walk list, an import) has ended.
        window.reads.ended.connect(self._reload_if_wanted)
        window.tasks.ended.connect(self._reload_if_wanted)

    # -- layout -----------------------------------------------------------------------------

    def _build_empty(self) -> None:
        self.empty_panel, layout = panel()
        self.empty_text = label("Loading…", "hint", wrap=True)
        layout.addWidget(self.empty_text)
        self.import_button = QPushButton("Import register…")
        self.import_button.setObjectName("primary")
        self.import_button.clicked.connect(self.import_requested)
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.import_button.hide()
        self.column.addWidget(self.empty_panel)

    # -- loading the choices ----------------------------------------------------------------

    def on_database_changed(self) -> None:
        """Read the districts and walk lists of the (new) current database."""
        self.walk.result_panel.hide()
        self.knock_up.result_panel.hide()
        self.reload()

    @Slot(int)
    def _on_tab(self, index: int) -> None:
        self.subtitle.setText(SUBTITLES[index])
        self.walk.setVisible(index == WALK_SHEETS)
        self.knock_up.setVisible(index == KNOCK_UP)

    def show_knock_up(self) -> None:
        """Bring the knock-up list's tab forward."""
        self.tabs.setCurrentIndex(KNOCK_UP)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """Read the choices again whenever the page comes into view (an import may have run)."""
        super().showEvent(event)
        self.reload()

    def reload(self) -> None:
        """Read districts, walk lists and codes on the reads runner (as soon as it is free)."""
        tasks = self.main.reads
        if tasks.busy:
            self._reload_wanted = True
            return
        self._reload_wanted = False
        db = self.main.db
        tasks.start(
            lambda: (district_tree(db), walk_lists(db), code_book(db).intentions),
            on_finished=self._on_loaded,
            on_failed=self._on_load_failed,
        )

    @Slot()
    def _reload_if_wanted(self) -> None:
        if self._reload_wanted and not self.main.reads.busy:
            self.reload()

    def _on_loaded(
        self, loaded: tuple[list[DistrictNode], list[WalkListSummary], tuple[Code, ...]]
    ) -> None:
        self.districts, self.lists, intentions = loaded
        electors = sum(d.electors for d in self.districts)
        has_register = electors > 0
        self.empty_panel.setVisible(not has_register)
        self.content.setVisible(has_register)
        self.import_button.setVisible(not has_register)
        self.empty_text.setText(
            "There is nothing to print yet. Walk sheets list the electors on the register: "
            "import the council's register file first."
        )
        self.walk.set_choices(self.districts, self.lists)
        self.knock_up.set_choices(self.districts, self.lists, intentions)
        self.loaded.emit()

    def _on_load_failed(self, message: str) -> None:
        self.content.hide()
        self.empty_panel.show()
        self.import_button.hide()
        self.empty_text.setText(f"Could not read the database: {message}")
        self.loaded.emit()

    def _on_list_created(self, summary: WalkListSummary) -> None:
        self.walk_list_created.emit(summary)
        # Read the lists again once this task has ended (it has not quite yet).
        self._reload_wanted = True
