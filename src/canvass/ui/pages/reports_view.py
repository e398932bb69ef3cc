"""The Reports screen's building blocks: chart panels, figure tables and their style.

The page (``reports_page.py``) arranges them and fills them with a report.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from canvass.ui import theme
from canvass.ui.charts import RateBarDelegate
from canvass.ui.pages.common import label
from canvass.ui.pages.reports_models import FiguresTableModel

#: Tables show this many rows before they scroll.
TABLE_ROWS = 12

STYLE = f"""
QFrame#panel QTableView {{
    border: 1px solid {theme.LINE}; border-radius: 6px; background: {theme.SURFACE}; outline: 0;
    selection-background-color: {theme.BRAND_TINT}; selection-color: {theme.INK};
}}
QFrame#panel QHeaderView::section {{
    background: {theme.SURFACE}; color: {theme.MUTED}; border: none;
    border-bottom: 1px solid {theme.LINE}; padding: 6px 8px; font-weight: 600;
}}
QFrame#panel QTableView::item {{ padding: 0 8px; }}
QLabel#chartCaption {{ color: {theme.MUTED}; font-size: 9pt; }}
QLabel#splitLabel {{ color: {theme.MUTED}; font-size: 10pt; font-weight: 600; }}
"""


class ChartPanel(QFrame):
    """A white panel with a title, a muted caption line, and room below for a chart.

    Attributes:
        body: The panel's layout; add the chart to it.
        title: The panel's title.
        caption: The line under the title, saying what the chart counts.
    """

    def __init__(self, title: str) -> None:
        super().__init__()
        self.setObjectName("panel")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(20, 16, 20, 18)
        self.body.setSpacing(6)
        self.title = label(title, "sectionTitle")
        self.caption = label("", "chartCaption", wrap=True)
        self.body.addWidget(self.title)
        self.body.addWidget(self.caption)


def table_view(model: FiguresTableModel) -> QTableView:
    """A plain, sortable, read-only table for figures, with an inline bar for shares."""
    view = QTableView()
    view.setModel(model)
    view.setItemDelegate(RateBarDelegate(view))
    view.verticalHeader().hide()
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setMinimumSectionSize(40)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    view.verticalHeader().setDefaultSectionSize(32)
    return view


def fit_table(view: QTableView, rows: int) -> None:
    """Fit the figures' columns to their contents; the first (names) takes the rest of the width.

    The table is as tall as its rows (at most :data:`TABLE_ROWS`), so the page
    scrolls rather than the table.
    """
    header = view.horizontalHeader()
    bold = QFont(header.font())
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    model = view.model()
    for column in range(1, model.columnCount()):
        title = str(model.headerData(column, Qt.Orientation.Horizontal))
        width = max(view.sizeHintForColumn(column) + 8, metrics.horizontalAdvance(title) + 28)
        header.resizeSection(column, width)
    shown = max(1, min(rows, TABLE_ROWS))
    height = header.sizeHint().height()
    height += shown * view.verticalHeader().defaultSectionSize() + 2 * view.frameWidth() + 2
    view.setFixedHeight(height)


def chart_panel(title: str, chart: QWidget) -> ChartPanel:
    """A :class:`ChartPanel` holding ``chart``."""
    frame = ChartPanel(title)
    frame.body.addWidget(chart)
    return frame
