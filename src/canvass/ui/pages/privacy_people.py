"""The Privacy screen's People tab: find a person, see what is held, and act on their rights.

One search box finds electors as the Canvass screen does (by name,
address, postcode or elector number) and people who are not on the register
(a petition signer, a supporter) by name or postcode. For the person chosen
the tab sums up what is held and offers the three things a data subject may
ask for: a copy of everything (subject access), no more contact
(suppression), and erasure. Reads run on the window's reads runner and every
change on its task runner, each through the page's queues.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QSplitter,
    QWidget,
)

from canvass.services import erasure, subject_access
from canvass.services.apply import Applied
from canvass.services.search import LIMIT as SEARCH_LIMIT
from canvass.services.search import ensure_index
from canvass.services.subject_access import SubjectAccessResult
from canvass.storage.database import Database
from canvass.ui.pages.common import label, panel
from canvass.ui.pages.print_page import documents_folder
from canvass.ui.pages.privacy_common import (
    KIND_WORDS,
    OTHERS_LIMIT,
    PersonHit,
    PersonSummary,
    plural,
    read_person,
    search_people,
)
from canvass.ui.pages.privacy_dialogs import EraseDialog, SuppressDialog
from canvass.ui.pages.privacy_models import Row, TextTableModel, text_table
from canvass.ui.pages.privacy_person import PersonCard
from canvass.ui.pages.sync_common import tab_body

if TYPE_CHECKING:
    from canvass.ui.pages.privacy_page import PrivacyPage

#: Milliseconds of quiet after a keystroke before searching (as on the Canvass screen).
DEBOUNCE_MS = 150
#: Widths of the name and number columns while nothing is found (pixels).
NAME_WIDTH = 170
NUMBER_WIDTH = 72

HEADERS = (
    ("Name", "The person's name"),
    ("No.", "Elector number, for people on the register"),
    ("Address", "Where they live"),
    ("", "Off the register, suppressed, or what kind of record it is"),
)
START_TEXT = (
    "Type a name, an address, a postcode or an elector number. People who signed a "
    "petition or sent back a reply slip without being on the register are found by "
    "name or postcode."
)


def export_for(db: Database, person: PersonHit, folder: Path) -> SubjectAccessResult:
    """Write ``person``'s subject-access files into ``folder`` (runs on the task runner)."""
    return subject_access.export(db, subject_access.find_person(db, person.id), folder)


def suppress_all(db: Database, elector_id: str, scopes: list[str], reason: str) -> int:
    """Record a suppression of each scope (runs on the task runner); returns how many."""
    for scope in scopes:
        erasure.suppress(db, elector_id, scope, reason)
    return len(scopes)


def found_text(hits: list[PersonHit]) -> str:
    """The footer under the results: how many were found, and where ("4 found.")."""
    if not hits:
        return "Nobody found. Check the spelling, or try the postcode."
    on_register = sum(1 for h in hits if h.kind == "elector")
    others = len(hits) - on_register
    if not others:
        where = "all on the register" if on_register > 1 else "on the register"
    elif not on_register:
        where = "not on the register (petition signers or supporters)"
    else:
        where = f"{on_register:,} on the register, {others:,} not on it"
    more = (
        " Only the best matches are listed: type more to narrow the search."
        if on_register >= SEARCH_LIMIT or others >= OTHERS_LIMIT
        else ""
    )
    return f"{len(hits):,} found, {where}.{more}"


def hit_row(hit: PersonHit) -> Row:
    """A person found, as a row of the results."""
    return Row(
        (hit.name, hit.number, ", ".join(p for p in (hit.address, hit.postcode) if p), hit.note),
        tips=("", "", "", KIND_WORDS.get(hit.kind, "") if hit.kind != "elector" else ""),
        muted=bool(hit.note) and hit.kind == "elector",
        item=hit,
    )


class PeoplePanel(QWidget):
    """The People tab.

    Signals:
        searched: The results for the latest text are on show.
        shown: The summary of the person chosen is on show.
        erased: A person was erased (the :class:`Applied` result).
        suppressed: Suppressions were recorded (how many).
        exported: Subject-access files were written (the :class:`SubjectAccessResult`).
    """

    searched = Signal()
    shown = Signal()
    erased = Signal(object)
    suppressed = Signal(int)
    exported = Signal(object)

    def __init__(self, page: PrivacyPage) -> None:
        super().__init__()
        self.page = page
        outer, layout = tab_body()
        outer.setObjectName("privacyTab")
        column = QHBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(outer)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(16)
        self.splitter.addWidget(self._build_search())
        self.card = PersonCard()
        self.card.export_button.clicked.connect(self.ask_export)
        self.card.suppress_button.clicked.connect(self.ask_suppress)
        self.card.erase_button.clicked.connect(self.ask_erase)
        self.splitter.addWidget(self.card)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._search)

    # -- layout ---------------------------------------------------------------------------

    def _build_search(self) -> QWidget:
        frame, body = panel()
        body.addWidget(label("Find a person", "sectionTitle"))
        self.box = QLineEdit()
        self.box.setObjectName("search")
        self.box.setClearButtonEnabled(True)
        self.box.setPlaceholderText("Name, address, postcode or elector number")
        self.box.setToolTip("Finds people as you type; Enter chooses the first")
        self.box.textChanged.connect(self._on_text)
        self.box.returnPressed.connect(self._choose_first)
        body.addWidget(self.box)
        self.model = TextTableModel(HEADERS, self)
        self.results = text_table(self.model)
        header = self.results.horizontalHeader()
        # The address takes the room the other columns leave (they are as wide as what
        # they hold, see _fit_columns); a long one is cut, in full in its tooltip. The
        # table never scrolls sideways, however narrow the window.
        header.setStretchLastSection(False)
        for column in (0, 1, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.results.viewport().installEventFilter(self)
        self.model.modelReset.connect(self._fit_columns)
        self.results.selectionModel().currentRowChanged.connect(self._on_current)
        body.addWidget(self.results, 1)
        self.status = label(START_TEXT, "footnote", wrap=True)
        body.addWidget(self.status)
        return frame

    def _column_width(self, column: int) -> int:
        """What ``column`` needs to show its widest cell (and its heading) whole."""
        view = self.results
        return max(view.sizeHintForColumn(column), view.horizontalHeader().sectionSizeHint(column))

    @Slot()
    def _fit_columns(self) -> None:
        """Number and note as wide as they need, the name next, the address the rest.

        Empty space is never left beside a cut address: the note column is hidden
        when no row has a note, and otherwise only as wide as its longest. When
        there is not room for everything (a small window), the note gives way
        first, then the name and the address share what is left.
        """
        view = self.results
        width = view.viewport().width()
        if width <= 0:
            return
        rows = bool(self.model.rows)
        notes = any(row.cells[3] for row in self.model.rows)
        view.setColumnHidden(3, not notes)
        number = self._column_width(1) if rows else NUMBER_WIDTH
        note = min(self._column_width(3), max(64, width // 5)) if notes else 0
        room = width - number - note
        name = self._column_width(0) if rows else NAME_WIDTH
        address = self._column_width(2) if rows else 0
        if name + address > room:
            name = min(name, max(room - address, room // 2))
        header = view.horizontalHeader()
        header.resizeSection(0, max(name, 60))
        header.resizeSection(1, number)
        if notes:
            header.resizeSection(3, note)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        """Fit the columns again when the results change size."""
        if watched is self.results.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    # -- searching ------------------------------------------------------------------------

    def forget(self) -> None:
        """Another database: nobody of the old one on show."""
        self._timer.stop()
        self.box.blockSignals(True)
        self.box.clear()
        self.box.blockSignals(False)
        self.model.set_rows(())
        self.status.setText(START_TEXT)
        self.card.show_person(None)
        self.card.say("")

    def prepare(self) -> None:
        """Bring the search index up to date (a rebuild is a write; a fresh one costs a read)."""
        db = self.page.main.db
        self.page.writes.submit(
            lambda: functools.partial(ensure_index, db),
            on_failed=lambda m: self.status.setText(f"Search is not ready: {m}"),
        )

    @Slot(str)
    def _on_text(self, text: str) -> None:
        if not text.strip():
            self._timer.stop()
            self.model.set_rows(())
            self.status.setText(START_TEXT)
            return
        self._timer.start()

    @Slot()
    def _search(self) -> None:
        text = self.box.text().strip()
        if not text:
            return
        db = self.page.main.db
        self.page.reads.submit(
            lambda: functools.partial(search_people, db, text),
            on_finished=functools.partial(self._on_hits, text),
            on_failed=self._on_search_failed,
            key="search",
        )

    def search_now(self) -> None:
        """Search for what is in the box without waiting for a pause in typing."""
        self._timer.stop()
        self._search()

    def _on_hits(self, text: str, hits: list[PersonHit]) -> None:
        if text != self.box.text().strip():
            return  # typed on meanwhile; the newer search is on its way
        self.model.set_rows([hit_row(h) for h in hits])
        self.status.setText(found_text(hits))
        self.searched.emit()

    def _on_search_failed(self, message: str) -> None:
        self.model.set_rows(())
        self.status.setText(message)
        self.searched.emit()

    @Slot()
    def _choose_first(self) -> None:
        self._timer.stop()
        if self.model.rowCount():
            self.results.selectRow(0)
            self.choose(self.model.item(0))

    @Slot(QModelIndex, QModelIndex)
    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        hit = self.model.item(current.row())
        if hit is not None:
            self.choose(hit)

    def choose(self, hit: PersonHit) -> None:
        """Read what is held about ``hit`` and show it."""
        db = self.page.main.db
        self.page.reads.submit(
            lambda: functools.partial(read_person, db, hit),
            on_finished=functools.partial(self._on_person, hit),
            on_failed=lambda m: self.card.say(f"Could not read what is held: {m}", bad=True),
            key="person",
        )

    def _on_person(self, hit: PersonHit, summary: PersonSummary | None) -> None:
        if summary is not None and summary.db is not self.page.main.db:
            return
        if summary is None:
            self.card.show_person(None)
            self.card.say(f"{hit.label} is no longer in this database.", bad=True)
        else:
            shown = self.card.summary
            if shown is None or shown.person.id != summary.person.id:
                self.card.say("")  # another person: the last outcome was not about them
            self.card.show_person(summary)
        self.shown.emit()

    @property
    def summary(self) -> PersonSummary | None:
        """Who is on show (None: nobody)."""
        return self.card.summary

    # -- acting on the person ------------------------------------------------------------

    def _start(self, make: Callable[[], object], done: Callable[[Any], object], what: str) -> None:
        """Run a change on the task runner; the actions wait until it ends."""
        self.card.set_acting(True)

        def finished(result: object) -> None:
            self.card.set_acting(False)
            done(result)

        def failed(message: str) -> None:
            self.card.set_acting(False)
            self.card.say(f"Could not {what}: {message}", bad=True)

        self.page.writes.submit(lambda: make, on_finished=finished, on_failed=failed)

    # -- subject access -------------------------------------------------------------------

    @Slot()
    def ask_export(self) -> None:
        """Ask for a folder, then write the person's subject-access files into it."""
        summary = self.summary
        if summary is None:
            return
        start = str(self.card.last_folder or documents_folder())
        chosen = QFileDialog.getExistingDirectory(
            self, "Choose the folder for the subject-access files", start
        )
        if not chosen:
            return
        folder = Path(chosen)
        self.card.say("Writing the files…")
        self._start(
            functools.partial(export_for, summary.db, summary.person, folder),
            functools.partial(self._on_exported, summary, folder),
            "export what is held",
        )

    def _on_exported(
        self, summary: PersonSummary, folder: Path, result: SubjectAccessResult
    ) -> None:
        self.card.say(
            f"Wrote everything held about {summary.person.label} "
            f"({plural(result.records, 'record')}) into {folder}:\n"
            f"• {result.pdf.name} ({plural(result.pages, 'page')}, to read or print)\n"
            f"• {result.json.name} (the same, for a computer)\n"
            "Give both to the person; the export is in the audit trail.",
            folder=folder,
        )
        self.page.main.statusBar().showMessage(f"Subject-access files written to {folder}", 10000)
        self.exported.emit(result)

    # -- suppression ----------------------------------------------------------------------

    def suppress_dialog(self) -> SuppressDialog | None:
        """The dialog that suppresses the person chosen (not yet shown)."""
        summary = self.summary
        if summary is None or summary.person.kind != "elector":
            return None
        dialog = SuppressDialog(self, summary)
        dialog.accepted.connect(functools.partial(self._suppress, dialog))
        dialog.finished.connect(dialog.deleteLater)
        return dialog

    @Slot()
    def ask_suppress(self) -> SuppressDialog | None:
        """Ask which suppressions to record, and why; then record them."""
        dialog = self.suppress_dialog()
        if dialog is not None:
            dialog.open()
        return dialog

    def _suppress(self, dialog: SuppressDialog) -> None:
        summary, scopes, reason = dialog.summary, dialog.scopes, dialog.reason_text
        self._start(
            functools.partial(suppress_all, summary.db, summary.person.id, scopes, reason),
            functools.partial(self._on_suppressed, summary, scopes),
            "suppress",
        )

    def _on_suppressed(self, summary: PersonSummary, scopes: list[str], count: int) -> None:
        words = ", ".join(s.replace("-", " ") for s in scopes)
        shown = self.summary
        if shown is not None and shown.person.id == summary.person.id:
            # On the card at once; the reading below confirms it from the database.
            held = tuple(dict.fromkeys((*shown.suppressions, *scopes)))
            self.card.show_person(dataclasses.replace(shown, suppressions=held))
        self.card.say(
            f"Suppressed ({words}). It reaches the other laptops with the next exchange "
            "files and is never cleared."
        )
        self.page.main.statusBar().showMessage(
            f"Suppression recorded for {summary.person.label}: {words}.", 10000
        )
        self.suppressed.emit(count)
        self.choose(summary.person)  # read their suppressions back
        self.search_now()  # and the greyed row

    # -- erasure --------------------------------------------------------------------------

    def erase_dialog(self) -> EraseDialog | None:
        """The dialog that erases the person chosen (not yet shown)."""
        summary = self.summary
        if summary is None:
            return None
        dialog = EraseDialog(self, summary)
        dialog.accepted.connect(functools.partial(self._erase, dialog))
        dialog.finished.connect(dialog.deleteLater)
        return dialog

    @Slot()
    def ask_erase(self) -> EraseDialog | None:
        """Ask for confirmation, the reason and the person's number or name; then erase."""
        dialog = self.erase_dialog()
        if dialog is not None:
            dialog.open()
        return dialog

    def _erase(self, dialog: EraseDialog) -> None:
        summary, reason = dialog.summary, dialog.reason_code
        person = summary.person
        self._start(
            functools.partial(erasure.erase, summary.db, person.kind, person.id, reason),
            functools.partial(self._on_erased, summary, reason),
            "erase",
        )

    def _on_erased(self, summary: PersonSummary, reason: str, applied: Applied) -> None:
        # Gone from the screen as from the database: the name typed to find them too.
        self._timer.stop()
        self.box.clear()
        self.card.show_person(None)
        self.card.say(
            f"Erased: {plural(applied.erased_records, 'record')} removed ({reason}): the "
            "record and everything linked to it. The erasure reaches the other laptops with "
            "the next exchange files. A signature or reply slip given separately (at a stall, "
            "say) is a record of its own: search for the name again and erase it too if it "
            "is theirs."
        )
        self.page.main.statusBar().showMessage("Erased.", 8000)
        self.erased.emit(applied)
