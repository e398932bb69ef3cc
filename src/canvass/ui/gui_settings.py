"""The desktop app's own settings file: window geometry and recent databases.

Stored in ``Paths.gui_settings`` (an INI file), never in the user's global
QSettings, so tests and portable installs (``CANVASS_HOME``) stay self-contained.
Nothing here is campaign data, and no password is ever written.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from canvass.storage.database import Database

#: How many databases File › Open Recent remembers.
MAX_RECENT = 8

_GEOMETRY = "window/geometry"
_STATE = "window/state"
_RECENT = "recent/databases"


def reopen_text(db: Database) -> str:
    """What to pass to ``open_db`` to open ``db`` again, without its password.

    A server's password is left out on purpose: it is not written to a plain
    settings file, and libpq finds it in ``~/.pgpass`` or ``PGPASSWORD``.
    """
    if db.target.path is not None:
        return str(db.target.path)
    return db.target.url.set(password=None).render_as_string(hide_password=False)


class GuiSettings:
    """Typed access to the GUI's INI file."""

    def __init__(self, path: Path) -> None:
        """Open (or prepare to create) the settings file at ``path``."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.qsettings = QSettings(str(path), QSettings.Format.IniFormat)

    def geometry(self) -> QByteArray | None:
        """The main window's saved geometry, if any."""
        return self._bytes(_GEOMETRY)

    def window_state(self) -> QByteArray | None:
        """The main window's saved toolbar and dock state, if any."""
        return self._bytes(_STATE)

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        """Remember the main window's geometry and state."""
        self.qsettings.setValue(_GEOMETRY, geometry)
        self.qsettings.setValue(_STATE, state)
        self.qsettings.sync()

    def recent_databases(self) -> list[str]:
        """Recently opened databases, most recent first."""
        value = self.qsettings.value(_RECENT, [])
        # An INI file gives back a one-item list as a plain string.
        items: list[object] = [value] if isinstance(value, str) else list(value or [])  # type: ignore[call-overload]
        return [str(item) for item in items if str(item).strip()][:MAX_RECENT]

    def add_recent_database(self, text: str) -> None:
        """Put ``text`` at the top of the recent list, keeping it to :data:`MAX_RECENT`."""
        items = [text] + [item for item in self.recent_databases() if item != text]
        self.qsettings.setValue(_RECENT, items[:MAX_RECENT])
        self.qsettings.sync()

    def clear_recent_databases(self) -> None:
        """Forget every recent database."""
        self.qsettings.remove(_RECENT)
        self.qsettings.sync()

    def _bytes(self, key: str) -> QByteArray | None:
        value = self.qsettings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None
