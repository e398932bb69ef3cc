"""The Settings screen's codes editor: outcomes, intentions, flags and survey questions.

The campaign's code book is read on the window's reads runner; the person
edits it in four tables (one per tab) and nothing changes in the database
until Save, which runs on the task runner. The service checks the whole book
first: when it refuses, its message shows under the tables and nothing is
saved. Import fills the tables from a code file for the person to check and
save; Export writes the codes as saved.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
)

from canvass.domain import codes
from canvass.services.canvassing import CodeBook, code_book
from canvass.services.code_sets import (
    export_code_book,
    read_code_book,
    save_code_book,
)
from canvass.storage.database import Database
from canvass.ui import theme
from canvass.ui.pages.common import label
from canvass.ui.pages.print_page import documents_folder
from canvass.ui.pages.settings_models import CODE_HEADERS, QUESTION_HEADERS, CodeTableModel
from canvass.ui.pages.settings_save import start_save
from canvass.ui.pages.settings_tables import STYLE, TABS, CodeTab

if TYPE_CHECKING:
    from canvass.ui.main_window import MainWindow

CODE_FILTER = "canvass code files (*.json);;All files (*)"
DEFAULT_FILE = "canvass-codes.json"
ERROR_STYLE = "color: #A8322A; font-size: 10pt;"
GOOD_STYLE = f"color: {theme.BRAND_DARK}; font-size: 10pt; font-weight: 600;"
NOTE = (
    "The keys canvassers press at the door and the boxes on walk sheets. Changing codes never "
    "changes what was already recorded: past visits keep the codes they were recorded with."
)


def read_book(db: Database) -> tuple[Database, CodeBook]:
    """The campaign's code book (runs on the reads runner), with the database it came from."""
    return db, code_book(db)


class CodesEditor(QFrame):
    """The "Doorstep codes and survey questions" section of the Settings screen.

    Signals:
        loaded: The code book was read (again).
        saved: The codes in the tables were saved.
        save_failed: The service's message when it refused the codes.
        imported: The path of a code file now in the tables (not saved yet).
        exported: The path of a code file just written.
    """

    loaded = Signal()
    saved = Signal()
    save_failed = Signal(str)
    imported = Signal(object)
    exported = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.main = window
        self.saved_book: CodeBook | None = None
        self._reload_wanted = False
        self.setObjectName("panel")
        self.setStyleSheet(STYLE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(label("Doorstep codes and survey questions", "sectionTitle"))
        self.note = label(NOTE, "hint", wrap=True)
        layout.addWidget(self.note)

        self.models = {
            kind: CodeTableModel(QUESTION_HEADERS if kind == "questions" else CODE_HEADERS, self)
            for kind, _title, _note in TABS
        }
        self.tabs = QTabWidget()
        self.tabs.setObjectName("codeTabs")
        self.tabs.tabBar().setObjectName("codeTabBar")
        self.tabs.setDocumentMode(True)
        self.pages: dict[str, CodeTab] = {}
        for kind, _title, note in TABS:
            model = self.models[kind]
            self.pages[kind] = CodeTab(model, note)
            self.tabs.addTab(self.pages[kind], "")
            for signal in (
                model.dataChanged,
                model.rowsInserted,
                model.rowsRemoved,
                model.rowsMoved,
                model.modelReset,
            ):
                signal.connect(self._on_edited)
        layout.addWidget(self.tabs, 1)

        self.message = label("", "hint", wrap=True, selectable=True)
        self.message.hide()
        layout.addWidget(self.message)
        layout.addLayout(self._build_buttons())
        self._on_edited()

        window.reads.ended.connect(self._reload_if_wanted)
        window.tasks.ended.connect(self.reload)

    def _build_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(10)
        self.reset_button = QPushButton("Reset to defaults")
        self.reset_button.setToolTip(
            "Put the default outcomes, intentions and flags back in the tables (survey questions "
            "stay); nothing changes until you save"
        )
        self.import_button = QPushButton("Import…")
        self.import_button.setToolTip("Fill the tables from a code file another campaign shared")
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save the campaign's codes as a small file to share")
        self.discard_button = QPushButton("Discard changes")
        self.discard_button.setToolTip("Show the codes as saved again")
        self.save_button = QPushButton("Save")
        self.save_button.setObjectName("primary")
        self.save_button.setMinimumWidth(120)
        self.save_button.setToolTip("Use these codes from now on")
        for button in (
            self.reset_button,
            self.import_button,
            self.export_button,
            self.discard_button,
        ):
            button.setObjectName("secondary")
        self.reset_button.clicked.connect(self.reset_to_defaults)
        self.import_button.clicked.connect(self.ask_import)
        self.export_button.clicked.connect(self.ask_export)
        self.discard_button.clicked.connect(self.discard)
        self.save_button.clicked.connect(self.save)
        self.state = label("", "footnote")
        for button in (self.reset_button, self.import_button, self.export_button):
            row.addWidget(button)
        row.addStretch(1)
        for widget in (self.state, self.discard_button, self.save_button):
            row.addWidget(widget, 0, Qt.AlignmentFlag.AlignVCenter)
        return row

    # -- the tables -----------------------------------------------------------------------

    def book(self) -> CodeBook:
        """The codes and questions as the tables show them now."""
        return CodeBook(
            self.models["outcomes"].codes(),
            self.models["intentions"].codes(),
            self.models["flags"].codes(),
            self.models["questions"].questions(),
        )

    def show_book(self, book: CodeBook) -> None:
        """Put ``book`` in the tables."""
        self.models["outcomes"].set_codes(book.outcomes)
        self.models["intentions"].set_codes(book.intentions)
        self.models["flags"].set_codes(book.flags)
        self.models["questions"].set_questions(book.questions)

    @property
    def dirty(self) -> bool:
        """Whether the tables differ from the codes as saved."""
        return self.saved_book is not None and self.book() != self.saved_book

    @Slot()
    def _on_edited(self, *_args: object) -> None:
        for n, (kind, title, _note) in enumerate(TABS):
            self.tabs.setTabText(n, f"{title} ({self.models[kind].rowCount()})")
        dirty = self.dirty
        self.save_button.setEnabled(dirty)
        self.discard_button.setEnabled(dirty)
        self.state.setText("Unsaved changes" if dirty else "")

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else GOOD_STYLE)
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # -- reading --------------------------------------------------------------------------

    def on_database_changed(self) -> None:
        """Forget the codes shown (and any edits); read the window's (new) database."""
        self.saved_book = None
        self.show_book(CodeBook((), (), (), ()))
        self._say("")
        self.reload()

    @Slot()
    def reload(self) -> None:
        """Read the code book on the reads runner, when the editor is on screen."""
        if not self.isVisible():
            return
        reads = self.main.reads
        if reads.busy:
            self._reload_wanted = True
            return
        self._reload_wanted = False
        reads.start(
            functools.partial(read_book, self.main.db),
            on_finished=self._on_loaded,
            on_failed=lambda message: self._say(f"Could not read the codes: {message}", error=True),
        )

    @Slot()
    def _reload_if_wanted(self) -> None:
        if self._reload_wanted and not self.main.reads.busy:
            self.reload()

    def _on_loaded(self, loaded: tuple[Database, CodeBook]) -> None:
        db, book = loaded
        if db is not self.main.db:
            self.reload()
            return
        if not self.dirty:  # never throw away what the person is typing
            self.saved_book = book
            self.show_book(book)
        self._on_edited()
        self.loaded.emit()

    # -- actions ---------------------------------------------------------------------------

    def _free(self) -> bool:
        if self.main.tasks.busy:
            self.main.statusBar().showMessage("Please wait for the running task to finish.", 5000)
            return False
        return True

    @Slot()
    def save(self) -> None:
        """Save the tables' codes on the task runner; the service's refusal shows inline."""
        if not self._free():
            return
        book, db = self.book(), self.main.db

        def remember() -> None:
            self.saved_book = book

        start_save(
            self,
            functools.partial(save_code_book, db, book),
            remember=remember,
            saved_text="Saved. New records use these codes; earlier records keep theirs.",
            status_text="Saved the campaign's codes.",
        )

    @Slot()
    def discard(self) -> None:
        """Show the codes as saved again."""
        if self.saved_book is not None:
            self.show_book(self.saved_book)
        self._say("")

    @Slot()
    def reset_to_defaults(self) -> None:
        """Put the default codes in the tables (not saved until Save)."""
        self.models["outcomes"].set_codes(codes.OUTCOMES)
        self.models["intentions"].set_codes(codes.INTENTIONS)
        self.models["flags"].set_codes(codes.FLAGS)
        self._say("The default codes are in the tables: press Save to use them.")

    @Slot()
    def ask_import(self) -> None:
        """Choose a code file and put its codes in the tables, to check and save."""
        if not self._free():
            return
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Import codes from", str(documents_folder()), CODE_FILTER
        )
        if not chosen:
            return
        path = Path(chosen)
        self.main.tasks.start(
            functools.partial(read_code_book, path),
            on_finished=lambda book: self._on_imported(path, book),
            on_failed=lambda message: self._say(f"Not imported: {message}", error=True),
        )

    def _on_imported(self, path: Path, book: CodeBook) -> None:
        self.show_book(book)
        self._say(f"Read the codes from {path.name}: check them, then press Save to use them.")
        self.imported.emit(path)

    @Slot()
    def ask_export(self) -> None:
        """Choose where to save the campaign's codes (as saved) and write them."""
        if not self._free():
            return
        if self.dirty:
            self._say(
                "Save or discard your changes first: Export writes the codes as saved.",
                error=True,
            )
            return
        start = str(documents_folder() / DEFAULT_FILE)
        chosen, _ = QFileDialog.getSaveFileName(self, "Export the codes as", start, CODE_FILTER)
        if not chosen:
            return
        path = Path(chosen).expanduser()
        if not path.suffix:
            path = path.with_name(path.name + ".json")
        self.main.tasks.start(
            functools.partial(export_code_book, self.main.db, path),
            on_finished=lambda _result: self._on_exported(path),
            on_failed=lambda message: self._say(f"Not exported: {message}", error=True),
        )

    def _on_exported(self, path: Path) -> None:
        self._say(f"Saved the codes to {path}.")
        self.main.statusBar().showMessage(f"Codes saved to {path}", 10000)
        self.exported.emit(path)
