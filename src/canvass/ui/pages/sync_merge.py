"""The Sync screen's Merge tab: bring exchange files in, and say what each one did.

Files come from a file dialog or are dropped on the screen. They are merged on
the window's task runner (with a progress dialog and Cancel), one after
another, each whole or not at all; the table then has a row per file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from canvass.services.merge_files import MergeReport, merge_files
from canvass.ui.pages.common import label, panel
from canvass.ui.pages.sync_common import (
    ERROR_COLOUR,
    EXCHANGE_FILTER,
    button_row,
    plural,
    tab_body,
    table_view,
)
from canvass.ui.pages.sync_reports import (
    PASSPHRASE_OPTION,
    RESULTS,
    MergeReportModel,
    ReportColumn,
    describe,
)
from canvass.ui.progress import TaskProgressDialog

if TYPE_CHECKING:
    from canvass.ui.main_window import MainWindow

DELETE_REMINDER = (
    "Exchange files hold personal data: once a file is merged, delete it from the USB stick "
    "or email."
)


class MergePanel(QWidget):
    """The Merge tab.

    Signals:
        merged: The list of :class:`~canvass.services.merge_files.MergeReport` of a merge.
    """

    merged = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.main = window
        self.folder = ""
        self._passphrase: str | None = None
        self._dry_run = False
        self.model = MergeReportModel(self)
        page, body = tab_body()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(page)
        body.addWidget(self._build_intake())
        body.addWidget(self._build_results(), 1)
        self.placeholder = QWidget()
        body.addWidget(self.placeholder, 1)

    def _build_intake(self) -> QFrame:
        frame, layout = panel()
        layout.setSpacing(12)
        self.drop_zone = QFrame()
        self.drop_zone.setObjectName("dropZone")
        zone = QHBoxLayout(self.drop_zone)
        zone.setContentsMargins(22, 14, 18, 14)
        zone.setSpacing(16)
        words = QVBoxLayout()
        words.setSpacing(4)
        words.addWidget(
            label(
                "Drop the files canvassers bring back, or your coordinator's assignment, "
                "anywhere on this screen.",
                "hint",
                wrap=True,
            )
        )
        words.addWidget(
            label(
                "Each file merges whole or not at all; merging a file twice changes nothing.",
                "footnote",
                wrap=True,
            )
        )
        zone.addLayout(words, 1)
        self.choose_button = QPushButton("Merge files…")
        self.choose_button.setObjectName("primary")
        self.choose_button.setMinimumSize(150, 40)
        self.choose_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.choose_button.clicked.connect(self.ask_files)
        zone.addWidget(self.choose_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.drop_zone)

        self.use_passphrase = QCheckBox(f"{PASSPHRASE_OPTION}:")
        self.passphrase = QLineEdit()
        self.passphrase.setPlaceholderText("the campaign's passphrase")
        self.passphrase.setAcceptDrops(False)  # dropped files go to the screen, not here
        self.passphrase.setEnabled(False)
        self.use_passphrase.toggled.connect(self.passphrase.setEnabled)
        self.use_passphrase.toggled.connect(lambda on: on and self.passphrase.setFocus())
        self.dry_run = QCheckBox("Check only: change nothing")
        self.dry_run.setToolTip("Show what merging the files would do, without changing anything")
        row = QHBoxLayout()
        row.setSpacing(10)
        row.addWidget(self.use_passphrase)
        row.addWidget(self.passphrase, 1)
        row.addSpacing(24)
        row.addWidget(self.dry_run)
        layout.addLayout(row)
        self.message = label("", "error", wrap=True)
        self.message.hide()
        layout.addWidget(self.message)
        return frame

    def _build_results(self) -> QFrame:
        self.results_panel, layout = panel()
        layout.setSpacing(10)
        heading = QHBoxLayout()
        heading.setSpacing(16)
        heading.addWidget(label("What the files did", "sectionTitle"))
        self.summary = label("", "hint", wrap=True)
        heading.addWidget(self.summary, 1)
        layout.addLayout(heading)
        self.table = table_view()
        self.table.setObjectName("reportTable")
        self.table.setModel(self.model)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ReportColumn.FILE, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        self.table.setMinimumHeight(120)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        layout.addWidget(self.table, 1)
        self.detail = label("", "hint", wrap=True, selectable=True)
        layout.addWidget(self.detail)
        self.anyway_button = QPushButton("Merge anyway")
        self.anyway_button.setObjectName("secondary")
        self.anyway_button.setToolTip(
            "Merge this file although its dates are impossible (its sender's clock was wrong)"
        )
        self.anyway_button.clicked.connect(self.merge_anyway)
        self.anyway_button.hide()
        layout.addLayout(button_row(self.anyway_button))
        self.reminder = label(DELETE_REMINDER, "footnote", wrap=True)
        layout.addWidget(self.reminder)
        self.results_panel.hide()
        return self.results_panel

    # -- choosing files -------------------------------------------------------------------

    @Slot()
    def ask_files(self) -> TaskProgressDialog | None:
        """Ask which files to merge (several at once), then merge them."""
        chosen, _ = QFileDialog.getOpenFileNames(
            self, "Merge exchange files", self.folder, EXCHANGE_FILTER
        )
        if not chosen:
            return None
        self.folder = str(Path(chosen[0]).parent)
        return self.merge_paths([Path(name) for name in chosen])

    def set_drop_highlight(self, on: bool) -> None:
        """Show (or stop showing) that dropping files here will merge them."""
        self.drop_zone.setProperty("active", "true" if on else "false")
        self.drop_zone.style().unpolish(self.drop_zone)
        self.drop_zone.style().polish(self.drop_zone)

    # -- merging ----------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def merge_paths(
        self, paths: Sequence[Path], *, accept_clock: bool = False, row: int | None = None
    ) -> TaskProgressDialog | None:
        """Merge ``paths`` on the task runner; the table shows the reports.

        Args:
            paths: The files, merged in this order.
            accept_clock: Merge files whose sender's clock was wrong.
            row: Merge again the file on this table row, replacing its report.
        """
        tasks = self.main.tasks
        if tasks.busy:
            self.main.statusBar().showMessage("Please wait for the running task to finish.", 5000)
            return None
        if row is None:
            passphrase: str | None = None
            if self.use_passphrase.isChecked():
                passphrase = self.passphrase.text().strip()
                if not passphrase:
                    self._say(f"Type the passphrase, or untick “{PASSPHRASE_OPTION}”.")
                    return None
            self._passphrase, self._dry_run = passphrase, self.dry_run.isChecked()
        self._say("")
        files = list(paths)
        task = merge_files(
            self.main.db,
            files,
            passphrase=self._passphrase,
            dry_run=self._dry_run,
            accept_clock=accept_clock,
        )
        tasks.start(
            task,
            on_finished=lambda reports: self._on_merged(files, reports, row),
            on_failed=lambda message: self._say(f"The files could not be merged: {message}"),
            on_cancelled=lambda: self._say(
                "Stopped. Files merged before you pressed Cancel stay merged; the others were "
                "not changed. Merge them again to finish."
            ),
        )
        title = "Checking files" if self._dry_run else "Merging files"
        return TaskProgressDialog(tasks, self.main, title)

    @Slot()
    def merge_anyway(self) -> TaskProgressDialog | None:
        """Merge the selected file again, accepting its sender's wrong clock."""
        row = self.table.currentIndex().row()
        if row < 0:
            return None
        return self.merge_paths([self.model.path(row)], accept_clock=True, row=row)

    def _on_merged(self, paths: list[Path], reports: list[MergeReport], row: int | None) -> None:
        if row is not None:
            self.model.replace(row, reports[0])
        else:
            self.model.set_reports(paths, reports)
        self.results_panel.show()
        self.placeholder.hide()
        self.summary.setText(self.summary_text())
        shown = row if row is not None else self._first_to_read()
        self.table.selectionModel().setCurrentIndex(
            self.model.index(shown, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self._show_detail()
        self.main.statusBar().showMessage(self.summary_text(), 10000)
        self.merged.emit(reports)

    def _first_to_read(self) -> int:
        """The row to show first: the first refused file, or the first file."""
        reports = self.model.reports()
        return next((n for n, r in enumerate(reports) if r.status == "refused"), 0)

    def summary_text(self) -> str:
        """One line on all the files shown."""
        reports = self.model.reports()
        counts = {status: sum(r.status == status for r in reports) for status in RESULTS}
        parts = []
        if counts["merged"]:
            parts.append(f"{plural(counts['merged'], 'file')} merged")
        if counts["would merge"]:
            parts.append(f"{plural(counts['would merge'], 'file')} would merge")
        if counts["already imported"]:
            parts.append(f"{counts['already imported']:,} merged before")
        if counts["refused"]:
            parts.append(f"{counts['refused']:,} refused (nothing was taken from it)")
        text = ", ".join(parts) + "."
        if self._dry_run:
            text += " Check only: nothing was changed."
        return text[0].upper() + text[1:]

    @Slot()
    def _show_detail(self, *_args: object) -> None:
        row = self.table.currentIndex().row()
        if row < 0 or row >= self.model.rowCount():
            self.detail.setText("")
            self.anyway_button.hide()
            return
        report = self.model.report(row)
        self.detail.setText(describe(report))
        self.detail.setStyleSheet(f"color: {ERROR_COLOUR};" if report.status == "refused" else "")
        self.anyway_button.setVisible(report.status == "refused" and report.reason == "clock")
