"""The Leaflets screen's delivery rounds: plan a district's rounds, print, save, mark delivered.

Planning (:func:`canvass.services.rounds.plan_rounds`) reads, so it runs on
the reads runner; saving, marking delivered and printing round sheets run on
the task runner. Saved rounds come with the screen's set-up read.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from canvass.services.printing import PrintReport
from canvass.services.rounds import (
    MAX_SIZE,
    MIN_SIZE,
    Round,
    for_leaflet,
    mark_delivered,
    plan_rounds,
    print_rounds,
    save_rounds,
)
from canvass.storage.database import Database
from canvass.ui.pages.common import label, panel
from canvass.ui.pages.leaflets_common import LeafletsSetup, plural
from canvass.ui.pages.leaflets_models import PlanModel, SavedRoundsModel, table
from canvass.ui.pages.petitions_common import line_field
from canvass.ui.pages.petitions_output import ResultLine
from canvass.ui.pages.print_common import PDF_FILTER, as_pdf, documents_folder
from canvass.ui.progress import TaskProgressDialog

if TYPE_CHECKING:
    from canvass.ui.pages.leaflets_page import LeafletsPage

DEFAULT_SIZE = 150


def print_sheets(db: Database, out: Path, rounds: list[Round], leaflet: str) -> PrintReport:
    """Round sheets for ``rounds``, naming ``leaflet`` on them if one is chosen (task runner)."""
    return print_rounds(db, out, for_leaflet(db, leaflet, rounds) if leaflet else rounds)


class DeliveredDialog(QDialog):
    """The day a round was delivered, and who delivered it."""

    def __init__(self, parent: QWidget, r: Round) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mark delivered")
        column = QVBoxLayout(self)
        column.setContentsMargins(20, 18, 20, 14)
        intro = QLabel(f"{r.name}: {plural(r.letterboxes, 'letterbox', 'letterboxes')}.")
        intro.setMinimumWidth(360)
        column.addWidget(intro)
        form = QFormLayout()
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("d MMM yyyy")
        self.date.setMaximumDate(QDate.currentDate())
        self.date.setDate(QDate.currentDate())
        self.by = line_field("Optional: who delivered it")
        form.addRow("Delivered on:", self.date)
        form.addRow("By:", self.by)
        column.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Mark delivered")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)

    def day(self) -> dt.date:
        """The day chosen."""
        d = self.date.date()
        return dt.date(d.year(), d.month(), d.day())


class RoundsTab(QWidget):
    """The Delivery rounds tab.

    Signals:
        planned: Rounds were planned and are on show.
        printed: The :class:`~canvass.services.printing.PrintReport` of round sheets.
        rounds_saved: The rounds just saved (with their ids).
        delivered: A round just marked delivered.
    """

    planned = Signal()
    printed = Signal(object)
    rounds_saved = Signal(object)
    delivered = Signal(object)

    def __init__(self, page: LeafletsPage) -> None:
        super().__init__()
        self.page = page
        self.rounds: list[Round] = []
        self.dialog: DeliveredDialog | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 12, 0, 0)
        column.setSpacing(12)
        column.addWidget(self._build_choices())
        self.error = label("", "inlineError", wrap=True)
        self.error.hide()
        column.addWidget(self.error)
        self.result = ResultLine()
        column.addWidget(self.result)
        row = QHBoxLayout()
        row.setSpacing(16)
        row.addWidget(self._build_plan(), 3)
        row.addWidget(self._build_saved(), 2)
        column.addLayout(row, 1)

    def _build_choices(self) -> QWidget:
        frame, layout = panel()
        layout.setContentsMargins(20, 12, 20, 14)
        layout.addWidget(
            label(
                "Split a polling district's streets into rounds of about the same "
                "number of letterboxes, in walking order. Households that asked "
                "for no leaflets are left out.",
                "helpLine",
                wrap=True,
            )
        )
        row = QHBoxLayout()
        row.setSpacing(10)
        self.district = QComboBox()
        self.district.setMinimumWidth(220)
        self.round_size = QSpinBox()
        self.round_size.setRange(MIN_SIZE, MAX_SIZE)
        self.round_size.setSingleStep(10)
        self.round_size.setValue(DEFAULT_SIZE)
        self.round_size.setSuffix(" letterboxes")
        self.leaflet = QComboBox()
        self.leaflet.setMinimumWidth(200)
        self.leaflet.setToolTip("Saved rounds remember which leaflet they deliver")
        self.plan_button = QPushButton("Plan rounds")
        self.plan_button.setObjectName("primary")
        self.plan_button.clicked.connect(self.plan)
        for caption, widget in (
            ("District", self.district),
            ("Round size", self.round_size),
            ("Leaflet", self.leaflet),
        ):
            title = label(caption, "fieldLabel")
            title.setBuddy(widget)
            row.addWidget(title)
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.plan_button)
        layout.addLayout(row)
        return frame

    def _build_plan(self) -> QWidget:
        frame, layout = panel()
        layout.setContentsMargins(16, 12, 16, 14)
        layout.addWidget(label("Planned rounds", "sectionTitle"))
        self.summary = label(
            "Choose a district and a round size, then Plan rounds.", "helpLine", wrap=True
        )
        layout.addWidget(self.summary)
        self.plan_model = PlanModel(self)
        self.plan_view = table(self.plan_model, 2)
        layout.addWidget(self.plan_view, 100)
        layout.addStretch(1)  # holds the title up when there is no table
        buttons = QHBoxLayout()
        self.print_button = QPushButton("Print round sheets…")
        self.print_button.setObjectName("secondary")
        self.print_button.setToolTip("A sheet per round: streets, house numbers, tick boxes")
        self.print_button.clicked.connect(
            lambda: self.ask_print(self.rounds, str(self.leaflet.currentData() or ""))
        )
        self.save_button = QPushButton("Save rounds")
        self.save_button.setObjectName("secondary")
        self.save_button.setToolTip("Keep these rounds, to mark them delivered; they travel")
        self.save_button.clicked.connect(self.save)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        self._show_plan([])
        return frame

    def _build_saved(self) -> QWidget:
        frame, layout = panel()
        layout.setContentsMargins(16, 12, 16, 14)
        layout.addWidget(label("Saved rounds", "sectionTitle"))
        self.saved_empty = label(
            "No saved rounds yet. Plan a district's rounds and save them "
            "to mark each one delivered.",
            "helpLine",
            wrap=True,
        )
        layout.addWidget(self.saved_empty)
        self.saved_model = SavedRoundsModel(self)
        self.saved_view = table(self.saved_model, 0)
        self.saved_view.selectionModel().selectionChanged.connect(self._on_saved_selection)
        layout.addWidget(self.saved_view, 100)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        self.sheets_button = QPushButton("Print sheets…")
        self.sheets_button.setObjectName("secondary")
        self.sheets_button.setToolTip("Round sheets for the saved rounds chosen")
        self.sheets_button.clicked.connect(lambda: self.ask_print(self.selected_saved()))
        self.deliver_button = QPushButton("Mark delivered…")
        self.deliver_button.setObjectName("secondary")
        self.deliver_button.clicked.connect(self.ask_delivered)
        buttons.addStretch(1)
        buttons.addWidget(self.sheets_button)
        buttons.addWidget(self.deliver_button)
        layout.addLayout(buttons)
        return frame

    # -- choices ---------------------------------------------------------------------------------

    def set_setup(self, setup: LeafletsSetup) -> None:
        """Districts, saved leaflets and saved rounds, as read."""
        code = self.district.currentData()
        self.district.clear()
        for d in setup.districts:
            name = d.name if d.code in d.name else f"{d.code} {d.name}".strip()
            self.district.addItem(f"{name} · {plural(d.households, 'household')}", d.code)
        self.district.setCurrentIndex(max(0, self.district.findData(code)))
        chosen = self.leaflet.currentData()
        self.leaflet.clear()
        self.leaflet.addItem("None chosen yet", "")
        for summary in setup.leaflets:
            self.leaflet.addItem(summary.title, summary.id)
        self.leaflet.setCurrentIndex(max(0, self.leaflet.findData(chosen)))
        has = bool(setup.districts)
        self.plan_button.setEnabled(has)
        if not has and not self.rounds:
            self.summary.setText(
                "There are no polling districts with households yet: import "
                "the council's register first."
            )
        self.saved_model.set_rows(setup.rounds)
        self.saved_view.setVisible(bool(setup.rounds))
        self.saved_empty.setVisible(not setup.rounds)
        self._on_saved_selection()

    def forget(self) -> None:
        """Another database: nothing planned."""
        self._show_plan([])

    # -- planning --------------------------------------------------------------------------------

    @Slot()
    def plan(self) -> None:
        """Plan the district's rounds (on the reads runner)."""
        code = str(self.district.currentData() or "")
        if not code:
            return
        db, size = self.page.main.db, self.round_size.value()
        self.page.reads.submit(
            lambda: functools.partial(plan_rounds, db, code, size),
            on_finished=self._on_planned,
            on_failed=self._show_error,
            key="plan",
        )

    def _on_planned(self, rounds: list[Round]) -> None:
        self.error.hide()
        self._show_plan(rounds)
        self.planned.emit()

    def _show_plan(self, rounds: list[Round]) -> None:
        self.rounds = rounds
        self.plan_model.set_rounds(rounds)
        self.plan_view.setVisible(bool(rounds))
        for button in (self.print_button, self.save_button):
            button.setEnabled(bool(rounds))
        if rounds:
            boxes = sum(r.letterboxes for r in rounds)
            skipped = sum(len(s.skip) for r in rounds for s in r.streets)
            self.summary.setText(
                f"{plural(len(rounds), 'round')} in {rounds[0].district}, "
                f"{plural(boxes, 'letterbox', 'letterboxes')} in all"
                + (f"; {plural(skipped, 'door')} asked for no leaflets." if skipped else ".")
            )
        else:
            self.summary.setText("Choose a district and a round size, then Plan rounds.")

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    # -- saving, printing, delivering ----------------------------------------------------------

    @Slot()
    def save(self) -> None:
        """Save the planned rounds (for the leaflet chosen, if any)."""
        if not self.rounds:
            return
        db, rounds = self.page.main.db, list(self.rounds)
        leaflet = str(self.leaflet.currentData() or "") or None
        self.page.writes.submit(
            lambda: functools.partial(save_rounds, db, leaflet, rounds),
            on_finished=self._on_saved,
            on_failed=self._show_error,
        )

    def _on_saved(self, saved: list[Round]) -> None:
        self.page.main.statusBar().showMessage(f"Saved {plural(len(saved), 'round')}.", 6000)
        self._show_plan([])
        self.page.reload()
        self.rounds_saved.emit(saved)

    def selected_saved(self) -> list[Round]:
        """The saved rounds chosen in the list."""
        rows = sorted({i.row() for i in self.saved_view.selectionModel().selectedRows()})
        return [self.saved_model.rows[r] for r in rows]

    @Slot()
    def _on_saved_selection(self, *_args: object) -> None:
        chosen = self.selected_saved()
        self.sheets_button.setEnabled(bool(chosen))
        self.deliver_button.setEnabled(len(chosen) == 1)

    def ask_print(self, rounds: list[Round], leaflet: str = "") -> None:
        """Choose where, then print round sheets for ``rounds`` (naming ``leaflet``, an id)."""
        if not rounds:
            return
        main = self.page.main
        if main.tasks.busy:
            main.statusBar().showMessage("Please wait for the running task to finish.", 5000)
            return
        districts = "-".join(sorted({r.district for r in rounds}))
        start = str(documents_folder() / f"delivery-rounds-{districts}.pdf")
        chosen, _ = QFileDialog.getSaveFileName(self, "Save the round sheets as", start, PDF_FILTER)
        if not chosen:
            return
        out = as_pdf(chosen)
        main.tasks.start(
            functools.partial(print_sheets, main.db, out, list(rounds), leaflet),
            on_finished=self._on_printed,
            on_failed=self._show_error,
        )
        TaskProgressDialog(main.tasks, main, "Printing round sheets")

    def _on_printed(self, report: PrintReport) -> None:
        self.result.show_result(
            f"Wrote round sheets: {plural(report.pages, 'page')}, "
            f"{plural(report.doors, 'letterbox', 'letterboxes')}.",
            report.path,
        )
        self.printed.emit(report)

    @Slot()
    def ask_delivered(self) -> DeliveredDialog | None:
        """Ask the day the chosen round was delivered (the dialog is opened and returned)."""
        chosen = self.selected_saved()
        if len(chosen) != 1:
            return None
        r = chosen[0]
        dialog = DeliveredDialog(self, r)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.mark(r, dialog.day(), dialog.by.text()))
        self.dialog = dialog
        dialog.open()
        return dialog

    def mark(self, r: Round, day: dt.date, by: str) -> None:
        """Record that ``r`` was delivered on ``day`` by ``by``."""
        db = self.page.main.db
        self.page.writes.submit(
            lambda: functools.partial(mark_delivered, db, r.id, day, by=by),
            on_finished=self._on_delivered,
            on_failed=self._show_error,
        )

    def _on_delivered(self, r: Round) -> None:
        self.page.main.statusBar().showMessage(f"{r.name} marked delivered.", 6000)
        self.page.reload()
        self.delivered.emit(r)
