"""The composition root: the one place that builds and wires everything.

The command line is always the entry point; ``canvass gui`` (or a double-click
on the desktop build) reaches the Qt front end through :func:`launch_gui`, which
imports PySide6 only then, so command-line use never pays for loading Qt.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from canvass.paths import Paths


def launch_gui(db_text: str | None, paths: Paths, passphrase: str | None = None) -> int:
    """Start the desktop application; returns its exit code.

    ``passphrase`` (from ``--passphrase-file``) unlocks an encrypted database;
    without it the app asks for one when the database is encrypted.
    """
    from canvass.ui.application import run_gui

    return run_gui(db_text, paths, passphrase)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``canvass`` command and ``python -m canvass``."""
    from canvass.cli.main import run

    sys.exit(run(argv, paths=Paths.for_user(), launch_gui=launch_gui))
