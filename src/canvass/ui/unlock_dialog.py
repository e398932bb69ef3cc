"""Passphrases in the desktop app: unlocking an encrypted database, choosing a new one.

:class:`UnlockDialog` opens an encrypted database on its own task runner (the
key derivation takes a noticeable moment and must not freeze the window); a
wrong passphrase keeps the dialog open with the reason shown in it.
:class:`NewPassphraseDialog` asks for a new passphrase twice, with a strength
hint (:mod:`canvass.crypto.passphrase_rating`), for a new encrypted database or for
encrypting the open one. Both name the database file: a laptop may hold
several, and a passphrase typed for the wrong one is a passphrase lost.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from canvass.crypto.passphrase_rating import MIN_CHARS, MIN_WORDS, rate
from canvass.crypto.passphrases import generate_passphrase
from canvass.services.databases import open_db
from canvass.storage.database import Database
from canvass.ui import theme
from canvass.ui.tasks import TaskRunner

#: Opens a database with a passphrase; :func:`open_db` unless a test swaps it.
Opener = Callable[[str, str], Database]

ERROR_COLOUR = "#B3261E"
_STRENGTH_COLOURS = {
    "too short": ERROR_COLOUR,
    "weak": ERROR_COLOUR,
    "fair": "#A15C00",
    "good": theme.BRAND_DARK,
    "strong": theme.BRAND_DARK,
}


def _open_with_passphrase(text: str, passphrase: str) -> Database:
    return open_db(text, passphrase=passphrase)


def _database_name(text: str) -> str:
    return Path(text).name or text


def _open_database_path(parent: QWidget | None) -> Path | None:
    """The file of the database open in ``parent``'s window (None for PostgreSQL or none)."""
    db = getattr(parent, "db", None)
    target = getattr(db, "target", None)
    path = getattr(target, "path", None)
    return Path(path) if path is not None else None


def _file_heading(heading: str, path: Path) -> tuple[QLabel, QLabel]:
    """A bold line naming the file, and its full path in grey, selectable."""
    title = QLabel(heading)
    title.setWordWrap(True)
    where = QLabel(str(path))
    where.setStyleSheet(f"color: {theme.MUTED};")
    where.setWordWrap(True)
    where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return title, where


class UnlockDialog(QDialog):
    """Asks for an encrypted database's passphrase and opens the database with it.

    After ``accepted``, :attr:`database` is the open database (the caller owns
    it). Cancel (or Quit, at start-up) rejects with nothing opened.
    """

    def __init__(
        self,
        text: str,
        parent: QWidget | None = None,
        *,
        cancel_text: str = "Cancel",
        opener: Opener = _open_with_passphrase,
    ) -> None:
        """Build the dialog for the database named by ``text``."""
        super().__init__(parent)
        self.text = text
        self.database: Database | None = None
        self._opener = opener
        self._closing = False
        self.runner = TaskRunner(self, name="unlock")
        self.setWindowTitle(f"Unlock {_database_name(text)}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(10)

        intro, where = _file_heading(
            f"<b>{escape(_database_name(text))}</b> is encrypted. Type its passphrase to open it.",
            Path(text),
        )
        intro.setMinimumWidth(420)
        layout.addWidget(intro)
        layout.addWidget(where)

        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText("Passphrase")
        self.passphrase.setAccessibleName("Passphrase")
        self.passphrase.textChanged.connect(self._on_text_changed)
        layout.addWidget(self.passphrase)
        self.show_text = QCheckBox("Show passphrase")
        self.show_text.toggled.connect(self._on_show_toggled)
        layout.addWidget(self.show_text)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOUR};")
        # Room for a two-line refusal from the start, so the dialog does not jump.
        self.message.setMinimumHeight(2 * self.message.fontMetrics().lineSpacing() + 4)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.message)

        self.buttons = QDialogButtonBox()
        self.unlock_button = self.buttons.addButton(
            "Unlock", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(
            cancel_text, QDialogButtonBox.ButtonRole.RejectRole
        )
        self.unlock_button.setDefault(True)
        # While Unlock is disabled (trying a passphrase) Qt would hand the default
        # to Quit, and the Enter of the next try would quit the app.
        self.cancel_button.setAutoDefault(False)
        self.unlock_button.setEnabled(False)
        self.buttons.accepted.connect(self.unlock)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    @Slot(str)
    def _on_text_changed(self, value: str) -> None:
        self.unlock_button.setEnabled(bool(value) and not self.runner.busy)

    @Slot(bool)
    def _on_show_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.passphrase.setEchoMode(mode)

    def unlock(self) -> None:
        """Try the typed passphrase, off the GUI thread."""
        passphrase = self.passphrase.text()
        if not passphrase or self.runner.busy:
            return
        self._set_working(True)
        self.message.setStyleSheet(f"color: {theme.MUTED};")
        self.message.setText("Unlocking…")
        self.runner.start(
            functools.partial(self._opener, self.text, passphrase),
            on_finished=self._on_unlocked,
            on_failed=self._on_refused,
        )

    def _set_working(self, working: bool) -> None:
        self.passphrase.setEnabled(not working)
        self.show_text.setEnabled(not working)
        self.unlock_button.setEnabled(not working and bool(self.passphrase.text()))
        self.unlock_button.setDefault(not working)
        self.cancel_button.setEnabled(not working)

    def _on_unlocked(self, db: Database) -> None:
        if self._closing:  # closed while unlocking: nobody wants it any more
            db.close()
            return
        self.database = db
        self.accept()

    def _on_refused(self, message: str) -> None:
        self._set_working(False)
        self.message.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.message.setText(message)
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def reject(self) -> None:
        """Cancel: nothing was opened. While a passphrase is being tried, wait for it."""
        if self.runner.busy:
            return
        super().reject()

    def done(self, result: int) -> None:
        """Close the dialog; its runner's worker is finished before it goes away."""
        self._closing = result != QDialog.DialogCode.Accepted
        self.runner.shutdown()
        super().done(result)


class NewPassphraseDialog(QDialog):
    """Asks for a new passphrase twice, with a hint of how strong it is.

    With ``optional``, a checkbox "Encrypt this database with a passphrase"
    comes first and the passphrase is asked for only when it is ticked; after
    ``accepted``, :meth:`chosen_passphrase` is then None for a plain database.
    OK waits for a passphrase rated at least "fair" (:func:`~canvass.crypto.passphrase_rating.rate`)
    typed the same twice.

    ``database`` is the file the passphrase is for, named at the top. Without
    it, encrypting (not ``optional``) names the database open in ``parent``'s
    window, which is the one encrypted.
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        optional: bool = False,
        title: str = "Encrypt this database",
        accept_text: str = "Encrypt",
        database: str | Path | None = None,
    ) -> None:
        """Build the dialog."""
        super().__init__(parent)
        path = Path(database) if database is not None else None
        if path is None and not optional:
            path = _open_database_path(parent)
        self.database = path
        name = path.name if path is not None else ""
        self.setWindowTitle(f"{title}: {name}" if name else title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(10)

        heading = (
            f"New database <b>{escape(name)}</b>"
            if optional
            else f"Encrypt <b>{escape(name)}</b> with a passphrase"
        )
        self.heading, where = _file_heading(heading, path or Path())
        layout.addWidget(self.heading)
        layout.addWidget(where)
        for label in (self.heading, where):
            label.setVisible(path is not None)  # shown only when the file is known
        self.encrypt = QCheckBox(
            f"Encrypt {name} with a passphrase"
            if name
            else "Encrypt this database with a passphrase"
        )
        self.encrypt.setChecked(not optional)
        self.encrypt.setVisible(optional)
        self.encrypt.toggled.connect(self._update)
        layout.addWidget(self.encrypt)
        how = (
            ""
            if optional
            else " canvass makes an encrypted copy, checks every table against the original, "
            "then puts it in the plain file's place."
        )
        intro = QLabel(
            "Anyone who finds the file, on a lost laptop or a copied stick, cannot read it "
            f"without the passphrase. canvass asks for it each time the database is opened.{how} "
            "<b>If the passphrase is lost, nobody can recover the data.</b>"
        )
        intro.setWordWrap(True)
        intro.setMinimumWidth(440)
        layout.addWidget(intro)

        form = QFormLayout()
        form.setHorizontalSpacing(12)
        self.first = QLineEdit()
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.first.setPlaceholderText(
            f"At least {MIN_CHARS} characters, or {MIN_WORDS} words or more"
        )
        self.first.setAccessibleName("New passphrase")
        self.second = QLineEdit()
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.second.setAccessibleName("Repeat the passphrase")
        form.addRow("Passphrase:", self.first)
        form.addRow("Repeat it:", self.second)
        layout.addLayout(form)
        self.first.textChanged.connect(self._update)
        self.second.textChanged.connect(self._update)

        row = QVBoxLayout()
        self.show_text = QCheckBox("Show passphrase")
        self.show_text.toggled.connect(self._on_show_toggled)
        row.addWidget(self.show_text)
        self.suggest_button = QPushButton("Suggest a passphrase")
        self.suggest_button.setObjectName("secondary")
        self.suggest_button.setToolTip("Six random words: strong, and easier to write down")
        self.suggest_button.clicked.connect(self.suggest)
        row.addWidget(self.suggest_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(row)

        self.hint = QLabel()
        self.hint.setWordWrap(True)
        # Room for a two-line hint from the start, so the dialog does not jump or squeeze it.
        self.hint.setMinimumHeight(2 * self.hint.fontMetrics().lineSpacing() + 4)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.hint)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self._accept_text = accept_text
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update()

    @property
    def ready(self) -> bool:
        """Whether OK may be pressed: no encryption, or a good enough passphrase twice."""
        if not self.encrypt.isChecked():
            return True
        first = self.first.text()
        return rate(first).acceptable and first == self.second.text()

    def accept(self) -> None:
        """Close only when :attr:`ready` (a weak passphrase is refused, however it is sent)."""
        if self.ready:
            super().accept()

    def chosen_passphrase(self) -> str | None:
        """The new passphrase, or None when the database is to stay unencrypted."""
        return self.first.text() if self.encrypt.isChecked() else None

    def suggest(self) -> None:
        """Fill in six random words, shown so they can be written down."""
        words = generate_passphrase()
        self.show_text.setChecked(True)
        self.first.setText(words)
        self.second.setText(words)

    @Slot(bool)
    def _on_show_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.first.setEchoMode(mode)
        self.second.setEchoMode(mode)

    @Slot()
    def _update(self) -> None:
        on = self.encrypt.isChecked()
        for widget in (self.first, self.second, self.show_text, self.suggest_button):
            widget.setEnabled(on)
        if not on:
            self.hint.setText("The database will not be encrypted.")
            self.hint.setStyleSheet(f"color: {theme.MUTED};")
            self.ok_button.setText("Create")
            self.ok_button.setEnabled(True)
            return
        self.ok_button.setText(self._accept_text)
        first, second = self.first.text(), self.second.text()
        verdict = rate(first)
        if not first:
            text, colour = verdict.hint, theme.MUTED
        elif second and second != first:
            text, colour = "The two passphrases differ: type the same one twice.", ERROR_COLOUR
        else:
            text, colour = verdict.hint, _STRENGTH_COLOURS[verdict.label]
        self.hint.setText(text)
        self.hint.setStyleSheet(f"color: {colour};")
        self.ok_button.setEnabled(self.ready)
