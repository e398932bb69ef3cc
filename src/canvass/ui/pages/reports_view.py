"""The Reports screen's building blocks: chart panels, figure tables and their style.

The page (``reports_page.py``) arranges them and fills them with a report.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from canvass.ui import theme
from canvass.ui.charts import BarChart, RateBarDelegate
from canvass.ui.pages.common import label
from canvass.ui.pages.reports_models import (
    GROUP_COLUMNS,
    OUTCOME_COLOUR,
    RETAINED_NOTE,
    FiguresTableModel,
    Tile,
)

#: Tables show this many rows before they scroll.
TABLE_ROWS = 12
#: The saved figures' panel: greyer than the live panels, so the two are not confused.
SAVED_BACKGROUND = "#F7F8FA"
SAVED_LINE = "#D3DAE0"

STYLE = f"""
QFrame#panel QTableView, QFrame#retainedPanel QTableView {{
    border: 1px solid {theme.LINE}; border-radius: 6px; background: {theme.SURFACE}; outline: 0;
    selection-background-color: {theme.BRAND_TINT}; selection-color: {theme.INK};
}}
QFrame#panel QHeaderView::section, QFrame#retainedPanel QHeaderView::section {{
    background: {theme.SURFACE}; color: {theme.MUTED}; border: none;
    border-bottom: 1px solid {theme.LINE}; padding: 6px 8px; font-weight: 600;
}}
QFrame#panel QTableView::item, QFrame#retainedPanel QTableView::item {{ padding: 0 8px; }}
QLabel#chartCaption {{ color: {theme.MUTED}; font-size: 9pt; }}
QLabel#splitLabel {{ color: {theme.MUTED}; font-size: 10pt; font-weight: 600; }}
QFrame#retainedPanel {{
    background: {SAVED_BACKGROUND}; border: 1px solid {SAVED_LINE}; border-radius: 10px;
}}
QFrame#retainedPanel QLabel {{ background: transparent; border: none; }}
QFrame#retainedPanel QLabel#savedBadge {{
    background: {theme.MUTED}; color: white; border-radius: 4px; padding: 2px 10px;
    font-size: 8pt; font-weight: 700;
}}
QLabel#savedHeading {{ color: {theme.INK}; font-size: 10pt; font-weight: 600; }}
QLabel#savedNumber {{ color: {theme.INK}; font-size: 18pt; font-weight: 600; }}
QLabel#sincePurge {{ color: {theme.INK}; font-size: 11pt; }}
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


class SavedFigure(QWidget):
    """One headline figure a purge saved: a small title, the number, the line under it."""

    def __init__(self, title: str) -> None:
        super().__init__()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        self.title = label(title.upper(), "cardTitle")
        self.number = label("–", "savedNumber")
        self.caption = label("", "cardCaption", wrap=True)
        for widget in (self.title, self.number, self.caption):
            column.addWidget(widget)
        column.addStretch(1)

    def show_tile(self, tile: Tile) -> None:
        """Show ``tile``'s number and caption."""
        self.number.setText(tile.number)
        self.caption.setText(tile.caption)


class RetainedPanel(QFrame):
    """The figures a retention purge saved, in a panel of their own below the live ones.

    Greyer than the live panels and titled with the purge's date, so nobody
    takes them for live figures: the records behind them are gone.

    Attributes:
        figures: The headline figures by key (as the page's tiles).
        outcome_chart, intention_chart: The saved outcomes and intentions.
        group_model, group_table: The saved figures per district or ward.
        group_note: Says why there is no table for a split the purge did not save.
    """

    def __init__(self, titles: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.setObjectName("retainedPanel")
        self._columns = 0
        body = QVBoxLayout(self)
        body.setContentsMargins(20, 16, 20, 18)
        body.setSpacing(6)
        badge_row = QHBoxLayout()
        self.badge = label("SAVED FIGURES", "savedBadge")
        badge_row.addWidget(self.badge)
        badge_row.addStretch(1)
        body.addLayout(badge_row)
        self.title = label("", "sectionTitle", wrap=True)
        self.caption = label(RETAINED_NOTE, "chartCaption", wrap=True)
        body.addWidget(self.title)
        body.addWidget(self.caption)
        body.addSpacing(10)
        self.figure_grid = QGridLayout()
        self.figure_grid.setHorizontalSpacing(24)
        self.figure_grid.setVerticalSpacing(12)
        self.figures = {key: SavedFigure(title) for key, title in titles}
        body.addLayout(self.figure_grid)
        body.addSpacing(10)
        self.outcome_chart = BarChart(OUTCOME_COLOUR)
        self.intention_chart = BarChart(empty_text="Nobody had said")
        self.outcome_heading, self.outcome_caption, outcomes = self._part(
            "Outcomes", self.outcome_chart
        )
        self.intention_heading, self.intention_caption, intentions = self._part(
            "Voting intention", self.intention_chart
        )
        self._parts = [outcomes, intentions]
        self.chart_grid = QGridLayout()
        self.chart_grid.setHorizontalSpacing(32)
        self.chart_grid.setVerticalSpacing(12)
        body.addLayout(self.chart_grid)
        self.group_model = FiguresTableModel(GROUP_COLUMNS, self)
        self.group_table = table_view(self.group_model)
        self.group_heading, self.group_caption, self.groups = self._part("", self.group_table)
        body.addSpacing(6)
        body.addWidget(self.groups)
        self.group_note = label("", "chartCaption", wrap=True)
        body.addWidget(self.group_note)
        self.reflow(wide=True)

    @staticmethod
    def _part(title: str, content: QWidget) -> tuple[QLabel, QLabel, QWidget]:
        part = QWidget()
        column = QVBoxLayout(part)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        heading = label(title, "savedHeading")
        caption = label("", "chartCaption", wrap=True)
        for widget in (heading, caption, content):
            column.addWidget(widget)
        column.addStretch(1)
        return heading, caption, part

    def reflow(self, *, wide: bool) -> None:
        """Figures four to a row and charts side by side when wide; fewer when narrow."""
        columns = 2 if wide else 1
        if columns == self._columns:
            return
        self._columns = columns
        per_row = 4 if wide else 2
        for n, figure in enumerate(self.figures.values()):
            self.figure_grid.addWidget(figure, n // per_row, n % per_row)
        for n, part in enumerate(self._parts):
            self.chart_grid.addWidget(part, n // columns, n % columns)
        for n in range(4):
            self.figure_grid.setColumnStretch(n, 1 if n < per_row else 0)
        for n in range(2):
            self.chart_grid.setColumnStretch(n, 1 if n < columns else 0)
