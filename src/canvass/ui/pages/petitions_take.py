"""Taking signatures: at a street stall, and at the door from the register.

"At a stall" is built for a touchscreen or a laptop passed to the signer:
large fields and ticks, the pad, one big Sign button; after each signature
the form clears for the next person and the stall's count for the day goes
up by one, whoever signed (duplicates are only ever shown on the Signatures
view). "From the register" finds an elector as you type, fills the form from
the register, and records a doorstep signature tied to that elector.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from canvass.services.petitions import Signer, sign, signer_from_elector
from canvass.services.search import ElectorHit
from canvass.ui.pages.canvass_search import Search
from canvass.ui.pages.canvass_view import MessagePanel
from canvass.ui.pages.common import label, panel
from canvass.ui.pages.petitions_common import PetitionDetails
from canvass.ui.pages.petitions_signer import SignerForm

if TYPE_CHECKING:
    from canvass.ui.pages.petitions_workspace import Workspace

THANKS = "Thank you: the signature is saved. Ready for the next signer."


def today_words(count: int) -> str:
    """The stall's count for the day."""
    return f"Signed: {count:,} today at this stall"


def text_panel(title: str) -> tuple[QWidget, QScrollArea, QLabel]:
    """A heading and the petition's text in a short scrolling box; returns (box, scroll, label)."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 4)
    column.setSpacing(4)
    column.addWidget(label(title, "touchLabel"))
    text = label("", "petitionText", wrap=True, selectable=True)
    scroll = QScrollArea()
    scroll.setObjectName("padScroll")
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(text)
    scroll.setMaximumHeight(112)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    column.addWidget(scroll)
    return box, scroll, text


class StallTab(QWidget):
    """Signatures at a street stall: the signer fills in the form and signs.

    Attributes:
        today: Signatures taken at a stall on this laptop today.
    """

    signed = Signal(str)

    def __init__(self, work: Workspace) -> None:
        super().__init__()
        self.work = work
        self.setObjectName("canvassTab")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.today = 0
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 10, 0, 0)
        self.form = SignerForm(touch=True, sign_text="Sign the petition")
        box, self.text_scroll, self.text = text_panel("What you are signing")
        self.form.top.addWidget(box)
        self.form.sign_requested.connect(self._sign)
        column.addWidget(self.form, 1)

    def set_details(self, details: PetitionDetails) -> None:
        """Show ``details``' text and consent wording, and the stall's count for today."""
        self.text.setText(details.draft.text)
        self.form.set_consent_wording(details.draft.consent_wording)
        self.today = details.stall_today
        self.form.count.setText(today_words(self.today))

    def clear(self) -> None:
        """An empty form (another petition, or the database changed)."""
        self.form.reset()
        self.form.thanks.hide()
        self.form.saving = False
        self.form.sign_button.setEnabled(True)

    @Slot(object)
    def _sign(self, signer: Signer) -> None:
        details = self.work.details
        if details is None:
            self.form.refused("Choose a petition first.")
            return
        db, collector = self.work.db, self.work.collector_name()
        self.work.writes.submit(
            lambda: functools.partial(
                sign, db, details.id, signer, method="stall", collector=collector
            ),
            on_finished=self._on_signed,
            on_failed=self.form.refused,
        )

    def _on_signed(self, signature_id: str) -> None:
        self.today += 1
        self.form.saved(THANKS)
        self.form.count.setText(today_words(self.today))
        self.form.name.setFocus()
        self.signed.emit(signature_id)


class RegisterTab(QWidget):
    """Signatures at the door: find the elector, check the prefilled details, sign.

    Attributes:
        hit: The elector chosen from the search (None before one is).
    """

    signed = Signal(str)
    prefilled = Signal()

    def __init__(self, work: Workspace) -> None:
        super().__init__()
        self.work = work
        self.hit: ElectorHit | None = None
        self.setObjectName("canvassTab")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 10, 0, 0)
        column.setSpacing(8)
        self.search = Search(work.reads, lambda: work.db, self)
        self.search.box.setPlaceholderText(
            "Find the elector: name, address, postcode or elector number"
        )
        self.search.box.setToolTip("Finds electors as you type; Enter or a double click chooses")
        self.search.box.setMinimumHeight(36)
        self.search.chosen.connect(self.choose)
        self.search.searched.connect(self._on_searched)
        self.search.active.connect(self._on_search_active)
        column.addWidget(self.search.box)
        self.status = label("", "saved", selectable=True)
        column.addWidget(self.status)
        self.stack = QStackedWidget()
        self.message = MessagePanel()
        self.message.show_message(
            "Find the person on the register",
            "Type part of their name, street, postcode or elector number above. Their name "
            "and address are filled in from the register, and the signature is tied to them.",
        )
        results_frame, results = panel()
        results.setContentsMargins(8, 8, 8, 8)
        results.addWidget(self.search.view)
        self.search.view.setColumnHidden(4, False)
        self.form = SignerForm(touch=False, sign_text="Sign")
        who = QHBoxLayout()
        self.who = label("", "doorTitle", wrap=True)
        who.addWidget(self.who, 1)
        self.other_button = QPushButton("Find someone else")
        self.other_button.setObjectName("secondary")
        self.other_button.clicked.connect(self.find_again)
        who.addWidget(self.other_button, 0, Qt.AlignmentFlag.AlignTop)
        self.form.top.addLayout(who)
        box, _scroll, self.text = text_panel("What they are signing")
        self.form.top.addWidget(box)
        self.form.sign_requested.connect(self._sign)
        for page in (self.message, results_frame, self.form):
            self.stack.addWidget(page)
        column.addWidget(self.stack, 1)

    def set_details(self, details: PetitionDetails) -> None:
        """Show ``details``' text and consent wording on the form."""
        self.text.setText(details.draft.text)
        self.form.set_consent_wording(details.draft.consent_wording)

    def clear(self) -> None:
        """Nobody chosen, nothing searched."""
        self.hit = None
        self.search.clear()
        self.form.reset()
        self.form.saving = False
        self.form.sign_button.setEnabled(True)
        self.status.setText("")
        self.stack.setCurrentWidget(self.message)

    @Slot(bool)
    def _on_search_active(self, active: bool) -> None:
        if active:
            self.stack.setCurrentIndex(1)
        elif self.hit is None:
            self.stack.setCurrentWidget(self.message)

    @Slot()
    def _on_searched(self) -> None:
        self.status.setText(self.search.status)

    @Slot(object)
    def choose(self, hit: ElectorHit) -> None:
        """Fill the form from ``hit``'s register entry."""
        self.hit = hit
        db = self.work.db
        self.work.reads.submit(
            lambda: functools.partial(signer_from_elector, db, hit.elector_id),
            on_finished=functools.partial(self._on_prefilled, hit),
            on_failed=lambda m: self.status.setText(m),
        )

    def _on_prefilled(self, hit: ElectorHit, signer: Signer) -> None:
        if hit is not self.hit:
            return
        self.form.reset()
        self.form.thanks.hide()
        self.form.fill(signer)
        number = hit.number.removesuffix("/0")
        notes = []
        if hit.removed:
            notes.append("off the register: the signature will not count for a ward")
        if hit.do_not_contact:
            notes.append("asked not to be contacted: only tick “Keep me informed” if they ask")
        extra = f" ({'; '.join(notes)})" if notes else ""
        self.who.setText(f"From the register: {hit.name}, {number}{extra}")
        self.search.clear()
        self.status.setText("Check the details with them, tick their consent and let them sign.")
        self.stack.setCurrentWidget(self.form)
        self.form.consent.setFocus()
        self.prefilled.emit()

    @Slot()
    def find_again(self) -> None:
        """Back to the search, for another elector."""
        self.hit = None
        self.form.reset()
        self.stack.setCurrentWidget(self.message)
        self.search.box.setFocus()

    @Slot(object)
    def _sign(self, signer: Signer) -> None:
        details, hit = self.work.details, self.hit
        if details is None or hit is None:
            self.form.refused("Find the elector on the register first.")
            return
        db, collector = self.work.db, self.work.collector_name()
        self.work.writes.submit(
            lambda: functools.partial(
                sign,
                db,
                details.id,
                signer,
                method="doorstep",
                collector=collector,
                elector_id=hit.elector_id,
            ),
            on_finished=functools.partial(self._on_signed, signer.name),
            on_failed=self.form.refused,
        )

    def _on_signed(self, name: str, signature_id: str) -> None:
        self.form.saved("")
        self.form.thanks.hide()
        self.hit = None
        self.stack.setCurrentWidget(self.message)
        self.status.setText(f"Signed: {' '.join(name.split())}. Find the next person above.")
        self.search.box.setFocus()
        self.signed.emit(signature_id)

    def index_of(self, row: int) -> QModelIndex:
        """The search results' index of ``row`` (for choosing by hand)."""
        return self.search.model.index(row, 0)
