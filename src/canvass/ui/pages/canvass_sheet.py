"""The Canvass screen's "Paper sheets" mode: typing in returned walk sheets, row by row.

Type the elector number (``AA-124/1``, or ``124/1`` on a district's sheet),
then the codes with the same keys as at the door, then Enter; the row joins
the running list and the number field is ready for the next one. A letter
typed straight after a number found on the sheet goes to the codes, so Enter
after the number is optional. Counts show the rows still to type and any
skipped ones.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from canvass.domain.errors import ValidationError
from canvass.services.canvassing import CodeBook, Door, DoorElector, Entry, find_by_number, record
from canvass.ui.pages.canvass_common import Setup, Source, plural, why_not
from canvass.ui.pages.canvass_door_view import scrolling
from canvass.ui.pages.canvass_history import Action, History, Patch
from canvass.ui.pages.canvass_pad import EntryPad
from canvass.ui.pages.canvass_sheet_model import Sheet, SheetColumn, SheetModel, SheetRow
from canvass.ui.pages.canvass_view import MessagePanel, Picker, table
from canvass.ui.pages.common import label, panel

if TYPE_CHECKING:
    from canvass.services.canvassing import SheetElector
    from canvass.ui.pages.canvass_page import CanvassPage

#: The most skipped numbers the warning names; the rest are counted.
SKIPPED_SHOWN = 6


def _is_undo_key(event: QKeyEvent) -> bool:
    """Ctrl+Z, Ctrl+Shift+Z or Ctrl+Y."""
    ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
    return bool(ctrl) and event.key() in (Qt.Key.Key_Y, Qt.Key.Key_Z)


class NumberField(QLineEdit):
    """The elector-number field: a letter after a number on the sheet goes to the codes.

    Ctrl+Z and Ctrl+Shift+Z (or Ctrl+Y) undo and redo rows, not typing: the
    field is where the focus waits between rows.
    """

    def __init__(self, mode: SheetMode) -> None:
        super().__init__()
        self.mode = mode

    def event(self, event: QEvent) -> bool:
        """Leave the undo and redo keys to the sheet's shortcuts."""
        shortcut = event.type() == QEvent.Type.ShortcutOverride
        if shortcut and isinstance(event, QKeyEvent) and _is_undo_key(event):
            event.ignore()
            return False
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """Letters after a whole number start the codes; everything else types."""
        text = event.text()
        plain = not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
        if plain and len(text) == 1 and text.isalpha() and self.mode.take_letter(event):
            return
        super().keyPressEvent(event)


class SheetMode(QWidget):
    """Type in a returned paper walk sheet."""

    def __init__(self, page: CanvassPage) -> None:
        super().__init__()
        self.page = page
        self.setObjectName("canvassTab")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.sheet: Sheet | None = None
        self.sheets: dict[tuple[str, str], Sheet] = {}
        self.current: tuple[DoorElector, Door] | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 12, 0, 0)
        outer.setSpacing(10)
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(label("Sheet", "padLabel"))
        self.picker = Picker(streets=False)
        self.picker.chosen.connect(self.choose)
        top.addWidget(self.picker, 3)
        self.canvasser = QLineEdit()
        self.canvasser.setObjectName("field")
        self.canvasser.setPlaceholderText("Canvasser on the sheet")
        self.canvasser.setToolTip("Who canvassed with this sheet: saved with each row")
        self.canvasser.setMaximumWidth(220)
        top.addWidget(self.canvasser, 1)
        outer.addLayout(top)
        self.body = QStackedWidget()
        self.message = MessagePanel()
        self.message.button.clicked.connect(page.import_requested)
        self.body.addWidget(self.message)
        self.body.addWidget(self._build_main())
        outer.addWidget(scrolling(self.body), 1)
        self.status = label("", "saved", selectable=True)
        outer.addWidget(self.status)
        self.history = History(self, page.writes, lambda: page.main.db)
        for keys, slot in (
            ("Ctrl+Z", self.history.undo),
            ("Ctrl+Shift+Z", self.history.redo),
            ("Ctrl+Y", self.history.redo),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def _build_main(self) -> QWidget:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.setHandleWidth(10)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        number_frame, number_box = panel()
        number_box.setContentsMargins(14, 8, 14, 8)
        number_box.setSpacing(4)
        number_row = QHBoxLayout()
        number_row.setSpacing(10)
        number_row.addWidget(label("Elector\nnumber", "padLabel"))
        self.number = NumberField(self)
        self.number.setObjectName("numberField")
        self.number.setPlaceholderText("e.g. 124/1")
        self.number.setToolTip(
            "The number on the sheet: AA-124/1, or just 124/1 on a district's sheet. Then the "
            "codes (a letter straight after the number is fine), then Enter."
        )
        self.number.returnPressed.connect(self.look_up)
        self.number.textEdited.connect(self._on_number_edited)
        number_row.addWidget(self.number, 1)
        number_box.addLayout(number_row)
        self.number_error = label("", "inlineError", wrap=True)
        self.number_error.hide()
        number_box.addWidget(self.number_error)
        column.addWidget(number_frame)
        self.pad = EntryPad(household=False)
        self.pad.save_requested.connect(self.save)
        self.pad.left.connect(self.focus_number)
        column.addWidget(self.pad, 1)
        left.setMinimumWidth(440)
        splitter.addWidget(left)

        right, box = panel()
        box.setContentsMargins(14, 10, 14, 10)
        box.setSpacing(6)
        self.count = label("", "sheetCount", wrap=True)
        box.addWidget(self.count)
        self.skipped = label("", "inlineWarning", wrap=True)
        self.skipped.hide()
        box.addWidget(self.skipped)
        self.model = SheetModel(self)
        self.view = table(self.model, row_height=30)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(SheetColumn.RECORDED, QHeaderView.ResizeMode.Stretch)
        for col, width in (
            (SheetColumn.ROW, 36),
            (SheetColumn.NUMBER, 82),
            (SheetColumn.NAME, 170),
        ):
            header.resizeSection(col, width)
        header.resizeSection(SheetColumn.STATE, 76)
        header.setStretchLastSection(False)
        box.addWidget(self.view, 1)
        box.addWidget(label("Ctrl+Z undoes the last row, Ctrl+Shift+Z redoes it.", "padHint"))
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([540, 560])
        return splitter

    @property
    def book(self) -> CodeBook:
        """The campaign's codes."""
        return self.pad.book

    # -- choosing the sheet --------------------------------------------------------------------

    def set_setup(self, setup: Setup) -> None:
        """The campaign's codes, lists and districts were read (again)."""
        self.pad.set_codes(setup.book)
        self.picker.fill(setup.lists, setup.districts)
        if setup.electors == 0:
            self.sheet = None
            self.message.show_message(
                "No sheets to type in yet",
                "Paper walk sheets list the electors on the register. Import the council's "
                "register file first, then print walk sheets on the Print screen.",
                "Import register…",
            )
            self.body.setCurrentWidget(self.message)
            return
        self.choose(self.picker.current())

    @Slot(object)
    def choose(self, source: Source | None) -> None:
        """Type in the sheets of ``source`` (reading its electors first)."""
        if source is None:
            self.sheet = None
            self.message.show_message(
                "Which sheet are you typing in?",
                "Choose the walk list or polling district printed at the top of the sheet. "
                "Then type each elector number, the codes with the same keys as at the door, "
                "and Enter. The counts show how many rows are left, and any you skipped.",
            )
            self.body.setCurrentWidget(self.message)
            return
        sheet = self.sheets.setdefault((source.kind, source.key), Sheet(source))
        if source.canvasser and not self.canvasser.text().strip():
            self.canvasser.setText(source.canvasser)
        db = self.page.main.db
        self.page.reads.submit(
            lambda: functools.partial(source.read, db),
            on_finished=functools.partial(self._on_doors, sheet),
            on_failed=lambda m: self.message.show_message("Could not read the sheet", m),
            key="sheet",
        )

    def _on_doors(self, sheet: Sheet, doors: list[Door]) -> None:
        sheet.set_doors(doors)
        self.sheet = sheet
        self.model.set_rows(sheet.rows)
        self.body.setCurrentIndex(1)
        self.show_counts()
        self.ready()

    def ready(self) -> None:
        """Wait for the next elector number."""
        self.current = None
        self.pad.set_target("Type an elector number", "Type an elector number first.")
        self.pad.message.hide()
        self.focus_number()

    def _on_number_edited(self, _text: str) -> None:
        if self.current is not None:  # a new number: the codes started for the last one go
            self.current = None
            self.pad.set_target("Type an elector number", "Type an elector number first.")
            self.pad.message.hide()

    @Slot()
    def focus_number(self) -> None:
        """To the number field, its text chosen for overtyping."""
        self.number.setFocus()
        self.number.selectAll()

    def show_counts(self) -> None:
        """How many rows the sheet has, how many are entered, and which were skipped."""
        sheet = self.sheet
        if sheet is None:
            return
        expected, entered = len(sheet.expected), len(sheet.entered_ids)
        skipped = sheet.skipped()
        left = max(0, expected - entered)
        self.count.setText(
            f"{entered:,} of {plural(expected, 'row')} entered · {left:,} to go"
            + (f" · {len(skipped):,} skipped" if skipped else "")
        )
        self.count.setToolTip(
            f"{sheet.source.title}: the electors its walk sheets list, less those recorded as "
            "moved away"
        )
        if skipped:
            named = ", ".join(
                f"{e.number} {e.name} ({d.label} {d.street})" for e, d in skipped[:SKIPPED_SHOWN]
            )
            more = len(skipped) - SKIPPED_SHOWN
            self.skipped.setText(
                f"Skipped {plural(len(skipped), 'row')}: {named}"
                + (f" and {more:,} more" if more > 0 else "")
                + ". Type them in if the sheet has codes for them."
            )
            self.skipped.show()
        else:
            self.skipped.hide()

    # -- typing in -----------------------------------------------------------------------------

    def take_letter(self, event: QKeyEvent) -> bool:
        """A letter after a number found on the sheet: look it up and hand the letter to the pad."""
        sheet = self.sheet
        text = self.number.text().strip()
        if sheet is None or not text or not text[-1].isdigit():
            return False
        try:
            sheet.normalise(text)
        except ValidationError:
            return False
        if self.look_up():
            self.pad.keyPressEvent(event)
        return True

    @Slot()
    def look_up(self) -> bool:
        """Find the number typed on this sheet; on success the codes come next."""
        sheet = self.sheet
        text = self.number.text().strip()
        if sheet is None or not text:
            return False
        try:
            number = sheet.normalise(text)
        except ValidationError as exc:
            district = sheet.source.district
            extra = (
                "" if district else " This sheet covers several districts: type the whole number."
            )
            return self._refuse(f"{exc}{extra}")
        found = sheet.find(number)
        if found is None:
            self._look_further(number)
            return False
        elector, door = found
        reason = why_not(elector)
        if reason:
            return self._refuse(f"{elector.number}: {reason} Nothing was saved.")
        row = sheet.row_of(elector.id)
        if row:
            return self._refuse(
                f"{elector.number} {elector.name} is already entered (row {row}). Undo that row "
                "with Ctrl+Z if it was wrong, or type the next number."
            )
        self.number_error.hide()
        self.current = (elector, door)
        self.number.setText(elector.number)
        self.pad.set_target(f"{elector.number} · {elector.name} · {door.label} {door.street}")
        self.pad.setFocus()
        return True

    def _refuse(self, message: str) -> bool:
        self.number_error.setText(message)
        self.number_error.show()
        self.focus_number()
        return False

    def _look_further(self, number: str) -> None:
        sheet, db = self.sheet, self.page.main.db
        if sheet is None:
            return
        self._refuse(f"Looking up {number}…")

        def found(elector: SheetElector) -> None:
            self._refuse(
                f"{elector.number} {elector.name} ({elector.door}) is not on this sheet "
                f"({sheet.source.title}). Check the number, or choose their sheet above. "
                "Nothing was saved."
            )

        self.page.reads.submit(
            lambda: functools.partial(find_by_number, db, number),
            on_finished=found,
            on_failed=lambda m: self._refuse(
                f"{m} Check the number on the sheet; nothing was saved."
            ),
        )

    @Slot(object)
    def save(self, entry: Entry) -> None:
        """Save the row for the elector looked up, from the paper sheet."""
        sheet, current = self.sheet, self.current
        if sheet is None or current is None:
            return
        elector, door = current
        db, who = self.page.main.db, self.canvasser.text().strip()
        row = SheetRow(
            elector, door.address_id, f"{door.label} {door.street}", self.history.describe(entry)
        )
        self.model.append(row)
        self.view.scrollToBottom()

        def saved(visit_id: str) -> None:
            row.visit_id, row.state = visit_id, "saved"
            self.model.changed(row)
            self.history.recorded(door.address_id, elector, entry, who, visit_id, "paper")

        def failed(message: str) -> None:
            row.state, row.message = "failed", message
            self.model.changed(row)
            self.show_counts()
            self.failed(f"Row {elector.number} was not saved: {message}")

        self.page.writes.submit(
            lambda: functools.partial(record, db, elector.id, entry, canvasser=who, method="paper"),
            on_finished=saved,
            on_failed=failed,
        )
        self.status.setText(f"Saving {elector.number} {elector.name}: {row.text}…")
        self.show_counts()
        self.number.clear()
        self.number_error.hide()
        self.ready()

    # -- what the history tells ----------------------------------------------------------------

    def apply(self, patch: Patch) -> None:
        """Show new or undone records in what the sheet knows about its electors."""
        for sheet in self.sheets.values():
            for elector, door in list(sheet.electors):
                if door.address_id == patch.address_id:
                    changed = patch.change(elector)
                    if changed is not elector:
                        sheet.update(changed)

    def undone(self, action: Action, voided: bool) -> None:
        """Mark an undone (or redone) row in the running list."""
        for sheet in self.sheets.values():
            for row in sheet.rows:
                if row.visit_id in action.ids:
                    row.state = "undone" if voided else "saved"
                    self.model.changed(row)
        self.show_counts()

    def said(self, message: str) -> None:
        """Show what was saved or undone."""
        self.status.setObjectName("saved")
        self.status.style().polish(self.status)
        self.status.setText(message)

    def failed(self, message: str) -> None:
        """Show what went wrong, beside the number too."""
        self.status.setObjectName("savedError")
        self.status.style().polish(self.status)
        self.status.setText(message)
        self.number_error.setText(message)
        self.number_error.show()
