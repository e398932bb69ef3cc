"""Where canvass keeps its files, from one object (DESIGN §2).

Per-user folders come from platformdirs; ``CANVASS_HOME`` puts everything
under one folder instead (tests, portable installs). Nothing here is a module
global: ``app.py`` builds a :class:`Paths` and passes it down.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "canvass"


@dataclass(frozen=True)
class Paths:
    """The folders canvass writes to."""

    data_dir: Path
    config_dir: Path
    cache_dir: Path
    log_dir: Path

    @classmethod
    def under(cls, home: Path) -> Paths:
        """Every folder inside ``home``."""
        home = home.expanduser().absolute()
        return cls(home / "data", home / "config", home / "cache", home / "logs")

    @classmethod
    def for_user(cls, environ: dict[str, str] | None = None) -> Paths:
        """The current user's folders, or those under ``$CANVASS_HOME`` when set."""
        env = os.environ if environ is None else environ
        if home := env.get("CANVASS_HOME"):
            return cls.under(Path(home))
        dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
        return cls(
            dirs.user_data_path, dirs.user_config_path, dirs.user_cache_path, dirs.user_log_path
        )

    @property
    def default_database(self) -> Path:
        """The database used when no ``--db`` is given."""
        return self.data_dir / "canvass.db"

    @property
    def gui_settings(self) -> Path:
        """Window geometry and recent databases (the GUI's own settings file)."""
        return self.config_dir / "gui.ini"

    def ensure(self) -> None:
        """Create the folders that do not exist yet."""
        for folder in (self.data_dir, self.config_dir, self.cache_dir, self.log_dir):
            folder.mkdir(parents=True, exist_ok=True)
