"""The Privacy screen's audit trail: who did what to personal data, and whether it still holds.

Every import, export, print, merge, erasure and purge leaves an entry,
each chained to the one before by its hash
(:mod:`canvass.services.audit_log`). The tab lists the latest entries,
newest first, filtered by action if the person wants, and "Check the trail"
recomputes the whole chain on the reads runner: an entry changed, removed or
inserted by hand shows where the chain breaks.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QWidget
from sqlalchemy import func, select

from canvass.pdf.privacy_audit_words import action_name, audit_detail_lines, audit_detail_words
from canvass.services.audit_log import AuditEntry, ChainCheck, entries, verify_chain
from canvass.storage.database import Database
from canvass.storage.tables import AuditEvent
from canvass.ui.pages.common import label, panel
from canvass.ui.pages.privacy_common import moment_text, plural
from canvass.ui.pages.privacy_models import Row, TextTableModel, text_table
from canvass.ui.pages.sync_common import tab_body

if TYPE_CHECKING:
    from canvass.ui.pages.privacy_page import PrivacyPage

#: Entries shown at most; the filter by action reaches further back.
SHOWN = 500

HEADERS = (
    ("When", "When it was done, in this computer's time"),
    ("Who", "The computer account that did it"),
    ("Action", "What was done"),
    (
        "Detail",
        "The key facts: file names and counts, never personal data. Point at one for the "
        "whole entry.",
    ),
)

#: What each action means, in a sentence: the tooltips of the filter and of the rows
#: (the short names are :data:`canvass.pdf.privacy_audit_words.ACTION_NAMES`, shared with the
#: subject-access PDF).
ACTION_WORDS = {
    "register-import": "The electoral register was imported",
    "erase": "A person was erased",
    "suppress": "A person was suppressed (do not contact, knock or leaflet)",
    "subject-access": "Everything held about a person was exported for them",
    "purge": "Data past its retention date was removed",
    "print-walk-sheets": "Walk sheets were printed",
    "print-knock-up": "Knock-up sheets were printed",
    "print-bundle": "A petition bundle (signers' names and addresses) was printed",
    "mail-merge": "Letters were mail-merged",
    "export-supporters": "Supporters were exported",
    "export": "An exchange file for the other laptops was written",
    "merge": "Another laptop's exchange file was merged",
    "encrypt-database": "The database was encrypted with a passphrase",
    "enrol-device": "A laptop was enrolled",
    "revoke-device": "A laptop was revoked",
    "recovery-key": "The campaign's recovery key was set",
    "resolve-conflict": "A conflict between two laptops was settled",
}


def action_tip(action: str) -> str:
    """An action's tooltip: what it means, and its code as the trail (and the CLI) store it."""
    meaning = ACTION_WORDS.get(action, "")
    return f"{meaning} (“{action}” in the trail)" if meaning else f"“{action}” in the trail"


def entry_row(entry: AuditEntry) -> Row:
    """An audit entry as a row: the action and its detail in words, in full in the tooltips."""
    return Row(
        (
            moment_text(entry.at),
            entry.actor,
            action_name(entry.action),
            audit_detail_words(entry.action, entry.detail),
        ),
        (entry.at, "", action_tip(entry.action), audit_detail_lines(entry.detail)),
        item=entry,
    )


@dataclass(frozen=True, slots=True)
class AuditData:
    """The entries on show and what the filter offers."""

    db: Database
    action: str  # "" for every action
    entries: list[AuditEntry]
    actions: list[str]
    total: int  # entries of this action (or all) in the trail


def read_audit(db: Database, action: str) -> AuditData:
    """The latest entries (of ``action``, when given), and every action used (reads runner)."""
    with db.read() as session:
        actions = list(session.scalars(select(AuditEvent.action).distinct()))
        count = select(func.count()).select_from(AuditEvent)
        if action:
            count = count.where(AuditEvent.action == action)
        total = int(session.scalar(count) or 0)
        if not action:
            found: list[AuditEntry] = []
        else:
            rows = session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == action)
                .order_by(AuditEvent.id.desc())
                .limit(SHOWN)
            )
            found = [AuditEntry(r.id, r.at, r.actor, r.action, r.detail) for r in rows]
    if not action:
        found = entries(db, limit=SHOWN)
    return AuditData(db, action, found, sorted(actions), total)


def check_words(check: ChainCheck) -> str:
    """The result of checking the chain, for the person."""
    if check.ok:
        if not check.entries:
            return "The audit trail is empty: there is nothing to check yet."
        return (
            f"The trail holds: {plural(check.entries, 'entry', 'entries')}, each chained to the "
            "one before: none was changed, and none removed or inserted among them. (Newest "
            "entries cut off the end leave no mark in the trail itself.)"
        )
    return (
        f"The trail is broken at entry {check.broken_at}: {check.reason}. Entries from there "
        "on cannot be trusted. Keep a copy of this database as it is, and ask whoever "
        "looks after it what happened."
    )


class AuditPanel(QWidget):
    """The Audit trail tab.

    Signals:
        loaded: The entries were read (again) and are on show.
        checked: The :class:`ChainCheck` of the latest check, on show.
    """

    loaded = Signal()
    checked = Signal(object)

    def __init__(self, page: PrivacyPage) -> None:
        super().__init__()
        self.page = page
        self.data: AuditData | None = None
        self.check: ChainCheck | None = None
        outer, layout = tab_body()
        outer.setObjectName("privacyTab")
        column = QHBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(outer)

        frame, body = panel()
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(label("Audit trail", "sectionTitle"))
        top.addStretch(1)
        top.addWidget(label("Show", "fieldLabel"))
        self.filter = QComboBox()
        self.filter.setMinimumContentsLength(18)
        self.filter.addItem("Every action", "")
        self.filter.setToolTip("Show one kind of entry only")
        self.filter.currentIndexChanged.connect(self._on_filter)
        top.addWidget(self.filter)
        self.check_button = QPushButton("Check the trail")
        self.check_button.setObjectName("secondary")
        self.check_button.setToolTip(
            "Recompute every entry's hash: shows whether any entry was changed, removed or "
            "inserted since it was written"
        )
        self.check_button.clicked.connect(self.check_trail)
        top.addWidget(self.check_button)
        body.addLayout(top)
        self.caption = label(
            "Imports, exports, prints, merges, erasures and purges of personal data, newest "
            "first. Each entry is chained to the one before, so a change made behind the "
            "app's back shows.",
            "footnote",
            wrap=True,
        )
        body.addWidget(self.caption)
        self.result = label("", "good", wrap=True, selectable=True)
        self.result.hide()
        body.addWidget(self.result)
        self.model = TextTableModel(HEADERS, self)
        self.table = text_table(self.model, (150, 110, 190))
        body.addWidget(self.table, 1)
        self.count = label("", "footnote")
        body.addWidget(self.count)
        layout.addWidget(frame, 1)

    # -- reading --------------------------------------------------------------------------

    @property
    def action(self) -> str:
        """The action chosen in the filter ("" for every action)."""
        return str(self.filter.currentData() or "")

    def forget(self) -> None:
        """Another database: nothing of the old one on show."""
        self.data = None
        self.check = None
        self.model.set_rows(())
        self.result.hide()
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.addItem("Every action", "")
        self.filter.blockSignals(False)

    def reload(self) -> None:
        """Read the entries on the reads runner."""
        db, action = self.page.main.db, self.action
        self.page.reads.submit(
            lambda: functools.partial(read_audit, db, action),
            on_finished=self._on_loaded,
            on_failed=self._on_failed,
            key="audit",
        )

    @Slot()
    def _on_filter(self) -> None:
        self.reload()

    def _on_loaded(self, data: AuditData) -> None:
        if data.db is not self.page.main.db or data.action != self.action:
            self.reload()  # switched, or filtered again, while reading
            return
        self.data = data
        self._fill_filter(data.actions)
        self.model.set_rows([entry_row(e) for e in data.entries])
        shown = len(data.entries)
        what = f"“{action_name(data.action)}” entries" if data.action else "entries"
        one = f"“{action_name(data.action)}” entry" if data.action else "entry"
        if not data.total:
            self.count.setText(
                "No entries yet: they appear as the register is imported, files are "
                "exported and merged, and people are erased."
                if not data.action
                else f"No {what}."
            )
        elif shown < data.total:
            self.count.setText(f"The latest {shown:,} of {data.total:,} {what}.")
        else:
            self.count.setText(f"{data.total:,} {what}." if data.total != 1 else f"1 {one}.")
        self.loaded.emit()

    def _fill_filter(self, actions: list[str]) -> None:
        current = self.action
        actions = sorted(actions, key=action_name)
        known = [str(self.filter.itemData(n)) for n in range(1, self.filter.count())]
        if known == actions:
            return
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.addItem("Every action", "")
        for action in actions:
            # The words show, the code chooses: the filter reads as the Action column does.
            self.filter.addItem(action_name(action), action)
            self.filter.setItemData(self.filter.count() - 1, action_tip(action), 3)
        self.filter.setCurrentIndex(max(self.filter.findData(current), 0))
        self.filter.blockSignals(False)

    def _on_failed(self, message: str) -> None:
        self.count.setText(f"Could not read the audit trail: {message}")
        self.loaded.emit()

    # -- checking -------------------------------------------------------------------------

    @Slot()
    def check_trail(self) -> None:
        """Check the whole chain on the reads runner and say plainly what was found."""
        db = self.page.main.db
        self.check_button.setEnabled(False)
        self.result.setObjectName("good")
        self.result.setText("Checking every entry…")
        self._restyle()
        self.result.show()
        self.page.reads.submit(
            lambda: functools.partial(verify_chain, db),
            on_finished=functools.partial(self._on_checked, db),
            on_failed=self._on_check_failed,
        )

    def _on_checked(self, db: Database, check: ChainCheck) -> None:
        self.check_button.setEnabled(True)
        if db is not self.page.main.db:
            self.result.hide()
            return
        self.check = check
        self.result.setObjectName("good" if check.ok else "bad")
        self.result.setText(check_words(check))
        self._restyle()
        self.show_broken(check)
        self.checked.emit(check)

    def show_broken(self, check: ChainCheck) -> None:
        """Select the entry where the chain breaks, when it is on show."""
        for row, item in enumerate(self.model.rows):
            entry = item.item
            if isinstance(entry, AuditEntry) and entry.id == check.broken_at:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
                return

    def _on_check_failed(self, message: str) -> None:
        self.check_button.setEnabled(True)
        self.result.setObjectName("bad")
        self.result.setText(f"Could not check the trail: {message}")
        self._restyle()

    def _restyle(self) -> None:
        style = self.result.style()
        style.unpolish(self.result)
        style.polish(self.result)
