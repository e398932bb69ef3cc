"""The Browse page: polling districts, streets, households and electors, with counts.

For a coordinator checking an imported register. The tree on the left holds every
district and street with its counts; the right shows a district's summary or a
street's doors and electors in walking order. Every reading runs on the window's
reads runner (one at a time, queued while another read runs); the GUI thread only
shows the plain rows that come back.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Slot,
)
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
)

from canvass.domain import suppression as rules
from canvass.services.browse import DistrictNode, HouseholdRow, district_tree, street_households
from canvass.services.info import DatabaseInfo
from canvass.storage.database import Database
from canvass.ui.pages.browse_view import (
    COLUMN_LIMITS,
    NAME_AT_LEAST,
    NOTES_AT_LEAST,
    STYLE,
    BrowseLayout,
)
from canvass.ui.table_models import (
    DistrictTreeModel,
    HouseholdColumn,
    TreeColumn,
    district_subtitle,
    district_title,
    plural,
)

if TYPE_CHECKING:
    from canvass.ui.main_window import MainWindow

IMPORT_HINT = "Import the electoral register (File › Import register…)"
#: Trees with at most this many streets open fully; larger ones start folded.
OPEN_TREE_STREETS = 60


def _read_tree(db: Database) -> tuple[Database, list[DistrictNode]]:
    return db, district_tree(db)


def _read_street(db: Database, street_id: str) -> tuple[Database, str, list[HouseholdRow]]:
    return db, street_id, street_households(db, street_id)


class BrowsePage(BrowseLayout):
    """Districts and streets on the left; a summary or a street's doors on the right."""

    NAV_TITLE = "Browse"
    NAV_ICON = "browse"

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self._window = window
        self.setObjectName("pageArea")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(STYLE)
        self._districts: list[DistrictNode] | None = None  # None: not read yet
        self._want_tree = False
        self._want_street: str | None = None
        self._running = False
        self._street_id: str | None = None  # the street whose rows the table holds
        self._restoring = False
        self._counts: dict[str, int] | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 20, 28, 24)
        outer.setSpacing(14)
        outer.addLayout(self._build_header())
        self.content = QStackedWidget()
        self.message_panel, self.message_title, self.message_text = self._build_message()
        self.content.addWidget(self.message_panel)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(14)
        self.splitter.addWidget(self._build_tree())
        self.splitter.addWidget(self._build_detail())
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([335, 965])
        self.content.addWidget(self.splitter)
        outer.addWidget(self.content, 1)
        self._show_message("Loading…", "Reading the register.")

        window.reads.ended.connect(self._pump)
        window.live.updated.connect(self._on_live_info)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self._focus_filter)

    @property
    def busy(self) -> bool:
        """Whether a reading is under way or waiting to run."""
        return self._running or self._want_tree or self._want_street is not None

    def on_database_changed(self) -> None:
        """Forget what was shown and read the window's (new) database."""
        self._districts = None
        self._street_id = None
        self._counts = None
        self.filter.clear()
        self.tree_model.set_districts(())
        self.households.clear()
        self.subtitle.setText("")
        self._show_message("Loading…", "Reading the register.")
        self.reload()

    @Slot()
    def reload(self) -> None:
        """Read the districts again (and the street on show), when the page is visible."""
        self._want_tree = True
        current = self._current()
        if current is not None and current[0] == "street":
            self._want_street = current[1]
        self._pump()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """Read the register again whenever the page comes into view: it may have changed."""
        super().showEvent(event)
        self.reload()

    @Slot(object)
    def _on_live_info(self, info: DatabaseInfo) -> None:
        # The window re-reads its counts now and then; when they moved, so did the register.
        changed = self._counts is not None and info.counts != self._counts
        self._counts = dict(info.counts)
        if changed and self.isVisible():
            self.reload()
        elif self._districts == [] and self.content.currentWidget() is self.message_panel:
            self._show_empty()  # now that the campaign's name is known

    @Slot()
    def _pump(self) -> None:
        """Start the next reading this page wants, once the runner is free."""
        tasks = self._window.reads
        wanted = self._want_tree or self._want_street is not None
        if not wanted or not self.isVisible():
            return
        if tasks.busy:
            if not self._running:
                self.status.setText("Waiting for the running task…")
            return
        db = self._window.db
        self._running = True
        self.status.setText("Loading…")
        if self._want_tree:
            self._want_tree = False
            failed = functools.partial(self._on_failed, db, None)
            tasks.start(
                functools.partial(_read_tree, db), on_finished=self._on_tree, on_failed=failed
            )
        elif self._want_street is not None:
            street_id, self._want_street = self._want_street, None
            tasks.start(
                functools.partial(_read_street, db, street_id),
                on_finished=self._on_street,
                on_failed=functools.partial(self._on_failed, db, street_id),
            )

    def _done(self) -> None:
        self._running = False
        self.status.setText("")

    def _on_failed(self, db: Database, street_id: str | None, message: str) -> None:
        self._done()
        if db is not self._window.db:
            return  # the database was swapped out meanwhile; a fresh reading is queued
        self._want_street = None
        if street_id is None:
            self._show_message("Could not read the register", message)
        elif self._current() == ("street", street_id):
            self.street_details.setText("Could not read this street.")
        self._window.show_error("Could not read the register", message)

    def _on_tree(self, result: tuple[Database, list[DistrictNode]]) -> None:
        self._done()
        db, districts = result
        if db is not self._window.db:
            self._want_tree = True
            return
        if not districts:
            self._districts = []
            self.tree_model.set_districts(())
            self._show_empty()
            return
        self.content.setCurrentWidget(self.splitter)
        self._show_totals(districts)
        if districts == self._districts:
            self._show_current()
            return
        self._districts = districts
        self._rebuild_tree(districts)

    def _on_street(self, result: tuple[Database, str, list[HouseholdRow]]) -> None:
        self._done()
        db, street_id, rows = result
        current = self._current()
        if db is not self._window.db or current != ("street", street_id):
            return  # another street (or database) is wanted by now
        scroll = self.table.verticalScrollBar().value() if street_id == self._street_id else 0
        self._street_id = street_id
        self.households.set_rows(rows)
        self._fit_columns()
        self.table.verticalScrollBar().setValue(scroll)
        electors = [e for row in rows for e in row.electors]
        on_register = sum(not e.removed for e in electors)
        parts = [
            self._district_of(street_id),
            plural(len(rows), "door"),
            plural(on_register, "elector"),
        ]
        if off := len(electors) - on_register:
            parts.append(f"{off:,} off the register")
        for scope, label in rules.LABELS.items():
            if held := sum(scope in e.scopes for e in electors):
                parts.append(f"{held:,} {label.lower()}")
        postcodes = sorted({row.postcode for row in rows if row.postcode})
        if postcodes:
            more = f" and {len(postcodes) - 3:,} more" if len(postcodes) > 3 else ""
            parts.append(", ".join(postcodes[:3]) + more)
        self.street_details.setText(" · ".join(parts))

    def _fit_columns(self) -> None:
        """Fit the columns to the street; names come first, then notes take what is left."""
        table, header = self.table, self.table.horizontalHeader()
        need = {
            column: min(
                max(table.sizeHintForColumn(column), header.sectionSizeHint(column)) + 4, most
            )
            for column, most in COLUMN_LIMITS.items()
        }
        room = table.viewport().width()
        for column in (HouseholdColumn.DOOR, HouseholdColumn.NUMBER, HouseholdColumn.MARKERS):
            table.setColumnWidth(column, need[column])
            room -= need[column]
        wanted = max(room - need[HouseholdColumn.NOTES], room - NOTES_AT_LEAST, NAME_AT_LEAST)
        table.setColumnWidth(HouseholdColumn.NAME, min(need[HouseholdColumn.NAME], wanted))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Fit the table's columns again when its width changes."""
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    # -- showing ------------------------------------------------------------------

    def _show_message(self, title: str, text: str) -> None:
        self.message_title.setText(title)
        self.message_text.setText(text)
        self.content.setCurrentWidget(self.message_panel)

    def _show_empty(self) -> None:
        info = self._window.live.latest
        self.subtitle.setText("")
        if info is not None and not info.campaign:
            self._show_message(
                "No campaign yet",
                "This database has no campaign. Start one on the Overview page, then "
                f"{IMPORT_HINT[0].lower()}{IMPORT_HINT[1:]} to browse its polling districts, "
                "streets and electors here.",
            )
        else:
            self._show_message(
                "No electoral register yet",
                f"{IMPORT_HINT} to browse its polling districts, streets, households and "
                "electors here.",
            )

    def _show_totals(self, districts: Sequence[DistrictNode]) -> None:
        streets = sum(len(d.streets) for d in districts)
        households = sum(d.households for d in districts)
        electors = sum(d.electors for d in districts)
        self.subtitle.setText(
            f"{plural(len(districts), 'polling district')} · {plural(streets, 'street')} · "
            f"{plural(households, 'household')} · {plural(electors, 'elector')}"
        )

    def _rebuild_tree(self, districts: Sequence[DistrictNode]) -> None:
        current = self._current()
        opened = {
            self.tree_model.data(self.proxy.mapToSource(index), DistrictTreeModel.ID_ROLE)
            for index in self._district_indexes()
            if self.tree.isExpanded(index)
        }
        scroll = self.tree.verticalScrollBar().value()
        self._restoring = True
        try:
            self.tree_model.set_districts(districts)
            small = sum(len(d.streets) for d in districts) <= OPEN_TREE_STREETS
            for index in self._district_indexes():
                key = self.proxy.data(index, DistrictTreeModel.ID_ROLE)
                self.tree.setExpanded(index, small or self.proxy.needle != "" or key in opened)
            if current is not None:
                found = self.proxy.mapFromSource(self.tree_model.index_of(current[1]))
                if found.isValid():
                    self.tree.selectionModel().setCurrentIndex(
                        found,
                        QItemSelectionModel.SelectionFlag.ClearAndSelect
                        | QItemSelectionModel.SelectionFlag.Rows,
                    )
        finally:
            self._restoring = False
        self.tree.verticalScrollBar().setValue(scroll)
        self._update_no_match()
        self._show_current()

    def _district_indexes(self) -> list[QModelIndex]:
        return [self.proxy.index(row, 0) for row in range(self.proxy.rowCount())]

    def _current(self) -> tuple[str, str] | None:
        index = self.tree.selectionModel().currentIndex()
        if not index.isValid() or not self.tree.selectionModel().isSelected(index):
            return None
        index = index.siblingAtColumn(TreeColumn.AREA)
        kind = self.proxy.data(index, DistrictTreeModel.KIND_ROLE)
        key = self.proxy.data(index, DistrictTreeModel.ID_ROLE)
        return (kind, key) if kind and key else None

    @Slot(QModelIndex, QModelIndex)
    def _on_current(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._restoring:
            self._show_current()

    def _show_current(self) -> None:
        """Show what is selected in the tree: a district, a street, or the whole register."""
        current = self._current()
        districts = self._districts or []
        if current is None or current[0] == "district":
            chosen = [d for d in districts if current is not None and d.id == current[1]]
            self._show_summary(chosen[0] if chosen else None, districts)
            return
        street_id = current[1]
        for district in districts:
            for street in district.streets:
                if street.id == street_id:
                    self.street_title.setText(
                        f"{street.name}, {street.town}" if street.town else street.name
                    )
        self.detail.setCurrentIndex(1)
        if street_id != self._street_id:
            self._street_id = None
            self.households.clear()
            self.street_details.setText(f"{self._district_of(street_id)} · Loading…")
        self._want_street = street_id
        self._pump()

    def _show_summary(self, district: DistrictNode | None, districts: list[DistrictNode]) -> None:
        self.detail.setCurrentIndex(0)
        chosen = [district] if district is not None else districts
        counts = {
            "streets": sum(len(d.streets) for d in chosen),
            "households": sum(d.households for d in chosen),
            "electors": sum(d.electors for d in chosen),
            "without_address": sum(d.without_address for d in chosen),
        }
        for key, card in self.cards.items():
            card.show_count(counts[key], counts)
        if district is not None:
            self.summary_title.setText(f"Polling district {district_title(district, long=True)}")
            self.summary_subtitle.setText(district_subtitle(district))
            self.summary_hint.setText(
                "Choose one of its streets to see the households and electors in walking order."
            )
            return
        info = self._window.live.latest
        wards = len({d.ward for d in districts})
        self.summary_title.setText(info.campaign if info and info.campaign else "The register")
        self.summary_subtitle.setText(
            f"{plural(len(districts), 'polling district')} in {plural(wards, 'ward')}"
        )
        self.summary_hint.setText(
            "Choose a polling district for its figures, or a street to see its households "
            "and electors in walking order."
        )

    def _district_of(self, street_id: str) -> str:
        for district in self._districts or []:
            if any(street.id == street_id for street in district.streets):
                return f"District {district.code}"
        return "District ?"

    # -- filtering ----------------------------------------------------------------

    @Slot(str)
    def _on_filter(self, text: str) -> None:
        self.proxy.set_text(text)
        if self.proxy.needle:
            self.tree.expandAll()
        elif sum(len(d.streets) for d in self._districts or []) > OPEN_TREE_STREETS:
            # Back to the folded tree, open where the chosen street is.
            self.tree.collapseAll()
            current = self.tree.currentIndex()
            if current.parent().isValid():
                self.tree.expand(current.parent())
            self.tree.scrollTo(current)
        self._update_no_match()

    def _update_no_match(self) -> None:
        empty = bool(self.proxy.needle) and self.proxy.rowCount() == 0
        self.no_match.setText(f"No street matches “{self.filter.text().strip()}”.")
        self.no_match.setVisible(empty)
        self.tree.setVisible(not empty)

    @Slot()
    def _select_first_match(self) -> None:
        for district in self._district_indexes():
            first: QModelIndex | QPersistentModelIndex = self.proxy.index(0, 0, district)
            if not first.isValid():
                first = district
            self.tree.setCurrentIndex(first)
            self.tree.setFocus()
            return

    @Slot()
    def _focus_filter(self) -> None:
        self.filter.setFocus()
        self.filter.selectAll()
