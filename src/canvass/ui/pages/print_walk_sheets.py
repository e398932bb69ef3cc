"""The Print page's walk sheets: all or some polling districts, or a saved walk list.

New walk lists are made in a small dialog (:mod:`canvass.ui.pages.print_walk_list`)
from the same tab.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from canvass.services.browse import DistrictNode
from canvass.services.printing import PrintReport, print_walk_sheets
from canvass.services.walk_lists import WalkListSummary
from canvass.ui.pages.common import label, panel
from canvass.ui.pages.print_common import (
    PDF_FILTER,
    ResultPanel,
    as_pdf,
    describe_list,
    documents_folder,
    plural,
    result_text,
    scroll_to,
    slug,
)
from canvass.ui.pages.print_walk_list import (
    ERROR_STYLE,
    NewWalkListDialog,
    district_label,
    indented,
)
from canvass.ui.progress import TaskProgressDialog

if TYPE_CHECKING:
    from canvass.ui.main_window import MainWindow

_CHECKED = Qt.CheckState.Checked


class WalkSheetsSection(QWidget):
    """Choose which walk sheets to print, where to save them, and create the PDF.

    Signals:
        printed: The :class:`~canvass.services.printing.PrintReport` of a PDF written.
        walk_list_created: A new walk list was saved from this tab; the page
            reads the lists again once the task that saved it has ended.
    """

    printed = Signal(object)
    walk_list_created = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.main = window
        self.districts: list[DistrictNode] = []
        self.lists: list[WalkListSummary] = []
        self.report: PrintReport | None = None
        self.dialog: NewWalkListDialog | None = None
        self._auto_name = True
        self._select_list: str | None = None
        sections = QVBoxLayout(self)
        sections.setContentsMargins(0, 0, 0, 0)
        sections.setSpacing(18)
        sections.addWidget(self._build_choice())
        sections.addWidget(self._build_options())
        sections.addLayout(self._build_action())

    # -- layout -----------------------------------------------------------------------------

    def _build_choice(self) -> QWidget:
        frame, layout = panel()
        layout.addWidget(label("What to print", "sectionTitle"))
        self.mode = QButtonGroup(self)
        self.all_radio = QRadioButton("All polling districts")
        self.some_radio = QRadioButton("Some polling districts")
        self.list_radio = QRadioButton("A saved walk list")
        for n, radio in enumerate((self.all_radio, self.some_radio, self.list_radio)):
            self.mode.addButton(radio, n)
        self.all_radio.setChecked(True)
        self.mode.idToggled.connect(self._on_mode)
        self.all_caption = label("", "footnote")
        layout.addWidget(self.all_radio)
        layout.addLayout(indented(self.all_caption))

        layout.addWidget(self.some_radio)
        self.district_list = QListWidget()
        self.district_list.setStyleSheet("QListWidget::item { padding: 2px 4px; }")
        self.district_list.itemChanged.connect(self._on_choice_changed)
        layout.addLayout(indented(self.district_list))

        layout.addWidget(self.list_radio)
        row = indented()
        self.list_combo = QComboBox()
        self.list_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.list_combo.setMinimumContentsLength(30)
        self.list_combo.currentIndexChanged.connect(self._on_choice_changed)
        # Picking a list says what to print: no need to click the radio button too.
        self.list_combo.activated.connect(lambda _index: self.list_radio.setChecked(True))
        self.new_list_button = QPushButton("New walk list…")
        self.new_list_button.setObjectName("secondary")
        self.new_list_button.clicked.connect(self.ask_new_walk_list)
        row.addWidget(self.list_combo, 1)
        row.addWidget(self.new_list_button)
        layout.addLayout(row)
        return frame

    def _build_options(self) -> QWidget:
        frame, layout = panel()
        layout.addWidget(label("Options", "sectionTitle"))
        self.by_side = QCheckBox(
            "Group odd and even sides: walk one side of each street, then the other"
        )
        layout.addWidget(self.by_side)
        row = QHBoxLayout()
        row.addWidget(QLabel("Save as"))
        self.out_edit = QLineEdit()
        self.out_edit.textEdited.connect(self._on_out_edited)
        row.addWidget(self.out_edit, 1)
        self.browse_button = QPushButton("Choose…")
        self.browse_button.setObjectName("secondary")
        self.browse_button.clicked.connect(self.ask_out)
        row.addWidget(self.browse_button)
        layout.addLayout(row)
        return frame

    def _build_action(self) -> QVBoxLayout:
        column = QVBoxLayout()
        column.setSpacing(10)
        self.create_button = QPushButton("Create PDF")
        self.create_button.setObjectName("primary")
        self.create_button.setMinimumSize(220, 46)
        self.create_button.setStyleSheet("font-size: 12pt;")
        self.create_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.create_button.clicked.connect(self.create_pdf)
        column.addWidget(self.create_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.result_panel = ResultPanel()
        self.result = self.result_panel.result
        self.open_button = self.result_panel.open_button
        column.addWidget(self.result_panel)
        self.message = label("", "hint", wrap=True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        column.addWidget(self.message)
        return column

    # -- loading the choices ----------------------------------------------------------------
    # -- the choices ------------------------------------------------------------------------

    def set_choices(self, districts: list[DistrictNode], lists: list[WalkListSummary]) -> None:
        """Offer the districts and walk lists just read."""
        self.districts, self.lists = districts, lists
        self._fill_districts()
        self._fill_lists()
        self.all_caption.setText(
            f"{plural(len(districts), 'district')}  ·  "
            f"{plural(sum(d.households for d in districts), 'household')}  ·  "
            f"{plural(sum(d.electors for d in districts), 'elector')}"
        )
        self._on_mode()

    def _fill_districts(self) -> None:
        ticked = set(self.chosen_districts())
        self.district_list.blockSignals(True)
        self.district_list.clear()
        for node in self.districts:
            item = QListWidgetItem(
                f"{district_label(node)}  ·  {plural(node.electors, 'elector')}, "
                f"{plural(node.households, 'household')}"
            )
            item.setData(Qt.ItemDataRole.UserRole, node.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(_CHECKED if node.code in ticked else Qt.CheckState.Unchecked)
            self.district_list.addItem(item)
        self.district_list.blockSignals(False)
        rows = min(self.district_list.count(), 8)
        row_height = self.district_list.sizeHintForRow(0) if rows else 0
        self.district_list.setFixedHeight(rows * row_height + 2 * self.district_list.frameWidth())

    def _fill_lists(self) -> None:
        keep = self._select_list or self.list_combo.currentData()
        self._select_list = None
        self.list_combo.blockSignals(True)
        self.list_combo.clear()
        for summary in self.lists:
            self.list_combo.addItem(describe_list(summary), summary.id)
        if not self.lists:
            self.list_combo.addItem("No walk lists yet: make one with “New walk list…”", None)
        found = self.list_combo.findData(keep) if keep else -1
        self.list_combo.setCurrentIndex(max(found, 0))
        self.list_combo.blockSignals(False)

    # -- choosing ---------------------------------------------------------------------------

    def chosen_districts(self) -> list[str]:
        """The district codes ticked in the list."""
        return [
            str(self.district_list.item(n).data(Qt.ItemDataRole.UserRole))
            for n in range(self.district_list.count())
            if self.district_list.item(n).checkState() == _CHECKED
        ]

    def tick_district(self, code: str, ticked: bool = True) -> None:
        """Tick (or untick) a district in the list."""
        for n in range(self.district_list.count()):
            item = self.district_list.item(n)
            if item.data(Qt.ItemDataRole.UserRole) == code:
                item.setCheckState(_CHECKED if ticked else Qt.CheckState.Unchecked)

    def chosen_list(self) -> WalkListSummary | None:
        """The walk list chosen in the combo box, if any."""
        wanted = self.list_combo.currentData()
        return next((s for s in self.lists if s.id == wanted), None)

    @Slot()
    def _on_mode(self, *_args: object) -> None:
        # The list of districts shows only while it matters, so ticks never
        # seem to limit "all districts" or a walk list.
        self.district_list.setVisible(self.mode.checkedId() == 1)
        self.list_combo.setEnabled(bool(self.lists))
        self._on_choice_changed()

    @Slot()
    def _on_choice_changed(self, *_args: object) -> None:
        self.message.hide()
        if self._auto_name:
            current = self.out_edit.text().strip()
            folder = Path(current).parent if current else documents_folder()
            self.out_edit.setText(str(folder / self.suggested_name()))

    def suggested_name(self) -> str:
        """A file name that says what the PDF holds."""
        mode = self.mode.checkedId()
        if mode == 2:
            summary = self.chosen_list()
            return f"walk-sheets-{slug(summary.name) if summary else 'list'}.pdf"
        codes = self.chosen_districts() if mode == 1 else [d.code for d in self.districts]
        if mode == 0 and len(codes) > 1:
            return "walk-sheets-all-districts.pdf"
        if 0 < len(codes) <= 4:
            return f"walk-sheets-{'-'.join(codes)}.pdf"
        return f"walk-sheets-{len(codes)}-districts.pdf" if codes else "walk-sheets.pdf"

    @Slot(str)
    def _on_out_edited(self, _text: str) -> None:
        self._auto_name = False

    @Slot()
    def ask_out(self) -> None:
        """Ask where to save the PDF."""
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save the walk sheets as", self.out_edit.text(), PDF_FILTER
        )
        if chosen:
            self._auto_name = False
            self.out_edit.setText(chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf")

    # -- printing ---------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    @Slot()
    def create_pdf(self) -> TaskProgressDialog | None:
        """Write the walk sheets chosen to the file named, on the task runner."""
        tasks = self.main.tasks
        if tasks.busy:
            self.main.statusBar().showMessage("Please wait for the running task to finish.", 5000)
            return None
        text = self.out_edit.text().strip()
        if not text:
            self._say("Choose where to save the PDF.")
            return None
        out = as_pdf(text)
        mode = self.mode.checkedId()
        districts: list[str] | None = None
        walk_list: str | None = None
        if mode == 1:
            districts = self.chosen_districts()
            if not districts:
                self._say("Tick at least one polling district.")
                return None
        elif mode == 2:
            summary = self.chosen_list()
            if summary is None:
                self._say("Choose a walk list, or make one with “New walk list…”.")
                return None
            walk_list = summary.name
        db, by_side, documents = self.main.db, self.by_side.isChecked(), documents_folder()

        def task() -> object:
            if out.parent == documents:
                documents.mkdir(parents=True, exist_ok=True)  # a fresh account may lack one
            return print_walk_sheets(db, out, districts, by_side=by_side, walk_list=walk_list)

        self.message.hide()
        tasks.start(
            task,
            on_finished=self._on_printed,
            on_failed=functools.partial(self.main.show_error, "Could not create the walk sheets"),
            on_cancelled=lambda: self._say("Cancelled; no PDF was written."),
        )
        return TaskProgressDialog(tasks, self.main, "Creating walk sheets")

    def _on_printed(self, report: PrintReport) -> None:
        self.report = report
        self.result_panel.show_result(result_text(report), report.path)
        scroll_to(self.result_panel)
        self.main.statusBar().showMessage(f"Walk sheets saved to {report.path}", 10000)
        self.printed.emit(report)

    # -- walk lists -------------------------------------------------------------------------

    @Slot()
    def ask_new_walk_list(self) -> NewWalkListDialog:
        """Open the New walk list dialog (it does not block)."""
        dialog = NewWalkListDialog(self, self.districts)
        dialog.created.connect(self._on_list_created)
        dialog.finished.connect(self._forget_dialog)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    @Slot()
    def _forget_dialog(self) -> None:
        self.dialog = None

    def _on_list_created(self, summary: WalkListSummary) -> None:
        self._select_list = summary.id
        self.list_radio.setChecked(True)
        self.main.statusBar().showMessage(
            f"Saved the walk list “{summary.name}”: {plural(summary.doors, 'door')}, "
            f"{plural(summary.electors, 'elector')}.",
            10000,
        )
        self.walk_list_created.emit(summary)
