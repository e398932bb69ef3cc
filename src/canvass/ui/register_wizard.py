"""The register import wizard: choose the file, match its columns, preview, import.

Four pages: the file (with its first rows and the layout canvass recognises),
the columns (only when the layout is not recognised, or the person asks to
adjust it), a preview (a dry run: nothing is written) and the outcome. Every
step that reads the file or the database runs on the main window's task
runner; the pages only show what comes back.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWizard

from canvass.domain.progress import Task
from canvass.registers.layouts import save_mapping
from canvass.services.register import ImportReport, import_register
from canvass.storage.database import Database
from canvass.ui.dialogs import warning_box
from canvass.ui.progress import TaskProgressDialog
from canvass.ui.register_file_page import FilePage
from canvass.ui.register_mapping import (
    DONE_PAGE,
    FILE_PAGE,
    MAPPING_PAGE,
    PREVIEW_PAGE,
    Choice,
)
from canvass.ui.register_mapping_page import MappingPage
from canvass.ui.register_preview_page import DonePage, PreviewPage
from canvass.ui.tasks import TaskSource

if TYPE_CHECKING:
    from canvass.ui.main_window import MainWindow

__all__ = ["DONE_PAGE", "FILE_PAGE", "MAPPING_PAGE", "PREVIEW_PAGE", "RegisterImportWizard"]


def run_import(
    db: Database,
    path: Path,
    *,
    edition: str,
    mapping: tuple[dict[str, str], list[str]] | None,
    dry_run: bool,
) -> Task[ImportReport]:
    """Import (or preview) ``path``, with the columns chosen in the wizard when given.

    The register service reads a mapping from a file, so the choice is written
    to a temporary one for the length of the import; this runs in the worker
    thread with the rest of the task.
    """
    if mapping is None:
        return (yield from import_register(db, path, edition=edition, dry_run=dry_run))
    columns, address = mapping
    with tempfile.TemporaryDirectory(prefix="canvass-mapping-") as folder:
        file = Path(folder) / "mapping.json"
        save_mapping(file, columns, address)
        return (
            yield from import_register(db, path, mapping=file, edition=edition, dry_run=dry_run)
        )


@dataclass
class _Job:
    source: Callable[[], TaskSource]
    title: str
    on_finished: Callable[[Any], object]
    on_failed: Callable[[str], object] | None
    on_cancelled: Callable[[], object] | None
    progress: bool
    cancellable: bool


class RegisterImportWizard(QWizard):
    """Imports a council's register file into the current campaign.

    Open it with :meth:`open`; it is window-modal over the main window.

    Signals:
        imported: The :class:`~canvass.services.register.ImportReport` of an
            import that was applied (not of a preview).
        file_read: The chosen file was read (its first rows are shown) or
            could not be (its error is shown).
        preview_ready: The dry run ended (its report, or None if it failed or
            was cancelled).
    """

    imported = Signal(object)
    file_read = Signal()
    preview_ready = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.main = window
        self._jobs: list[_Job] = []
        self._running = False
        self._in_callback = False
        self._close_when_idle = False
        self.setWindowTitle("Import the electoral register")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumSize(820, 640)
        self.resize(940, 720)

        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.done_page = DonePage(self)
        self.setPage(FILE_PAGE, self.file_page)
        self.setPage(MAPPING_PAGE, self.mapping_page)
        self.setPage(PREVIEW_PAGE, self.preview_page)
        self.setPage(DONE_PAGE, self.done_page)
        self.setStartId(FILE_PAGE)
        window.tasks.ended.connect(self._start_next)

    # -- what the pages share ---------------------------------------------------------------

    @property
    def mapping_folder(self) -> Path:
        """Where saved mappings are kept."""
        return self.main.paths.config_dir / "mappings"

    def choice(self) -> Choice | None:
        """The columns the person chose, or None to let canvass recognise the layout."""
        if not self.hasVisitedPage(MAPPING_PAGE):
            return None
        return self.mapping_page.choice()

    def import_task(self, *, dry_run: bool) -> Task[ImportReport]:
        """The import (or its dry run) of the chosen file into the current database."""
        peek = self.file_page.peek
        path = self.file_page.path
        assert peek is not None and path is not None
        choice = self.choice()
        return run_import(
            self.main.db,
            path,
            edition=self.file_page.edition(),
            mapping=choice.by_header(peek.headers) if choice is not None else None,
            dry_run=dry_run,
        )

    # -- running work on the window's task runner -------------------------------------------

    def run(
        self,
        source: Callable[[], TaskSource],
        title: str,
        on_finished: Callable[[Any], object],
        *,
        on_failed: Callable[[str], object] | None = None,
        on_cancelled: Callable[[], object] | None = None,
        progress: bool = True,
        cancellable: bool = True,
    ) -> None:
        """Run ``source()`` on the window's runner as soon as it is free, then call back.

        ``source`` is called on the GUI thread when the task starts (so it reads
        the window's current database then) and returns a service task or a
        plain callable that the runner runs in its thread.
        """
        job = _Job(source, title, on_finished, on_failed, on_cancelled, progress, cancellable)
        self._jobs.append(job)
        self._start_next()

    @property
    def working(self) -> bool:
        """Whether one of the wizard's tasks is running or waiting to run."""
        return self._running or bool(self._jobs)

    @Slot()
    def _start_next(self) -> None:
        if self._close_when_idle and not self._running:
            self._close_when_idle = False
            super().reject()
            return
        if self._running or self._in_callback or not self._jobs or self.main.tasks.busy:
            return
        job = self._jobs.pop(0)
        self._running = True

        def ended(callback: Callable[..., object] | None) -> Callable[..., None]:
            def call(*args: object) -> None:
                self._running = False
                # A task the callback asks for starts on the runner's "ended",
                # so a progress dialog never sees the end of this one.
                self._in_callback = True
                try:
                    if callback is not None:
                        callback(*args)
                finally:
                    self._in_callback = False

            return call

        self.main.tasks.start(
            job.source(),
            on_finished=ended(job.on_finished),
            on_failed=ended(job.on_failed or self._show_failure(job.title)),
            on_cancelled=ended(job.on_cancelled),
        )
        if job.progress:
            TaskProgressDialog(self.main.tasks, self, job.title, cancellable=job.cancellable)

    def _show_failure(self, title: str) -> Callable[[str], object]:
        return lambda message: self.show_message(f"{title} failed", message)

    def show_message(self, title: str, message: str) -> QMessageBox:
        """A warning over the wizard that does not block; returns the open box."""
        return warning_box(self, title, message)

    def reject(self) -> None:
        """Close, once the running step (cancelled first; it rolls back) has stopped."""
        self._jobs.clear()
        if self._running:
            self._close_when_idle = True
            self.main.tasks.cancel()
            return
        super().reject()
