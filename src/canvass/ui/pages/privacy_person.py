"""The People tab's card: what is held about the person chosen, their rights, and the outcome.

The card only shows: the People tab (:mod:`canvass.ui.pages.privacy_people`)
reads the person, connects the three buttons to what they do, and tells the
card what came of it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from canvass.domain.suppression import DO_NOT_CONTACT
from canvass.ui.pages.common import label, panel
from canvass.ui.pages.privacy_common import KIND_WORDS, PersonSummary, plural, versions_text

#: The card's narrowest (pixels): its facts and buttons fit.
CARD_WIDTH = 360
NOBODY_TEXT = "Find someone on the left to see what is held about them and what you can do."
#: The facts the card lists, in order: key and name.
FACTS = (
    ("register", "Register entry"),
    ("visits", "Doorstep records"),
    ("signatures", "Petition signatures"),
    ("supporter", "Supporter records"),
    ("suppressions", "Suppressed"),
    ("notice", "Privacy notice seen"),
    ("consent", "Consent wording signed"),
)


def facts_of(summary: PersonSummary) -> dict[str, str]:
    """The card's facts about a person ("" for a fact that does not apply to them)."""
    elector = summary.person.kind == "elector"
    suppressed = ", ".join(s.replace("-", " ") for s in summary.suppressions) or "no"
    return {
        "register": summary.register if elector else "",
        "visits": plural(summary.visits, "record") if elector else "",
        "signatures": plural(summary.signatures, "signature")
        if elector or summary.signatures
        else "",
        "supporter": plural(summary.supporter_records, "reply slip")
        if summary.supporter_records
        else "",
        "suppressions": suppressed if elector else "",
        "notice": versions_text(summary.notice_versions, "version")
        if elector and summary.visits
        else "",
        "consent": versions_text(summary.consent_versions, "version") if summary.signatures else "",
    }


class PersonCard(QWidget):
    """The person chosen, with "Export…", "Suppress…" and "Erase…", and the latest outcome.

    Attributes:
        summary: Who is on show (None: nobody).
        last_folder: Where the latest subject-access files went ("Open the folder").
    """

    def __init__(self) -> None:
        super().__init__()
        self.summary: PersonSummary | None = None
        self.last_folder: Path | None = None
        self._acting = False
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        frame, body = panel()
        frame.setMinimumWidth(CARD_WIDTH)
        # In a small window the card scrolls rather than squeezing its wrapped lines.
        scroll = QScrollArea()
        scroll.setObjectName("privacyScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(frame)
        scroll.viewport().setAutoFillBackground(False)
        scroll.setMinimumWidth(CARD_WIDTH + scroll.verticalScrollBar().sizeHint().width())
        column.addWidget(scroll)
        self.person_box = QWidget()
        person = QVBoxLayout(self.person_box)
        person.setContentsMargins(0, 0, 0, 0)
        person.setSpacing(8)
        self.name = label("", "personName", selectable=True)
        self.name.setWordWrap(True)
        person.addWidget(self.name)
        kind_row = QHBoxLayout()
        kind_row.setSpacing(6)
        self.kind = label("", "kindBadge")
        kind_row.addWidget(self.kind)
        # Shown as soon as a suppression is recorded, so the card confirms it at a glance.
        self.suppressed_badge = label("", "suppressedBadge")
        self.suppressed_badge.hide()
        kind_row.addWidget(self.suppressed_badge)
        kind_row.addStretch(1)
        person.addLayout(kind_row)
        self.address = label("", "hint", wrap=True, selectable=True)
        person.addWidget(self.address)
        person.addLayout(self._build_facts())
        person.addSpacing(6)
        self._build_actions(person)
        body.addWidget(self.person_box)

        self.nobody = label(NOBODY_TEXT, "hint", wrap=True)
        body.addWidget(self.nobody)
        self.outcome = label("", "good", wrap=True, selectable=True)
        self.outcome.hide()
        body.addWidget(self.outcome)
        self.open_folder_button = QPushButton("Open the folder")
        self.open_folder_button.setObjectName("secondary")
        self.open_folder_button.setToolTip("Show the files just written in the file manager")
        self.open_folder_button.clicked.connect(self.open_folder)
        self.open_folder_button.hide()
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.open_folder_button)
        folder_row.addStretch(1)
        body.addLayout(folder_row)
        body.addStretch(1)
        self.show_person(None)

    def _build_facts(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        self.facts: dict[str, tuple[QLabel, QLabel]] = {}
        for row, (key, name) in enumerate(FACTS):
            title = label(name, "detailName")
            value = label("", "detailValue", wrap=True, selectable=True)
            grid.addWidget(title, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, 1)
            self.facts[key] = (title, value)
        grid.setColumnStretch(1, 1)
        return grid

    def _build_actions(self, layout: QVBoxLayout) -> None:
        self.export_button = QPushButton("Export everything held (subject access)…")
        self.export_button.setObjectName("primary")
        self.export_button.setToolTip(
            "Write a readable PDF and a JSON file of everything held about this person, "
            "for them, into a folder you choose"
        )
        self.suppress_button = QPushButton("Suppress…")
        self.suppress_button.setObjectName("secondary")
        self.erase_button = QPushButton("Erase…")
        self.erase_button.setObjectName("danger")
        self.erase_button.setToolTip(
            "Remove this person and everything recorded about them, on every laptop, for good"
        )
        export_row = QHBoxLayout()
        export_row.addWidget(self.export_button)
        export_row.addStretch(1)
        layout.addLayout(export_row)
        actions = QHBoxLayout()
        actions.setSpacing(10)
        actions.addWidget(self.suppress_button)
        actions.addWidget(self.erase_button)
        actions.addStretch(1)
        layout.addLayout(actions)

    def show_person(self, summary: PersonSummary | None) -> None:
        """Show what is held about one person, or the hint when nobody is chosen."""
        self.summary = summary
        self.person_box.setVisible(summary is not None)
        self.nobody.setVisible(summary is None)
        if summary is None:
            return
        person = summary.person
        self.name.setText(person.label)
        self.kind.setText(KIND_WORDS.get(person.kind, person.kind))
        scopes = ", ".join(s.replace("-", " ") for s in summary.suppressions)
        # One word, so the badges fit the narrowest card; which ones is in the facts below.
        self.suppressed_badge.setText("Suppressed" if scopes else "")
        self.suppressed_badge.setToolTip(f"Suppressed: {scopes}" if scopes else "")
        self.suppressed_badge.setVisible(bool(scopes))
        self.address.setText(", ".join(p for p in (person.address, person.postcode) if p))
        facts = facts_of(summary)
        for key, (title, value) in self.facts.items():
            value.setText(facts[key])
            title.setVisible(bool(facts[key]))
            value.setVisible(bool(facts[key]))
        self.set_acting(self._acting)

    def set_acting(self, acting: bool) -> None:
        """Whether a change is under way: the actions wait for it to end."""
        self._acting = acting
        summary = self.summary
        live = summary is not None and not acting
        self.export_button.setEnabled(live)
        self.erase_button.setEnabled(live)
        elector = summary is not None and summary.person.kind == "elector"
        everything = summary is not None and DO_NOT_CONTACT in summary.suppressions
        self.suppress_button.setEnabled(live and elector and not everything)
        if not elector:
            tip = "Only people on the register can be suppressed: the list finds them by it"
        elif everything:
            tip = "They asked not to be contacted at all already: nothing more to suppress"
        else:
            tip = "Record that they must not be contacted, knocked on or sent addressed mail"
        self.suppress_button.setToolTip(tip)

    def say(self, text: str, *, bad: bool = False, folder: Path | None = None) -> None:
        """Show the outcome of the latest action (nothing for "")."""
        self.outcome.setText(text)
        self.outcome.setVisible(bool(text))
        self.outcome.setObjectName("bad" if bad else "good")
        style = self.outcome.style()
        style.unpolish(self.outcome)
        style.polish(self.outcome)
        self.last_folder = folder if folder is not None else self.last_folder
        self.open_folder_button.setVisible(folder is not None)

    @Slot()
    def open_folder(self) -> None:
        """Show the folder of the files just written in the file manager."""
        if self.last_folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_folder)))
