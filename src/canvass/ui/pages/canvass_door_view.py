"""The "At the door" mode's widgets and how they are arranged (no behaviour).

:class:`~canvass.ui.pages.canvass_door.DoorMode` adds the behaviour. Above:
what to canvass, the canvasser's name and the search box. Below, three
columns: the doors in walking order, the chosen door's electors with their
history, and the entry pad. A small window scrolls rather than squeeze them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListView,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from canvass.services.search import ElectorHit
from canvass.ui.pages.canvass_models import (
    DoorColumn,
    DoorModel,
    ElectorModel,
    HistoryColumn,
    HistoryModel,
)
from canvass.ui.pages.canvass_pad import EntryPad
from canvass.ui.pages.canvass_search import Search
from canvass.ui.pages.canvass_view import ElectorDelegate, MessagePanel, Picker, table
from canvass.ui.pages.common import label, panel

if TYPE_CHECKING:
    from canvass.services.canvassing import Entry
    from canvass.ui.pages.canvass_common import Source
    from canvass.ui.pages.canvass_page import CanvassPage

#: Body pages: an empty state, the three columns, the search results.
MESSAGE, COLUMNS, RESULTS = 0, 1, 2


def scrolling(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless scroll area: scroll bars only when the window is too small."""
    scroll = QScrollArea()
    scroll.setObjectName("canvassScroll")
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    scroll.setWidget(widget)
    return scroll


class DoorLayout(QWidget):
    """Builds the "At the door" mode; ``DoorMode`` drives it."""

    def __init__(self, page: CanvassPage) -> None:
        super().__init__()
        self.page = page
        self.setObjectName("canvassTab")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 12, 0, 0)
        outer.setSpacing(10)
        top = QHBoxLayout()
        top.setSpacing(10)
        self.picker = Picker(streets=True)
        self.picker.chosen.connect(self.choose)
        top.addWidget(self.picker, 3)
        self.canvasser = QLineEdit()
        self.canvasser.setObjectName("field")
        self.canvasser.setPlaceholderText("Canvasser's name")
        self.canvasser.setToolTip("Saved with each record, so reports can count who did what")
        self.canvasser.setMaximumWidth(170)
        top.addWidget(self.canvasser, 1)
        self.status = label("", "saved", selectable=True)
        self.search = Search(page.reads, lambda: page.main.db, self)
        self.search.active.connect(self._on_search_active)
        self.search.chosen.connect(self.jump_to)
        self.search.searched.connect(self._on_searched)
        top.addWidget(self.search.box, 3)
        outer.addLayout(top)

        self.body = QStackedWidget()
        self.message = MessagePanel()
        self.message.button.clicked.connect(page.import_requested)
        self.body.addWidget(self.message)
        self.body.addWidget(self._build_columns())
        results, results_box = panel()
        results_box.setContentsMargins(8, 8, 8, 8)
        results_box.addWidget(self.search.view)
        self.body.addWidget(results)
        outer.addWidget(scrolling(self.body), 1)
        outer.addWidget(self.status)

    def _build_columns(self) -> QWidget:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.setHandleWidth(10)
        splitter.addWidget(self._build_doors())
        splitter.addWidget(self._build_electors())
        self.pad = EntryPad(household=True)
        self.pad.setMinimumWidth(440)
        self.pad.save_requested.connect(self.save)
        self.pad.household_requested.connect(self.household)
        self.pad.navigate.connect(self.navigate)
        self.pad.edit_cancelled.connect(self._on_edit_cancelled)
        splitter.addWidget(self.pad)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 1)
        splitter.setSizes([250, 330, 560])
        return splitter

    def _build_doors(self) -> QWidget:
        frame, box = panel()
        box.setContentsMargins(8, 10, 8, 8)
        box.setSpacing(4)
        self.doors_title = label("Doors", "sectionTitle")
        self.doors_caption = label("", "padHint", wrap=True)
        box.addWidget(self.doors_title)
        box.addWidget(self.doors_caption)
        self.doors_model = DoorModel(self)
        self.doors_view = table(self.doors_model, row_height=36)
        header = self.doors_view.horizontalHeader()
        header.setSectionResizeMode(DoorColumn.DOOR, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(DoorColumn.TODAY, 58)
        self.doors_view.clicked.connect(self._on_door_clicked)
        box.addWidget(self.doors_view, 1)
        frame.setMinimumWidth(220)
        return frame

    def _build_electors(self) -> QWidget:
        frame, box = panel()
        box.setContentsMargins(12, 10, 12, 10)
        box.setSpacing(4)
        self.door_title = label("", "doorTitle")
        self.door_caption = label("", "padHint")
        box.addWidget(self.door_title)
        box.addWidget(self.door_caption)
        self.electors_model = ElectorModel(self)
        self.electors_view = QListView()
        self.electors_view.setModel(self.electors_model)
        self.electors_view.setItemDelegate(ElectorDelegate(self.electors_view))
        self.electors_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.electors_view.setSpacing(1)
        self.electors_view.clicked.connect(self._on_elector_clicked)
        box.addWidget(self.electors_view, 3)
        row = QHBoxLayout()
        self.history_title = label("History", "padLabel")
        row.addWidget(self.history_title, 1)
        self.edit_button = QPushButton("Change…")
        self.edit_button.setObjectName("secondary")
        self.edit_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.edit_button.setToolTip(
            "Change the record chosen below (Ctrl+E): it loads into the keys; Enter saves"
        )
        self.edit_button.clicked.connect(self.edit_selected)
        row.addWidget(self.edit_button)
        box.addLayout(row)
        self.history_model = HistoryModel(self)
        self.history_view = table(self.history_model, row_height=30)
        header = self.history_view.horizontalHeader()
        header.setSectionResizeMode(HistoryColumn.RECORD, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(HistoryColumn.WHEN, 92)
        header.setStretchLastSection(False)
        self.history_view.setColumnHidden(HistoryColumn.BY, True)  # in each row's tooltip
        self.history_view.setWordWrap(True)  # a record in full, however many lines
        self.history_view.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.history_view.doubleClicked.connect(lambda _index: self.edit_selected())
        box.addWidget(self.history_view, 2)
        self.no_history = label("No records yet for this elector.", "padHint")
        self.no_history.setAlignment(Qt.AlignmentFlag.AlignTop)
        box.addWidget(self.no_history, 2)
        frame.setMinimumWidth(280)
        return frame

    # -- hooks DoorMode implements ----------------------------------------------------------

    def choose(self, source: Source | None) -> None:
        """Show the doors of ``source``."""
        raise NotImplementedError

    def jump_to(self, hit: ElectorHit) -> None:
        """Go to an elector found by the search."""
        raise NotImplementedError

    def save(self, entry: Entry) -> None:
        """Save what the pad holds."""
        raise NotImplementedError

    def household(self) -> None:
        """Record the whole household as not in."""
        raise NotImplementedError

    def navigate(self, move: str) -> None:
        """Move to another door or elector."""
        raise NotImplementedError

    def edit_selected(self) -> None:
        """Change the record chosen in the history."""
        raise NotImplementedError

    def _on_search_active(self, active: bool) -> None:
        raise NotImplementedError

    def _on_searched(self) -> None:
        raise NotImplementedError

    def _on_edit_cancelled(self) -> None:
        raise NotImplementedError

    def _on_door_clicked(self, index: QModelIndex) -> None:
        raise NotImplementedError

    def _on_elector_clicked(self, index: QModelIndex) -> None:
        raise NotImplementedError
