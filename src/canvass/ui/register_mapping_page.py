"""The import wizard's column page: which column of the file holds each field.

Every change re-reads the first rows with the chosen columns, so the person
sees at once whether the numbers, names and addresses come out right. A
choice can be saved under a name and chosen again for the next file in the
same layout.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from canvass.registers.layouts import Layout, load_mapping, save_mapping
from canvass.ui.register_file_page import read_only_table
from canvass.ui.register_mapping import (
    ADDRESS_LINES,
    FIELD_LABELS,
    WHERE_FIELDS,
    WHO_FIELDS,
    Choice,
    PreviewRow,
    guess,
    mapping_file,
    missing,
    preview,
    saved_mappings,
)

if TYPE_CHECKING:
    from canvass.ui.register_wizard import RegisterImportWizard

NOT_IN_FILE = "— not in this file —"
_PICK_SAVED = "Choose a saved mapping…"
_SAMPLE_LENGTH = 22
_PROBLEM = QColor("#A12A2A")
_OK = "color: #0B5F67; font-weight: 600;"
_WARN = "color: #8A5A00; font-weight: 600;"


def _sample(rows: list[list[str]], index: int) -> str:
    for row in rows:
        if index < len(row) and row[index].strip():
            text = " ".join(row[index].split())
            return text if len(text) <= _SAMPLE_LENGTH else text[: _SAMPLE_LENGTH - 1] + "…"
    return ""


class MappingPage(QWizardPage):
    """Choose the file's column for each field, with a live preview of the first rows.

    Signals:
        saved_listed: The list of saved mappings was read again.
        mapping_applied: A saved mapping was chosen and its columns are shown.
    """

    saved_listed = Signal()
    mapping_applied = Signal()

    def __init__(self, wizard: RegisterImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.headers: list[str] = []
        self.combos: dict[str, QComboBox] = {}
        self.address_combos: list[QComboBox] = []
        self.rows: list[PreviewRow] = []
        self._filling = False
        self.setTitle("Which column holds what?")
        self.setSubTitle(
            "canvass needs the elector number, the name and the address. The rows below "
            "show how the file reads with your choices."
        )
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        saved_row, save_row = self._build_saved_rows()
        layout.addLayout(saved_row)

        self.fields_area = QScrollArea()
        self.fields_area.setWidgetResizable(True)
        self.fields_area.setFrameShape(QFrame.Shape.StyledPanel)
        self.fields_area.setMinimumHeight(200)
        layout.addWidget(self.fields_area, 1)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.status)
        self.table = read_only_table()
        self.table.setColumnCount(4)
        self.table.setHorizontalHeaderLabels(["Line", "Elector number", "Name", "Address"])
        self.table.setMinimumHeight(120)
        self.table.setMaximumHeight(190)
        layout.addWidget(self.table)
        layout.addLayout(save_row)

    def _build_saved_rows(self) -> tuple[QHBoxLayout, QHBoxLayout]:
        saved_row = QHBoxLayout()
        saved_row.setSpacing(8)
        self.saved = QComboBox()
        self.saved.setMinimumContentsLength(22)
        self.saved.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.saved.activated.connect(self._on_saved_chosen)
        saved_row.addWidget(QLabel("Use a saved mapping"))
        saved_row.addWidget(self.saved)
        saved_row.addStretch(1)

        save_row = QHBoxLayout()
        save_row.setSpacing(8)
        self.save_name = QLineEdit()
        self.save_name.setPlaceholderText("e.g. Council export")
        self.save_name.setMinimumWidth(220)
        self.save_name.textChanged.connect(self._update_save_button)
        self.save_button = QPushButton("Save this mapping")
        self.save_button.setObjectName("secondary")
        self.save_button.setToolTip(f"Saves these choices in {self.owner.mapping_folder}")
        self.save_button.clicked.connect(self.save)
        save_row.addWidget(QLabel("Save these choices as"))
        save_row.addWidget(self.save_name)
        save_row.addWidget(self.save_button)
        save_row.addStretch(1)
        return saved_row, save_row

    # -- building the choices for a file ----------------------------------------------------

    def initializePage(self) -> None:  # noqa: N802 (Qt override)
        """Offer the file's columns, guessing where it can; keep choices for the same file."""
        peek = self.owner.file_page.peek
        assert peek is not None
        if peek.headers != self.headers or not self.combos:
            self.headers = list(peek.headers)
            self._build_fields(guess(self.headers))
        self.list_saved()
        self.refresh()
        self.combos["number"].setFocus()

    def _combo(self, rows: list[list[str]]) -> QComboBox:
        combo = QComboBox()
        combo.addItem(NOT_IN_FILE, None)
        for index, header in enumerate(self.headers):
            if not header.strip():
                continue  # a mapping names columns by their heading
            sample = _sample(rows, index)
            combo.addItem(f"{header}  ·  {sample}" if sample else header, index)
            combo.setItemData(combo.count() - 1, header, Qt.ItemDataRole.ToolTipRole)
        combo.setMinimumContentsLength(16)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.currentIndexChanged.connect(self.refresh)
        return combo

    def _build_fields(self, choice: Choice) -> None:
        peek = self.owner.file_page.peek
        rows = peek.rows if peek is not None else []
        content = QWidget()
        grid = QGridLayout(content)
        grid.setContentsMargins(12, 10, 12, 10)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(4, 1)
        grid.setColumnMinimumWidth(2, 18)
        self.combos = {}
        self.address_combos = []

        def add(column: int, row: int, text: str, tip: str, combo: QComboBox) -> None:
            name = QLabel(text)
            name.setToolTip(tip)
            combo.setToolTip(tip)
            grid.addWidget(name, row, column)
            grid.addWidget(combo, row, column + 1)

        for column, title in ((0, "The elector"), (3, "The address")):
            heading = QLabel(title)
            heading.setStyleSheet("font-weight: 600; color: #0B5F67;")
            grid.addWidget(heading, 0, column, 1, 2)
        for row, field in enumerate(WHO_FIELDS, start=1):
            self.combos[field] = self._combo(rows)
            add(0, row, FIELD_LABELS[field][0], FIELD_LABELS[field][1], self.combos[field])
        lines = max(ADDRESS_LINES, len(choice.address))
        for n in range(lines):
            combo = self._combo(rows)
            self.address_combos.append(combo)
            add(3, n + 1, f"Address line {n + 1}", "Free-text address lines, in order", combo)
        for row, field in enumerate(WHERE_FIELDS, start=lines + 1):
            self.combos[field] = self._combo(rows)
            add(3, row, FIELD_LABELS[field][0], FIELD_LABELS[field][1], self.combos[field])
        grid.setRowStretch(max(len(WHO_FIELDS), lines + len(WHERE_FIELDS)) + 1, 1)
        self.fields_area.setWidget(content)
        self.apply(choice)

    # -- the choice -------------------------------------------------------------------------

    @staticmethod
    def _select(combo: QComboBox, index: int | None) -> None:
        found = combo.findData(index) if index is not None else 0
        combo.setCurrentIndex(max(found, 0))

    def apply(self, choice: Choice) -> None:
        """Show ``choice`` in the boxes (a field it does not name is "not in this file")."""
        self._filling = True
        try:
            for field, combo in self.combos.items():
                self._select(combo, choice.columns.get(field))
            for n, combo in enumerate(self.address_combos):
                self._select(combo, choice.address[n] if n < len(choice.address) else None)
        finally:
            self._filling = False
        self.refresh()

    def set_column(self, field: str, header: str | None) -> None:
        """Choose the column headed ``header`` for ``field`` (None: not in this file)."""
        combo = self.combos[field]
        self._select(combo, self.headers.index(header) if header is not None else None)

    def set_address(self, headers: list[str]) -> None:
        """Choose the address-line columns, in order."""
        for n, combo in enumerate(self.address_combos):
            self._select(combo, self.headers.index(headers[n]) if n < len(headers) else None)

    def choice(self) -> Choice:
        """The columns chosen now."""
        columns = {
            field: combo.currentData()
            for field, combo in self.combos.items()
            if combo.currentData() is not None
        }
        address: list[int] = []
        for combo in self.address_combos:
            index = combo.currentData()
            if index is not None and index not in address:
                address.append(index)
        return Choice(columns, tuple(address))

    # -- live preview -----------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """Read the first rows again with the chosen columns."""
        if self._filling:
            return
        peek = self.owner.file_page.peek
        choice = self.choice()
        lacking = missing(choice)
        self.rows = preview(peek.rows, choice) if peek is not None and not lacking else []
        readable = [r for r in self.rows if not r.problem]
        if lacking:
            self.status.setText(f"Still to choose: {', '.join(lacking)}.")
            self.status.setStyleSheet(_WARN)
        elif not readable:
            first = self.rows[0].problem if self.rows else "the file has no rows"
            self.status.setText(f"None of the first rows can be read this way: {first}.")
            self.status.setStyleSheet(_WARN)
        else:
            problems = len(self.rows) - len(readable)
            self.status.setText(
                f"✓  {len(readable)} of the first {len(self.rows)} rows read well"
                + (f"; {problems} would be left out (shown in red)." if problems else ".")
            )
            self.status.setStyleSheet(_OK)
        self._show_rows()
        self._update_save_button()
        self.completeChanged.emit()

    def _show_rows(self) -> None:
        self.table.clearSpans()
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            cells = [str(row.line), row.number, row.name, row.address]
            if row.problem:
                cells = [str(row.line), "not read", f"Left out: {row.problem}", ""]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if row.problem:
                    item.setForeground(QBrush(_PROBLEM))
                self.table.setItem(r, c, item)
            if row.problem:
                self.table.setSpan(r, 2, 1, 2)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)
        self.table.setColumnWidth(2, max(180, min(self.table.sizeHintForColumn(2) + 12, 260)))

    def isComplete(self) -> bool:  # noqa: N802 (Qt override)
        """Next is available when the choice reads at least one of the first rows."""
        return any(not r.problem for r in self.rows)

    # -- saved mappings ---------------------------------------------------------------------

    def list_saved(self) -> None:
        """Read the list of saved mappings again (on the task runner)."""
        folder = self.owner.mapping_folder
        self.owner.run(
            lambda: functools.partial(saved_mappings, folder),
            "Listing saved mappings",
            self._show_saved,
            on_failed=lambda _message: self._show_saved([]),
            progress=False,
        )

    def _show_saved(self, files: list[Path]) -> None:
        self.saved.clear()
        if files:
            self.saved.addItem(_PICK_SAVED, None)
            for file in files:
                self.saved.addItem(file.stem.replace("-", " "), str(file))
        else:
            self.saved.addItem("No saved mappings yet", None)
        self.saved.setEnabled(bool(files))
        self.saved_listed.emit()

    @Slot(int)
    def _on_saved_chosen(self, index: int) -> None:
        file = self.saved.itemData(index)
        if file:
            self.use_saved(Path(file))

    def use_saved(self, file: Path) -> None:
        """Show the columns of a saved mapping (read on the task runner)."""
        headers = list(self.headers)
        self.owner.run(
            lambda: functools.partial(load_mapping, file, headers),
            "Reading the saved mapping",
            functools.partial(self._on_loaded, file),
            on_failed=self._on_load_failed,
            progress=False,
        )

    def _on_loaded(self, file: Path, layout: Layout) -> None:
        self.save_name.setText(file.stem.replace("-", " "))
        self.apply(Choice(dict(layout.columns), layout.address_columns))
        self.mapping_applied.emit()

    def _on_load_failed(self, message: str) -> None:
        self.saved.setCurrentIndex(0)
        self.owner.show_message("This saved mapping does not fit the file", message)

    def _update_save_button(self) -> None:
        self.save_button.setEnabled(bool(self.save_name.text().strip()) and self.isComplete())

    @Slot()
    def save(self) -> None:
        """Save the chosen columns under the name given (on the task runner)."""
        name = self.save_name.text().strip()
        if not name or not self.isComplete():
            return
        columns, address = self.choice().by_header(self.headers)
        file = mapping_file(self.owner.mapping_folder, name)

        def write() -> Path:
            file.parent.mkdir(parents=True, exist_ok=True)
            save_mapping(file, columns, address)
            return file

        self.owner.run(lambda: write, "Saving the mapping", self._on_saved, progress=False)

    def _on_saved(self, file: Path) -> None:
        self.owner.main.statusBar().showMessage(f"Saved the column mapping “{file.stem}”.", 8000)
        self.status.setText(
            f"✓  Saved as “{file.stem.replace('-', ' ')}”. Choose it under “Use a saved "
            "mapping” for the next file in this layout."
        )
        self.status.setStyleSheet(_OK)
        self.list_saved()
