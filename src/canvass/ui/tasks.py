"""Running service tasks off the GUI thread.

Long work in canvass is written without Qt (DESIGN.md §2): a service either
returns a result or is a generator that yields
:class:`~canvass.domain.progress.Progress` and returns its result. A
:class:`TaskRunner` runs one such task at a time on a private
:class:`~PySide6.QtCore.QThreadPool` and reports back on the GUI thread through
signals, so widgets are only ever touched by the thread that owns them::

    runner = TaskRunner(parent=window)
    runner.progress.connect(dialog.show_progress)
    runner.start(lambda: create_demo(db, electors=5000), on_finished=show_summary)

The service opens its own session inside the worker thread, and only plain
dataclasses travel back, never sessions or attached ORM objects.
"""

from __future__ import annotations

import inspect
import logging
import threading
import time
from collections.abc import Callable, Generator
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from canvass.domain.errors import CanvassError
from canvass.domain.progress import Progress

log = logging.getLogger(__name__)

#: What :meth:`TaskRunner.start` accepts: a generator (a service task that was
#: called but not started), or a callable taking no arguments that returns
#: either a result or such a generator.
TaskSource = Generator[Progress, None, Any] | Callable[[], Any]

#: Seconds between two progress signals, so a chatty task cannot flood the GUI.
_PROGRESS_INTERVAL = 0.05


def _is_last(step: object) -> bool:
    return isinstance(step, Progress) and step.total > 0 and step.done >= step.total


class _Relay(QObject):
    """Carries a worker's news to the runner.

    It is created inside the worker thread and dies there, while the runner it
    talks to lives on the GUI thread, so every connection is queued: the
    runner's slots run on the GUI thread whatever thread emits.
    """

    progress = Signal(int, object)
    succeeded = Signal(int, object)
    errored = Signal(int, str)
    stopped = Signal(int)


class _Worker(QRunnable):
    """Drives one task in a pool thread and relays what happens."""

    def __init__(self, runner: TaskRunner, task_id: int, source: TaskSource) -> None:
        super().__init__()
        self._runner = runner
        self._task_id = task_id
        self._source = source
        self.cancel_requested = threading.Event()

    def run(self) -> None:
        relay = _Relay()
        queued = Qt.ConnectionType.QueuedConnection
        try:
            relay.progress.connect(self._runner._on_progress, queued)
            relay.succeeded.connect(self._runner._on_succeeded, queued)
            relay.errored.connect(self._runner._on_errored, queued)
            relay.stopped.connect(self._runner._on_stopped, queued)
            self._drive(relay)
        except RuntimeError:
            # The runner was destroyed without shutdown(); nobody is listening.
            log.warning("Task %d outlived its runner", self._task_id)
        finally:
            self._source = None  # type: ignore[assignment]  # drop the task in this thread

    def _drive(self, relay: _Relay) -> None:
        task_id = self._task_id
        try:
            work = self._source() if callable(self._source) else self._source
            if not inspect.isgenerator(work):
                relay.succeeded.emit(task_id, work)
                return
            last_emit = 0.0
            while True:
                # Checked between steps: a step is never interrupted half-way.
                if self.cancel_requested.is_set():
                    # Raises GeneratorExit inside the task, which rolls its
                    # transaction back; it must happen here, in the thread
                    # that owns the task's session.
                    work.close()
                    relay.stopped.emit(task_id)
                    return
                try:
                    step = next(work)
                except StopIteration as stop:
                    relay.succeeded.emit(task_id, stop.value)
                    return
                # A task may yield far more often than a person can read; the
                # GUI gets at most one update per interval, plus the last one.
                now = time.monotonic()
                if now - last_emit >= _PROGRESS_INTERVAL or _is_last(step):
                    last_emit = now
                    relay.progress.emit(task_id, step)
        except CanvassError as exc:
            relay.errored.emit(task_id, str(exc))
        except BaseException as exc:  # even SystemExit: every task must end with a report
            log.exception("Task %d failed unexpectedly", task_id)
            relay.errored.emit(task_id, f"Unexpected error: {exc}")


class TaskRunner(QObject):
    """Runs one service task at a time on a thread pool, reporting on the GUI thread.

    A task is a service generator that yields
    :class:`~canvass.domain.progress.Progress` and returns a result (see
    :data:`canvass.domain.progress.Task`), or a plain callable. Exactly one of
    :attr:`finished`, :attr:`failed` or :attr:`cancelled` is emitted per task,
    followed by :attr:`ended`; :attr:`busy` is already False when they arrive,
    so a handler may start the next task.

    Cancelling is cooperative: :meth:`cancel` sets a flag that the worker checks
    between two steps of a generator, then closes the generator (services roll
    their transaction back when closed) and reports :attr:`cancelled`. A plain
    callable, or a generator that has already returned, cannot be cancelled and
    reports :attr:`finished` as usual.

    Errors that are :class:`~canvass.domain.errors.CanvassError` are reported
    with their own message, which is written for the user; anything else is
    logged with its traceback and reported as ``"Unexpected error: ..."``.

    Signals:
        started: A task was handed to the pool.
        progress: A :class:`~canvass.domain.progress.Progress` from the task.
        finished: The task's result (``object``).
        failed: A message for the user (``str``).
        cancelled: The task was stopped by :meth:`cancel`; nothing it did was kept.
        ended: After any of ``finished``, ``failed`` or ``cancelled``.
    """

    started = Signal()
    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    ended = Signal()

    def __init__(self, parent: QObject | None = None, *, name: str = "task") -> None:
        """Create an idle runner.

        Args:
            parent: The owning QObject (usually a window); the runner must
                outlive its task, so call :meth:`shutdown` before destroying it.
            name: A short name for log messages and thread names.
        """
        super().__init__(parent)
        self.setObjectName(name)
        self._pool = QThreadPool(self)
        # One task at a time: a second thread would only ever sit idle.
        self._pool.setMaxThreadCount(1)
        self._next_id = 0
        self._worker: _Worker | None = None
        self._callbacks: dict[str, Callable[..., object] | None] = {}

    @property
    def busy(self) -> bool:
        """Whether a task is running (or cancelling and not yet ended)."""
        return self._worker is not None

    @property
    def cancelling(self) -> bool:
        """Whether :meth:`cancel` was called for the running task."""
        return self._worker is not None and self._worker.cancel_requested.is_set()

    def start(
        self,
        source: TaskSource,
        *,
        on_finished: Callable[[Any], object] | None = None,
        on_failed: Callable[[str], object] | None = None,
        on_cancelled: Callable[[], object] | None = None,
    ) -> None:
        """Run a task in the background.

        The callbacks, when given, are called on the GUI thread for this task
        only, before the matching runner signal is emitted.

        Args:
            source: A service generator, or a callable taking no arguments that
                returns a result or a service generator. It runs entirely in a
                pool thread, so it must not touch widgets.
            on_finished: Called with the task's result.
            on_failed: Called with the message for the user.
            on_cancelled: Called when the task was cancelled.

        Raises:
            RuntimeError: If a task is already running; check :attr:`busy`.
        """
        if self._worker is not None:
            raise RuntimeError(f"The {self.objectName()} runner is already running a task.")
        self._next_id += 1
        self._callbacks = {
            "finished": on_finished,
            "failed": on_failed,
            "cancelled": on_cancelled,
        }
        self._worker = _Worker(self, self._next_id, source)
        self._pool.start(self._worker)
        self.started.emit()

    def cancel(self) -> None:
        """Ask the running task to stop at its next step; does nothing when idle."""
        if self._worker is not None:
            self._worker.cancel_requested.set()

    def shutdown(self, msecs: int = 30_000) -> bool:
        """Cancel the running task and wait for its worker, before the runner goes away.

        Args:
            msecs: How long to wait for the task to stop, in milliseconds.

        Returns:
            True if the worker has stopped.
        """
        self.cancel()
        return self._pool.waitForDone(msecs)

    def _is_current(self, task_id: int) -> bool:
        return self._worker is not None and task_id == self._next_id

    def _end(self) -> dict[str, Callable[..., object] | None]:
        callbacks, self._callbacks = self._callbacks, {}
        self._worker = None
        return callbacks

    @Slot(int, object)
    def _on_progress(self, task_id: int, step: object) -> None:
        if self._is_current(task_id) and not self.cancelling:
            self.progress.emit(step)

    @Slot(int, object)
    def _on_succeeded(self, task_id: int, result: object) -> None:
        if not self._is_current(task_id):
            return
        callback = self._end()["finished"]
        try:
            if callback is not None:
                callback(result)
            self.finished.emit(result)
        finally:
            self.ended.emit()

    @Slot(int, str)
    def _on_errored(self, task_id: int, message: str) -> None:
        if not self._is_current(task_id):
            return
        callback = self._end()["failed"]
        try:
            if callback is not None:
                callback(message)
            self.failed.emit(message)
        finally:
            self.ended.emit()

    @Slot(int)
    def _on_stopped(self, task_id: int) -> None:
        if not self._is_current(task_id):
            return
        callback = self._end()["cancelled"]
        try:
            if callback is not None:
                callback()
            self.cancelled.emit()
        finally:
            self.ended.emit()
