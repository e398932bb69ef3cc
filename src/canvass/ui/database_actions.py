"""What the File menu and the overview's buttons do: databases, campaigns and demo data.

Every step that touches a database runs on the window's task runner; the GUI
thread only asks questions (file and name dialogs) and shows the outcome.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog, QFileDialog

from canvass.domain.progress import Task
from canvass.services.campaigns import CampaignSummary, create_campaign
from canvass.services.databases import open_db
from canvass.services.demo import DemoSummary, create_demo, create_demo_database
from canvass.storage.database import Database
from canvass.ui.dialogs import DemoDialog, campaign_name_dialog
from canvass.ui.progress import TaskProgressDialog

if TYPE_CHECKING:
    from canvass.ui.main_window import MainWindow

DATABASE_FILTER = "canvass databases (*.db *.sqlite *.sqlite3);;All files (*)"
DATABASE_SUFFIX = ".db"


class DatabaseActions(QObject):
    """Opens and creates databases, starts campaigns and fills demo data for a window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.tasks = window.tasks

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
            functools.partial(open_db, text, create=False),
            on_finished=self.window.switch_database,
            on_failed=functools.partial(self.window.show_error, "Could not open the database"),
        )
        return TaskProgressDialog(self.tasks, self.window, "Opening database", cancellable=False)

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
            self.create_database(Path(chosen))

    def create_database(self, path: Path) -> TaskProgressDialog | None:
        """Create a new database file at ``path`` and switch to it."""
        if not path.suffix:
            path = path.with_suffix(DATABASE_SUFFIX)
        if path.exists():
            self.window.show_error(
                "Could not create the database",
                f"There is already a file at {path}. Choose a new name, or use "
                "File › Open database… to open it.",
            )
            return None
        if not self._ready():
            return None
        self.tasks.start(
            functools.partial(open_db, str(path), create=True),
            on_finished=self._on_created,
            on_failed=functools.partial(self.window.show_error, "Could not create the database"),
        )
        return TaskProgressDialog(self.tasks, self.window, "Creating database", cancellable=False)

    def _on_created(self, db: Database) -> None:
        self.window.switch_database(db)
        self.ask_campaign_name()

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
