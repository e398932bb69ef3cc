"""The codes editor's tabs: a table of codes (or questions) with buttons to edit its rows.

Used by :mod:`canvass.ui.pages.settings_codes`; each tab only edits its
model, and the editor decides when anything is saved.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from canvass.services.code_sets import REQUIRED_OUTCOMES
from canvass.ui import theme
from canvass.ui.pages.common import label
from canvass.ui.pages.settings_models import CodeTableModel

STYLE = f"""
QTabWidget#codeTabs::pane {{ border: none; border-top: 1px solid {theme.LINE}; top: -1px; }}
QTabBar#codeTabBar::tab {{
    background: transparent; color: {theme.MUTED}; border: none;
    border-bottom: 3px solid transparent; padding: 7px 16px 8px 16px; margin-right: 4px;
    font-size: 10pt;
}}
QTabBar#codeTabBar::tab:hover {{ color: {theme.INK}; }}
QTabBar#codeTabBar::tab:selected {{
    color: {theme.BRAND_DARK}; border-bottom-color: {theme.BRAND}; font-weight: 600;
}}
QTableView#codeTable {{
    border: 1px solid {theme.LINE}; border-radius: 6px; background: {theme.SURFACE}; outline: 0;
    selection-background-color: {theme.BRAND_TINT}; selection-color: {theme.INK};
}}
QTableView#codeTable QHeaderView::section {{
    background: {theme.SURFACE}; color: {theme.MUTED}; border: none;
    border-bottom: 1px solid {theme.LINE}; padding: 6px 8px; font-weight: 600;
}}
QTableView#codeTable::item {{ padding: 0 6px; }}
"""
#: Each tab: the code book's field, its title, and the note under its table.
TABS = (
    (
        "outcomes",
        "Outcomes",
        f"What happened at the door. {', '.join(REQUIRED_OUTCOMES)} (not in, spoke, moved, "
        "do not contact) must stay, as the canvass screen relies on them; rename their labels "
        "as you like.",
    ),
    ("intentions", "Voting intentions", "How someone says they will vote, when you spoke to them."),
    ("flags", "Flags", "Things to follow up: posters, postal votes, lifts, volunteers."),
    (
        "questions",
        "Survey questions",
        "Questions canvassers ask; separate the choices with commas, e.g. Yes, No, Don't know.",
    ),
)


class CodeTab(QWidget):
    """One tab of the editor: a table, and buttons to add, remove and move its rows."""

    def __init__(self, model: CodeTableModel, note: str) -> None:
        super().__init__()
        self.model = model
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 12, 0, 0)
        row.setSpacing(14)
        column = QVBoxLayout()
        column.setSpacing(8)
        self.table = QTableView()
        self.table.setObjectName("codeTable")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(False)
        self.table.verticalHeader().setDefaultSectionSize(32)
        self.table.verticalHeader().hide()
        self.table.setMinimumHeight(32 * 8 + 40)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(0, 110)
        if model.columnCount() > 2:
            self.table.setColumnWidth(1, 340)
        column.addWidget(self.table, 1)
        self.note = label(note, "footnote", wrap=True)
        column.addWidget(self.note)
        row.addLayout(column, 1)

        buttons = QVBoxLayout()
        buttons.setSpacing(8)
        self.add_button = self._button("Add", "Add a row below the one selected")
        self.remove_button = self._button("Remove", "Remove the row selected")
        self.up_button = self._button("Move up", "Move the row selected up")
        self.down_button = self._button("Move down", "Move the row selected down")
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        row.addLayout(buttons)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        model.modelReset.connect(self._update_buttons)
        model.rowsRemoved.connect(self._update_buttons)
        self._update_buttons()

    @staticmethod
    def _button(text: str, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName("secondary")
        button.setToolTip(tip)
        button.setMinimumWidth(110)
        return button

    def current_row(self) -> int:
        """The row selected, or -1."""
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def select_row(self, row: int, column: int = 0) -> None:
        """Make ``row`` the current, selected row."""
        index = self.model.index(row, column)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)

    @Slot()
    def add(self) -> None:
        """Add an empty row below the one selected and start typing its code."""
        row = self.model.add_row(self.current_row())
        self.select_row(row)
        self.table.setFocus()
        self.table.edit(self.model.index(row, 0))

    @Slot()
    def remove(self) -> None:
        """Remove the row selected (nothing is saved until Save)."""
        row = self.current_row()
        if row < 0:
            return
        self.model.removeRows(row, 1)
        if self.model.rowCount():
            self.select_row(min(row, self.model.rowCount() - 1))

    def move_selected(self, by: int) -> None:
        """Move the row selected up (-1) or down (+1)."""
        row = self.current_row()
        if row >= 0:
            self.select_row(self.model.move_row(row, by), self.table.currentIndex().column())
        self._update_buttons()

    @Slot()
    def _update_buttons(self, *_args: object) -> None:
        row, rows = self.current_row(), self.model.rowCount()
        self.remove_button.setEnabled(row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < rows - 1)
