"""The Privacy screen's Retention tab: how long the data is kept, and the purge.

The campaign's retention date is its own, or by default some months after
polling day (:data:`canvass.services.retention.RETENTION_MONTHS_AFTER_POLLING_DAY`).
Once it has passed, "Purge now…" erases every doorstep record, signature,
supporter and register entry (:func:`canvass.services.retention.purge`),
after saving the report figures and petition counts as anonymous totals.
Before the date the purge is not offered: a campaign that is done sooner sets
an earlier date, which says so in the data for every laptop.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, Signal, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from canvass.services.retention import (
    RETENTION_MONTHS_AFTER_POLLING_DAY,
    PurgeResult,
    RetentionStatus,
    add_months,
    purge,
)
from canvass.storage.database import Database
from canvass.ui.pages.common import label, panel
from canvass.ui.pages.privacy_common import date_text, moment_text, plural
from canvass.ui.pages.privacy_dialogs import PurgeDialog
from canvass.ui.pages.privacy_models import TextTableModel, text_table
from canvass.ui.pages.privacy_plan import (
    DEFAULT_WHY,
    HEADERS,
    RetentionData,
    plan_rows,
    purge_due,
    read_retention,
    save_retention,
    source_words,
    status_words,
)
from canvass.ui.pages.sync_common import tab_body
from canvass.ui.progress import TaskProgressDialog

if TYPE_CHECKING:
    from canvass.ui.pages.privacy_page import PrivacyPage

QT_DATE_FORMAT = "d MMMM yyyy"


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def date_edit() -> QDateEdit:
    """A date field with a calendar, showing "7 May 2027"."""
    edit = QDateEdit()
    edit.setObjectName("field")
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(QT_DATE_FORMAT)
    edit.setMinimumDate(QDate(2000, 1, 1))
    edit.setMinimumWidth(170)
    edit.setDate(QDate.currentDate())
    return edit


class RetentionPanel(QWidget):
    """The Retention tab.

    Signals:
        loaded: The status was read (again) and is on show.
        saved: The dates were stored.
        purged: A purge ended (the :class:`PurgeResult`).
    """

    loaded = Signal()
    saved = Signal()
    purged = Signal(object)

    def __init__(self, page: PrivacyPage) -> None:
        super().__init__()
        self.page = page
        self.data: RetentionData | None = None
        self._stored: tuple[str, dt.date | None, dt.date | None] | None = None
        outer, layout = tab_body(scrolling=True)
        outer.setObjectName("privacyScroll")
        body = layout.parentWidget()
        if body is not None:
            body.setObjectName("privacyScrollBody")
        column = QHBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(outer)
        layout.addWidget(self._build_date())
        layout.addWidget(self._build_plan())
        layout.addStretch(1)

    # -- layout ---------------------------------------------------------------------------

    def _build_date(self) -> QWidget:
        frame, body = panel()
        columns = QHBoxLayout()
        columns.setSpacing(32)
        now = QVBoxLayout()
        now.setSpacing(8)
        now.addWidget(label("How long the data is kept", "sectionTitle"))
        self.until = label("…", "statusWord", selectable=True)
        now.addWidget(self.until)
        self.source = label("", "footnote", wrap=True)
        now.addWidget(self.source)
        self.state = label("", "good", wrap=True)
        now.addWidget(self.state)
        now.addStretch(1)
        columns.addLayout(now, 1)

        self.form_box = QWidget()
        change = QVBoxLayout(self.form_box)
        change.setContentsMargins(0, 0, 0, 0)
        change.setSpacing(8)
        change.addWidget(label("Keep the data", "fieldLabel"))
        self.by_default = QRadioButton(
            f"{RETENTION_MONTHS_AFTER_POLLING_DAY} months after polling day, which is on"
        )
        self.own_date = QRadioButton("Until a date of our own")
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.by_default)
        self.choice.addButton(self.own_date)
        self.polling_day = date_edit()
        self.polling_day.setToolTip("Polling day: the default retention date follows from it")
        # Polling day not known yet shows as such, not as today's date: one click on
        # Save must not make today polling day.
        self.polling_day.setSpecialValueText("choose polling day")
        self.until_date = date_edit()
        self.until_date.setToolTip("The day after which the data is purged")
        form = QGridLayout()
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(8)
        form.addWidget(self.by_default, 0, 0)
        form.addWidget(self.polling_day, 0, 1)
        form.addWidget(self.own_date, 1, 0)
        form.addWidget(self.until_date, 1, 1)
        form.setColumnStretch(2, 1)
        change.addLayout(form)
        self.default_result = label("", "footnote", wrap=True)
        change.addWidget(self.default_result)
        self.save_button = QPushButton("Save")
        self.save_button.setObjectName("primary")
        self.save_button.setToolTip("Store the date; it travels to the other laptops")
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        change.addLayout(buttons)
        self.save_error = label("", "bad", wrap=True)
        self.save_error.hide()
        change.addWidget(self.save_error)
        columns.addWidget(self.form_box, 1)
        body.addLayout(columns)
        body.addWidget(label(DEFAULT_WHY, "footnote", wrap=True))
        for widget in (self.by_default, self.own_date):
            widget.toggled.connect(self._on_choice)
        self.polling_day.dateChanged.connect(self._on_choice)
        self.by_default.setChecked(True)
        return frame

    def _build_plan(self) -> QWidget:
        frame, body = panel()
        top = QHBoxLayout()
        top.addWidget(label("What a purge removes, and what it keeps", "sectionTitle"), 1)
        self.purge_button = QPushButton("Purge now…")
        self.purge_button.setObjectName("danger")
        self.purge_button.setEnabled(False)
        self.purge_button.clicked.connect(self.ask_purge)
        top.addWidget(self.purge_button, 0, Qt.AlignmentFlag.AlignTop)
        body.addLayout(top)
        body.addWidget(
            label(
                "The report figures and each petition's counts are saved first, as anonymous "
                "totals. The purge reaches the other laptops with this laptop's next exchange "
                "files, and no older file brings anything back.",
                "footnote",
                wrap=True,
            )
        )
        self.result = label("", "good", wrap=True, selectable=True)
        self.result.hide()
        body.addWidget(self.result)
        self.model = TextTableModel(HEADERS, self)
        self.table = text_table(self.model, (300, 90, 80))
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Rows as tall as their reasons, and the table as tall as its rows: the tab scrolls.
        self.table.horizontalHeader().sectionResized.connect(self._fit_table)
        body.addWidget(self.table)
        self.last_purge = label("", "footnote", wrap=True)
        body.addWidget(self.last_purge)
        return frame

    # -- reading --------------------------------------------------------------------------

    def forget(self) -> None:
        """Another database: nothing of the old one on show."""
        self.data = None
        self._stored = None
        self.model.set_rows(())
        self.result.hide()
        self.save_error.hide()
        self.purge_button.setEnabled(False)
        self.until.setText("…")

    def reload(self) -> None:
        """Read the status and the plan on the reads runner."""
        db = self.page.main.db
        self.page.reads.submit(
            lambda: functools.partial(read_retention, db),
            on_finished=self._on_loaded,
            on_failed=self._on_failed,
            key="retention",
        )

    def _on_loaded(self, data: RetentionData) -> None:
        if data.db is not self.page.main.db:
            self.reload()
            return
        self.data = data
        self.show_status(data.status)
        self.loaded.emit()

    def _on_failed(self, message: str) -> None:
        # No campaign yet (or the database could not be read): nothing to keep or purge.
        self.data = None
        self._stored = None
        self.until.setText("No retention date")
        self.source.setText("")
        self._set_state(message, "warning")
        self.form_box.setEnabled(False)
        self.default_result.setText("")
        self.model.set_rows(())
        self.table.hide()
        self.purge_button.setEnabled(False)
        self.last_purge.setText("Nothing is held yet.")
        self.loaded.emit()

    def show_status(self, status: RetentionStatus) -> None:
        """Show the date, where it comes from, whether a purge is due, and the plan."""
        self.form_box.setEnabled(True)
        self.table.show()
        self.until.setText(
            f"Kept until {date_text(status.until)}" if status.until else "No retention date"
        )
        self.source.setText(source_words(status))
        self._set_state(*status_words(status))
        stored = (status.source, status.polling_day, status.until)
        if stored != self._stored:
            # Only when the dates changed: a reading after some other task keeps what the
            # person is choosing.
            self._stored = stored
            today = status.today
            self.polling_day.setDate(
                _qdate(status.polling_day) if status.polling_day else self.polling_day.minimumDate()
            )
            self.until_date.setDate(_qdate(status.until or add_months(today, 6)))
            (self.own_date if status.source == "set" else self.by_default).setChecked(True)
            self._on_choice()
        self.model.set_rows(plan_rows(status))
        self._fit_table()
        due = purge_due(status)
        self.purge_button.setEnabled(due)
        if due:
            tip = f"Remove the {plural(status.plan.to_erase, 'record')} marked Removed, for good"
        elif not status.plan.to_erase:
            tip = "There is nothing to purge"
        else:
            tip = (
                "The retention date has not come yet. If the campaign no longer needs the "
                "data, choose an earlier date of its own first."
            )
        self.purge_button.setToolTip(tip)
        self.last_purge.setText(
            f"Last purge: {moment_text(status.last_purge)}. Its figures are in Reports."
            if status.last_purge
            else "The data has never been purged."
        )

    @Slot()
    def _fit_table(self) -> None:
        self.table.resizeRowsToContents()
        rows = sum(self.table.rowHeight(n) for n in range(self.model.rowCount()))
        header = self.table.horizontalHeader().height()
        self.table.setFixedHeight(rows + header + 2 * self.table.frameWidth() + 2)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """Fit the plan's rows to the reasons' new width."""
        super().resizeEvent(event)
        self._fit_table()

    def _set_state(self, text: str, style: str) -> None:
        self.state.setText(text)
        self.state.setObjectName(style)
        self.state.style().unpolish(self.state)
        self.state.style().polish(self.state)

    @Slot()
    def _on_choice(self) -> None:
        default = self.by_default.isChecked()
        self.polling_day.setEnabled(default)
        self.until_date.setEnabled(not default)
        if default and not self._polling_day_chosen():
            self.default_result.setText("Choose polling day to see how long the data is kept.")
        elif default:
            day = add_months(_date(self.polling_day.date()), RETENTION_MONTHS_AFTER_POLLING_DAY)
            self.default_result.setText(f"The data would be kept until {date_text(day)}.")
        else:
            self.default_result.setText(
                "Polling day stays as it is; this date is used instead of the default."
            )

    def _polling_day_chosen(self) -> bool:
        return self.polling_day.date() != self.polling_day.minimumDate()

    # -- saving ---------------------------------------------------------------------------

    @Slot()
    def save(self) -> None:
        """Store the choice: polling day (the default date follows), or a date of our own."""
        if self.data is None:
            return
        default = self.by_default.isChecked()
        if default and not self._polling_day_chosen():
            self.save_error.setText(
                "Not saved: choose polling day first, or choose a date of the campaign's own."
            )
            self.save_error.show()
            return
        polling = _date(self.polling_day.date()) if default else None
        until = None if default else _date(self.until_date.date())
        db = self.data.db
        self.save_error.hide()
        self.save_button.setEnabled(False)

        def done(_result: object) -> None:
            self.save_button.setEnabled(True)
            self.page.main.statusBar().showMessage("Retention date saved.", 6000)
            self.saved.emit()
            self.reload()

        def failed(message: str) -> None:
            self.save_button.setEnabled(True)
            self.save_error.setText(f"Not saved: {message}")
            self.save_error.show()

        self.page.writes.submit(
            lambda: functools.partial(save_retention, db, polling, until),
            on_finished=done,
            on_failed=failed,
        )

    # -- purging --------------------------------------------------------------------------

    def purge_dialog(self) -> PurgeDialog | None:
        """The confirmation of a purge (not yet shown); None when no purge is due."""
        data = self.data
        if data is None or not purge_due(data.status):
            return None
        plan = data.status.plan
        removed = [
            f"{line.count:,} {line.record}"
            for line in plan.lines
            if line.action == "erase" and line.count
        ]
        body = (
            "This removes, for good: "
            + "; ".join(removed)
            + ". The report figures and petition counts are saved first as anonymous totals; "
            "suppressions, erasure tombstones, the audit trail, petitions, leaflets and "
            "households stay. The other laptops are purged when they merge this laptop's "
            "next exchange file."
        )
        dialog = PurgeDialog(self, f"Purge {plural(plan.to_erase, 'record')} now?", body)
        dialog.accepted.connect(functools.partial(self._purge, data.db))
        dialog.finished.connect(dialog.deleteLater)
        return dialog

    @Slot()
    def ask_purge(self) -> PurgeDialog | None:
        """Ask for confirmation, then purge on the task runner with a progress dialog."""
        dialog = self.purge_dialog()
        if dialog is not None:
            dialog.open()
        return dialog

    def _purge(self, db: Database) -> None:
        tasks = self.page.main.tasks
        if tasks.busy or self.page.writes.busy:
            self.page.main.statusBar().showMessage(
                "Please wait for the running task to finish, then purge.", 6000
            )
            return
        self.purge_button.setEnabled(False)
        tasks.start(
            lambda: purge(db),
            on_finished=self._on_purged,
            on_failed=self._on_purge_failed,
            on_cancelled=lambda: self._say("The purge was stopped: nothing was removed."),
        )
        TaskProgressDialog(tasks, self.page.main, "Purging personal data")

    def _on_purged(self, result: PurgeResult) -> None:
        erased = sum(result.erased.values())
        self._say(
            f"Purged: {plural(erased, 'record')} erased ({plural(result.records_removed, 'row')} "
            "removed in all). The figures are saved for Reports and the petitions; the other "
            "laptops are purged when they merge this laptop's next exchange file."
        )
        self.page.main.statusBar().showMessage("Purged.", 8000)
        self.purged.emit(result)
        self.reload()

    def _on_purge_failed(self, message: str) -> None:
        self._say(f"Nothing was purged: {message}", bad=True)
        self.reload()

    def _say(self, text: str, *, bad: bool = False) -> None:
        self.result.setText(text)
        self.result.setObjectName("bad" if bad else "good")
        self.result.style().unpolish(self.result)
        self.result.style().polish(self.result)
        self.result.show()
