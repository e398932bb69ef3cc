"""Paper out of a petition: blank collection sheets, and the signed bundle for the councillor.

Both come from :mod:`canvass.services.bundles`. Each asks its few options
in a small dialog (opened, never run modally, so tests can fill it in), then
where to save, then writes on the task runner with a progress dialog, and
says what it wrote with a button to open it.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from canvass.services.bundles import BundleReport, make_bundle, print_petition_sheets
from canvass.ui.pages.common import label
from canvass.ui.pages.print_common import as_pdf, documents_folder, slug
from canvass.ui.progress import TaskProgressDialog

if TYPE_CHECKING:
    from canvass.ui.pages.petitions_workspace import Workspace

PDF_FILTER = "PDF files (*.pdf)"


def bundle_words(report: BundleReport, out: Path) -> str:
    """What a bundle just made holds, in a line."""
    signed = "signed" if report.signed else "not signed"
    return (
        f"Wrote {out.name}: {report.pages:,} pages, {report.counted:,} signatures counted, "
        f"{signed}; beside it {', '.join(report.sidecars)}."
    )


class SheetsDialog(QDialog):
    """How many rows on a sheet, and how many numbered sheets."""

    def __init__(self, parent: QWidget, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Print collection sheets")
        column = QVBoxLayout(self)
        column.setContentsMargins(20, 18, 20, 14)
        column.setSpacing(12)
        intro = QLabel(
            f"Blank sheets for “{title}”: the petition's text, numbered rows for name, address, "
            "postcode, signature and the consent tick, and the privacy notice. Each sheet has its "
            "number, for typing it in later."
        )
        intro.setWordWrap(True)
        intro.setMinimumWidth(420)
        column.addWidget(intro)
        form = QFormLayout()
        self.rows = QSpinBox()
        self.rows.setRange(5, 30)
        self.rows.setValue(20)
        self.sheets = QSpinBox()
        self.sheets.setRange(1, 1000)
        self.sheets.setValue(5)
        form.addRow("Rows on each sheet:", self.rows)
        form.addRow("Sheets (numbered from 1):", self.sheets)
        column.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose where to save…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)


class BundleDialog(QDialog):
    """The bundle's options: the public (redacted) edition, and whether to sign it."""

    def __init__(self, parent: QWidget, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Make the bundle")
        column = QVBoxLayout(self)
        column.setContentsMargins(20, 18, 20, 14)
        column.setSpacing(10)
        intro = QLabel(
            f"The bundle for “{title}”: the covering letter, the exact text and its fingerprint, "
            "the counts and exclusions, and every counted signature with its drawn signature. "
            "A checksum file and a detached signature are saved beside it."
        )
        intro.setWordWrap(True)
        intro.setMinimumWidth(440)
        column.addWidget(intro)
        self.redacted = QCheckBox("Public copy: hide house numbers and streets")
        self.sign = QCheckBox("Sign it with the campaign's certificate")
        self.sign.setChecked(True)
        self.sign.setToolTip("So the councillor can check that nobody changed it")
        column.addWidget(self.redacted)
        column.addWidget(self.sign)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose where to save…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)


class ResultLine(QFrame):
    """One line on the PDF just written, with Open PDF and a dismiss button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.path = ""
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 6, 8, 6)
        self.text = label("", "saved", wrap=True, selectable=True)
        row.addWidget(self.text, 1)
        self.open_button = QPushButton("Open PDF")
        self.open_button.setObjectName("secondary")
        self.open_button.clicked.connect(self.open_pdf)
        row.addWidget(self.open_button)
        close = QPushButton("×")
        close.setObjectName("back")
        close.setToolTip("Hide this line")
        close.clicked.connect(self.hide)
        row.addWidget(close)
        self.hide()

    def show_result(self, text: str, path: str) -> None:
        """Say what was written, where."""
        self.path = path
        self.text.setText(text)
        self.show()

    @Slot()
    def open_pdf(self) -> None:
        """Open the PDF in the desktop's viewer."""
        if self.path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.path))


class PetitionOutput(QObject):
    """What "Print collection sheets…" and "Make the bundle…" do.

    Signals:
        written: The path of a PDF just written.
    """

    written = Signal(str)

    def __init__(self, work: Workspace) -> None:
        super().__init__(work)
        self.work = work
        self.result = ResultLine()
        work.sheets_button.setToolTip("Blank, numbered sheets to collect signatures on paper")
        work.bundle_button.setToolTip(
            "The signed PDF for the councillor, with the counts and every signature"
        )
        work.sheets_button.clicked.connect(self.ask_sheets)
        work.bundle_button.clicked.connect(self.ask_bundle)

    def _ready(self) -> bool:
        if self.work.details is None:
            return False
        if self.work.page.main.tasks.busy:
            self.work.page.main.statusBar().showMessage(
                "Please wait for the running task to finish.", 5000
            )
            return False
        return True

    def _ask_path(self, title: str, name: str) -> Path | None:
        start = str(documents_folder() / name)
        chosen, _ = QFileDialog.getSaveFileName(self.work, title, start, PDF_FILTER)
        return as_pdf(chosen) if chosen else None

    @Slot()
    def ask_sheets(self) -> SheetsDialog | None:
        """Ask how many sheets (the dialog is opened and returned), then where, then print."""
        if not self._ready() or self.work.details is None:
            return None
        dialog = SheetsDialog(self.work, self.work.details.title)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self._print_sheets(dialog.rows.value(), dialog.sheets.value())
        )
        dialog.open()
        return dialog

    def _print_sheets(self, rows: int, sheets: int) -> None:
        details = self.work.details
        if details is None:
            return
        out = self._ask_path("Save the collection sheets as", f"sheets-{slug(details.title)}.pdf")
        if out is None:
            return
        db, tasks = self.work.db, self.work.page.main.tasks
        tasks.start(
            functools.partial(print_petition_sheets, db, details.id, out, rows=rows, sheets=sheets),
            on_finished=lambda pages: self._done(
                f"Wrote {out.name}: {pages:,} page{'s' * (pages != 1)} of collection sheets.", out
            ),
            on_failed=functools.partial(self.work.show_error, "Could not print the sheets"),
        )
        TaskProgressDialog(tasks, self.work.page.main, "Printing collection sheets")

    @Slot()
    def ask_bundle(self) -> BundleDialog | None:
        """Ask the options (the dialog is opened and returned), then where, then make the bundle."""
        if not self._ready() or self.work.details is None:
            return None
        dialog = BundleDialog(self.work, self.work.details.title)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self._make_bundle(dialog.redacted.isChecked(), dialog.sign.isChecked())
        )
        dialog.open()
        return dialog

    def _make_bundle(self, redacted: bool, sign: bool) -> None:
        details = self.work.details
        if details is None:
            return
        edition = "-public" if redacted else ""
        out = self._ask_path("Save the bundle as", f"bundle-{slug(details.title)}{edition}.pdf")
        if out is None:
            return
        db, tasks = self.work.db, self.work.page.main.tasks
        tasks.start(
            functools.partial(make_bundle, db, details.id, out, redacted=redacted, sign=sign),
            on_finished=lambda report: self._done(bundle_words(report, out), out),
            on_failed=functools.partial(self.work.show_error, "Could not make the bundle"),
        )
        TaskProgressDialog(tasks, self.work.page.main, "Making the bundle")

    def _done(self, text: str, out: Path) -> None:
        self.result.show_result(text, str(out))
        self.work.page.main.statusBar().showMessage(f"Saved {out}", 10000)
        self.written.emit(str(out))
