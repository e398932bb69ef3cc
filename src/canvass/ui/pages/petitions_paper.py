"""Typing in paper collection sheets, row by row, or a whole CSV file at once.

The sheet number stays; the row number moves on by one after each row is
saved, so a volunteer types name, Enter, address, Enter, postcode, Enter and
carries on with the next row. A row is only on a sheet if its signer ticked
the consent box on paper, so consent is taken as given. A CSV file is
imported all or nothing: any broken row stops it, with every broken row's
line number listed.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSpinBox,
    QWidget,
)

from canvass.domain.errors import ValidationError
from canvass.domain.signers import check_name, check_postcode
from canvass.services.petitions import CSV_COLUMNS, Signer, import_csv, sign
from canvass.ui.pages.canvass_view import table
from canvass.ui.pages.common import label, panel
from canvass.ui.pages.petitions_common import PetitionDetails, line_field, mark_invalid
from canvass.ui.pages.petitions_models import PaperRow, PaperRowsModel
from canvass.ui.pages.print_common import documents_folder

if TYPE_CHECKING:
    from canvass.ui.pages.petitions_workspace import Workspace

CSV_FILTER = "CSV files (*.csv);;All files (*)"


def import_problems(message: str) -> str:
    """An import refusal with each broken row on a line of its own."""
    head, found, rest = message.partition(": line ")
    if not found:
        return message
    items = f"line {rest}".split("; line ")
    lines = [items[0], *(f"line {item}" for item in items[1:])]
    return head + ":\n" + "\n".join(f"• {line.rstrip('.')}" for line in lines)


def _spin(maximum: int, tip: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setObjectName("sheetSpin")
    spin.setRange(1, maximum)
    spin.setMinimumHeight(40)
    spin.setMinimumWidth(96)
    spin.setMaximumWidth(150)
    spin.setToolTip(tip)
    spin.setStyleSheet(
        "QSpinBox#sheetSpin { font-size: 15pt; font-weight: 600; padding: 2px 8px; }"
    )
    return spin


class PaperTab(QWidget):
    """Type in returned paper sheets, or import a CSV of transcribed rows."""

    signed = Signal(str)
    imported = Signal(int)

    def __init__(self, work: Workspace) -> None:
        super().__init__()
        self.work = work
        self.saving = False
        self._advancing = False
        self.setObjectName("canvassTab")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 10, 0, 0)
        row.setSpacing(16)
        row.addWidget(self._build_entry(), 5)
        row.addWidget(self._build_side(), 6)

    def _build_entry(self) -> QWidget:
        frame, box = panel()
        box.setContentsMargins(20, 14, 20, 16)
        box.setSpacing(6)
        numbers = QHBoxLayout()
        numbers.setSpacing(10)
        self.sheet = _spin(1_000_000, "The number printed on the paper sheet")
        self.row = _spin(1_000_000, "The row on the sheet; it moves on by itself after each row")
        for text, spin in (("Sheet", self.sheet), ("Row", self.row)):
            caption = label(text, "padLabel")
            caption.setBuddy(spin)
            numbers.addWidget(caption)
            numbers.addWidget(spin)
        numbers.addStretch(1)
        box.addLayout(numbers)
        self.sheet.valueChanged.connect(self._on_sheet)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        self.name = line_field("As written on the sheet")
        self.address = line_field("House number and street")
        self.postcode = line_field("e.g. ZZ1 1AA")
        for n, (text, edit) in enumerate(
            (("Name", self.name), ("Address", self.address), ("Postcode", self.postcode))
        ):
            caption = label(text, "fieldLabel")
            caption.setBuddy(edit)
            grid.addWidget(caption, 2 * n, 0)
            grid.addWidget(edit, 2 * n + 1, 0)
            edit.textEdited.connect(lambda _t, w=edit: mark_invalid(w, False))
        box.addLayout(grid)
        self.contact = QCheckBox("“Keep me informed” is ticked on the sheet")
        self.contact.setObjectName("tick")
        box.addWidget(self.contact)
        box.addWidget(
            label(
                "Type in only rows whose consent box is ticked on the paper: consent is saved "
                "as given.",
                "padHint",
                wrap=True,
            )
        )
        self.error = label("", "inlineError", wrap=True)
        self.error.hide()
        box.addWidget(self.error)
        actions = QHBoxLayout()
        self.status = label("", "saved", wrap=True)
        actions.addWidget(self.status, 1)
        self.save_button = QPushButton("Save row")
        self.save_button.setObjectName("primary")
        self.save_button.setAutoDefault(True)
        self.save_button.setToolTip("Save this row and move to the next (Enter in the postcode)")
        self.save_button.clicked.connect(self.save)
        actions.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)
        box.addLayout(actions)
        box.addStretch(1)
        self.name.returnPressed.connect(self.address.setFocus)
        self.address.returnPressed.connect(self.postcode.setFocus)
        self.postcode.returnPressed.connect(self.save)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), frame)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.save)
        return frame

    def _build_side(self) -> QWidget:
        frame, box = panel()
        box.setContentsMargins(20, 14, 20, 16)
        box.setSpacing(6)
        box.addWidget(label("Typed in this session", "sectionTitle"))
        box.addWidget(label("Each row saved shows here, the latest at the top.", "padHint"))
        self.model = PaperRowsModel(self)
        self.view = table(self.model, row_height=28)
        header = self.view.horizontalHeader()
        for column, width in ((0, 60), (1, 50), (3, 100)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        box.addWidget(self.view, 1)
        box.addSpacing(8)
        box.addWidget(label("A whole file at once", "sectionTitle"))
        box.addWidget(
            label(
                "A CSV file with a header row naming its columns: "
                f"{', '.join(CSV_COLUMNS)} (name and postcode are needed). Every row is "
                "checked first: if any is broken, nothing is imported.",
                "padHint",
                wrap=True,
            )
        )
        row = QHBoxLayout()
        self.import_button = QPushButton("Import CSV…")
        self.import_button.setObjectName("secondary")
        self.import_button.setToolTip("Import transcribed paper signatures from a CSV file")
        self.import_button.clicked.connect(self.ask_import)
        row.addWidget(self.import_button)
        row.addStretch(1)
        box.addLayout(row)
        self.import_error = label("", "inlineError", wrap=True, selectable=True)
        self.import_error.hide()
        box.addWidget(self.import_error)
        self.import_result = label("", "saved", wrap=True)
        box.addWidget(self.import_result)
        return frame

    def set_details(self, details: PetitionDetails) -> None:
        """The petition's details were read (again): paper rows need nothing from them."""

    def clear(self) -> None:
        """Back to sheet 1, row 1, nothing typed."""
        self._advancing = True
        self.sheet.setValue(1)
        self.row.setValue(1)
        self._advancing = False
        for edit in (self.name, self.address, self.postcode):
            edit.clear()
            mark_invalid(edit, False)
        self.contact.setChecked(False)
        self.model.clear()
        self.error.hide()
        self.import_error.hide()
        self.import_result.setText("")
        self.status.setText("")
        self.saving = False

    @Slot(int)
    def _on_sheet(self, _value: int) -> None:
        if not self._advancing:
            self.row.setValue(1)  # a new sheet starts at its first row

    # -- one row -------------------------------------------------------------------------------

    @Slot()
    def save(self) -> None:
        """Check the row and save it as a paper signature."""
        details = self.work.details
        if self.saving or details is None:
            return
        problems = []
        for edit, check in ((self.name, check_name), (self.postcode, check_postcode)):
            mark_invalid(edit, False)
            try:
                check(edit.text())
            except ValidationError as exc:
                problems.append((edit, str(exc)))
        if problems:
            for edit, _m in problems:
                mark_invalid(edit, True)
            self._refused("\n".join(m for _e, m in problems))
            problems[0][0].setFocus()
            return
        self.error.hide()
        signer = Signer(
            name=self.name.text(),
            address=self.address.text(),
            postcode=self.postcode.text(),
            consent=True,
            contact_ok=self.contact.isChecked(),
            sheet_number=self.sheet.value(),
            row_number=self.row.value(),
        )
        db, collector = self.work.db, self.work.collector_name()
        self.saving = True
        self.save_button.setEnabled(False)
        self.work.writes.submit(
            lambda: functools.partial(
                sign, db, details.id, signer, method="paper", collector=collector
            ),
            on_finished=functools.partial(self._on_saved, signer),
            on_failed=self._refused,
        )

    def _refused(self, message: str) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        self.error.setText(message)
        self.error.show()

    def _on_saved(self, signer: Signer, signature_id: str) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        sheet, row = signer.sheet_number or 0, signer.row_number or 0
        self.model.add(
            PaperRow(sheet, row, " ".join(signer.name.split()), check_postcode(signer.postcode))
        )
        self.view.scrollToTop()
        self._advancing = True
        self.row.setValue(row + 1)
        self._advancing = False
        for edit in (self.name, self.address, self.postcode):
            edit.clear()
        self.contact.setChecked(False)
        self.status.setText(f"Saved sheet {sheet}, row {row}. Next: row {row + 1}.")
        self.name.setFocus()
        self.signed.emit(signature_id)

    # -- a CSV file ----------------------------------------------------------------------------

    @Slot()
    def ask_import(self) -> None:
        """Ask for a CSV file of transcribed rows, then import it (all or nothing)."""
        details = self.work.details
        if details is None:
            return
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Import transcribed signatures", str(documents_folder()), CSV_FILTER
        )
        if not chosen:
            return
        path = Path(chosen).expanduser()
        db, collector = self.work.db, self.work.collector_name()
        self.import_button.setEnabled(False)
        self.import_error.hide()
        self.import_result.setText(f"Importing {path.name}…")
        self.work.writes.submit(
            lambda: functools.partial(import_csv, db, details.id, path, collector=collector),
            on_finished=functools.partial(self._on_imported, path),
            on_failed=self._on_import_failed,
        )

    def _on_imported(self, path: Path, count: int) -> None:
        self.import_button.setEnabled(True)
        word = "signature" if count == 1 else "signatures"
        self.import_result.setText(f"Imported {count:,} {word} from {path.name}.")
        self.imported.emit(count)

    def _on_import_failed(self, message: str) -> None:
        self.import_button.setEnabled(True)
        self.import_result.setText("")
        self.import_error.setText(import_problems(message))
        self.import_error.show()
