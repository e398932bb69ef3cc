"""The Browse page's layout: its widgets and how they are arranged (no behaviour).

The page (``browse.py``) adds the behaviour: reading on the reads runner,
filling the tree and table, following the selection.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    Qt,
)
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from canvass.ui import theme
from canvass.ui.delegates import AreaDelegate, HouseholdDelegate
from canvass.ui.pages.common import label, panel
from canvass.ui.pages.overview import CardSpec, CountCard
from canvass.ui.table_models import (
    DistrictTreeModel,
    HouseholdColumn,
    HouseholdTableModel,
    StreetFilterProxy,
    TreeColumn,
)

STYLE = f"""
QFrame#panel QTreeView, QFrame#panel QTableView {{
    border: none; background: {theme.SURFACE}; outline: 0;
    selection-background-color: {theme.BRAND_TINT}; selection-color: {theme.INK};
}}
QFrame#panel QHeaderView::section {{
    background: {theme.SURFACE}; color: {theme.MUTED}; border: none;
    border-bottom: 1px solid {theme.LINE}; padding: 6px 8px; font-weight: 600;
}}
QFrame#panel QTableView::item {{ padding: 0 8px; }}
QLineEdit#browseFilter {{
    border: 1px solid #C5CED6; border-radius: 6px; padding: 6px 10px; background: {theme.SURFACE};
}}
QLineEdit#browseFilter:focus {{ border-color: {theme.BRAND}; }}
QLabel#browseStatus {{ color: {theme.BRAND_DARK}; font-size: 10pt; }}
"""

#: The widest a column grows when fitted to a street's rows, in pixels.
COLUMN_LIMITS = {
    HouseholdColumn.DOOR: 180,
    HouseholdColumn.NUMBER: 130,
    HouseholdColumn.NAME: 320,
    HouseholdColumn.MARKERS: 90,
    HouseholdColumn.NOTES: 360,
}
#: Names give way to notes down to this width; notes to names down to the next one.
NAME_AT_LEAST, NOTES_AT_LEAST = 150, 150

CARDS = (
    CardSpec("streets", "Streets", "in walking order"),
    CardSpec("households", "Households", "doors with electors"),
    CardSpec("electors", "Electors", "on the register"),
    CardSpec("without_address", "Without an address", "other electors, on no street"),
)


class BrowseLayout(QWidget):
    """Builds the Browse page's widgets; ``BrowsePage`` drives them."""

    # Hooks the page implements; the layout only connects them.
    def _on_filter(self, text: str) -> None:
        raise NotImplementedError

    def _select_first_match(self) -> None:
        raise NotImplementedError

    def _on_current(self, current: QModelIndex, previous: QModelIndex) -> None:
        raise NotImplementedError

    def reload(self) -> None:
        """Read everything again (the page implements it)."""
        raise NotImplementedError

    # -- layout -----------------------------------------------------------------

    def _build_header(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(4)
        self.title = label("Browse the register", "pageTitle")
        self.status = label("", "browseStatus")
        self.subtitle = label("", "pageSubtitle", wrap=True)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setObjectName("secondary")
        self.refresh_button.setToolTip("Read the districts, streets and counts again")
        self.refresh_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.refresh_button.clicked.connect(self.reload)
        grid.addWidget(self.title, 0, 0)
        grid.addWidget(self.status, 0, 1, Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(self.refresh_button, 0, 3, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.subtitle, 1, 0, 1, 4)
        grid.setColumnStretch(2, 1)
        return grid

    def _build_message(self) -> tuple[QWidget, Any, Any]:
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 8, 0, 0)
        frame, layout = panel()
        frame.setMaximumWidth(640)
        title = label("", "sectionTitle", wrap=True)
        text = label("", "hint", wrap=True)
        layout.addWidget(title)
        layout.addWidget(text)
        column.addWidget(frame)
        column.addStretch(1)
        return holder, title, text

    def _build_tree(self) -> QWidget:
        frame, layout = panel()
        layout.setContentsMargins(12, 12, 12, 8)
        layout.setSpacing(8)
        self.filter = QLineEdit()
        self.filter.setObjectName("browseFilter")
        self.filter.setPlaceholderText("Filter streets…")
        self.filter.setToolTip("Type part of a street's name, or a district's code (Ctrl+F)")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._on_filter)
        self.filter.returnPressed.connect(self._select_first_match)
        layout.addWidget(self.filter)
        self.tree_model = DistrictTreeModel(self)
        self.proxy = StreetFilterProxy(self)
        self.proxy.setSourceModel(self.tree_model)
        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.setItemDelegateForColumn(TreeColumn.AREA, AreaDelegate(self.tree))
        self.tree.setUniformRowHeights(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setAnimated(False)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(TreeColumn.AREA, QHeaderView.ResizeMode.Stretch)
        bold = QFont(self.font())
        bold.setBold(True)
        for column in (TreeColumn.ELECTORS, TreeColumn.HOUSEHOLDS):
            title = str(self.tree_model.headerData(column, Qt.Orientation.Horizontal))
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, QFontMetrics(bold).horizontalAdvance(title) + 16)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.tree.selectionModel().currentChanged.connect(self._on_current)
        self.no_match = label("", "hint", wrap=True)
        self.no_match.setContentsMargins(4, 8, 4, 0)
        self.no_match.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.no_match.hide()
        layout.addWidget(self.no_match)
        layout.addWidget(self.tree, 1)
        frame.setMinimumWidth(320)
        return frame

    def _build_detail(self) -> QWidget:
        self.detail = QStackedWidget()
        summary, layout = panel()
        layout.setContentsMargins(24, 20, 24, 20)
        self.summary_title = label("", "sectionTitle", wrap=True)
        self.summary_subtitle = label("", "pageSubtitle", wrap=True)
        layout.addWidget(self.summary_title)
        layout.addWidget(self.summary_subtitle)
        cards = QGridLayout()
        cards.setSpacing(12)
        self.cards = {spec.key: CountCard(spec) for spec in CARDS}
        for number, card in enumerate(self.cards.values()):
            card.setMinimumWidth(150)
            cards.addWidget(card, number // 2, number % 2)
        layout.addSpacing(6)
        layout.addLayout(cards)
        self.summary_hint = label("", "footnote", wrap=True)
        layout.addWidget(self.summary_hint)
        layout.addStretch(1)
        self.detail.addWidget(summary)

        street, layout = panel()
        layout.setContentsMargins(12, 16, 4, 4)
        layout.setSpacing(4)
        self.street_title = label("", "sectionTitle", wrap=True)
        self.street_details = label("", "pageSubtitle", wrap=True)
        for widget in (self.street_title, self.street_details):
            widget.setContentsMargins(8, 0, 8, 0)
            layout.addWidget(widget)
        layout.addSpacing(8)
        self.households = HouseholdTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.households)
        self.table.setItemDelegate(HouseholdDelegate(self.table))
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        self.table.viewport().installEventFilter(self)
        layout.addWidget(self.table, 1)
        self.detail.addWidget(street)
        return self.detail

    # -- loading ------------------------------------------------------------------
