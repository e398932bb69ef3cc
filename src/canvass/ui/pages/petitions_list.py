"""The list of a campaign's petitions: each with its count against the council's threshold.

A campaign has a handful of petitions, so each is a card with its own
buttons rather than a row in a table.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from canvass.services.petition_counts import PetitionSummary
from canvass.ui.pages.common import READABLE_WIDTH, ScrollingPage, label, panel
from canvass.ui.pages.petitions_common import period_words, progress_words

#: The cards stop getting wider than this.
LIST_WIDTH = 980


class PetitionCard(QFrame):
    """One petition: title, addressee and dates, the count against the threshold, buttons.

    Signals:
        take: Take signatures for this petition.
        view: See its signatures.
        edit: Change it.
    """

    take = Signal(str)
    view = Signal(str)
    edit = Signal(str)

    def __init__(self, summary: PetitionSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = summary
        self.setObjectName("panel")
        column = QVBoxLayout(self)
        column.setContentsMargins(22, 16, 22, 16)
        column.setSpacing(6)
        top = QHBoxLayout()
        top.setSpacing(8)
        self.title = label(summary.title, "cardHeading", wrap=True)
        top.addWidget(self.title, 1)
        self.take_button = QPushButton("Take signatures")
        self.take_button.setObjectName("primary")
        self.take_button.setToolTip("At a stall, at the door from the register, or from paper")
        self.view_button = QPushButton("Signatures")
        self.view_button.setObjectName("secondary")
        self.view_button.setToolTip("Every signature, the counts, duplicates and withdrawals")
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setObjectName("secondary")
        self.edit_button.setToolTip("Change the text, addressee, dates, threshold or letter")
        for button, signal in (
            (self.take_button, self.take),
            (self.view_button, self.view),
            (self.edit_button, self.edit),
        ):
            button.clicked.connect(lambda _c=False, s=signal: s.emit(summary.id))
            top.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(top)
        to = f"To {summary.addressee}" if summary.addressee else "No addressee yet"
        ward = f" ({summary.ward_name})" if summary.ward_name else ""
        version = f" · text version {summary.text_version}" if summary.text_version > 1 else ""
        self.meta = label(
            f"{to}{ward} · {period_words(summary.opens_on, summary.closes_on)}{version}",
            "cardMeta",
            wrap=True,
        )
        column.addWidget(self.meta)
        figures = QHBoxLayout()
        figures.setSpacing(14)
        self.progress = QProgressBar()
        self.progress.setObjectName("petitionProgress")
        self.progress.setTextVisible(False)
        threshold = summary.threshold or 0
        self.progress.setRange(0, max(1, threshold))
        self.progress.setValue(min(summary.counted, threshold))
        self.progress.setVisible(bool(threshold))
        self.progress.setAccessibleName("Signatures counted against the threshold")
        self.figure = label(progress_words(summary.counted, summary.threshold), "cardFigure")
        excluded = f"{summary.excluded:,} excluded" if summary.excluded else ""
        self.excluded = label(excluded, "cardMeta")
        figures.addWidget(self.figure)
        figures.addWidget(self.progress, 1)
        figures.addWidget(self.excluded)
        if not threshold:
            figures.addStretch(1)
        column.addLayout(figures)
        # The count above includes what a retention purge saved: say how much, and why.
        self.saved = label(summary.saved_note, "cardMeta", wrap=True)
        self.saved.setVisible(bool(summary.saved_note))
        column.addWidget(self.saved)


class PetitionListView(ScrollingPage):
    """The heading, "New petition…", and a card per petition (or a calm empty state).

    Signals:
        new_requested: The person wants to write a new petition.
        take: A petition's id: take signatures.
        view: A petition's id: see its signatures.
        edit: A petition's id: change it.
    """

    new_requested = Signal()
    take = Signal(str)
    view = Signal(str)
    edit = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards: list[PetitionCard] = []
        column_widget = QWidget()
        column_widget.setMaximumWidth(LIST_WIDTH)
        column = QVBoxLayout(column_widget)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(16)
        heading = QHBoxLayout()
        heading.setSpacing(12)
        titles = QVBoxLayout()
        titles.setSpacing(6)
        titles.addWidget(label("Petitions", "pageTitle"))
        titles.addWidget(
            label(
                "Take signatures at a stall, at the door or from paper sheets, and see how "
                "close each petition is to the council's threshold.",
                "pageSubtitle",
                wrap=True,
            )
        )
        heading.addLayout(titles, 1)
        self.new_button = QPushButton("New petition…")
        self.new_button.setObjectName("primary")
        self.new_button.setToolTip("Write a new petition: its text, addressee, dates and threshold")
        self.new_button.clicked.connect(self.new_requested)
        heading.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignBottom)
        column.addLayout(heading)
        self.empty_panel, empty = panel()
        self.empty_panel.setMaximumWidth(READABLE_WIDTH)
        self.empty_title = label("No petitions yet", "sectionTitle")
        self.empty_text = label("", "hint", wrap=True)
        empty.addWidget(self.empty_title)
        empty.addWidget(self.empty_text)
        self.empty_panel.hide()
        column.addWidget(self.empty_panel)
        self.card_column = QVBoxLayout()
        self.card_column.setSpacing(12)
        column.addLayout(self.card_column)
        self.loading = label("Loading…", "hint")
        column.addWidget(self.loading)
        self.body.addWidget(column_widget)
        self.body.addStretch(1)

    def show_petitions(self, campaign: str, petitions: Sequence[PetitionSummary]) -> None:
        """Show a card per petition; the empty state when there are none (or no campaign)."""
        self.loading.hide()
        for card in self.cards:
            self.card_column.removeWidget(card)
            card.deleteLater()
        self.cards = []
        self.new_button.setEnabled(bool(campaign))
        if not campaign:
            self.new_button.setToolTip("Start the campaign first (Overview screen)")
            self.empty_title.setText("No campaign yet")
            self.empty_text.setText(
                "Petitions belong to a campaign. Start one on the Overview screen (or create "
                "the demo campaign from the File menu), then come back to write its petition."
            )
            self.empty_panel.show()
            return
        self.new_button.setToolTip("Write a new petition: its text, addressee, dates and threshold")
        self.empty_panel.setVisible(not petitions)
        if not petitions:
            self.empty_title.setText("No petitions yet")
            self.empty_text.setText(
                "Write the petition first: its exact text, who it is addressed to, when it "
                "closes and how many signatures the council asks for. Then take signatures at "
                "a stall, at the door, or type them in from paper sheets."
            )
        for summary in petitions:
            card = PetitionCard(summary)
            card.take.connect(self.take)
            card.view.connect(self.view)
            card.edit.connect(self.edit)
            self.card_column.addWidget(card)
            self.cards.append(card)

    def show_loading(self) -> None:
        """Nothing read yet."""
        self.loading.show()
