"""The Reports screen: how far the canvass has got, and what people said at the door.

Headline figures as large tiles, charts of outcomes, intentions, support,
flags and issues, who canvassed and when, and the same figures split by
polling district, ward or street. The report is read on the window's reads
runner whenever the page comes into view and whenever the database changes
(a merge, a record on another screen); the CSV is written on the task runner.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from canvass.services.info import DatabaseInfo
from canvass.services.reports import Report, build_report, write_report_csv
from canvass.storage.database import Database
from canvass.ui.charts import BarChart, ColumnChart, DayChart
from canvass.ui.pages.common import PAGE_MARGIN, SECTION_SPACING, ScrollingPage, label, panel
from canvass.ui.pages.overview import CardSpec, CountCard
from canvass.ui.pages.print_page import documents_folder
from canvass.ui.pages.reports_models import (
    CANVASSER_COLUMNS,
    EMPTY_TEXT,
    FLAG_COLOUR,
    GROUP_COLUMNS,
    INTENTION_COLOURS,
    ISSUE_COLOUR,
    OUTCOME_COLOUR,
    SPLITS,
    FiguresTableModel,
    canvasser_rows,
    coded_bars,
    group_rows,
    issue_bars,
    retained_group_rows,
    saved_tiles,
    since_purge_words,
    support_bars,
    tiles,
)
from canvass.ui.pages.reports_view import (
    STYLE,
    RetainedPanel,
    chart_panel,
    fit_table,
    table_view,
)

if TYPE_CHECKING:
    from canvass.ui.main_window import MainWindow

CSV_FILTER = "CSV files (*.csv)"
#: Below this content width the tiles go two to a row and the charts one to a row.
WIDE = 980

TILES = (
    CardSpec("electors", "Electors", ""),
    CardSpec("doors", "Doors knocked", ""),
    CardSpec("spoken", "People spoken to", ""),
    CardSpec("rate", "Contact rate", ""),
)
_GROUP_WORDS = {"district": "polling district", "ward": "ward", "street": "street"}


def read_report(db: Database, by: str | None) -> tuple[Database, str | None, Report]:
    """The report (runs on the reads runner); the database and split travel back with it."""
    return db, by, build_report(db, by=by)


def suggested_name(by: str | None) -> str:
    """The CSV's file name, saying how it is split."""
    return f"canvass-report-by-{by}.csv" if by else "canvass-report.csv"


class ReportsPage(ScrollingPage):
    """The Reports screen.

    Signals:
        loaded: The report was read (again) and is on screen.
        exported: The path of a CSV just written.
    """

    NAV_TITLE = "Reports"
    NAV_ICON = "reports"

    loaded = Signal()
    exported = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.main = window
        self.report: Report | None = None
        self._reload_wanted = False
        self._counts: dict[str, int] | None = None
        self._columns = 0
        self.setStyleSheet(STYLE)

        self.body.addLayout(self._build_header())
        self.empty_panel, empty = panel()
        self.empty_title = label("Nothing to report yet", "sectionTitle")
        self.empty_text = label(EMPTY_TEXT, "hint", wrap=True)
        self.empty_figures = label("", "footnote", wrap=True)
        for widget in (self.empty_title, self.empty_text, self.empty_figures):
            empty.addWidget(widget)
        self.empty_panel.hide()
        self.body.addWidget(self.empty_panel)
        # Nothing recorded since a retention purge: one line, the saved figures below it.
        self.since_purge = label("", "sincePurge", wrap=True)
        self.since_purge.hide()
        self.body.addWidget(self.since_purge)

        self.content = QWidget()
        column = QVBoxLayout(self.content)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(SECTION_SPACING)
        self.tile_grid = QGridLayout()
        self.tile_grid.setSpacing(16)
        self.tiles = {spec.key: CountCard(spec) for spec in TILES}
        column.addLayout(self.tile_grid)
        column.addWidget(self._build_groups())
        self.chart_grid = QGridLayout()
        self.chart_grid.setSpacing(16)
        column.addLayout(self.chart_grid)
        self._build_charts()
        column.addWidget(self.day_panel)
        self.footnote = label(
            "Doors knocked, outcomes, canvassers and days count every record that was not "
            "undone. Intentions, support, flags and issues count each elector once, from the "
            "latest time someone spoke to them.",
            "footnote",
            wrap=True,
        )
        column.addWidget(self.footnote)
        self.content.hide()
        self.body.addWidget(self.content)
        self.retained_panel = RetainedPanel([(spec.key, spec.title) for spec in TILES])
        self.retained_panel.hide()
        self.body.addWidget(self.retained_panel)
        self.loading = label("Loading…", "hint")
        self.body.addWidget(self.loading)
        self.body.addStretch(1)
        self._reflow(wide=True)

        window.reads.ended.connect(self._reload_if_wanted)
        window.tasks.ended.connect(self.reload)
        window.live.updated.connect(self._on_live_info)

    # -- layout ---------------------------------------------------------------------------

    def _build_header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(12)
        titles = QVBoxLayout()
        titles.setSpacing(6)
        titles.addWidget(label("Reports", "pageTitle"))
        titles.addWidget(
            label(
                "How the canvass is going: doors knocked, who was spoken to and what they said.",
                "pageSubtitle",
                wrap=True,
            )
        )
        row.addLayout(titles, 1)
        split_label = label("Split by", "splitLabel")
        self.split = QComboBox()
        for by, text in SPLITS:
            self.split.addItem(text, by)
        self.split.setToolTip("Compare the figures of each polling district, ward or street")
        self.split.currentIndexChanged.connect(self._on_split)
        split_label.setBuddy(self.split)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setObjectName("secondary")
        self.export_button.setToolTip(
            "Save these figures (split as chosen) as a spreadsheet file for Excel or LibreOffice"
        )
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.ask_export)
        for widget in (split_label, self.split, self.export_button):
            row.addWidget(widget, 0, Qt.AlignmentFlag.AlignBottom)
        return row

    def _build_groups(self) -> QWidget:
        self.group_model = FiguresTableModel(GROUP_COLUMNS, self)
        self.group_table = table_view(self.group_model)
        self.group_panel = chart_panel("By area", self.group_table)
        self.group_panel.hide()
        return self.group_panel

    def _build_charts(self) -> None:
        self.outcome_chart = BarChart(OUTCOME_COLOUR)
        self.intention_chart = BarChart(empty_text="Nobody has said yet")
        self.support_chart = ColumnChart(empty_text="No support scores yet")
        self.flag_chart = BarChart(FLAG_COLOUR, empty_text="No flags recorded yet")
        self.issue_chart = BarChart(ISSUE_COLOUR, empty_text="No issues recorded yet")
        self.canvasser_model = FiguresTableModel(CANVASSER_COLUMNS, self)
        self.canvasser_table = table_view(self.canvasser_model)
        self.day_chart = DayChart()
        self.outcome_panel = chart_panel("Outcomes", self.outcome_chart)
        self.intention_panel = chart_panel("Voting intention", self.intention_chart)
        self.support_panel = chart_panel("Support", self.support_chart)
        self.flag_panel = chart_panel("Flags", self.flag_chart)
        self.issue_panel = chart_panel("Issues raised", self.issue_chart)
        self.canvasser_panel = chart_panel("By canvasser", self.canvasser_table)
        self.day_panel = chart_panel("By day", self.day_chart)
        self.chart_panels = [
            self.outcome_panel,
            self.intention_panel,
            self.support_panel,
            self.flag_panel,
            self.issue_panel,
            self.canvasser_panel,
        ]
        for frame in self.chart_panels:  # panels side by side share a height: fill from the top
            frame.body.addStretch(1)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """Two columns of charts and one row of tiles when wide; fewer when narrow."""
        super().resizeEvent(event)
        self._reflow(wide=self.width() - 2 * PAGE_MARGIN >= WIDE)

    def _reflow(self, *, wide: bool) -> None:
        columns = 2 if wide else 1
        if columns == self._columns:
            return
        self._columns = columns
        per_row = 4 if wide else 2
        for n, spec in enumerate(TILES):
            self.tile_grid.addWidget(self.tiles[spec.key], n // per_row, n % per_row)
        for n, frame in enumerate(self.chart_panels):
            self.chart_grid.addWidget(frame, n // columns, n % columns)
        for n in range(4):
            self.tile_grid.setColumnStretch(n, 1 if n < per_row else 0)
        for n in range(2):
            self.chart_grid.setColumnStretch(n, 1 if n < columns else 0)
        self.retained_panel.reflow(wide=wide)

    # -- reading --------------------------------------------------------------------------

    @property
    def split_by(self) -> str | None:
        """The grouping chosen under "Split by" (None: no split)."""
        by = self.split.currentData()
        return str(by) if by else None

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """Read the report again whenever the page comes into view."""
        super().showEvent(event)
        self.reload()

    def on_database_changed(self) -> None:
        """Forget the report shown; the window's (new) database is read when the page shows."""
        self.report = None
        self._counts = None
        self.export_button.setEnabled(False)
        self.content.hide()
        self.empty_panel.hide()
        self.since_purge.hide()
        self.retained_panel.hide()
        self.loading.show()
        self.reload()

    @Slot()
    def reload(self) -> None:
        """Read the report on the reads runner, when the page is on screen."""
        if not self.isVisible():
            return
        reads = self.main.reads
        if reads.busy:
            self._reload_wanted = True
            return
        self._reload_wanted = False
        reads.start(
            functools.partial(read_report, self.main.db, self.split_by),
            on_finished=self._on_loaded,
            on_failed=self._on_load_failed,
        )

    @Slot()
    def _reload_if_wanted(self) -> None:
        if self._reload_wanted and not self.main.reads.busy:
            self.reload()

    @Slot(object)
    def _on_live_info(self, info: DatabaseInfo) -> None:
        # The window counts everything now and then; when the counts moved, so did the report.
        changed = self._counts is not None and info.counts != self._counts
        self._counts = dict(info.counts)
        if changed:
            self.reload()

    @Slot()
    def _on_split(self) -> None:
        self.reload()

    def _on_loaded(self, loaded: tuple[Database, str | None, Report]) -> None:
        db, by, report = loaded
        if db is not self.main.db or by != self.split_by:
            self.reload()  # the database or the split changed while reading
            return
        self.report = report
        self.loading.hide()
        self.show_report(report)
        self.loaded.emit()

    def _on_load_failed(self, message: str) -> None:
        self.loading.hide()
        self.content.hide()
        self.since_purge.hide()
        self.retained_panel.hide()
        self.empty_title.setText("Could not read the report")
        self.empty_text.setText(message)
        self.empty_figures.setText("")
        self.empty_panel.show()
        self.main.statusBar().showMessage(f"Could not read the database: {message}", 10000)
        self.loaded.emit()

    # -- showing --------------------------------------------------------------------------

    def show_report(self, report: Report) -> None:
        """Show ``report``: the empty state when nothing was recorded yet.

        After a retention purge the figures it saved follow the live ones in a
        panel of their own; with nothing recorded since, they are all there is
        (no empty state: the counts stay).
        """
        total = report.total
        retained = report.retained is not None
        self.export_button.setEnabled(bool(total.visits) or retained)
        self._show_retained(report)
        self.since_purge.setVisible(retained and not total.visits)
        if not total.visits and retained:
            self.content.hide()
            self.empty_panel.hide()
            self.since_purge.setText(since_purge_words(report))
            return
        if not total.visits:
            self.content.hide()
            self.empty_title.setText("Nothing to report yet")
            self.empty_text.setText(EMPTY_TEXT)
            self.empty_figures.setText(
                f"The register holds {total.electors:,} electors at {total.doors:,} doors."
                if total.electors
                else "Import the council's register first (File › Import register…)."
            )
            self.empty_panel.show()
            return
        self.empty_panel.hide()
        for key, tile in tiles(total).items():
            self.tiles[key].number.setText(tile.number)
            self.tiles[key].caption.setText(tile.caption)
        self._show_groups(report)
        labels = report.labels
        spoken = total.electors_spoken_to
        self.outcome_chart.set_bars(coded_bars(total.outcomes, labels["outcomes"]), total.visits)
        self.outcome_panel.caption.setText(f"Of {total.visits:,} doorstep records")
        self.intention_chart.set_bars(
            coded_bars(total.intentions, labels["intentions"], INTENTION_COLOURS), spoken
        )
        self.intention_panel.caption.setText(f"Of {spoken:,} people spoken to")
        self.support_chart.set_bars(support_bars(total), sum(total.support.values()))
        self.support_panel.caption.setText(
            f"{sum(total.support.values()):,} people gave a score: 1 strongly for, "
            "5 strongly against"
        )
        self.flag_chart.set_bars(coded_bars(total.flags, labels["flags"]), spoken)
        self.flag_panel.caption.setText(
            f"Posters, postal votes, lifts and volunteers, of {spoken:,} people spoken to"
        )
        issues, more = issue_bars(total)
        self.issue_chart.set_bars(issues, spoken)
        self.issue_panel.caption.setText(
            f"How many people raised each, of {spoken:,} spoken to"
            + (f"; {more:,} other issues not shown" if more else "")
        )
        rows = canvasser_rows(report)
        self.canvasser_model.set_rows(rows)
        # Most records first; a heading clicked sorts by that column instead.
        self.canvasser_table.horizontalHeader().setSortIndicator(1, Qt.SortOrder.DescendingOrder)
        fit_table(self.canvasser_table, len(rows))
        self.canvasser_panel.caption.setText(
            f"{len(rows):,} canvasser{'s' * (len(rows) != 1)}: records and people spoken to"
        )
        self.day_chart.set_days(report.by_day)
        days = len(report.by_day)
        self.day_panel.caption.setText(
            f"Records and people spoken to on each of {days:,} canvassing day{'s' * (days != 1)}"
        )
        self.content.show()

    def _show_groups(self, report: Report) -> None:
        if not report.by:
            self.group_panel.hide()
            return
        word = _GROUP_WORDS.get(report.by, report.by)
        rows = group_rows(report)
        self.group_panel.title.setText(f"By {word}")
        self.group_panel.caption.setText(
            f"{len(rows):,} {word}{'s' * (len(rows) != 1)}: click a heading to sort"
        )
        self.group_model.set_rows(rows, word[0].upper() + word[1:])
        self.group_table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        fit_table(self.group_table, len(rows))
        self.group_panel.show()

    def _show_retained(self, report: Report) -> None:
        retained = report.retained
        saved = self.retained_panel
        if retained is None:
            saved.hide()
            return
        figures = retained.total
        labels = report.labels
        saved.title.setText(retained.heading)
        for key, tile in saved_tiles(figures).items():
            saved.figures[key].show_tile(tile)
        spoken = figures.electors_spoken_to
        saved.outcome_chart.set_bars(
            coded_bars(figures.outcomes, labels["outcomes"]), figures.visits
        )
        saved.outcome_caption.setText(f"Of {figures.visits:,} doorstep records")
        saved.intention_chart.set_bars(
            coded_bars(figures.intentions, labels["intentions"], INTENTION_COLOURS), spoken
        )
        saved.intention_caption.setText(f"Of {spoken:,} people spoken to")
        rows = retained_group_rows(report)
        word = _GROUP_WORDS.get(report.by or "", report.by or "")
        if rows is None:
            saved.groups.hide()
            saved.group_note.setVisible(bool(report.by))
            saved.group_note.setText(
                f"The purge saved figures by polling district and by ward, not by {word}: "
                "choose one of those under Split by to see them split."
            )
        else:
            saved.group_note.hide()
            saved.group_heading.setText(f"By {word}")
            saved.group_caption.setText(
                f"{len(rows):,} {word}{'s' * (len(rows) != 1)} as they were at the purge"
            )
            saved.group_model.set_rows(rows, word[0].upper() + word[1:])
            saved.group_table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
            fit_table(saved.group_table, len(rows))
            saved.groups.show()
        saved.show()

    # -- exporting ------------------------------------------------------------------------

    @Slot()
    def ask_export(self) -> None:
        """Ask where to save the report as CSV, then write it on the task runner."""
        report = self.report
        if report is None:
            return
        tasks = self.main.tasks
        if tasks.busy:
            self.main.statusBar().showMessage("Please wait for the running task to finish.", 5000)
            return
        start = str(documents_folder() / suggested_name(report.by))
        chosen, _ = QFileDialog.getSaveFileName(self, "Save the report as", start, CSV_FILTER)
        if not chosen:
            return
        path = Path(chosen).expanduser()
        if path.suffix.lower() != ".csv":
            path = path.with_name(path.name + ".csv")
        tasks.start(
            functools.partial(write_report_csv, report, path),
            on_finished=lambda _result: self._on_exported(path),
            on_failed=functools.partial(self.main.show_error, "Could not save the report"),
        )

    def _on_exported(self, path: Path) -> None:
        self.main.statusBar().showMessage(f"Report saved to {path}", 10000)
        self.exported.emit(path)
