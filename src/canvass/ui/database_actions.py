"""What the File menu and the overview's buttons do: databases, campaigns and demo data.

Every step that touches a database runs on the window's task runner; the GUI
thread only asks questions (file and name dialogs) and shows the outcome.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu

from canvass.domain.progress import Task
from canvass.services.campaigns import CampaignSummary, create_campaign
from canvass.services.databases import encrypt_database, is_encrypted, open_db
from canvass.services.demo import DemoSummary, create_demo, create_demo_database
from canvass.storage.database import Database
from canvass.storage.encryption import EncryptionReport
from canvass.ui.dialogs import DemoDialog, campaign_name_dialog
from canvass.ui.progress import TaskProgressDialog
from canvass.ui.unlock_dialog import NewPassphraseDialog, UnlockDialog

if TYPE_CHECKING:
    from canvass.ui.main_window import MainWindow

DATABASE_FILTER = "canvass databases (*.db *.sqlite *.sqlite3);;All files (*)"
DATABASE_SUFFIX = ".db"


@dataclass(frozen=True)
class _Locked:
    """An encrypted database that was not opened: its passphrase must be asked for."""

    text: str


def _open_unless_locked(text: str) -> Database | _Locked:
    # Runs on the task runner: even the look at the file's first page is I/O.
    if is_encrypted(text):
        return _Locked(text)
    return open_db(text, create=False)


class DatabaseActions(QObject):
    """Opens, creates and encrypts databases, starts campaigns and fills demo data.

    Attributes:
        encrypt_action: File › Encrypt this database…, enabled for a plain SQLite
            database; :meth:`install_menu_actions` puts it in the File menu.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.tasks = window.tasks
        self.encrypt_action = QAction("&Encrypt this database…", window)
        self.encrypt_action.setStatusTip(
            "Protect this database with a passphrase, so a lost laptop does not leak it"
        )
        self.encrypt_action.triggered.connect(lambda _checked=False: self.ask_encrypt())

    def install_menu_actions(self) -> None:
        """Add File › Encrypt this database… below Open Recent (the window's menus exist now)."""
        window = self.window
        for entry in window.menuBar().actions():
            menu = entry.menu()
            if not isinstance(menu, QMenu) or window.open_action not in menu.actions():
                continue
            actions = menu.actions()
            after = actions.index(window.recent_menu.menuAction())
            if after + 1 < len(actions):
                menu.insertAction(actions[after + 1], self.encrypt_action)
            else:
                menu.addAction(self.encrypt_action)
            menu.aboutToShow.connect(self.update_actions)
            break
        self.update_actions()

    def update_actions(self) -> None:
        """Offer encryption only for a plain SQLite database, and not while a task runs."""
        db = self.window.db
        plain = db.target.is_sqlite and not db.encrypted
        self.encrypt_action.setEnabled(plain and not self.tasks.busy)
        if db.encrypted:
            self.encrypt_action.setText("&Encrypt this database… (already encrypted)")
        else:
            self.encrypt_action.setText("&Encrypt this database…")

    def _ready(self) -> bool:
        # The actions are disabled while a task runs; this guards shortcuts
        # that fire in between.
        if self.tasks.busy:
            self.window.statusBar().showMessage("Please wait for the running task to finish.", 5000)
            return False
        return True

    def _start_folder(self) -> str:
        path = self.window.db.target.path
        return str(path.parent if path is not None else self.window.paths.data_dir)

    # -- opening --------------------------------------------------------------

    def open_database(self) -> None:
        """Ask for a database file and open it."""
        if not self._ready():
            return
        chosen, _ = QFileDialog.getOpenFileName(
            self.window, "Open database", self._start_folder(), DATABASE_FILTER
        )
        if chosen:
            self.open_database_text(chosen)

    def open_database_text(self, text: str) -> TaskProgressDialog | None:
        """Open the database named by ``text`` (a path or URL) and switch to it.

        If it cannot be opened, the reason is shown and the window keeps its database.
        """
        if not self._ready():
            return None
        self.tasks.start(
            functools.partial(_open_unless_locked, text),
            on_finished=self._on_opened,
            on_failed=functools.partial(self.window.show_error, "Could not open the database"),
        )
        return TaskProgressDialog(self.tasks, self.window, "Opening database", cancellable=False)

    def _on_opened(self, result: Database | _Locked) -> None:
        if isinstance(result, _Locked):
            self.ask_unlock(result.text)
        else:
            self.window.switch_database(result)

    def ask_unlock(self, text: str) -> UnlockDialog:
        """Ask for the passphrase of the encrypted database ``text``, then switch to it."""
        dialog = UnlockDialog(text, self.window)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(lambda: self._on_unlocked(dialog))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _on_unlocked(self, dialog: UnlockDialog) -> None:
        if dialog.database is not None:
            self.window.switch_database(dialog.database)

    # -- creating -------------------------------------------------------------

    def new_database(self) -> None:
        """Ask where to put a new database, create it, then ask for the campaign's name."""
        if not self._ready():
            return
        chosen, _ = QFileDialog.getSaveFileName(
            self.window,
            "New database",
            str(Path(self._start_folder()) / "campaign.db"),
            DATABASE_FILTER,
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if chosen:
            self.ask_new_database(Path(chosen))

    def ask_new_database(self, path: Path) -> NewPassphraseDialog | None:
        """Offer to encrypt the new database at ``path``, then create it."""
        checked = self._new_path(path)
        if checked is None:
            return None
        dialog = NewPassphraseDialog(
            self.window,
            optional=True,
            title="New database",
            accept_text="Create encrypted",
            database=checked,
        )
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(lambda: self.create_database(checked, dialog.chosen_passphrase()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _new_path(self, path: Path) -> Path | None:
        if not path.suffix:
            path = path.with_suffix(DATABASE_SUFFIX)
        if path.exists():
            self.window.show_error(
                "Could not create the database",
                f"There is already a file at {path}. Choose a new name, or use "
                "File › Open database… to open it.",
            )
            return None
        return path

    def create_database(
        self, path: Path, passphrase: str | None = None
    ) -> TaskProgressDialog | None:
        """Create a new database file at ``path`` and switch to it.

        With ``passphrase``, the new file is encrypted with it.
        """
        checked = self._new_path(path)
        if checked is None or not self._ready():
            return None
        self.tasks.start(
            functools.partial(open_db, str(checked), create=True, passphrase=passphrase),
            on_finished=self._on_created,
            on_failed=functools.partial(self.window.show_error, "Could not create the database"),
        )
        return TaskProgressDialog(self.tasks, self.window, "Creating database", cancellable=False)

    def _on_created(self, db: Database) -> None:
        self.window.switch_database(db)
        self.ask_campaign_name()

    # -- encrypting -------------------------------------------------------------

    def ask_encrypt(self) -> NewPassphraseDialog | None:
        """Ask for a passphrase, then encrypt the open (plain SQLite) database with it."""
        if not self._ready():
            return None
        db = self.window.db
        if db.target.path is None:
            self.window.show_error(
                "Could not encrypt the database",
                "This is a PostgreSQL database: encryption at rest is the server's job "
                "(an encrypted disk), not canvass's.",
            )
            return None
        if db.encrypted:
            self.window.statusBar().showMessage("This database is already encrypted.", 8000)
            return None
        dialog = NewPassphraseDialog(self.window)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(lambda: self.start_encrypt(dialog.first.text()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def start_encrypt(self, passphrase: str) -> TaskProgressDialog | None:
        """Encrypt the open database in the background, then switch to the encrypted one.

        The window's connections are let go first; if encrypting fails, the
        database is unchanged and the window goes on using it.
        """
        if not self._ready():
            return None
        # No timed reading may hold the file while it is copied and replaced.
        self.window.live.stop_polling()
        self.tasks.start(
            functools.partial(encrypt_database, self.window.db, passphrase),
            on_finished=self._on_encrypted,
            on_failed=self._on_encrypt_failed,
        )
        return TaskProgressDialog(self.tasks, self.window, "Encrypting database", cancellable=False)

    def _on_encrypted(self, result: tuple[Database, EncryptionReport]) -> None:
        db, report = result
        self.window.switch_database(db)
        self.window.live.start_polling()
        self.update_actions()
        self.window.statusBar().showMessage(
            f"Encrypted: {report.tables:,} tables and {report.rows:,} rows copied and checked. "
            "canvass will ask for the passphrase each time it opens this database.",
            15000,
        )
        if report.plain_backups:
            self.window.show_error(
                "Older backups are not encrypted",
                "These backups beside the database were made before it was encrypted and "
                f"can still be read by anyone: {', '.join(report.plain_backups)}. Delete "
                "them, or keep them somewhere as safe as the passphrase.",
            )

    def _on_encrypt_failed(self, message: str) -> None:
        self.window.live.start_polling()
        self.window.show_error("Could not encrypt the database", message)

    def ask_campaign_name(self) -> QDialog:
        """Ask for the name of the campaign that this (empty) database is for."""
        dialog = campaign_name_dialog(self.window)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.textValueSelected.connect(self.start_campaign)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def start_campaign(self, name: str) -> None:
        """Record the campaign ``name`` in the current database."""
        if not self._ready():
            return
        self.tasks.start(
            functools.partial(create_campaign, self.window.db, name),
            on_finished=self._on_campaign_started,
            on_failed=functools.partial(self.window.show_error, "Could not start the campaign"),
        )

    def _on_campaign_started(self, summary: CampaignSummary) -> None:
        self.window.statusBar().showMessage(f"Started the campaign “{summary.name}”.", 8000)

    # -- demo data --------------------------------------------------------------

    def ask_demo(self) -> QDialog | None:
        """Ask for the demo's size and seed, then create it."""
        if not self._ready():
            return None
        target = self.demo_target()
        dialog = DemoDialog(self.window, target.name if target is not None else "")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(
            lambda: self.start_demo(dialog.electors.value(), dialog.seed.value())
        )
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def demo_target(self) -> Path | None:
        """Where demo data goes.

        Returns:
            None for the current database when it is empty, else an unused file
            name beside it (or in the data folder for a server database).
        """
        latest = self.window.live.latest
        if latest is not None and not latest.campaign and latest.counts.get("electors", 0) == 0:
            return None
        folder = self.window.db.target.path
        base = folder.parent if folder is not None else self.window.paths.data_dir
        candidate, n = base / "demo-campaign.db", 2
        while candidate.exists():
            candidate, n = base / f"demo-campaign-{n}.db", n + 1
        return candidate

    def start_demo(self, electors: int = 5000, seed: int = 7) -> TaskProgressDialog | None:
        """Create a demo campaign in the background, with a progress dialog and Cancel.

        An empty database is filled in place; otherwise the demo goes into a new
        database, which the window then switches to.
        """
        if not self._ready():
            return None
        db, target = self.window.db, self.demo_target()
        if target is None:

            def task() -> Task[DemoSummary]:
                return create_demo(db, electors=electors, seed=seed)

            on_finished = self._on_demo_created
        else:

            def task() -> Task[tuple[Database, DemoSummary]]:  # type: ignore[misc]
                self.window.paths.ensure()
                return create_demo_database(target, electors=electors, seed=seed)

            on_finished = self._on_demo_database_created  # type: ignore[assignment]
        self.tasks.start(
            task,
            on_finished=on_finished,
            on_failed=functools.partial(self.window.show_error, "Could not create the demo"),
            on_cancelled=self._on_demo_cancelled,
        )
        return TaskProgressDialog(self.tasks, self.window, "Creating demo campaign")

    def _on_demo_database_created(self, made: tuple[Database, DemoSummary]) -> None:
        db, summary = made
        self.window.switch_database(db)
        self._on_demo_created(summary)

    def _on_demo_created(self, summary: DemoSummary) -> None:
        self.window.statusBar().showMessage(
            f"Demo campaign ready: {summary.electors:,} electors in {summary.households:,} "
            f"households, {summary.visits:,} visits, {summary.signatures:,} signatures.",
            15000,
        )

    def _on_demo_cancelled(self) -> None:
        self.window.statusBar().showMessage("Demo cancelled; nothing was changed.", 10000)
