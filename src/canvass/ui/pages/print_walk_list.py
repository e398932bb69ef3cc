"""The New walk list dialog of the Print page: a name, a canvasser, districts or streets."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from canvass.services.browse import DistrictNode
from canvass.services.walk_lists import WalkListSummary, create_walk_list

if TYPE_CHECKING:
    from canvass.ui.pages.print_walk_sheets import WalkSheetsSection

_CHECKED = Qt.CheckState.Checked
ERROR_STYLE = "color: #8A1F1F;"


def district_label(node: DistrictNode) -> str:
    """A district's code, and its name when the name says more than the code."""
    if not node.name or node.code.casefold() in node.name.casefold():
        return node.code
    return f"{node.code}  {node.name}"


def indented(widget: QWidget | None = None) -> QHBoxLayout:
    """A row that starts under a radio button's text rather than its circle."""
    row = QHBoxLayout()
    row.setContentsMargins(26, 0, 0, 0)
    if widget is not None:
        row.addWidget(widget)
    return row


class NewWalkListDialog(QDialog):
    """Name a walk list, give it to a canvasser and choose its districts or streets.

    Signals:
        created: The :class:`~canvass.services.walk_lists.WalkListSummary` of the new list.
    """

    created = Signal(object)

    def __init__(self, sheets: WalkSheetsSection, districts: list[DistrictNode]) -> None:
        super().__init__(sheets)
        self.sheets = sheets
        self.setWindowTitle("New walk list")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(560, 620)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(12)
        form = QFormLayout()
        form.setSpacing(10)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. High Street, Saturday morning")
        self.canvasser = QLineEdit()
        self.canvasser.setPlaceholderText("Who walks it (optional)")
        form.addRow("Name", self.name)
        form.addRow("Canvasser", self.canvasser)
        layout.addLayout(form)
        layout.addWidget(QLabel("Tick whole polling districts, or just some of their streets:"))
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["District or street", "Doors", "Electors"])
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        for node in districts:
            top = QTreeWidgetItem(
                [district_label(node), f"{node.households:,}", f"{node.electors:,}"]
            )
            top.setData(0, Qt.ItemDataRole.UserRole, node.code)
            top.setFlags(
                top.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate
            )
            top.setCheckState(0, Qt.CheckState.Unchecked)
            for street in node.streets:
                child = QTreeWidgetItem(
                    [street.name, f"{street.households:,}", f"{street.electors:,}"]
                )
                child.setData(0, Qt.ItemDataRole.UserRole, street.name)
                child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                child.setCheckState(0, Qt.CheckState.Unchecked)
                top.addChild(child)
            self.tree.addTopLevelItem(top)
        self.tree.setColumnWidth(0, 300)
        layout.addWidget(self.tree, 1)

        numbers = QHBoxLayout()
        self.only_numbers = QCheckBox("Only house numbers from")
        self.low, self.high = QSpinBox(), QSpinBox()
        for box, value in ((self.low, 1), (self.high, 100)):
            box.setRange(1, 99999)
            box.setValue(value)
            box.setEnabled(False)
            self.only_numbers.toggled.connect(box.setEnabled)
        numbers.addWidget(self.only_numbers)
        numbers.addWidget(self.low)
        numbers.addWidget(QLabel("to"))
        numbers.addWidget(self.high)
        numbers.addStretch(1)
        layout.addLayout(numbers)
        note = QLabel("Electors marked do-not-contact or off the register are always left out.")
        note.setWordWrap(True)
        note.setStyleSheet("color: #5F6B76;")
        layout.addWidget(note)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = buttons.addButton(
            "Create walk list", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.create_button.setObjectName("primary")
        buttons.accepted.connect(self.save_list)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _districts(self) -> list[QTreeWidgetItem]:
        found = (self.tree.topLevelItem(n) for n in range(self.tree.topLevelItemCount()))
        return [item for item in found if item is not None]

    @staticmethod
    def _streets(top: QTreeWidgetItem) -> list[QTreeWidgetItem]:
        found = (top.child(n) for n in range(top.childCount()))
        return [item for item in found if item is not None]

    def item(self, code: str, street: str | None = None) -> QTreeWidgetItem:
        """The tree's row for a district (or one of its streets)."""
        for top in self._districts():
            if top.data(0, Qt.ItemDataRole.UserRole) == code:
                if street is None:
                    return top
                for child in self._streets(top):
                    if child.data(0, Qt.ItemDataRole.UserRole) == street:
                        return child
        raise KeyError(street or code)

    def scope(self) -> tuple[list[str], list[str], tuple[int, int] | None]:
        """The districts, streets and house numbers chosen, as the walk-list service takes them.

        Whole districts go as districts; once a street is picked on its own or
        a range of numbers is set, every ticked street goes by name within its
        district, so a street of the same name elsewhere is not included.
        """
        numbers = (self.low.value(), self.high.value()) if self.only_numbers.isChecked() else None
        whole: list[str] = []
        touched: list[str] = []
        streets: list[str] = []
        by_street = numbers is not None
        for top in self._districts():
            state = top.checkState(0)
            if state == Qt.CheckState.Unchecked:
                continue
            code = str(top.data(0, Qt.ItemDataRole.UserRole))
            touched.append(code)
            if state == _CHECKED:
                whole.append(code)
            else:
                by_street = True
            for child in self._streets(top):
                if child.checkState(0) == _CHECKED:
                    streets.append(str(child.data(0, Qt.ItemDataRole.UserRole)))
        if by_street:
            return touched, list(dict.fromkeys(streets)), numbers
        return whole, [], None

    @Slot()
    def save_list(self) -> None:
        """Save the list (on the task runner); the dialog closes when it is saved."""
        tasks = self.sheets.main.tasks
        if tasks.busy:
            self._show_error("Please wait for the running task to finish, then try again.")
            return
        districts, streets, numbers = self.scope()
        db = self.sheets.main.db
        self.create_button.setEnabled(False)
        tasks.start(
            functools.partial(
                create_walk_list,
                db,
                self.name.text(),
                districts=districts,
                streets=streets,
                numbers=numbers,
                canvasser=self.canvasser.text(),
            ),
            on_finished=self._on_created,
            on_failed=self._show_error,
        )

    def _on_created(self, summary: WalkListSummary) -> None:
        self.created.emit(summary)
        super().accept()

    def _show_error(self, message: str) -> None:
        self.create_button.setEnabled(True)
        self.error.setText(message)
        self.error.show()
