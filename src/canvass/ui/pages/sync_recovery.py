"""The campaign's recovery key: what it is for, saving it once, and replacing it.

The recovery key lets the campaign's data controller open any exchange file
made from now on if the coordinator's laptop is lost. Its secret part is
written to a file once and never kept by canvass, so the dialog says, before
and after, to keep that file offline.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from canvass.domain.errors import ValidationError
from canvass.services.campaigns import current_campaign
from canvass.services.keys import create_recovery_key
from canvass.storage.database import Database
from canvass.ui import theme
from canvass.ui.pages.common import label
from canvass.ui.pages.print_page import documents_folder
from canvass.ui.pages.sync_common import STYLE, mono_font
from canvass.ui.progress import TaskProgressDialog

if TYPE_CHECKING:
    from canvass.ui.main_window import MainWindow

DEFAULT_NAME = "canvass-recovery-key.txt"
KEY_FILTER = "Text files (*.txt);;All files (*)"
POINTS = (
    "It is shown and saved once only: canvass keeps no copy of its secret part.",
    "Keep it offline: print it, or put it on a USB stick kept in a safe. Never email it.",
    "Every file exported from now on is also encrypted to it. Files made before are not.",
)
REPLACE_QUESTION = (
    "Replace the campaign's recovery key?\n\n"
    "Files exported from now on can only be opened with the new key. Files made before "
    "still need the old one, so the data controller should keep the old key too.\n\n"
    "Do this only if the old key was lost or may have been seen by someone else."
)
#: The public key in ink, small enough to fit on one line.
DIALOG_STYLE = STYLE + f"QLabel#publicKey {{ color: {theme.INK}; font-size: 10pt; }}"
REMINDER = "Delete it from this computer once it is printed or stored offline."


def read_recovery_recipient(db: Database) -> str:
    """The public key (``age1...``) of the campaign's recovery key; "" if it has none."""
    with db.read() as session:
        campaign = current_campaign(session)
        return campaign.recovery_recipient if campaign is not None else ""


@dataclass(frozen=True, slots=True)
class RecoveryKeyMade:
    """The recovery key was saved to ``path``; ``recipient`` is its public key."""

    path: Path
    recipient: str


@dataclass(frozen=True, slots=True)
class RecoveryKeyExists:
    """Nothing was made: the campaign has a recovery key already (``recipient``)."""

    recipient: str


def make_recovery_key(db: Database, path: Path, *, replace: bool) -> object:
    """Make the key (on a task runner's thread); a key the campaign has already is not an error.

    Returns :class:`RecoveryKeyMade`, or :class:`RecoveryKeyExists` when the
    campaign turned out to have one and ``replace`` was not asked for, so the
    dialog can ask before replacing it.
    """
    try:
        return RecoveryKeyMade(path, create_recovery_key(db, path, replace=replace))
    except ValidationError:
        existing = "" if replace or path.exists() else read_recovery_recipient(db)
        if existing:
            return RecoveryKeyExists(existing)
        raise


def short_key(recipient: str) -> str:
    """``age1abcd…wxyz``: enough of a public key to tell it from another."""
    return recipient if len(recipient) <= 24 else f"{recipient[:12]}…{recipient[-8:]}"


class RecoveryKeyDialog(QDialog):
    """Explains the recovery key, asks where to save it, makes it and shows where it went.

    Signals:
        made: A :class:`RecoveryKeyMade` once the key is saved.
    """

    made = Signal(object)

    def __init__(self, window: MainWindow, *, recipient: str = "") -> None:
        super().__init__(window)
        self.main = window
        self.recipient = recipient
        self.setWindowTitle("Campaign recovery key")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setStyleSheet(DIALOG_STYLE)
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(label("Campaign recovery key", "sectionTitle"))

        # Before: what the key is for, and whether it replaces one.
        self.intro_part = QWidget()
        intro = QVBoxLayout(self.intro_part)
        intro.setContentsMargins(0, 0, 0, 0)
        intro.setSpacing(10)
        intro.addWidget(
            label(
                "If the coordinator's laptop is lost or broken, the campaign's data controller "
                "can still open any exchange file with the recovery key.",
                "hint",
                wrap=True,
            )
        )
        for point in POINTS:
            intro.addWidget(label(f"•  {point}", "hint", wrap=True))
        self.existing = label("", "error", wrap=True)
        intro.addWidget(self.existing)
        self.error = label("", "error", wrap=True, selectable=True)
        self.error.hide()
        intro.addWidget(self.error)
        layout.addWidget(self.intro_part)

        # After: where it went, its public key, and what to do with the file now.
        self.result_part = QWidget()
        result = QVBoxLayout(self.result_part)
        result.setContentsMargins(0, 0, 0, 0)
        result.setSpacing(10)
        self.result_title = label("Recovery key saved", "good")
        self.result_text = label("", "hint", wrap=True, selectable=True)
        result.addWidget(self.result_title)
        result.addWidget(self.result_text)
        result.addWidget(label("Public key (files are encrypted to it)", "footnote"))
        self.public_key = label("", "publicKey", selectable=True)
        self.public_key.setFont(mono_font())
        result.addWidget(self.public_key)
        self.reminder = label(REMINDER, "sectionTitle", wrap=True)
        result.addWidget(self.reminder)
        self.result_part.hide()
        layout.addWidget(self.result_part)

        self.buttons = QDialogButtonBox()
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.addButton(
            "Save the recovery key…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.hide()
        self.save_button.setObjectName("primary")
        self.cancel_button.setObjectName("secondary")
        self.close_button.setObjectName("primary")
        self.save_button.clicked.connect(self.ask_where)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.show_existing(recipient)

    def show_existing(self, recipient: str) -> None:
        """Say whether the campaign has a recovery key already (and so this replaces it)."""
        self.recipient = recipient
        self.existing.setText(
            f"This campaign has a recovery key already (public key {short_key(recipient)}). "
            "Making a new one replaces it."
        )
        self.existing.setVisible(bool(recipient))
        self.save_button.setText(
            "Replace the recovery key…" if recipient else "Save the recovery key…"
        )

    def confirm_replace(self) -> bool:
        """Ask a second time, in so many words, before replacing the campaign's key."""
        answer = QMessageBox.warning(
            self,
            "Replace the recovery key",
            REPLACE_QUESTION,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    @Slot()
    def ask_where(self) -> TaskProgressDialog | None:
        """Ask where to save the key (after a second question if it replaces one), then make it."""
        replace = bool(self.recipient)
        if replace and not self.confirm_replace():
            return None
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            "Save the campaign's recovery key",
            str(documents_folder() / DEFAULT_NAME),
            KEY_FILTER,
            # The key is never written over a file; the service says so if one is there.
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if not chosen:
            return None
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(".txt")
        return self.make(path, replace=replace)

    def make(self, path: Path, *, replace: bool) -> TaskProgressDialog | None:
        """Make the recovery key and save it to ``path``, on the task runner."""
        tasks = self.main.tasks
        if tasks.busy:
            self._show_error("Please wait for the running task to finish, then try again.")
            return None
        db = self.main.db
        self.error.hide()
        self.save_button.setEnabled(False)
        tasks.start(
            lambda: make_recovery_key(db, path, replace=replace),
            on_finished=lambda outcome: self._on_finished(path, outcome),
            on_failed=self._show_error,
        )
        return TaskProgressDialog(tasks, self.main, "Making the recovery key", cancellable=False)

    def _on_finished(self, path: Path, outcome: object) -> None:
        self.save_button.setEnabled(True)
        if isinstance(outcome, RecoveryKeyExists):
            # Made on another coordinator's laptop meanwhile: ask before replacing it.
            self.show_existing(outcome.recipient)
            if self.confirm_replace():
                self.make(path, replace=True)
            return
        if isinstance(outcome, RecoveryKeyMade):
            self._show_made(outcome)

    def _show_made(self, made: RecoveryKeyMade) -> None:
        self.recipient = made.recipient
        self.result_text.setText(
            f"Saved to {made.path}\n\nGive it to the campaign's data controller: every file "
            "exported from now on can also be opened with it."
        )
        self.public_key.setText(made.recipient)
        self.intro_part.hide()
        self.save_button.hide()
        self.cancel_button.hide()
        self.result_part.show()
        self.close_button.show()
        self.close_button.setDefault(True)
        # Wrapped labels know their height once the parts just shown are laid out.
        QTimer.singleShot(0, self, self.fit_height)
        self.made.emit(made)

    @Slot()
    def fit_height(self) -> None:
        """Make the dialog as tall as its wrapped text needs at its width."""
        self.resize(self.width(), max(self.heightForWidth(self.width()), self.minimumHeight()))

    def _show_error(self, message: str) -> None:
        self.save_button.setEnabled(True)
        self.error.setText(message)
        self.error.show()
