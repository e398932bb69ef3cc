"""The Leaflets screen's supporters: people who sent back a reply slip, typed in by a volunteer.

The list is read on the reads runner as the person searches (after a short
pause); adding a supporter and writing the CSV run on the task runner. The
add form checks each field with the rules the service uses and shows a
mistake beside its field, so nothing is sent until it would be accepted.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from canvass.domain.errors import ValidationError
from canvass.domain.signers import check_email, check_name, check_phone, check_postcode
from canvass.services.supporters import (
    CAN_HELP,
    KEEP_INFORMED,
    SupporterEntry,
    SupporterInfo,
    add_supporter,
    list_supporters,
    write_supporters_csv,
)
from canvass.ui.pages.common import label, panel
from canvass.ui.pages.leaflets_common import LeafletsSetup, plural
from canvass.ui.pages.leaflets_models import SupportersModel, table
from canvass.ui.pages.petitions_common import line_field, mark_invalid
from canvass.ui.pages.print_common import documents_folder

if TYPE_CHECKING:
    from canvass.ui.pages.leaflets_page import LeafletsPage

SEARCH_DEBOUNCE_MS = 300
CSV_FILTER = "CSV files (*.csv)"
NO_CONSENT = "Tick “Consent given”: the slip's consent box must be ticked to keep these details."
DUPLICATE = "is a supporter already"


class AddSupporterDialog(QDialog):
    """A returned reply slip, typed in.

    Signals:
        submitted: A :class:`SupporterEntry` that passed the checks, and whether a
            duplicate was confirmed (``object, bool``).
    """

    submitted = Signal(object, bool)

    def __init__(self, parent: QWidget, setup: LeafletsSetup | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add from a reply slip")
        self.setObjectName("pageArea")
        column = QVBoxLayout(self)
        column.setContentsMargins(20, 18, 20, 14)
        column.setSpacing(8)
        intro = QLabel(
            "Type in what the person wrote. Only a name, a postcode and the consent "
            "tick are needed."
        )
        intro.setWordWrap(True)
        intro.setMinimumWidth(480)
        column.addWidget(intro)
        self.name = line_field("First name and surname")
        self.address = line_field("House number and street")
        self.postcode = line_field("e.g. ZZ1 1AA")
        self.email = line_field("Optional")
        self.phone = line_field("Optional")
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        for row, col, caption, edit, span in (
            (0, 0, "Name", self.name, 2),
            (2, 0, "Address", self.address, 2),
            (4, 0, "Postcode", self.postcode, 1),
            (6, 0, "Email", self.email, 1),
            (6, 1, "Phone", self.phone, 1),
        ):
            title = label(caption, "fieldLabel")
            title.setBuddy(edit)
            grid.addWidget(title, row, col, 1, span)
            grid.addWidget(edit, row + 1, col, 1, span)
            edit.textEdited.connect(lambda _t, w=edit: self._edited(w))
        column.addLayout(grid)
        column.addWidget(label("What they ticked", "fieldLabel"))
        ticks = QHBoxLayout()
        self.keep_informed = QCheckBox("Keep me informed")
        self.can_help = QCheckBox(CAN_HELP)
        self.other = line_field("Other ticks, separated by commas")
        for widget in (self.keep_informed, self.can_help):
            widget.setObjectName("tick")
            ticks.addWidget(widget)
        ticks.addWidget(self.other, 1)
        column.addLayout(ticks)
        self.leaflet = QComboBox()
        self.leaflet.addItem("Not known", "")
        for summary in setup.leaflets if setup else []:
            self.leaflet.addItem(summary.title, summary.id)
        leaflet_row = QHBoxLayout()
        leaflet_row.addWidget(label("It came with", "fieldLabel"))
        leaflet_row.addWidget(self.leaflet, 1)
        column.addLayout(leaflet_row)
        self.consent = QCheckBox("Consent given: the slip's consent box is ticked")
        self.consent.setObjectName("tick")
        self.consent.toggled.connect(lambda _on: self._edited(self.consent))
        column.addWidget(self.consent)
        self.anyway = QCheckBox("This is another person: add them anyway")
        self.anyway.setObjectName("tick")
        self.anyway.hide()
        column.addWidget(self.anyway)
        self.error = label("", "inlineError", wrap=True)
        self.error.hide()
        column.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        cancel = QPushButton("Cancel")
        cancel.setObjectName("secondary")
        cancel.clicked.connect(self.reject)
        self.add_button = QPushButton("Add supporter")
        self.add_button.setObjectName("primary")
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self.submit)
        buttons.addWidget(cancel)
        buttons.addWidget(self.add_button)
        column.addLayout(buttons)

    def _edited(self, widget: QWidget) -> None:
        mark_invalid(widget, False)

    def problems(self) -> list[tuple[QWidget, str]]:
        """Each field that fails the rules, with the rule's words."""
        checks: list[tuple[QWidget, Callable[[], object]]] = [
            (self.name, lambda: check_name(self.name.text())),
            (self.postcode, lambda: check_postcode(self.postcode.text())),
            (self.email, lambda: check_email(self.email.text())),
            (self.phone, lambda: check_phone(self.phone.text())),
        ]
        out: list[tuple[QWidget, str]] = []
        for widget, check in checks:
            try:
                check()
            except ValidationError as exc:
                out.append((widget, str(exc)))
        if not self.consent.isChecked():
            out.append((self.consent, NO_CONSENT))
        return out

    def entry(self) -> SupporterEntry:
        """What the form holds."""
        ticks = [KEEP_INFORMED] if self.keep_informed.isChecked() else []
        ticks += [CAN_HELP] if self.can_help.isChecked() else []
        ticks += [t.strip() for t in self.other.text().split(",") if t.strip()]
        return SupporterEntry(
            name=self.name.text(),
            postcode=self.postcode.text(),
            address=self.address.text(),
            email=self.email.text(),
            phone=self.phone.text(),
            ticks=ticks,
            consent=self.consent.isChecked(),
            source="Reply slip",
            leaflet=str(self.leaflet.currentData() or ""),
        )

    @Slot()
    def submit(self) -> None:
        """Check the form; if it passes, ask for the supporter to be added."""
        problems = self.problems()
        fields: list[QWidget] = [self.name, self.postcode, self.email, self.phone, self.consent]
        for field in fields:
            mark_invalid(field, False)
        if problems:
            for widget, _message in problems:
                mark_invalid(widget, True)
            self.show_error("\n".join(message for _w, message in problems))
            problems[0][0].setFocus()
            return
        self.error.hide()
        self.add_button.setEnabled(False)
        self.submitted.emit(self.entry(), self.anyway.isChecked())

    def show_error(self, message: str) -> None:
        """Say what is wrong, above the buttons."""
        self.error.setText(message)
        self.error.show()

    def refused(self, message: str) -> None:
        """The service refused: keep what was typed, say why (and offer "add anyway")."""
        self.add_button.setEnabled(True)
        self.anyway.setVisible(DUPLICATE in message)
        self.show_error(message)


class SupportersTab(QWidget):
    """The Supporters tab.

    Signals:
        listed: The list was read (again) and is on show.
        added: The id of a supporter just added.
        exported: How many supporters a CSV just written holds, and its path.
    """

    listed = Signal()
    added = Signal(str)
    exported = Signal(int, object)

    def __init__(self, page: LeafletsPage) -> None:
        super().__init__()
        self.page = page
        self.setup: LeafletsSetup | None = None
        self.dialog: AddSupporterDialog | None = None
        self.total = 0
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 12, 0, 0)
        column.setSpacing(10)
        row = QHBoxLayout()
        row.setSpacing(10)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search by name, address, postcode, email, phone or tick")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(380)
        self.count = label("", "savedState")
        self.add_button = QPushButton("Add from a reply slip…")
        self.add_button.setObjectName("primary")
        self.add_button.clicked.connect(self.ask_add)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setObjectName("secondary")
        self.export_button.setToolTip(
            "The supporters shown, as a spreadsheet file that opens safely in Excel or LibreOffice"
        )
        self.export_button.clicked.connect(self.ask_export)
        row.addWidget(self.search, 2)
        row.addWidget(self.count, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.export_button)
        column.addLayout(row)
        frame, layout = panel()
        layout.setContentsMargins(12, 10, 12, 10)
        self.empty = label("", "hint", wrap=True)
        layout.addWidget(self.empty)
        self.model = SupportersModel(self)
        self.view = table(self.model, 2)
        layout.addWidget(self.view, 100)
        layout.addStretch(1)  # holds the empty state up when there is no table
        column.addWidget(frame, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self._show([])

    def set_setup(self, setup: LeafletsSetup) -> None:
        """The campaign's saved leaflets (for "it came with"); reads the list again."""
        self.setup = setup
        self.reload()

    def forget(self) -> None:
        """Another database: nothing shown until it is read."""
        self.setup = None
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._show([])

    @Slot()
    def reload(self) -> None:
        """Read the supporters matching the search (on the reads runner)."""
        self._timer.stop()
        db, text = self.page.main.db, self.search.text()
        self.page.reads.submit(
            lambda: functools.partial(list_supporters, db, text),
            on_finished=functools.partial(self._on_listed, db, text),
            on_failed=lambda m: self.empty.setText(f"Could not read the supporters: {m}"),
            key="supporters",
        )

    def _on_listed(self, db: object, text: str, found: list[SupporterInfo]) -> None:
        if db is not self.page.main.db:
            return
        if not text.strip():
            self.total = len(found)
        self._show(found, text)
        self.listed.emit()

    def _show(self, found: list[SupporterInfo], text: str = "") -> None:
        self.model.set_rows(found)
        searching = bool(text.strip())
        if found:
            self.empty.hide()
        elif searching:
            self.empty.setText(f"Nobody matches “{text.strip()}”.")
        else:
            self.empty.setText(
                "No supporters yet. When people send back a leaflet's reply slip, type their "
                "details in with “Add from a reply slip…”: they are kept with the campaign and "
                "travel to the coordinator like everything else."
            )
        self.empty.setVisible(not found)
        self.view.setVisible(bool(found))
        self.count.setText(
            f"{len(found):,} of {plural(self.total, 'supporter')}"
            if searching
            else plural(len(found), "supporter")
        )
        self.export_button.setEnabled(bool(found))

    @Slot()
    def ask_add(self) -> AddSupporterDialog:
        """Open the reply-slip form (returned, for tests)."""
        dialog = AddSupporterDialog(self, self.setup)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setStyleSheet(self.page.styleSheet())
        dialog.submitted.connect(lambda entry, anyway: self._add(dialog, entry, anyway))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _add(self, dialog: AddSupporterDialog, entry: SupporterEntry, anyway: bool) -> None:
        db = self.page.main.db
        self.page.writes.submit(
            lambda: functools.partial(add_supporter, db, entry, allow_duplicate=anyway),
            on_finished=lambda supporter_id: self._on_added(dialog, supporter_id),
            on_failed=dialog.refused,
        )

    def _on_added(self, dialog: AddSupporterDialog, supporter_id: str) -> None:
        dialog.accept()
        self.page.main.statusBar().showMessage("Supporter added.", 6000)
        self.reload()
        self.added.emit(supporter_id)

    @Slot()
    def ask_export(self) -> None:
        """Choose a file, then write the supporters shown to it as CSV."""
        start = str(documents_folder() / "supporters.csv")
        chosen, _ = QFileDialog.getSaveFileName(self, "Export supporters as", start, CSV_FILTER)
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".csv":
            path = path.with_name(path.name + ".csv")
        db, text = self.page.main.db, self.search.text()
        self.page.writes.submit(
            lambda: functools.partial(write_supporters_csv, db, path, text),
            on_finished=lambda n: self._on_exported(n, path),
            on_failed=lambda m: self.page.main.show_error("Could not export the supporters", m),
        )

    def _on_exported(self, count: int, path: Path) -> None:
        self.page.main.statusBar().showMessage(
            f"Wrote {plural(count, 'supporter')} to {path}", 8000
        )
        self.exported.emit(count, path)
