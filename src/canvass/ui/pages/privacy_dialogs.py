"""The Privacy screen's dialogs: erasing a person, suppressing one, and purging old data.

Each is built here and shown by the caller with ``open()``, which does not
block, so tests can fill them in without an event loop. None of them writes:
the caller runs the service on the task runner once the dialog is accepted.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from canvass.domain.suppression import DO_NOT_CONTACT, MAX_REASON, SCOPES
from canvass.pdf.privacy_audit_words import REASON_WORDS
from canvass.services.erasure import REASON_CODES
from canvass.ui.pages.common import label
from canvass.ui.pages.privacy_common import PersonSummary

#: Reasons offered for a suppression; any other short one may be typed.
SUPPRESSION_REASONS = (
    "asked at the door",
    "asked by letter",
    "asked by email",
    "asked by phone",
    "asked at a stall",
)
DIALOG_WIDTH = 520


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def confirms(summary: PersonSummary, typed: str) -> bool:
    """Whether ``typed`` is the person's elector number or their name (case and spaces aside)."""
    text = _folded(typed)
    if not text:
        return False
    person = summary.person
    number = _folded(person.number.removesuffix("/0"))
    return text == _folded(person.name) or bool(number) and text in (number, f"{number}/0")


def _dialog(parent: QWidget | None, title: str) -> tuple[QDialog, QVBoxLayout]:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setMinimumWidth(DIALOG_WIDTH)
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(22, 18, 22, 14)
    layout.setSpacing(10)
    return dialog, layout


def _text(text: str, object_name: str = "hint") -> QLabel:
    widget = label(text, object_name, wrap=True)
    widget.setMinimumWidth(DIALOG_WIDTH - 44)
    return widget


class EraseDialog(QDialog):
    """Asks for the reason and the person's number or name before erasing them for good.

    Attributes:
        reason: The reason codes, in words (nothing chosen at first).
        confirm: Where the person's elector number or name is typed.
        erase_button: Enabled once both are given.
    """

    def __init__(self, parent: QWidget | None, summary: PersonSummary) -> None:
        super().__init__(parent)
        self.summary = summary
        person = summary.person
        self.setWindowTitle("Erase this person for good")
        self.setMinimumWidth(DIALOG_WIDTH)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 14)
        layout.setSpacing(10)
        layout.addWidget(label(f"Erase {person.label}?", "sectionTitle"))
        removed = summary.records or ["their record"]
        body = (
            "This removes " + _listed(removed) + " from this database, and from every other "
            "laptop of the campaign once they merge the next exchange files. Old files merged "
            "later cannot bring any of it back."
        )
        self.what = _text(body)
        layout.addWidget(self.what)
        kept = (
            "Kept: a tombstone with no personal data (the record's id, the reason and the "
            "date), an audit entry, and any suppression (it holds no name, only a "
            "pseudonymous key, so a do-not-contact still applies if they reappear on a later "
            "register)."
        )
        layout.addWidget(_text(kept, "footnote"))
        warning = _text("This cannot be undone.", "bad")
        layout.addWidget(warning)

        layout.addWidget(label("Why are they being erased?", "fieldLabel"))
        self.reason = QComboBox()
        self.reason.addItem("Choose a reason…", "")
        for code in REASON_CODES:
            self.reason.addItem(f"{REASON_WORDS.get(code, code)} ({code})", code)
        self.reason.setToolTip("Recorded with the erasure and in the audit trail")
        layout.addWidget(self.reason)
        what_to_type = (
            f"their elector number ({person.number}) or their name"
            if person.number
            else "their name"
        )
        layout.addWidget(label(f"To confirm, type {what_to_type}:", "fieldLabel"))
        self.confirm = QLineEdit()
        self.confirm.setObjectName("field")
        layout.addWidget(self.confirm)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.erase_button = QPushButton("Erase for good")
        self.erase_button.setObjectName("danger")
        self.erase_button.setEnabled(False)
        buttons.addButton(self.erase_button, QDialogButtonBox.ButtonRole.AcceptRole)
        # Enter erases only once the confirmation is typed (the button is disabled until then).
        self.erase_button.setDefault(True)
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAutoDefault(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reason.currentIndexChanged.connect(self._check)
        self.confirm.textChanged.connect(self._check)

    @property
    def reason_code(self) -> str:
        """The reason chosen ("" for none yet)."""
        return str(self.reason.currentData() or "")

    @property
    def ready(self) -> bool:
        """Whether a reason is chosen and the person's number or name typed."""
        return bool(self.reason_code) and confirms(self.summary, self.confirm.text())

    @Slot()
    def _check(self) -> None:
        self.erase_button.setEnabled(self.ready)

    def accept(self) -> None:
        """Close only once the erasure is confirmed (Enter in the field is not enough)."""
        if self.ready:
            super().accept()


def _listed(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


class SuppressDialog(QDialog):
    """Asks which suppressions to record for an elector, and why.

    Attributes:
        boxes: One tick box per scope; those the person has already are ticked and fixed.
        reason: A short category, chosen or typed.
        suppress_button: Enabled once a new scope is ticked and a reason given.
    """

    def __init__(self, parent: QWidget | None, summary: PersonSummary) -> None:
        super().__init__(parent)
        self.summary = summary
        self.setWindowTitle("Suppress")
        self.setMinimumWidth(DIALOG_WIDTH)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 14)
        layout.setSpacing(10)
        layout.addWidget(label(f"Suppress {summary.person.label}", "sectionTitle"))
        layout.addWidget(
            _text(
                "A suppression is never cleared. It follows the person into later editions of "
                "the register, outlives an erasure, and travels to every laptop with the next "
                "exchange files."
            )
        )
        layout.addWidget(label("What must they not get?", "fieldLabel"))
        held = set(summary.suppressions)
        self.boxes: dict[str, QCheckBox] = {}
        for scope, meaning in SCOPES.items():
            box = QCheckBox(f"{scope.replace('-', ' ').capitalize()}: {meaning}")
            if scope in held:
                box.setText(box.text() + " (recorded already)")
                box.setChecked(True)
                box.setEnabled(False)
            box.toggled.connect(self._check)
            self.boxes[scope] = box
            layout.addWidget(box)
        layout.addWidget(label("Why?", "fieldLabel"))
        self.reason = QComboBox()
        self.reason.setEditable(True)
        self.reason.addItems(SUPPRESSION_REASONS)
        self.reason.setCurrentIndex(-1)
        line = self.reason.lineEdit()
        assert line is not None  # an editable combo box has one
        line.setMaxLength(MAX_REASON)
        line.setPlaceholderText("A short category, without names")
        self.reason.setToolTip(
            "Kept with the suppression, which outlives the person's record: no names or stories"
        )
        layout.addWidget(self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.suppress_button = QPushButton("Suppress")
        self.suppress_button.setObjectName("primary")
        self.suppress_button.setEnabled(False)
        buttons.addButton(self.suppress_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        line.textChanged.connect(self._check)
        self._check()

    @property
    def scopes(self) -> list[str]:
        """The scopes newly ticked."""
        return [s for s, box in self.boxes.items() if box.isEnabled() and box.isChecked()]

    @property
    def reason_text(self) -> str:
        """The reason given, tidied."""
        return " ".join(self.reason.currentText().split())

    @Slot()
    def _check(self) -> None:
        everything = self.boxes[DO_NOT_CONTACT].isChecked()
        for scope, box in self.boxes.items():
            if scope != DO_NOT_CONTACT and scope not in self.summary.suppressions:
                # No contact of any kind covers the others already.
                box.setEnabled(not everything)
                if everything:
                    box.setChecked(False)
        self.suppress_button.setEnabled(bool(self.scopes) and bool(self.reason_text))

    def accept(self) -> None:
        """Close only with a scope and a reason."""
        if self.scopes and self.reason_text:
            super().accept()


#: What is typed to confirm a purge.
PURGE_WORD = "PURGE"


class PurgeDialog(QDialog):
    """Asks for the word PURGE before erasing every record past the retention date.

    A purge removes hundreds of records in one go, so it is confirmed as
    deliberately as one person's erasure: Cancel is the default, and "Purge
    for good" waits until the word is typed.

    Attributes:
        confirm: Where PURGE is typed.
        purge_button: Enabled once it is.
        cancel_button: The default button.
    """

    def __init__(self, parent: QWidget | None, heading: str, body: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Purge personal data")
        self.setMinimumWidth(DIALOG_WIDTH)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 14)
        layout.setSpacing(10)
        layout.addWidget(label(heading, "sectionTitle"))
        self.what = _text(body)
        self.what.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.what)
        layout.addWidget(_text("This cannot be undone.", "bad"))
        layout.addWidget(label(f"To confirm, type {PURGE_WORD}:", "fieldLabel"))
        self.confirm = QLineEdit()
        self.confirm.setObjectName("field")
        self.confirm.setAccessibleName(f"Type {PURGE_WORD} to confirm")
        layout.addWidget(self.confirm)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.purge_button = QPushButton("Purge for good")
        self.purge_button.setObjectName("danger")
        self.purge_button.setEnabled(False)
        self.purge_button.setAutoDefault(False)
        buttons.addButton(self.purge_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        # Enter cancels: only a click on "Purge for good" purges.
        self.cancel_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.confirm.textChanged.connect(self._check)
        self.confirm.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        """Enter in the confirmation field does nothing: it neither purges nor cancels."""
        if (
            watched is self.confirm
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            return True
        return super().eventFilter(watched, event)

    @property
    def ready(self) -> bool:
        """Whether PURGE is typed (case and spaces aside)."""
        return self.confirm.text().strip().upper() == PURGE_WORD

    @Slot()
    def _check(self) -> None:
        self.purge_button.setEnabled(self.ready)

    def accept(self) -> None:
        """Close only once the purge is confirmed."""
        if self.ready:
            super().accept()
