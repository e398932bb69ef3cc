"""The Privacy screen's suppression list: who must not be contacted, and how.

Read-only, because a suppression is never cleared
(:mod:`canvass.services.suppressions`): it follows its person into later
editions of the register and outlives their erasure. A person is suppressed
from the People tab. The list names nobody: the elector number says who, while
the person is on the current register.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from canvass.domain.suppression import SCOPES
from canvass.services.suppressions import SuppressionInfo, list_suppressions
from canvass.storage.database import Database
from canvass.ui.pages.common import label, panel
from canvass.ui.pages.privacy_common import moment_text, plural
from canvass.ui.pages.privacy_models import Row, TextTableModel, text_table
from canvass.ui.pages.sync_common import tab_body

if TYPE_CHECKING:
    from canvass.ui.pages.privacy_page import PrivacyPage

HEADERS = (
    ("Scope", "What the person must not get"),
    ("Elector", "Their elector number, while they are on the current register"),
    ("Since", "When the suppression was recorded, in this computer's time"),
    ("Reason", "Why, as recorded (a short category, never a name)"),
)
NOT_ON_REGISTER = "Not in the current register"


@dataclass(frozen=True, slots=True)
class SuppressionList:
    """The suppressions on show, and the database they came from."""

    db: Database
    suppressions: list[SuppressionInfo]


def read_suppressions(db: Database) -> SuppressionList:
    """Every suppression, oldest first (runs on the reads runner)."""
    return SuppressionList(db, list_suppressions(db))


def scope_words(scope: str) -> str:
    """A scope as the table shows it: "Do not knock"."""
    return scope.replace("-", " ").capitalize()


def suppression_row(item: SuppressionInfo) -> Row:
    """One suppression as a table row; greyed when its person is not on the register."""
    meaning = SCOPES.get(item.scope, "an unknown scope: read as no contact of any kind")
    return Row(
        (
            scope_words(item.scope),
            item.elector or NOT_ON_REGISTER,
            moment_text(item.created_at),
            item.reason or "—",
        ),
        (
            f"{scope_words(item.scope)}: {meaning}",
            "" if item.elector else "Kept all the same: it finds them in a later register",
            item.created_at,
        ),
        muted=not item.on_register,
        item=item,
    )


class SuppressionsPanel(QWidget):
    """The Suppressions tab.

    Signals:
        loaded: The list was read (again) and is on show.
    """

    loaded = Signal()

    def __init__(self, page: PrivacyPage) -> None:
        super().__init__()
        self.page = page
        self.data: SuppressionList | None = None
        outer, layout = tab_body()
        outer.setObjectName("privacyTab")
        column = QHBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(outer)
        frame, body = panel()
        body.addWidget(label("Suppression list", "sectionTitle"))
        body.addWidget(
            label(
                "People who asked not to be contacted, knocked on or sent addressed mail. A "
                "suppression is never cleared: it keeps them off walk lists, sheets and mail "
                "merges, follows them into later registers, and outlives an erasure (it holds "
                "no name). Suppress someone from the People tab.",
                "footnote",
                wrap=True,
            )
        )
        self.model = TextTableModel(HEADERS, self)
        self.table = text_table(self.model, (150, 220, 170))
        body.addWidget(self.table, 1)
        self.count = label("", "footnote", wrap=True)
        body.addWidget(self.count)
        layout.addWidget(frame, 1)

    def forget(self) -> None:
        """Another database: nothing of the old one on show."""
        self.data = None
        self.model.set_rows(())
        self.count.setText("")

    def reload(self) -> None:
        """Read the list on the reads runner."""
        db = self.page.main.db
        self.page.reads.submit(
            lambda: functools.partial(read_suppressions, db),
            on_finished=self._on_loaded,
            on_failed=self._on_failed,
            key="suppressions",
        )

    def _on_loaded(self, data: SuppressionList) -> None:
        if data.db is not self.page.main.db:
            self.reload()
            return
        self.data = data
        # Newest first: the one just added is at the top.
        items = list(reversed(data.suppressions))
        self.model.set_rows([suppression_row(s) for s in items])
        if not items:
            self.count.setText("Nobody is suppressed.")
        else:
            scopes = Counter(s.scope for s in items)
            off = sum(1 for s in items if not s.on_register)
            parts = ", ".join(f"{n:,} {scope_words(scope).lower()}" for scope, n in scopes.items())
            self.count.setText(
                f"{plural(len(items), 'suppression')}: {parts}; "
                f"{off:,} for people not in the current register."
            )
        self.loaded.emit()

    def _on_failed(self, message: str) -> None:
        self.count.setText(f"Could not read the suppression list: {message}")
        self.loaded.emit()
