"""Keeping the figures on screen current without the GUI thread touching the database."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from canvass.services.info import DatabaseInfo, database_info
from canvass.storage.database import Database
from canvass.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

#: How often the counts are read again while the window is visible.
REFRESH_INTERVAL_MS = 10_000


def _read(db: Database) -> tuple[Database, DatabaseInfo]:
    # Runs in a pool thread; the database it read travels back with the figures
    # so a reading of a database that was since swapped out can be dropped.
    return db, database_info(db, with_digest=False)


class LiveInfo(QObject):
    """Reads the database's figures on its own runner, on demand and on a timer.

    A request made while a reading is under way is not run twice: at most one
    more reading follows the current one. Timer readings are skipped while
    ``should_poll`` says the window is not being looked at.

    Signals:
        updated: A fresh :class:`~canvass.services.info.DatabaseInfo` of the current database.
        failed: A message for the user when the database could not be read.
    """

    updated = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        db: Database,
        parent: QObject | None = None,
        *,
        should_poll: Callable[[], bool] = lambda: True,
        interval_ms: int = REFRESH_INTERVAL_MS,
    ) -> None:
        """Prepare to read ``db``; call :meth:`start_polling` to poll."""
        super().__init__(parent)
        self._db = db
        self._should_poll = should_poll
        self._again = False
        self.latest: DatabaseInfo | None = None
        self.runner = TaskRunner(self, name="refresh")
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.ended.connect(self._on_ended)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._on_tick)

    @property
    def database(self) -> Database:
        """The database being watched."""
        return self._db

    def set_database(self, db: Database) -> None:
        """Watch another database from now on, and read it at once."""
        self._db = db
        self.latest = None
        self.refresh()

    def start_polling(self) -> None:
        """Read again every interval from now on (readings are skipped while not watched)."""
        if not self.timer.isActive():
            self.timer.start()

    def stop_polling(self) -> None:
        """Stop reading on the timer (a reading under way still reports)."""
        self.timer.stop()

    def refresh(self, *, queue: bool = True) -> None:
        """Read the database now, unless a reading is under way.

        Args:
            queue: If a reading is under way, read once more right after it. Use
                this when the data has just changed, since the reading under way
                may predate the change; without it, the request is dropped.
        """
        if self.runner.busy:
            self._again = self._again or queue
            return
        self.runner.start(functools.partial(_read, self._db))

    def shutdown(self, msecs: int = 10_000) -> bool:
        """Stop polling and wait for a reading under way; call before closing the database."""
        self.stop_polling()
        self._again = False
        return self.runner.shutdown(msecs)

    @Slot()
    def _on_tick(self) -> None:
        if not self.runner.busy and self._should_poll():
            self.refresh(queue=False)

    @Slot(object)
    def _on_finished(self, result: tuple[Database, DatabaseInfo]) -> None:
        db, info = result
        if db is not self._db:
            return
        self.latest = info
        self.updated.emit(info)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        log.warning("Could not refresh the overview: %s", message)
        self.failed.emit(message)

    @Slot()
    def _on_ended(self) -> None:
        if self._again:
            self._again = False
            self.refresh()
