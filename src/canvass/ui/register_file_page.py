"""The import wizard's first page: the register file, its edition and its first rows."""

from __future__ import annotations

import functools
import html
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from canvass.registers.reader import Peek, peek
from canvass.ui.register_mapping import (
    MAPPING_PAGE,
    PREVIEW_PAGE,
    describe_encoding,
    describe_separator,
    gui_problem,
)

if TYPE_CHECKING:
    from canvass.ui.register_wizard import RegisterImportWizard

REGISTER_FILTER = "Register files (*.csv *.tsv *.txt);;All files (*)"
#: Rows of the file shown on this page.
PREVIEW_ROWS = 8
#: A column of the preview never gets wider than this, in pixels.
MAX_COLUMN_WIDTH = 220


def fill_table(table: QTableWidget, headers: list[str], rows: list[list[str]]) -> None:
    """Show ``rows`` under ``headers`` in a read-only table sized to its content."""
    table.clear()
    table.setColumnCount(len(headers))
    table.setRowCount(len(rows))
    table.setHorizontalHeaderLabels(headers)
    for r, row in enumerate(rows):
        for c, text in enumerate(row[: len(headers)]):
            item = QTableWidgetItem(text.strip())
            item.setToolTip(text)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    for c in range(table.columnCount()):
        table.setColumnWidth(c, min(table.columnWidth(c) + 8, MAX_COLUMN_WIDTH))


def read_only_table() -> QTableWidget:
    """A compact table for looking at rows, not editing them."""
    table = QTableWidget()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setHighlightSections(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class FilePage(QWizardPage):
    """Choose the file and name the edition; see how canvass reads it."""

    def __init__(self, wizard: RegisterImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.path: Path | None = None
        self.peek: Peek | None = None
        self.setTitle("Choose the register file")
        self.setSubTitle(
            "The CSV or tab-separated file that the council's electoral services sent you. "
            "Nothing is imported until you have seen a preview."
        )
        layout = QVBoxLayout(self)
        layout.setSpacing(12)

        form = QGridLayout()
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(10)
        form.setColumnStretch(1, 1)
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText("No file chosen yet")
        self.choose_button = QPushButton("Choose file…")
        self.choose_button.setObjectName("primary")
        self.choose_button.clicked.connect(self.ask_file)
        form.addWidget(QLabel("Register file"), 0, 0)
        form.addWidget(self.file_edit, 0, 1)
        form.addWidget(self.choose_button, 0, 2)
        self.edition_edit = QLineEdit()
        self.edition_edit.setPlaceholderText("e.g. December 2025 register, or March update")
        self.edition_edit.setToolTip(
            "A name for this copy of the register; electors remember which edition they came from."
        )
        self.edition_edit.textChanged.connect(self.completeChanged)
        form.addWidget(QLabel("Edition"), 1, 0)
        form.addWidget(self.edition_edit, 1, 1, 1, 2)
        layout.addLayout(form)

        self.facts = QLabel()
        self.facts.setTextFormat(Qt.TextFormat.PlainText)
        self.facts.setWordWrap(True)
        self.layout_label = QLabel()
        self.layout_label.setTextFormat(Qt.TextFormat.PlainText)
        self.layout_label.setWordWrap(True)
        self.adjust = QCheckBox("Let me check or change which column holds what")
        self.adjust.setToolTip("Shows the column page even though canvass recognised the layout")
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.RichText)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(
            "background: #FDECEC; color: #8A1F1F; border: 1px solid #F3C2C2;"
            "border-radius: 6px; padding: 10px 12px;"
        )
        self.table = read_only_table()
        self.table_title = QLabel(f"The first {PREVIEW_ROWS} rows, as they are in the file")
        self.table_title.setStyleSheet("font-weight: 600;")
        for widget in (self.facts, self.layout_label, self.adjust, self.error):
            layout.addWidget(widget)
        layout.addWidget(self.table_title)
        layout.addWidget(self.table, 1)
        self.hint = QLabel(
            "Choose the file to see its first rows here. canvass recognises the usual "
            "council layouts (Xpress, Idox/Halarose, EMS and others) and asks you about "
            "the columns of any other file."
        )
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #5F6B76;")
        layout.addWidget(self.hint)
        layout.addStretch(0)
        self._show_nothing()

    # -- choosing ---------------------------------------------------------------------------

    @Slot()
    def ask_file(self) -> None:
        """Ask for the register file, then read its first rows."""
        start = str(self.path.parent) if self.path is not None else str(Path.home())
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Choose the register file", start, REGISTER_FILTER
        )
        if chosen:
            self.choose(Path(chosen))

    def choose(self, path: Path) -> None:
        """Read the first rows of ``path`` (on the task runner) and show them."""
        self.path, self.peek = path, None
        self.file_edit.setText(str(path))
        self.edition_edit.setText(path.stem)
        self._show_nothing()
        self.hint.setText(f"Reading {path.name}…")
        self.hint.show()
        self.completeChanged.emit()
        self.owner.run(
            lambda: functools.partial(peek, path, PREVIEW_ROWS),
            "Reading the file",
            functools.partial(self._on_peek, path),
            on_failed=functools.partial(self._on_failed, path),
            cancellable=False,
        )

    def _on_peek(self, path: Path, result: Peek) -> None:
        if path != self.path:
            return  # another file was chosen meanwhile
        self.peek = result
        self.hint.hide()
        self.error.hide()
        self.facts.setText(
            f"Encoding: {describe_encoding(result.encoding)}    ·    "
            f"Separator: {describe_separator(result.delimiter)}    ·    "
            f"{len(result.headers)} columns"
        )
        self.facts.show()
        if result.layout:
            self.layout_label.setText(f"✓  canvass recognises this layout: {result.layout}.")
            self.layout_label.setStyleSheet("color: #0B5F67; font-weight: 600;")
            self.adjust.setChecked(False)
            self.adjust.show()
        else:
            self.layout_label.setText(
                f"canvass does not recognise these columns. {gui_problem(result.problem)} "
                "On the next page, choose which column holds what."
            )
            self.layout_label.setStyleSheet("color: #8A5A00;")
            self.adjust.hide()
        self.layout_label.show()
        fill_table(self.table, result.headers, result.rows)
        self.table_title.show()
        self.table.show()
        self.completeChanged.emit()
        self.owner.file_read.emit()

    def _on_failed(self, path: Path, message: str) -> None:
        if path != self.path:
            return
        self._show_nothing()
        self.hint.hide()
        self.error.setText(f"<b>This file cannot be imported.</b><br>{html.escape(message)}")
        self.error.show()
        self.completeChanged.emit()
        self.owner.file_read.emit()

    def _show_nothing(self) -> None:
        for widget in (
            self.facts,
            self.layout_label,
            self.adjust,
            self.error,
            self.table_title,
            self.table,
        ):
            widget.hide()

    # -- the wizard's questions -------------------------------------------------------------

    def edition(self) -> str:
        """The edition label (the file name when left empty)."""
        text = self.edition_edit.text().strip()
        return text or (self.path.stem if self.path is not None else "")

    def needs_mapping(self) -> bool:
        """Whether the next page is the column page."""
        return self.peek is not None and (not self.peek.layout or self.adjust.isChecked())

    def isComplete(self) -> bool:  # noqa: N802 (Qt override)
        """Next is available once the file has been read."""
        return self.peek is not None and bool(self.edition_edit.text().strip())

    def nextId(self) -> int:  # noqa: N802 (Qt override)
        """The column page when the layout needs one, else the preview."""
        return MAPPING_PAGE if self.needs_mapping() else PREVIEW_PAGE
