"""Starting the desktop application."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QDialog

from canvass.domain.errors import CanvassError
from canvass.paths import Paths
from canvass.services.databases import is_encrypted, open_db
from canvass.storage.database import Database
from canvass.ui.gui_settings import GuiSettings, reopen_text
from canvass.ui.icons import app_icon
from canvass.ui.main_window import MainWindow
from canvass.ui.unlock_dialog import UnlockDialog

APP_NAME = "canvass"
ORGANISATION = "canvass"


def open_start_database(
    db_text: str | None, paths: Paths, passphrase: str | None = None
) -> Database:
    """Open the ``--db`` database, or the default one (created if missing).

    Raises:
        CanvassError: With a message for the user.
    """
    if db_text is not None:
        return open_db(db_text, create=False, passphrase=passphrase)
    paths.ensure()
    return open_db(str(paths.default_database), create=True, passphrase=passphrase)


def start_text(db_text: str | None, paths: Paths) -> str:
    """The database the app starts with: ``--db``, or the default one."""
    return db_text if db_text is not None else str(paths.default_database)


def unlock_at_start(text: str) -> Database | None:
    """Ask for the passphrase of the encrypted start-up database and open it.

    Returns:
        The open database, or None if the person chose Quit.
    """
    application()
    dialog = UnlockDialog(text, cancel_text="Quit")
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.database
    finally:
        dialog.deleteLater()


def application() -> QApplication:
    """The running QApplication, created and named on first use."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANISATION)
    app.setWindowIcon(app_icon())
    return app


def build_main_window(db: Database, paths: Paths) -> MainWindow:
    """The main window for ``db``, not yet shown; it takes ownership of ``db``.

    Settings (geometry, recent databases) are read from and written to
    ``paths.gui_settings`` only.
    """
    application()
    settings = GuiSettings(paths.gui_settings)
    window = MainWindow(db, settings, paths)
    window.db_actions.install_menu_actions()
    return window


def run_gui(db_text: str | None, paths: Paths, passphrase: str | None = None) -> int:
    """Open the database, show the main window and run until it closes.

    The database is opened before any window exists: if that fails, the reason
    is printed as ``canvass: <message>`` on stderr and 1 is returned. An
    encrypted database without ``passphrase`` asks for it in a small dialog;
    Quit there ends the app (exit code 0) with nothing opened.

    Args:
        db_text: The ``--db`` value, or None for the default database.
        paths: The user's folders.
        passphrase: Unlocks an encrypted database (from ``--passphrase-file``).

    Returns:
        The process exit code.
    """
    text = start_text(db_text, paths)
    if passphrase is None and is_encrypted(text):
        unlocked = unlock_at_start(text)
        if unlocked is None:
            return 0
        db = unlocked
    else:
        try:
            db = open_start_database(db_text, paths, passphrase)
        except CanvassError as exc:
            print(f"canvass: {exc}", file=sys.stderr)  # noqa: T201 (the front end's one line)
            return 1
    app = application()
    window = build_main_window(db, paths)
    window.settings.add_recent_database(reopen_text(db))
    window.show()
    return app.exec()
