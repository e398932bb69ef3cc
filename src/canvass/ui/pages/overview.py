"""The overview page: the campaign, what the database holds, and where it is.

The page only shows what it is given (:meth:`OverviewPage.show_info`) and asks
for work through its signals; the main window runs the work on a task runner.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from canvass.services.info import DatabaseInfo
from canvass.ui.pages.common import PAGE_MARGIN, ScrollingPage, label, panel

#: Cards keep at least this width; the grid uses fewer columns when narrow.
CARD_MIN_WIDTH = 210
MAX_COLUMNS = 4
#: Below this content width the buttons go under the heading, not beside it.
WIDE_HEADER = 760


@dataclass(frozen=True, slots=True)
class CardSpec:
    """One count card: which count, its title and the line under the number."""

    key: str
    title: str
    caption: str


CARDS = (
    CardSpec("electors", "Electors", "people on the register"),
    CardSpec("households", "Households", "addresses to call at"),
    CardSpec("streets", "Streets", "in walking order"),
    CardSpec("polling_districts", "Polling districts", "in {wards} {wards_word}"),
    CardSpec("visits", "Visits recorded", "doorstep responses"),
    CardSpec("petitions", "Petitions", "in this campaign"),
    CardSpec("signatures", "Signatures", "on all petitions"),
    CardSpec("operations", "Changes recorded", "entries in the change log"),
)

_ENGINES = {"sqlite": "SQLite (a file on this computer)", "postgresql": "PostgreSQL (a server)"}


def format_count(value: int) -> str:
    """A count with thousands separators, as the cards show it."""
    return f"{value:,}"


class CountCard(QFrame):
    """A white card with a title, a large number and a caption."""

    def __init__(self, spec: CardSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.spec = spec
        self.setMinimumWidth(CARD_MIN_WIDTH)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 18)
        layout.setSpacing(4)
        self.title = label(spec.title.upper(), "cardTitle")
        self.number = label("–", "cardNumber")
        self.caption = label("", "cardCaption", wrap=True)
        layout.addWidget(self.title)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)
        layout.addStretch(1)

    def show_count(self, value: int, counts: dict[str, int]) -> None:
        """Show ``value``; ``counts`` fills in captions that mention other counts."""
        self.number.setText(format_count(value))
        wards = counts.get("wards", 0)
        self.caption.setText(
            self.spec.caption.format(
                wards=format_count(wards), wards_word="ward" if wards == 1 else "wards"
            )
        )


class OverviewPage(ScrollingPage):
    """Campaign heading, count cards, database details and the page's actions.

    Signals:
        refresh_requested: The person asked for fresh counts (Refresh button).
        demo_requested: The person asked to create a demo campaign.
        start_campaign_requested: The person asked to name a campaign for an
            empty database.
        shown: The page became visible (the counts should be refreshed).
    """

    refresh_requested = Signal()
    demo_requested = Signal()
    start_campaign_requested = Signal()
    shown = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._columns = 0
        self._task_running = False
        self._build_header()
        self._build_cards()
        self._build_details()
        self.updated = label("", "footnote")
        self.body.addWidget(self.updated)
        self.body.addStretch(1)

    # -- layout -----------------------------------------------------------------

    def _build_header(self) -> None:
        titles = QWidget()
        column = QVBoxLayout(titles)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        self.title = label("Loading…", "pageTitle", wrap=True)
        self.subtitle = label("What this database holds", "pageSubtitle", wrap=True)
        column.addWidget(self.title)
        column.addWidget(self.subtitle)

        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setObjectName("secondary")
        self.refresh_button.setToolTip("Count everything again now (F5)")
        self.refresh_button.clicked.connect(self.refresh_requested)
        self.demo_button = QPushButton("Create demo campaign…")
        self.demo_button.setObjectName("primary")
        self.demo_button.setToolTip(
            "Try canvass with made-up electors, visits and a petition "
            "(a separate demo database when this one holds a campaign)"
        )
        self.demo_button.clicked.connect(self.demo_requested)
        buttons = QWidget()
        row = QHBoxLayout(buttons)
        row.setContentsMargins(0, 4, 0, 0)
        row.setSpacing(12)
        for button in (self.refresh_button, self.demo_button):
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            row.addWidget(button)

        self._header_titles, self._header_buttons = titles, buttons
        self._header = QGridLayout()
        self._header.setHorizontalSpacing(24)
        self._header.setVerticalSpacing(16)
        self._header.setColumnStretch(0, 1)
        self._wide_header: bool | None = None
        self.body.addLayout(self._header)
        self._place_header(wide=True)

        # Shown instead of the cards' meaning while the database has no campaign.
        self.empty_panel, empty_layout = panel()
        empty_layout.setSpacing(14)
        self.hint = label(
            "This database is empty. Give your campaign a name to start it, or create a "
            "demo campaign to try canvass with made-up streets, electors and a petition.",
            "hint",
            wrap=True,
        )
        empty_layout.addWidget(self.hint)
        self.start_button = QPushButton("Start a campaign…")
        self.start_button.setObjectName("secondary")
        self.start_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.start_button.clicked.connect(self.start_campaign_requested)
        start_row = QHBoxLayout()
        start_row.addWidget(self.start_button)
        start_row.addStretch(1)
        empty_layout.addLayout(start_row)
        self.empty_panel.hide()
        self.body.addWidget(self.empty_panel)

    def _build_cards(self) -> None:
        self.cards = {spec.key: CountCard(spec) for spec in CARDS}
        self._grid = QGridLayout()
        self._grid.setHorizontalSpacing(16)
        self._grid.setVerticalSpacing(16)
        self.body.addLayout(self._grid)
        self._reflow(MAX_COLUMNS)

    def _build_details(self) -> None:
        frame, layout = panel()
        layout.addWidget(label("Database", "sectionTitle"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(8)
        grid.setColumnStretch(1, 1)
        self.details: dict[str, QLabel] = {}
        for row, (key, name) in enumerate(
            (
                ("location", "Location"),
                ("engine", "Engine"),
                ("schema", "Schema version"),
                ("device", "This device"),
            )
        ):
            grid.addWidget(label(name, "detailName"), row, 0, Qt.AlignmentFlag.AlignTop)
            value = label("–", "detailValue", wrap=True, selectable=True)
            grid.addWidget(value, row, 1)
            self.details[key] = value
        layout.addLayout(grid)
        self.body.addWidget(frame)

    def _reflow(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for card in self.cards.values():
            self._grid.removeWidget(card)
        for index, card in enumerate(self.cards.values()):
            self._grid.addWidget(card, index // columns, index % columns)
        for column in range(MAX_COLUMNS):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)

    def _place_header(self, *, wide: bool) -> None:
        if wide == self._wide_header:
            return
        self._wide_header = wide
        self._header.removeWidget(self._header_titles)
        self._header.removeWidget(self._header_buttons)
        self._header.addWidget(self._header_titles, 0, 0)
        if wide:
            top_right = Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight
            self._header.addWidget(self._header_buttons, 0, 1, top_right)
        else:
            self._header.addWidget(self._header_buttons, 1, 0, Qt.AlignmentFlag.AlignLeft)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """Use as many card columns as fit, up to four; put the buttons under a narrow title."""
        super().resizeEvent(event)
        usable = event.size().width() - 2 * PAGE_MARGIN
        self._reflow(max(1, min(MAX_COLUMNS, (usable + 16) // (CARD_MIN_WIDTH + 16))))
        self._place_header(wide=usable >= WIDE_HEADER)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """Ask for fresh counts whenever the page comes into view."""
        super().showEvent(event)
        self.shown.emit()

    # -- content ----------------------------------------------------------------

    def show_info(self, info: DatabaseInfo, when: dt.datetime | None = None) -> None:
        """Show a fresh reading of the database.

        Args:
            info: What the database holds, from :func:`canvass.services.info.database_info`.
            when: When it was read (default: now), for the "Updated" line.
        """
        has_campaign = bool(info.campaign)
        self.title.setText(info.campaign if has_campaign else "No campaign yet")
        self.title.setProperty("empty", not has_campaign)
        self.title.style().unpolish(self.title)
        self.title.style().polish(self.title)
        self.empty_panel.setVisible(not has_campaign)
        self.start_button.setEnabled(not has_campaign and not self._task_running)
        # Demo data is the natural first step in an empty database, a side trip
        # from a real campaign: only the former gets the filled, primary button.
        wanted = "secondary" if has_campaign else "primary"
        if self.demo_button.objectName() != wanted:
            self.demo_button.setObjectName(wanted)
            self.demo_button.style().unpolish(self.demo_button)
            self.demo_button.style().polish(self.demo_button)
        for key, card in self.cards.items():
            card.show_count(info.counts.get(key, 0), info.counts)
        self.details["location"].setText(info.database)
        self.details["engine"].setText(_ENGINES.get(info.engine, info.engine))
        self.details["schema"].setText(str(info.schema_version))
        self.details["device"].setText(
            f"{info.device_name or 'unnamed device'}  ·  {info.device_id or 'no id yet'}"
        )
        stamp = (when or dt.datetime.now()).strftime("%H:%M:%S")
        self.updated.setText(f"Updated at {stamp}. Counts refresh every few seconds.")

    def set_task_running(self, running: bool) -> None:
        """Disable the actions that start work while another task runs."""
        self._task_running = running
        self.demo_button.setEnabled(not running)
        self.start_button.setEnabled(not running and self.empty_panel.isVisibleTo(self))
