"""The entry pad: the keys and big buttons a canvasser records one elector's response with.

Two layers, each showing exactly the keys that work in it:

* **Outcome**: one key per outcome. The "not in" key saves at once (one
  keystroke) and :data:`~canvass.ui.pages.canvass_common.HOUSEHOLD_KEY`
  records the whole household as not in (door mode only). Any other outcome
  opens the second layer.
* **Details**: after "spoke", one key per voting intention and the digits 1–5
  (support, then likelihood); after any outcome, one key per flag; issues,
  notes and survey answers in fields (Tab). Enter saves, Esc goes back a
  layer, Backspace takes back the last key.

The pad never writes: it emits :attr:`EntryPad.save_requested` with an
:class:`~canvass.services.canvassing.Entry` and the page saves it.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

from canvass.services.canvassing import DO_NOT_CONTACT, NOT_IN, SPOKE, CodeBook, Entry, VisitInfo
from canvass.ui.pages.canvass_common import HOUSEHOLD_KEY, KeyMap, describe, when
from canvass.ui.pages.canvass_pad_view import PadLayout

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
#: Keys that move about rather than record: to the next or previous door or elector.
NAVIGATION = {
    Qt.Key.Key_PageDown: "next door",
    Qt.Key.Key_BracketRight: "next door",
    Qt.Key.Key_PageUp: "previous door",
    Qt.Key.Key_BracketLeft: "previous door",
    Qt.Key.Key_Down: "next",
    Qt.Key.Key_Up: "previous",
}


class EntryPad(PadLayout):
    """The keys and buttons for one elector's response.

    Signals:
        save_requested: An :class:`Entry` to save (for :attr:`editing`, if set).
        household_requested: The household key was pressed (door mode).
        edit_cancelled: Esc while changing an earlier record.
        navigate: A move: "next door", "previous door", "next" or "previous" elector.
        left: Esc with nothing chosen (sheet mode: back to the number).

    Attributes:
        keystrokes: Keys pressed since the last save (what a record cost).
        last_keystrokes: What the last saved record cost, in keys.
        editing: The earlier record being changed, if any.
    """

    save_requested = Signal(object)
    household_requested = Signal()
    edit_cancelled = Signal()
    navigate = Signal(str)
    left = Signal()

    def __init__(self, *, household: bool, parent: QWidget | None = None) -> None:
        super().__init__(household=household, parent=parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.blocked = "No elector chosen."
        self.editing: VisitInfo | None = None
        self.keystrokes = 0
        self.last_keystrokes = 0
        self._steps: list[tuple[str, object]] = []
        self.outcome = ""
        self.intention = ""
        self.support: int | None = None
        self.likelihood: int | None = None
        self.flags: list[str] = []
        self.set_codes(self.book)

    def set_codes(self, book: CodeBook) -> None:
        """Make the buttons and keys for ``book`` (the campaign's code set)."""
        self.build(book)
        self.reset()

    # -- state ---------------------------------------------------------------------------

    def set_target(self, title: str, blocked: str = "") -> None:
        """Record for ``title`` from now on; ``blocked`` says why nothing can be (keys off)."""
        self.title.set_text(title)
        self.blocked = blocked
        self.editing = None
        self.reset()
        if blocked:
            self.say(blocked)

    def load(self, visit: VisitInfo, answers: Mapping[str, str] | None = None) -> None:
        """Change an earlier record: its values on the pad, Enter saves them as edits."""
        self.reset()
        for code, answer in (answers or {}).items():
            combo = self.questions.get(code)
            if combo is not None and combo.findData(answer) >= 0:
                combo.setCurrentIndex(combo.findData(answer))
        self.editing = visit
        self.outcome, self.intention = visit.outcome, visit.intention
        self.support, self.likelihood = visit.support, visit.likelihood
        self.flags = list(visit.flags)
        self.issues.setText(", ".join(visit.issues))
        self.notes.setText(visit.notes)
        self._show()

    def reset(self) -> None:
        """Back to the outcome layer with nothing chosen."""
        self.outcome, self.intention = "", ""
        self.support = self.likelihood = None
        self.flags = []
        self._steps = []
        self.issues.clear()
        self.notes.clear()
        for combo in self.questions.values():
            combo.setCurrentIndex(0)
        self.message.hide()
        self._show()

    def say(self, text: str, *, warning: bool = False) -> None:
        """Show ``text`` in the pad, in the error (or warning) colour."""
        self.message.setObjectName("inlineWarning" if warning else "inlineError")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)
        self.message.show()

    def entry(self) -> Entry:
        """What the pad holds, as an :class:`Entry`."""
        spoke = self.outcome == SPOKE
        answers = {
            code: str(combo.currentData())
            for code, combo in self.questions.items()
            if spoke and combo.currentData()
        }
        return Entry(
            outcome=self.outcome,
            intention=self.intention if spoke else "",
            support=self.support if spoke else None,
            likelihood=self.likelihood if spoke else None,
            flags=tuple(self.flags),
            issues=tuple(t.strip() for t in self.issues.text().split(",") if t.strip()),
            notes=self.notes.text().strip(),
            answers=answers,
        )

    def _show(self) -> None:
        chosen = bool(self.outcome)
        self.layers.setCurrentWidget(self.details_layer if chosen else self.outcome_layer)
        spoke = self.outcome == SPOKE
        for widget in (self.intention_title, self.scores, self.question_box):
            widget.setVisible(spoke and (widget is not self.question_box or bool(self.questions)))
        for code, button in self.intention_buttons.items():
            button.setVisible(spoke)
            button.setChecked(code == self.intention)
        for buttons, value in (
            (self.support_buttons, self.support),
            (self.likelihood_buttons, self.likelihood),
        ):
            for score in buttons:
                score.setChecked(score.value == value)
        for code, button in self.flag_buttons.items():
            button.setChecked(code in self.flags)
        for button in (*self.outcome_buttons.values(), *self.flag_buttons.values()):
            button.setEnabled(not self.blocked)
        self.save_button.setEnabled(chosen and not self.blocked)
        self.save_button.setText("Save change  ⏎" if self.editing else "Save  ⏎")
        self.back_button.setText("Cancel change  Esc" if self.editing else "Back  Esc")
        entry = self.entry() if chosen else None
        self.draft.set_text(
            describe(
                self.book,
                entry.outcome,
                entry.intention,
                entry.support,
                entry.likelihood,
                entry.flags,
            )
            if entry is not None
            else ""
        )
        self.draft.setVisible(chosen)
        hint = self._hint()
        self.hint.setText(hint)
        self.hint.setVisible(not chosen)
        self.details_hint.setText(hint)

    def _hint(self) -> str:
        changing = (
            f"Changing the record of {when(self.editing.visited_at)}. "
            if self.editing is not None
            else ""
        )
        if not self.outcome:
            not_in = self.keys.outcomes.get(NOT_IN, "")
            first = f"{not_in} saves “not in” at once; " if not_in and not changing else ""
            moves = "Doors: ] next, [ back · electors: ↑ ↓ · " if self.household else ""
            return (
                f"{changing}{first}other outcomes: add details, then Enter saves.\n"
                f"{moves}undo: Ctrl+Z"
            )
        if self.outcome == SPOKE:
            return f"{changing}Tab: issues, notes · Backspace takes back a key"
        return f"{changing}Letters: flags · Tab: issues, notes"

    # -- choosing ------------------------------------------------------------------------

    def _choose_outcome(self, code: str) -> None:
        if self.blocked:
            self.say(self.blocked)
            return
        self.message.hide()
        if code == NOT_IN and self.editing is None:
            self.outcome = code
            self.save()
            return
        self.outcome = code
        self._steps.append(("outcome", code))
        self._show()
        if code == DO_NOT_CONTACT:
            self.say(
                "Enter puts them on the do-not-contact list for good: undo takes back the "
                "record, not the do-not-contact.",
                warning=True,
            )

    def _household(self) -> None:
        self.message.hide()
        self.household_requested.emit()

    def _set_intention(self, code: str) -> None:
        if self.outcome != SPOKE:
            return
        self._steps.append(("intention", self.intention))
        self.intention = "" if self.intention == code else code
        self.message.hide()
        self._show()

    def _set_score(self, kind: str, value: int) -> None:
        if self.outcome != SPOKE:
            return
        self._steps.append((kind, getattr(self, kind)))
        setattr(self, kind, value)
        self.message.hide()
        self._show()

    def _digit(self, value: int) -> None:
        if self.support is None:
            self._set_score("support", value)
        elif self.likelihood is None:
            self._set_score("likelihood", value)
        else:  # both given: start the pair again
            self._steps.append(("likelihood", self.likelihood))
            self.likelihood = None
            self._set_score("support", value)

    def _toggle_flag(self, code: str) -> None:
        if not self.outcome or self.blocked:
            return
        self._steps.append(("flags", list(self.flags)))
        self.flags = (
            [f for f in self.flags if f != code] if code in self.flags else [*self.flags, code]
        )
        self.message.hide()
        self._show()

    def take_back(self) -> None:
        """Undo the last key on the pad (Backspace)."""
        if not self._steps:
            return
        kind, before = self._steps.pop()
        if kind == "outcome":
            self.reset()
            return
        setattr(self, kind, before)
        self._show()

    def back(self) -> None:
        """Esc: from a field to the keys, from details to outcomes, or out of a change."""
        focused = self.focusWidget()
        if focused is not None and focused is not self and self.isAncestorOf(focused):
            self.setFocus()
            return
        if self.outcome:
            self.reset()  # another outcome (still changing the same record, when changing one)
        elif self.editing is not None:
            self.editing = None
            self.reset()
            self.edit_cancelled.emit()
        else:
            self.left.emit()

    def save(self) -> None:
        """Enter: hand the entry to the page, if there is one."""
        if self.blocked:
            self.say(self.blocked)
            return
        if not self.outcome:
            self.say(f"Choose an outcome first: {self._outcome_list()}.")
            return
        self.last_keystrokes, self.keystrokes = self.keystrokes, 0
        self.save_requested.emit(self.entry())

    def _save_from_field(self) -> None:
        self.keystrokes += 1
        self.save()
        self.setFocus()

    def _outcome_list(self) -> str:
        return ", ".join(
            f"{key} {self.book.label('outcomes', code).lower()}"
            for code, key in self.keys.outcomes.items()
            if key
        )

    # -- keys ----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """The pad's keys (see the module's notes); anything else goes to the page."""
        if event.modifiers() & _MODIFIERS:
            super().keyPressEvent(event)
            return
        key, text = event.key(), event.text().upper()
        if key in NAVIGATION:
            self.navigate.emit(NAVIGATION[Qt.Key(key)])
            return
        self.keystrokes += 1
        if key in _ENTER:
            self.save()
        elif key == Qt.Key.Key_Escape:
            self.back()
        elif key == Qt.Key.Key_Backspace:
            self.take_back()
        elif len(text) == 1 and text.isdigit():
            self._on_digit(int(text))
        elif len(text) == 1 and "A" <= text <= "Z":
            self._on_letter(text)
        else:
            self.keystrokes -= 1
            super().keyPressEvent(event)

    def _on_digit(self, value: int) -> None:
        if self.blocked:
            self.say(self.blocked)
        elif self.outcome != SPOKE:
            spoke = self.keys.outcomes.get(SPOKE, "")
            self.say(f"Support and likelihood are for people you spoke to: press {spoke} first.")
        elif not 1 <= value <= 5:
            self.say(f"{value} is not a score: support and likelihood go from 1 to 5.")
        else:
            self._digit(value)

    def _on_letter(self, letter: str) -> None:
        household = self.household and NOT_IN in self.outcome_buttons
        if not self.outcome and letter == HOUSEHOLD_KEY and household:
            self._household()  # the others at the door, even when this elector is greyed
            return
        if self.blocked:
            self.say(self.blocked)
            return
        if not self.outcome:
            code = KeyMap.code_for(self.keys.outcomes, letter)
            if code is None:
                self.say(
                    f"“{letter}” is not an outcome key here. Outcomes: {self._outcome_list()}."
                )
            else:
                self._choose_outcome(code)
            return
        spoke = self.outcome == SPOKE
        intention = KeyMap.code_for(self.keys.intentions, letter) if spoke else None
        if intention is not None:
            self._set_intention(intention)
            return
        flag = KeyMap.code_for(self.keys.flags, letter)
        if flag is not None:
            self._toggle_flag(flag)
            return
        known = f"Intentions: {KeyMap.listed(self.keys.intentions)}. " if spoke else ""
        self.say(
            f"“{letter}” is not a code here. {known}Flags: {KeyMap.listed(self.keys.flags)}. "
            "Esc chooses another outcome."
        )
