"""The Print page's knock-up list: polling day's promised supporters, in walking order.

The person chooses a polling district or a walk list and who counts as a
promise; the page counts the supporters on the reads runner as the choices
change, and writes the PDF on the tasks runner. The count is read afresh for
the PDF itself, so a record made since the preview is not missed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from canvass.services.browse import DistrictNode
from canvass.services.polling_day import (
    knock_up_sheet,
    print_knock_up,
)
from canvass.services.printing import PrintReport
from canvass.services.walk_lists import WalkListSummary
from canvass.ui.pages.common import label, panel
from canvass.ui.pages.print_common import (
    PDF_FILTER,
    ResultPanel,
    as_pdf,
    describe_list,
    documents_folder,
    plural,
    scroll_to,
    slug,
)
from canvass.ui.pages.print_promises import PromisesPanel
from canvass.ui.pages.print_walk_list import ERROR_STYLE, district_label
from canvass.ui.progress import TaskProgressDialog

if TYPE_CHECKING:
    from canvass.domain.codes import Code
    from canvass.pdf.knock_up import KnockUpSheet
    from canvass.storage.database import Database
    from canvass.ui.main_window import MainWindow

#: What to say when nobody on the chosen streets counts as a promise.
NOBODY_YET = (
    "No supporters recorded here yet",
    "Record intentions on the Canvass screen first, or count more intentions above.",
)


@dataclass(frozen=True, slots=True)
class KnockUpQuery:
    """What the knock-up list is asked for, as the polling-day service takes it."""

    district: str | None
    walk_list: str | None
    intentions: tuple[str, ...]
    max_support: int | None

    def sheet(self, db: Database) -> KnockUpSheet:
        """The list itself (reads the database: call it on a runner)."""
        return knock_up_sheet(
            db,
            district=self.district,
            walk_list=self.walk_list,
            intentions=self.intentions,
            max_support=self.max_support,
        )

    def file_name(self) -> str:
        """knock-up-NA.pdf, or knock-up-high-street.pdf for a walk list."""
        return f"knock-up-{self.district or slug(self.walk_list or '')}.pdf"

    def where(self) -> str:
        """The district or walk list, in words."""
        return f"polling district {self.district}" if self.district else f"“{self.walk_list}”"


def supporters_text(people: int, doors: int) -> str:
    """35 supporters at 18 doors."""
    return f"{plural(people, 'supporter')} at {plural(doors, 'door')}"


def sheet_counts(sheet: KnockUpSheet) -> tuple[int, int, int]:
    """A sheet's supporters, doors and streets."""
    doors = [d for s in sheet.streets for d in s.doors]
    return sum(len(d.people) for d in doors), len(doors), len(sheet.streets)


class KnockUpSection(QWidget):
    """Choose the area and who counts, see how many that is, and save the PDF.

    Signals:
        counted: The :class:`~canvass.pdf.knock_up.KnockUpSheet` just counted,
            or None when there was nothing to count or the count failed.
        printed: The :class:`~canvass.services.printing.PrintReport` of a PDF written.
    """

    counted = Signal(object)
    printed = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.main = window
        self.districts: list[DistrictNode] = []
        self.lists: list[WalkListSummary] = []
        self.sheet: KnockUpSheet | None = None
        self.report: PrintReport | None = None
        self._folder: Path | None = None
        self._wanted = False  # a count to make once the reads runner is free
        self._stale = True  # the count waits until the section is seen
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(18)
        layout.addWidget(self._build_where())
        self.promises = PromisesPanel()
        self.promises.changed.connect(self.refresh)
        layout.addWidget(self.promises)
        layout.addWidget(self._build_count())
        self.message = label("", "hint", wrap=True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        layout.addWidget(self.message)
        self.result_panel = ResultPanel()
        self.open_button = self.result_panel.open_button
        layout.addWidget(self.result_panel)
        window.reads.ended.connect(self._count_if_wanted)

    # -- layout -----------------------------------------------------------------------------

    def _build_where(self) -> QWidget:
        frame, layout = panel()
        layout.addWidget(label("Where", "sectionTitle"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(10)
        self.where = QButtonGroup(self)
        self.district_radio = QRadioButton("A polling district")
        self.list_radio = QRadioButton("A walk list")
        self.district_radio.setChecked(True)
        self.district_combo = QComboBox()
        self.list_combo = QComboBox()
        for row, (radio, combo) in enumerate(
            ((self.district_radio, self.district_combo), (self.list_radio, self.list_combo))
        ):
            self.where.addButton(radio, row)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(30)
            combo.currentIndexChanged.connect(self.refresh)
            # Picking from a list says where: no need to click its radio button too.
            combo.activated.connect(functools.partial(self._pick, radio))
            grid.addWidget(radio, row, 0)
            grid.addWidget(combo, row, 1)
        grid.setColumnStretch(1, 1)
        self.where.idToggled.connect(self._on_where_toggled)
        layout.addLayout(grid)
        return frame

    def _build_count(self) -> QWidget:
        frame, layout = panel()
        row = QHBoxLayout()
        row.setSpacing(18)
        texts = QVBoxLayout()
        texts.setSpacing(4)
        self.count_label = label("Counting…", "sectionTitle", wrap=True)
        self.count_detail = label("", "footnote", wrap=True)
        texts.addWidget(self.count_label)
        texts.addWidget(self.count_detail)
        row.addLayout(texts, 1)
        self.save_button = QPushButton("Save PDF…")
        self.save_button.setObjectName("primary")
        self.save_button.setMinimumSize(180, 42)
        self.save_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save_pdf)
        row.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(row)
        return frame

    # -- the choices --------------------------------------------------------------------------

    def set_choices(
        self,
        districts: list[DistrictNode],
        lists: list[WalkListSummary],
        intentions: tuple[Code, ...],
    ) -> None:
        """Offer the districts, walk lists and intention codes just read, then count again."""
        self.districts, self.lists = districts, lists
        self._fill(
            self.district_combo,
            [
                (f"{district_label(d)}  ·  {plural(d.electors, 'elector')}", d.code)
                for d in districts
            ],
            "No polling districts yet",
        )
        self._fill(
            self.list_combo,
            [(describe_list(s), s.name) for s in lists],
            "No walk lists yet: make one on the Walk sheets tab",
        )
        self.list_radio.setEnabled(bool(lists))
        if not lists and self.list_radio.isChecked():
            self.district_radio.setChecked(True)
        self.promises.set_codes(intentions)
        self._on_where()

    @staticmethod
    def _fill(combo: QComboBox, items: list[tuple[str, str]], none: str) -> None:
        keep = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for text, data in items:
            combo.addItem(text, data)
        if not items:
            combo.addItem(none, None)
        combo.setCurrentIndex(max(combo.findData(keep) if keep else -1, 0))
        combo.setEnabled(bool(items))
        combo.blockSignals(False)

    def _pick(self, radio: QRadioButton, _index: int) -> None:
        radio.setChecked(True)

    @Slot(int, bool)
    def _on_where_toggled(self, _id: int, checked: bool) -> None:
        if checked:  # not again for the button that was unchecked
            self._on_where()

    def _on_where(self) -> None:
        self.district_combo.setEnabled(bool(self.districts) and self.district_radio.isChecked())
        self.list_combo.setEnabled(bool(self.lists) and self.list_radio.isChecked())
        self.refresh()

    def choose_district(self, code: str) -> None:
        """Choose a polling district (by code) to list."""
        self.district_combo.setCurrentIndex(self.district_combo.findData(code))
        self.district_radio.setChecked(True)

    def choose_walk_list(self, name: str) -> None:
        """Choose a saved walk list (by name) to list."""
        self.list_combo.setCurrentIndex(self.list_combo.findData(name))
        self.list_radio.setChecked(True)

    def query(self) -> KnockUpQuery | str:
        """What to list, or why there is nothing to list yet."""
        district = walk_list = None
        if self.list_radio.isChecked():
            walk_list = self.list_combo.currentData()
            if walk_list is None:
                return "Choose a walk list, or make one on the Walk sheets tab."
        else:
            district = self.district_combo.currentData()
            if district is None:
                return "There are no polling districts yet: import the register first."
        intentions, support = self.promises.intentions(), self.promises.max_support()
        if not intentions and support is None:
            return "Tick at least one intention, or count support, to say who has promised."
        return KnockUpQuery(district, walk_list, intentions, support)

    # -- counting -----------------------------------------------------------------------------

    @Slot()
    def refresh(self, *_args: object) -> None:
        """Count the supporters for the current choices (once the section is in view)."""
        self.message.hide()
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        asked = self.query()
        self.save_button.setEnabled(False)
        if isinstance(asked, str):
            self._show_count("Nothing to count yet", asked, None)
            return
        reads = self.main.reads
        if reads.busy:
            self._wanted = True
            return
        self._wanted = False
        self.count_label.setText("Counting…")
        db = self.main.db
        reads.start(
            functools.partial(asked.sheet, db),
            on_finished=functools.partial(self._on_counted, asked),
            on_failed=functools.partial(self._on_count_failed, asked),
        )

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """Count when the section comes into view, if the choices changed meanwhile."""
        super().showEvent(event)
        if self._stale:
            self.refresh()

    @Slot()
    def _count_if_wanted(self) -> None:
        if self._wanted and not self.main.reads.busy:
            self.refresh()

    def _on_counted(self, asked: KnockUpQuery, sheet: KnockUpSheet) -> None:
        if asked != self.query():
            self.refresh()  # the choices changed while counting
            return
        people, doors, streets = sheet_counts(sheet)
        if not people:
            self._show_count(*NOBODY_YET, sheet)
            return
        self._show_count(
            supporters_text(people, doors),
            f"On {plural(streets, 'street')} in {asked.where()}, in walking order.",
            sheet,
        )
        self.save_button.setEnabled(True)

    def _on_count_failed(self, asked: KnockUpQuery, message: str) -> None:
        if asked != self.query():
            self.refresh()
            return
        self._show_count("Could not count the supporters", "", None)
        self._say(message)

    def _show_count(self, text: str, detail: str, sheet: KnockUpSheet | None) -> None:
        self.sheet = sheet
        self.count_label.setText(text)
        self.count_detail.setText(detail)
        self.count_detail.setVisible(bool(detail))
        self.counted.emit(sheet)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    # -- printing -----------------------------------------------------------------------------

    @Slot()
    def save_pdf(self) -> TaskProgressDialog | None:
        """Ask where to save the knock-up list, then write it on the task runner."""
        tasks = self.main.tasks
        if tasks.busy:
            self.main.statusBar().showMessage("Please wait for the running task to finish.", 5000)
            return None
        asked = self.query()
        if isinstance(asked, str):
            self._say(asked)
            return None
        documents = documents_folder()
        suggested = (self._folder or documents) / asked.file_name()
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save the knock-up list as", str(suggested), PDF_FILTER
        )
        if not chosen:
            return None
        out = as_pdf(chosen)
        self._folder = out.parent
        db = self.main.db

        def task() -> object:
            if out.parent == documents:
                documents.mkdir(parents=True, exist_ok=True)  # a fresh account may lack one
            return print_knock_up(db, out, asked.sheet(db))

        self.message.hide()
        tasks.start(
            task,
            on_finished=self._on_printed,
            on_failed=self._say,
            on_cancelled=lambda: self._say("Cancelled; no PDF was written."),
        )
        return TaskProgressDialog(tasks, self.main, "Creating the knock-up list")

    def _on_printed(self, report: PrintReport) -> None:
        self.report = report
        counts = supporters_text(report.electors, report.doors)
        self.result_panel.show_result(
            f"Wrote {Path(report.path).name}: {plural(report.pages, 'page')}, {counts} "
            f"on {plural(report.streets, 'street')}.",
            report.path,
        )
        scroll_to(self.result_panel)
        self.main.statusBar().showMessage(
            f"Knock-up list saved to {report.path}: {plural(report.pages, 'page')}, {counts}.",
            10000,
        )
        self.printed.emit(report)
