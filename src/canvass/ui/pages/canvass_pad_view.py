"""The entry pad's widgets and how they are arranged (no behaviour).

:class:`~canvass.ui.pages.canvass_pad.EntryPad` adds the behaviour: the
layers, the keys, what a click on a button does.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from canvass.services.canvassing import NOT_IN, SPOKE, CodeBook
from canvass.ui.pages.canvass_buttons import ElidedLabel, KeyButton, ScoreButton
from canvass.ui.pages.canvass_common import HOUSEHOLD_KEY, KeyMap
from canvass.ui.pages.common import label, panel


def _grid(buttons: list[KeyButton], columns: int) -> QGridLayout:
    grid = QGridLayout()
    grid.setHorizontalSpacing(6)
    grid.setVerticalSpacing(6)
    for n, button in enumerate(buttons):
        grid.addWidget(button, n // columns, n % columns)
    return grid


class PadLayout(QWidget):
    """Builds the pad: a title, the draft in words, a message line, and two layers of buttons.

    The layers sit in a scroll area, so a small window scrolls them rather
    than squeeze one button over another.
    """

    def __init__(self, *, household: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.household = household
        self.book = CodeBook((), (), ())
        self.keys = KeyMap()
        self.outcome_buttons: dict[str, KeyButton] = {}
        self.intention_buttons: dict[str, KeyButton] = {}
        self.flag_buttons: dict[str, KeyButton] = {}
        self.support_buttons: list[ScoreButton] = []
        self.likelihood_buttons: list[ScoreButton] = []
        self.questions: dict[str, QComboBox] = {}
        frame, self.box = panel()
        self.box.setContentsMargins(14, 10, 14, 10)
        self.box.setSpacing(4)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        self.title = ElidedLabel("padTitle")
        self.box.addWidget(self.title)
        self.draft = ElidedLabel("padDraft")
        self.box.addWidget(self.draft)
        self.message = label("", "inlineError", wrap=True)
        self.message.hide()
        self.box.addWidget(self.message)
        self.layers = QStackedWidget()
        scroll = QScrollArea()
        scroll.setObjectName("padScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(self.layers)
        self.box.addWidget(scroll, 1)
        self.hint = label("", "padHint", wrap=True)
        self.box.addWidget(self.hint)

    # -- hooks the pad implements --------------------------------------------------------

    def _choose_outcome(self, code: str) -> None:
        raise NotImplementedError

    def _household(self) -> None:
        raise NotImplementedError

    def _set_intention(self, code: str) -> None:
        raise NotImplementedError

    def _set_score(self, kind: str, value: int) -> None:
        raise NotImplementedError

    def _toggle_flag(self, code: str) -> None:
        raise NotImplementedError

    def _save_from_field(self) -> None:
        raise NotImplementedError

    def save(self) -> None:
        """Enter (the pad implements it)."""
        raise NotImplementedError

    def back(self) -> None:
        """Esc (the pad implements it)."""
        raise NotImplementedError

    # -- building ------------------------------------------------------------------------

    def build(self, book: CodeBook) -> None:
        """Make the buttons for ``book``'s codes, replacing any made before."""
        self.book, self.keys = book, KeyMap.of(book)
        while (old := self.layers.widget(0)) is not None:
            self.layers.removeWidget(old)
            old.deleteLater()
        self.outcome_layer = QWidget()
        self.layers.addWidget(self.outcome_layer)
        self.details_layer = QWidget()
        self.layers.addWidget(self.details_layer)
        self._build_outcomes(book)
        self._build_details(book)
        # Tab from the keys goes to the fields, then the survey questions (Esc comes back).
        chain: list[QWidget] = [self, self.issues, self.notes, *self.questions.values()]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        for widget in chain[1:]:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Esc in a field or a survey question goes back to the keys."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and isinstance(watched, QWidget)
            and watched.hasFocus()
        ):
            self.setFocus()
            return True
        return super().eventFilter(watched, event)

    def _build_outcomes(self, book: CodeBook) -> None:
        layout = QVBoxLayout(self.outcome_layer)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(6)
        self.outcome_buttons = {
            code: KeyButton(code, text, self.keys.outcomes[code], big=True)
            for code, text in book.outcomes
        }
        for button in self.outcome_buttons.values():
            button.clicked.connect(lambda _c=False, b=button: self._choose_outcome(b.code))
        layout.addLayout(_grid(list(self.outcome_buttons.values()), 2))
        self.household_button = KeyButton(
            "household", "Whole household not in", HOUSEHOLD_KEY, big=True
        )
        self.household_button.clicked.connect(self._household)
        self.household_button.setVisible(self.household and NOT_IN in self.outcome_buttons)
        layout.addWidget(self.household_button)
        layout.addSpacing(8)
        self.legend = label(self._legend(book), "padHint", wrap=True)
        layout.addWidget(self.legend)
        layout.addStretch(1)

    def _legend(self, book: CodeBook) -> str:
        """The keys of the second layer, so they can be learnt before they are needed."""
        if not book.outcomes:
            return ""
        spoke = self.keys.outcomes.get(SPOKE, "")

        def keyed(keys: dict[str, str], kind: str) -> str:
            return " · ".join(
                f"{key} {book.label(kind, code).lower()}" for code, key in keys.items() if key
            )

        intentions = keyed(self.keys.intentions, "intentions")
        flags = keyed(self.keys.flags, "flags")
        after = f"After {spoke} (spoke): " if spoke else "After an outcome: "
        return (
            f"{after}{intentions}; then 1–5 for support (1 for, 5 against) and 1–5 for "
            f"likelihood to vote.\nFlags, after any outcome: {flags}."
        )

    def _build_details(self, book: CodeBook) -> None:
        details = QVBoxLayout(self.details_layer)
        details.setContentsMargins(0, 2, 0, 0)
        details.setSpacing(4)
        self.intention_title = label("Voting intention", "padLabel")
        details.addWidget(self.intention_title)
        self.intention_buttons = {
            code: KeyButton(code, text, self.keys.intentions[code], checkable=True)
            for code, text in book.intentions
        }
        for button in self.intention_buttons.values():
            button.clicked.connect(lambda _c=False, b=button: self._set_intention(b.code))
        details.addLayout(_grid(list(self.intention_buttons.values()), 3))
        self.scores = QWidget()
        scores = QHBoxLayout(self.scores)
        scores.setContentsMargins(0, 2, 0, 0)
        scores.setSpacing(4)
        self.support_buttons = self._score_row(scores, "Support  1 for … 5 against", "support")
        scores.addSpacing(14)
        self.likelihood_buttons = self._score_row(scores, "Likely to vote  1–5", "likelihood")
        scores.addStretch(1)
        details.addWidget(self.scores)
        details.addWidget(label("Flags", "padLabel"))
        self.flag_buttons = {
            code: KeyButton(code, text, self.keys.flags[code], checkable=True)
            for code, text in book.flags
        }
        for button in self.flag_buttons.values():
            button.clicked.connect(lambda _c=False, b=button: self._toggle_flag(b.code))
        details.addLayout(_grid(list(self.flag_buttons.values()), 3))
        self.issues = self._field(
            "Issues raised, e.g. parking, library",
            "Tags for what they raised, separated by commas (Tab to reach; Esc back to the keys)",
        )
        self.notes = self._field(
            "Notes", "Anything worth knowing next time (Tab to reach; Esc back to the keys)"
        )
        fields = QHBoxLayout()
        fields.setSpacing(6)
        fields.addWidget(self.issues, 1)
        fields.addWidget(self.notes, 1)
        details.addLayout(fields)
        self.question_box = self._build_questions(book)
        details.addWidget(self.question_box)
        details.addStretch(1)
        actions = QHBoxLayout()
        self.back_button = self._action("Back  Esc", "secondary", self.back)
        self.save_button = self._action("Save  ⏎", "primary", self.save)
        self.details_hint = label("", "padHint", wrap=True)
        self.details_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        actions.addWidget(self.back_button)
        actions.addWidget(self.details_hint, 1)
        actions.addWidget(self.save_button)
        details.addLayout(actions)

    def _field(self, placeholder: str, tip: str) -> QLineEdit:
        field = QLineEdit()
        field.setObjectName("field")
        field.setPlaceholderText(placeholder)
        field.setToolTip(tip)
        field.returnPressed.connect(self._save_from_field)
        return field

    @staticmethod
    def _action(text: str, style: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(style)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setMinimumHeight(36)
        button.clicked.connect(lambda _c=False: slot())  # type: ignore[operator]
        return button

    def _build_questions(self, book: CodeBook) -> QWidget:
        self.questions = {}
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(3)
        for row, question in enumerate(book.questions):
            text = ElidedLabel("padHint")
            text.set_text(question.text)
            combo = QComboBox()
            combo.addItem("—", "")
            for choice in question.choices:
                combo.addItem(choice, choice)
            combo.setToolTip(f"{question.text} (survey question {question.code})")
            combo.setMinimumWidth(130)
            grid.addWidget(text, row, 0)
            grid.addWidget(combo, row, 1)
            self.questions[question.code] = combo
        grid.setColumnStretch(0, 1)
        return box

    def _score_row(self, row: QHBoxLayout, title: str, kind: str) -> list[ScoreButton]:
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(label(title, "padLabel"))
        buttons_row = QHBoxLayout()
        buttons_row.setSpacing(4)
        buttons = [ScoreButton(n) for n in range(1, 6)]
        for button in buttons:
            button.setToolTip(f"{title.split()[0]} {button.value}: press {button.value}")
            button.clicked.connect(lambda _c=False, k=kind, b=button: self._set_score(k, b.value))
            buttons_row.addWidget(button)
        column.addLayout(buttons_row)
        row.addLayout(column)
        return buttons
