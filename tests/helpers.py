"""Small helpers shared by the tests."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from canvass.domain.progress import run_to_end
from canvass.services.databases import open_db
from canvass.services.demo import create_demo
from canvass.storage.database import Database
from canvass.storage.digest import table_digest
from canvass.storage.tables import SHARED_MODELS

#: How long a GUI test waits for the window's background work, in ms: generous,
#: the CI machines are slow and shared.
GUI_WAIT_MS = 20_000


def demo_db(url: str, electors: int = 300, seed: int = 3) -> Database:
    """A new database filled with a small demo campaign."""
    db = open_db(url, create=True)
    run_to_end(create_demo(db, electors, seed))
    return db


def shared_table_digests(db: Database) -> dict[str, tuple[int, str]]:
    """Count and order-independent hash of every shared table."""
    with db.read() as session:
        return {m.__tablename__: table_digest(session, m.__table__) for m in SHARED_MODELS}


def file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def close_when_idle(qtbot: Any, win: Any, *, also: Callable[[], bool] = lambda: True) -> None:
    """Hand a main window to pytest-qt, to be closed only once nothing of it is running.

    pytest-qt closes the widgets it was given before any fixture is torn down,
    so a fixture cannot wait for the window's work afterwards: the window (and
    the runners whose signals would say the work ended) is gone by then. The
    wait happens just before the close instead; ``also`` adds a page's own
    queues to what must be idle.
    """

    def settle(window: Any) -> None:
        qtbot.waitUntil(
            lambda: not window.tasks.busy and not window.reads.busy and also(),
            timeout=GUI_WAIT_MS,
        )
        window.live.shutdown()

    qtbot.addWidget(win, before_close_func=settle)
