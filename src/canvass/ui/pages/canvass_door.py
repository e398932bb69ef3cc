"""The Canvass screen's "At the door" mode: doors in walking order, their electors, the keys.

Keyboard first: the entry pad holds the keys; the doors and electors lists
follow (] and [ or PgDn and PgUp for doors, ↑ and ↓ for electors). Each save
is queued on the window's task runner and the screen moves on at once; what
comes back patches the lists, never reading the whole list again (except
after "whole household not in", whose records are read back).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut

from canvass.services.canvassing import (
    CodeBook,
    Door,
    DoorElector,
    Entry,
    edit,
    household_not_in,
    record,
)
from canvass.ui.pages.canvass_common import (
    Setup,
    Source,
    describe,
    plural,
    read_answers,
    recordable,
    why_not,
)
from canvass.ui.pages.canvass_door_view import COLUMNS, MESSAGE, RESULTS, DoorLayout
from canvass.ui.pages.canvass_history import Action, History, Patch

if TYPE_CHECKING:
    from canvass.services.search import ElectorHit
    from canvass.ui.pages.canvass_page import CanvassPage


@dataclass(frozen=True, slots=True)
class Place:
    """Where the canvasser is: a door (row) and an elector at it (row)."""

    door: int
    elector: int


class DoorMode(DoorLayout):
    """Doors on the left, the door's electors and their history in the middle, keys on the right."""

    def __init__(self, page: CanvassPage) -> None:
        super().__init__(page)
        self.source: Source | None = None
        self.place = Place(-1, -1)
        self._jump: tuple[str, str] | None = None  # (address id, elector id) to show once read
        self.history = History(self, page.writes, lambda: page.main.db)
        for keys, slot in (
            ("Ctrl+Z", self.history.undo),
            ("Ctrl+Shift+Z", self.history.redo),
            ("Ctrl+Y", self.history.redo),
            ("Ctrl+E", self.edit_selected),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # -- what is canvassed ---------------------------------------------------------------

    def set_setup(self, setup: Setup) -> None:
        """The campaign's codes, lists and districts were read (again)."""
        if setup.book != self.pad.book:
            self.pad.set_codes(setup.book)
        self.picker.fill(setup.lists, setup.districts)
        if setup.electors == 0:
            self.source = None
            self.doors_model.set_doors(())
            self.message.show_message(
                "Nothing to canvass yet",
                "The Canvass screen works through the households on the electoral register. "
                "Import the council's register file first, or use File › Create demo campaign… "
                "to try it out.",
                "Import register…",
            )
            self.body.setCurrentIndex(MESSAGE)
            return
        chosen = self.picker.current()
        if chosen is None:
            self._show_choose()
        elif self.source is None or chosen != self.source:
            self.choose(chosen)
        else:
            self.reload()

    def _show_choose(self) -> None:
        self.source = None
        self.doors_model.set_doors(())
        self.message.show_message(
            "Choose where to canvass",
            "Pick a walk list or a polling district above. Its doors appear in walking order; "
            "record each elector with one key per code, shown on each button. Or find "
            "anyone with the search box (Ctrl+F).",
        )
        self.body.setCurrentIndex(MESSAGE)

    @Slot(object)
    def choose(self, source: Source | None) -> None:
        """Read and show the doors of ``source``."""
        if source is None:
            self._show_choose()
            return
        self.source = source
        if source.canvasser and not self.canvasser.text().strip():
            self.canvasser.setText(source.canvasser)
        self.message.show_message(f"Reading {source.title}…", "The doors appear in a moment.")
        self.body.setCurrentIndex(MESSAGE)
        self.reload()

    def reload(self, *, patch_only: bool = False) -> None:
        """Read the doors of the source again; ``patch_only`` keeps the place and the pad."""
        source, db = self.source, self.page.main.db
        if source is None:
            return
        self.page.reads.submit(
            lambda: functools.partial(source.read, db),
            on_finished=functools.partial(self._on_doors, source, patch_only),
            on_failed=self._on_read_failed,
            key="doors",
        )

    def _on_doors(self, source: Source, patch_only: bool, doors: list[Door]) -> None:
        if source != self.source:
            return
        if patch_only and len(doors) == len(self.doors_model.doors):
            self._patch_doors(doors)
            return
        door, elector = self.door, self.elector
        here = (door.address_id, elector.id if elector else "") if door is not None else None
        self.doors_model.set_doors(doors)
        total = sum(len(d.electors) for d in doors)
        self.doors_caption.setText(f"{source.title} · {plural(total, 'elector')}")
        if not doors:
            self.message.show_message(
                f"Nobody to call on in {source.title}",
                "Every door here is empty on the register. Choose another list or district.",
            )
            self.body.setCurrentIndex(MESSAGE)
            return
        self.body.setCurrentIndex(COLUMNS)
        jump, self._jump = self._jump, None
        if jump is None and here is not None:
            jump = here  # read again (back from another screen): stay where you were
        if jump is not None and self._go_to_ids(*jump):
            return
        first = next((n for n, d in enumerate(doors) if any(map(recordable, d.electors))), 0)
        self.go(Place(first, -1))

    def _patch_doors(self, doors: list[Door]) -> None:
        for row, door in enumerate(doors):
            if door != self.doors_model.doors[row]:
                self.patch_door(row, door)
        self._update_captions()

    def _on_read_failed(self, message: str) -> None:
        self.message.show_message("Could not read the doors", message)
        self.body.setCurrentIndex(MESSAGE)

    # -- moving about ----------------------------------------------------------------------

    @property
    def door(self) -> Door | None:
        """The door on show."""
        doors = self.doors_model.doors
        return doors[self.place.door] if 0 <= self.place.door < len(doors) else None

    @property
    def elector(self) -> DoorElector | None:
        """The elector chosen."""
        door = self.door
        if door is None or not 0 <= self.place.elector < len(door.electors):
            return None
        return door.electors[self.place.elector]

    def go(self, place: Place) -> None:
        """Show the door of ``place`` and choose its elector (the first who can be called on)."""
        doors = self.doors_model.doors
        if not 0 <= place.door < len(doors):
            return
        door = doors[place.door]
        row = place.elector
        if not 0 <= row < len(door.electors):
            row = next((n for n, e in enumerate(door.electors) if recordable(e)), 0)
        if place.door != self.place.door or self.electors_model.electors != list(door.electors):
            self.electors_model.set_electors(self.pad.book, door.electors)
        self.place = Place(place.door, row)
        self.doors_view.selectRow(place.door)
        self.doors_view.scrollTo(self.doors_model.index(place.door, 0))
        self.electors_view.setCurrentIndex(self.electors_model.index(row))
        self._update_captions()
        elector = self.elector
        self.show_history(elector)
        if elector is None:
            self.pad.set_target("Nobody registered at this door", "Nobody to record here.")
        else:
            self.pad.set_target(f"{elector.name} · {elector.number}", why_not(elector))
        if self.body.currentIndex() == COLUMNS:
            self.pad.setFocus()

    def _update_captions(self) -> None:
        door = self.door
        if door is None:
            return
        self.door_title.setText(f"{door.label} {door.street}")
        self.door_caption.setText(
            f"{door.postcode} · door {self.place.door + 1:,} of {len(self.doors_model.doors):,}"
            f" · {plural(len(door.electors), 'elector')}"
        )

    @Slot(str)
    def navigate(self, move: str) -> None:
        """Move to the next or previous door or elector."""
        place, door = self.place, self.door
        if move == "next door":
            self.go(Place(place.door + 1, -1))
        elif move == "previous door":
            self.go(Place(place.door - 1, -1))
        elif door is not None and move == "next" and place.elector + 1 < len(door.electors):
            self.go(Place(place.door, place.elector + 1))
        elif move == "previous" and place.elector > 0:
            self.go(Place(place.door, place.elector - 1))

    def advance(self) -> None:
        """After a save: the next elector at this door who can be called on, else the next door."""
        doors = self.doors_model.doors
        door = self.door
        if door is None:
            return
        for row in range(self.place.elector + 1, len(door.electors)):
            if recordable(door.electors[row]):
                self.go(Place(self.place.door, row))
                return
        for row in range(self.place.door + 1, len(doors)):
            if any(map(recordable, doors[row].electors)):
                self.go(Place(row, -1))
                return
        self.go(self.place)
        self.pad.say("That was the last door on this list.", warning=True)

    def _go_to_ids(self, address_id: str, elector_id: str) -> bool:
        for row, door in enumerate(self.doors_model.doors):
            if door.address_id == address_id:
                at = next((n for n, e in enumerate(door.electors) if e.id == elector_id), -1)
                self.go(Place(row, at))
                return True
        return False

    @Slot(object)
    def jump_to(self, hit: ElectorHit) -> None:
        """Go to the door of an elector found by the search (reading their district if needed)."""
        self.search.clear()
        if hit.address_id is None:
            self.status.setText(f"{hit.name} has no address on the register: no door to go to.")
            return
        if not self._go_to_ids(hit.address_id, hit.elector_id):
            self._jump = (hit.address_id, hit.elector_id)
            if not self.picker.choose("district", hit.number.split("-")[0]):
                self._jump = None
                self.status.setText(f"Could not find the district of {hit.name}.")
                return
        self.status.setText(f"{hit.name}, {hit.address}")

    def _on_search_active(self, active: bool) -> None:
        if active:
            self.body.setCurrentIndex(RESULTS)
        elif self.source is not None and self.doors_model.doors:
            self.body.setCurrentIndex(COLUMNS)
            self.pad.setFocus()
        else:
            self.body.setCurrentIndex(MESSAGE)

    def _on_searched(self) -> None:
        status = self.search.status
        if self.search.model.rowCount():
            status += " · ↓ to choose, Enter goes to their door, Esc goes back"
        self.status.setText(status)

    def _on_edit_cancelled(self) -> None:
        self.go(self.place)

    def _on_door_clicked(self, index: QModelIndex) -> None:
        self.go(Place(index.row(), -1))

    def _on_elector_clicked(self, index: QModelIndex) -> None:
        self.go(Place(self.place.door, index.row()))

    @Slot()
    def focus_search(self) -> None:
        """Ctrl+F: to the search box."""
        self.search.box.setFocus()
        self.search.box.selectAll()

    # -- recording -------------------------------------------------------------------------

    @Slot(object)
    def save(self, entry: Entry) -> None:
        """Save what the pad holds for the elector chosen (or change the record being edited)."""
        elector, door = self.elector, self.door
        if elector is None or door is None:
            return
        db, who = self.page.main.db, self.canvasser.text().strip()
        text = describe(
            self.pad.book,
            entry.outcome,
            entry.intention,
            entry.support,
            entry.likelihood,
            entry.flags,
            entry.issues,
            entry.notes,
        )
        visit = self.pad.editing
        if visit is not None:
            self.page.writes.submit(
                lambda: functools.partial(edit, db, visit.id, entry),
                on_finished=lambda _r: self.history.edited(
                    door.address_id, visit, entry, elector.name
                ),
                on_failed=lambda m: self.failed(f"{elector.name}: the change was not saved. {m}"),
            )
            self.status.setText(f"Saving the change for {elector.name}…")
            self.go(self.place)
            return
        self.status.setText(f"Saving {elector.name}: {text}…")
        self.page.writes.submit(
            lambda: functools.partial(record, db, elector.id, entry, canvasser=who),
            on_finished=lambda visit_id: self.history.recorded(
                door.address_id, elector, entry, who, visit_id, "doorstep"
            ),
            on_failed=lambda m: self.failed(f"Not saved for {elector.name}: {m}"),
        )
        self.advance()

    @Slot()
    def household(self) -> None:
        """Record "not in" for everyone at this door who can be called on, then the next door."""
        door = self.door
        if door is None:
            return
        if not any(map(recordable, door.electors)):
            self.pad.say("Nobody at this door can be recorded.")
            return
        db, who = self.page.main.db, self.canvasser.text().strip()
        where = f"{door.label} {door.street}"
        self.status.setText(f"Saving “not in” for {where}…")
        self.page.writes.submit(
            lambda: functools.partial(household_not_in, db, door.address_id, canvasser=who),
            on_finished=functools.partial(self._household_saved, door.address_id, where),
            on_failed=lambda m: self.failed(f"Not saved for {where}: {m}"),
        )
        row = next(
            (
                n
                for n in range(self.place.door + 1, len(self.doors_model.doors))
                if any(map(recordable, self.doors_model.doors[n].electors))
            ),
            self.place.door,
        )
        self.pad.last_keystrokes, self.pad.keystrokes = self.pad.keystrokes, 0
        self.go(Place(row, -1))

    def failed(self, message: str) -> None:
        """A save went wrong: say so where the canvasser looks."""
        self.status.setObjectName("savedError")
        self.status.style().polish(self.status)
        self.status.setText(message)
        self.pad.say(message)

    def said(self, message: str) -> None:
        """Show what was saved (or undone) on the status line."""
        self.status.setObjectName("saved")
        self.status.style().polish(self.status)
        self.status.setText(message)

    @Slot()
    def edit_selected(self) -> None:
        """Load the record chosen in the history (the latest if none) into the pad to change it."""
        elector = self.elector
        if elector is None or not elector.visits:
            self.pad.say("There is no earlier record to change for this elector.")
            return
        rows = self.history_view.selectionModel().selectedRows()
        visit = self.history_model.visits[rows[0].row() if rows else 0]
        if visit.voided:
            self.pad.say("That record was undone; redo it (Ctrl+Shift+Z) to change it.")
            return
        db = self.page.main.db

        def loaded(answers: dict[str, str]) -> None:
            if self.elector is elector:  # still on show
                self.pad.load(visit, answers)
                self.pad.setFocus()

        self.page.reads.submit(
            lambda: functools.partial(read_answers, db, visit.id),
            on_finished=loaded,
            on_failed=self.failed,
        )

    # -- patching ----------------------------------------------------------------------------

    def patch_door(self, row: int, door: Door) -> None:
        """Show ``door`` (new records) on ``row``, and in the middle if it is on show."""
        self.doors_model.replace(row, door)
        if row == self.place.door:
            for n, elector in enumerate(door.electors):
                if (
                    n < len(self.electors_model.electors)
                    and self.electors_model.electors[n] != elector
                ):
                    self.electors_model.replace(n, elector)
            self.show_history(self.elector)

    def apply(self, patch: Patch) -> None:
        """Apply a change to one door's electors (a record saved, undone or changed)."""
        for row, door in enumerate(self.doors_model.doors):
            if door.address_id == patch.address_id:
                electors = tuple(patch.change(e) for e in door.electors)
                if electors != door.electors:
                    self.patch_door(
                        row,
                        Door(
                            door.address_id,
                            door.label,
                            door.street,
                            door.postcode,
                            door.district,
                            electors,
                        ),
                    )
                return

    @property
    def book(self) -> CodeBook:
        """The campaign's codes."""
        return self.pad.book

    def show_history(self, elector: DoorElector | None) -> None:
        """Show ``elector``'s records under the electors."""
        self.history_model.set_visits(self.pad.book, elector.visits if elector else ())
        count = len(elector.visits) if elector else 0
        self.history_view.setVisible(count > 0)
        self.no_history.setVisible(count == 0)
        self.edit_button.setVisible(count > 0)
        self.history_title.setText(f"History · {plural(count, 'record')}" if elector else "History")
        if count:
            self.history_view.selectRow(0)

    def _household_saved(self, address_id: str, where: str, ids: list[str]) -> None:
        self.history.push(Action(tuple(ids), address_id, "", f"“not in” at {where}"))
        self.said(f"Saved “not in” for {plural(len(ids), 'elector')} at {where}")
        self.reload(patch_only=True)

    def undone(self, action: Action, voided: bool) -> None:
        """After an undo, back to the elector whose record it was, to record them again."""
        if voided and action.elector_id:
            self._go_to_ids(action.address_id, action.elector_id)
