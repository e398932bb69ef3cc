"""Starting the desktop application."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from canvass.domain.errors import CanvassError
from canvass.paths import Paths
from canvass.services.databases import open_db
from canvass.storage.database import Database
from canvass.ui.gui_settings import GuiSettings, reopen_text
from canvass.ui.icons import app_icon
from canvass.ui.main_window import MainWindow

APP_NAME = "canvass"
ORGANISATION = "canvass"


def open_start_database(db_text: str | None, paths: Paths) -> Database:
    """Open the ``--db`` database, or the default one (created if missing).

    Raises:
        CanvassError: With a message for the user.
    """
    if db_text is not None:
        return open_db(db_text, create=False)
    paths.ensure()
    return open_db(str(paths.default_database), create=True)


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
    return MainWindow(db, settings, paths)


def run_gui(db_text: str | None, paths: Paths) -> int:
    """Open the database, show the main window and run until it closes.

    The database is opened before any window exists: if that fails, the reason
    is printed as ``canvass: <message>`` on stderr and 1 is returned.

    Args:
        db_text: The ``--db`` value, or None for the default database.
        paths: The user's folders.

    Returns:
        The process exit code.
    """
    try:
        db = open_start_database(db_text, paths)
    except CanvassError as exc:
        print(f"canvass: {exc}", file=sys.stderr)  # noqa: T201 (the front end's one line)
        return 1
    app = application()
    window = build_main_window(db, paths)
    window.settings.add_recent_database(reopen_text(db))
    window.show()
    return app.exec()
