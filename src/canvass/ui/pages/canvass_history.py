"""Undo and redo of records on the Canvass screen, and patching what is on show.

Undo marks a record void and redo clears that (both operations that travel,
:func:`canvass.services.canvassing.set_voided`). Which record an undo undoes is
decided when its turn on the task runner comes, so Ctrl+Z pressed while the
record before it is still being saved undoes that record.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from canvass.services.canvassing import DoorElector, Entry, VisitInfo, set_voided
from canvass.storage.database import Database
from canvass.ui.pages.canvass_common import Job, RunnerQueue, describe, now_iso, with_visit


@dataclass(frozen=True, slots=True)
class Patch:
    """A change to the electors of one door, as the screen shows them."""

    address_id: str
    change: Callable[[DoorElector], DoorElector]


@dataclass(frozen=True, slots=True)
class Action:
    """Records that one key press made, for undo and redo."""

    ids: tuple[str, ...]
    address_id: str
    elector_id: str  # "" for a whole household
    text: str


class Owner(Protocol):
    """What a mode offers the history: patching its lists and its status line."""

    def apply(self, patch: Patch) -> None:
        """Show ``patch`` in the lists."""

    def said(self, message: str) -> None:
        """Show what happened."""

    def failed(self, message: str) -> None:
        """Show what went wrong."""

    def undone(self, action: Action, voided: bool) -> None:
        """``action``'s records were undone (``voided``) or redone."""


def _voided(ids: tuple[str, ...], voided: bool, visit: VisitInfo) -> VisitInfo:
    return dataclasses.replace(visit, voided=voided) if visit.id in ids else visit


def _edited(visit_id: str, entry: Entry, visit: VisitInfo) -> VisitInfo:
    if visit.id != visit_id:
        return visit
    return dataclasses.replace(
        visit,
        outcome=entry.outcome,
        intention=entry.intention,
        support=entry.support,
        likelihood=entry.likelihood,
        flags=tuple(sorted(set(entry.flags))),
        issues=tuple(sorted({i.strip() for i in entry.issues if i.strip()})),
        notes=entry.notes.strip(),
    )


def _each_visit(change: Callable[[VisitInfo], VisitInfo]) -> Callable[[DoorElector], DoorElector]:
    def patch(elector: DoorElector) -> DoorElector:
        visits = tuple(change(v) for v in elector.visits)
        return elector if visits == elector.visits else dataclasses.replace(elector, visits=visits)

    return patch


class History:
    """The undo and redo stacks of one mode of the Canvass screen."""

    def __init__(self, owner: Owner, writes: RunnerQueue, database: Callable[[], Database]) -> None:
        self.owner = owner
        self.writes = writes
        self._database = database
        self.undo_stack: list[Action] = []
        self.redo_stack: list[Action] = []

    def forget(self) -> None:
        """Nothing to undo or redo (another database, another list)."""
        self.undo_stack.clear()
        self.redo_stack.clear()

    def push(self, action: Action) -> None:
        """Remember a new record; what was undone can no longer be redone."""
        self.undo_stack.append(action)
        self.redo_stack.clear()

    def recorded(
        self,
        address_id: str,
        elector: DoorElector,
        entry: Entry,
        canvasser: str,
        visit_id: str,
        method: str,
    ) -> VisitInfo:
        """A record was saved: remember it and show it in the elector's history."""
        visit = VisitInfo(
            id=visit_id,
            visited_at=now_iso(),
            outcome=entry.outcome,
            intention=entry.intention,
            support=entry.support,
            likelihood=entry.likelihood,
            flags=tuple(sorted(set(entry.flags))),
            issues=tuple(sorted({i.strip() for i in entry.issues if i.strip()})),
            notes=entry.notes.strip(),
            canvasser=canvasser,
            method=method,
            voided=False,
        )
        text = f"{elector.name}: {self.describe(entry)}"
        self.push(Action((visit_id,), address_id, elector.id, text))
        self.owner.apply(
            Patch(address_id, lambda e: with_visit(e, visit) if e.id == elector.id else e)
        )
        self.owner.said(f"Saved {text}")
        return visit

    def describe(self, entry: Entry) -> str:
        """An entry in words, with the mode's code book."""
        book = getattr(self.owner, "book", None)
        if book is None:
            return entry.outcome
        return describe(
            book,
            entry.outcome,
            entry.intention,
            entry.support,
            entry.likelihood,
            entry.flags,
            entry.issues,
            entry.notes,
        )

    def edited(self, address_id: str, visit: VisitInfo, entry: Entry, name: str) -> None:
        """An earlier record was changed."""
        self.owner.apply(
            Patch(address_id, _each_visit(functools.partial(_edited, visit.id, entry)))
        )
        self.owner.said(f"Changed the record for {name}: {self.describe(entry)}")

    def undo(self) -> None:
        """Undo the last record (Ctrl+Z), once everything before it is saved."""
        self.writes.submit(functools.partial(self._make, self.undo_stack, self.redo_stack, True))

    def redo(self) -> None:
        """Redo the last record undone (Ctrl+Shift+Z, Ctrl+Y)."""
        self.writes.submit(functools.partial(self._make, self.redo_stack, self.undo_stack, False))

    def _make(self, source: list[Action], target: list[Action], voided: bool) -> Job | None:
        if not source:
            self.owner.said("Nothing to undo." if voided else "Nothing to redo.")
            return None
        action = source.pop()
        db = self._database()

        def done(_result: object) -> None:
            target.append(action)
            change = _each_visit(functools.partial(_voided, action.ids, voided))
            self.owner.apply(Patch(action.address_id, change))
            self.owner.said(f"{'Undone' if voided else 'Redone'}: {action.text}")
            self.owner.undone(action, voided)

        def failed(message: str) -> None:
            source.append(action)
            self.owner.failed(f"Could not {'undo' if voided else 'redo'} {action.text}: {message}")

        return Job(functools.partial(set_voided, db, list(action.ids), voided), done, failed)
