"""Writing a petition, or changing one: its text, who it goes to, dates, threshold, letter.

The text people sign is versioned: changing it starts a new version, and
signatures already taken keep the version they saw (the bundle prints how
many signed each). Saving runs on the window's task runner.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from canvass.services.petitions import PetitionDraft, create_petition, update_petition
from canvass.ui.pages.common import ScrollingPage, label, panel
from canvass.ui.pages.petitions_common import PetitionDetails, line_field
from canvass.ui.pages.petitions_list import LIST_WIDTH

if TYPE_CHECKING:
    from canvass.ui.pages.petitions_page import PetitionsPage

LETTER_HINT = (
    "Dear Councillor …, We enclose a petition signed by … residents of … asking the council "
    "to … We would welcome the chance to present it at the next meeting of …"
)


def text_box(placeholder: str, height: int) -> QPlainTextEdit:
    """A plain multi-line field of about ``height`` pixels."""
    edit = QPlainTextEdit()
    edit.setObjectName("textField")
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(height)
    edit.setMaximumHeight(height + 40)
    return edit


class OptionalDate(QWidget):
    """A tick and a date: no date until ticked."""

    def __init__(self, text: str, tip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self.tick = QCheckBox(text)
        self.tick.setObjectName("tick")
        self.tick.setToolTip(tip)
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("d MMM yyyy")
        self.edit.setDate(QDate.currentDate())
        self.edit.setEnabled(False)
        self.edit.setMinimumWidth(130)
        self.tick.toggled.connect(self.edit.setEnabled)
        row.addWidget(self.tick)
        row.addWidget(self.edit)
        row.addStretch(1)

    def value(self) -> dt.date | None:
        """The date, if ticked."""
        if not self.tick.isChecked():
            return None
        day = self.edit.date()
        return dt.date(day.year(), day.month(), day.day())

    def set_value(self, day: dt.date | None) -> None:
        """Tick and show ``day``, or untick for none."""
        self.tick.setChecked(day is not None)
        self.edit.setDate(
            QDate(day.year, day.month, day.day) if day is not None else QDate.currentDate()
        )


class PetitionEditor(ScrollingPage):
    """The petition's fields, Save and Cancel.

    Signals:
        saved: The petition's id, once saved.
        cancelled: The person left without saving.
    """

    saved = Signal(str)
    cancelled = Signal()

    def __init__(self, page: PetitionsPage) -> None:
        super().__init__()
        self.page = page
        self.details: PetitionDetails | None = None
        self.saving = False
        column_widget = QWidget()
        column_widget.setMaximumWidth(LIST_WIDTH)
        column = QVBoxLayout(column_widget)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(14)
        heading = QHBoxLayout()
        heading.setSpacing(10)
        self.heading = label("New petition", "pageTitle")
        heading.addWidget(self.heading, 1)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("secondary")
        self.cancel_button.clicked.connect(self.cancelled)
        self.save_button = QPushButton("Save petition")
        self.save_button.setObjectName("primary")
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        heading.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignBottom)
        heading.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignBottom)
        column.addLayout(heading)
        self.subtitle = label("", "pageSubtitle", wrap=True)
        column.addWidget(self.subtitle)
        self.error = label("", "inlineError", wrap=True)
        self.error.hide()
        column.addWidget(self.error)
        row = QHBoxLayout()
        row.setSpacing(16)
        row.addWidget(self._build_text(), 3)
        row.addWidget(self._build_addressee(), 2)
        column.addLayout(row)
        letter_frame, letter = panel()
        letter.addWidget(label("Covering letter", "sectionTitle"))
        letter.addWidget(
            label(
                "Printed at the front of the bundle handed to the councillor, with the count "
                "against the threshold and how to check the bundle.",
                "padHint",
                wrap=True,
            )
        )
        self.letter = text_box(LETTER_HINT, 110)
        letter.addWidget(self.letter)
        column.addWidget(letter_frame)
        self.body.addWidget(column_widget)
        self.body.addStretch(1)
        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.save)
        self.text.textChanged.connect(self._on_text)

    def _build_text(self) -> QWidget:
        frame, box = panel()
        box.setSpacing(4)
        box.addWidget(label("What people sign", "sectionTitle"))
        self.title = line_field("e.g. Keep the library open six days a week")
        self.title.setMaxLength(300)
        self.text = text_box("We the undersigned call on … Council to …", 120)
        self.version_note = label("", "padHint", wrap=True)
        self.consent = text_box(
            "Leave empty for the standard wording: the campaign keeps name, address and "
            "signature to present the petition, and deletes them within six months.",
            70,
        )
        for caption, widget in (
            ("Title", self.title),
            ("The exact text", self.text),
            ("", self.version_note),
            ("Privacy and consent wording (shown to every signer)", self.consent),
        ):
            if caption:
                box.addWidget(label(caption, "fieldLabel"))
            box.addWidget(widget)
        box.addStretch(1)
        return frame

    def _build_addressee(self) -> QWidget:
        frame, box = panel()
        box.setSpacing(4)
        box.addWidget(label("Who it goes to", "sectionTitle"))
        self.addressee = line_field("e.g. Councillor A. Example")
        self.ward = line_field("The councillor's ward")
        self.council_address = text_box("The council's postal address", 52)
        self.lead = line_field("Who presents it for the campaign")
        for caption, widget in (
            ("Councillor(s)", self.addressee),
            ("Ward", self.ward),
            ("Council address", self.council_address),
            ("Lead petitioner", self.lead),
        ):
            box.addWidget(label(caption, "fieldLabel"))
            box.addWidget(widget)
        grid = QGridLayout()
        grid.setVerticalSpacing(4)
        self.opens = OptionalDate("Opens on", "The first day signatures are taken")
        self.closes = OptionalDate("Closes on", "After this day no signature can be taken")
        grid.addWidget(self.opens, 0, 0)
        grid.addWidget(self.closes, 1, 0)
        box.addLayout(grid)
        box.addWidget(label("The council's threshold", "fieldLabel"))
        self.threshold = QSpinBox()
        self.threshold.setRange(0, 10_000_000)
        self.threshold.setSpecialValueText("None set")
        self.threshold.setGroupSeparatorShown(True)
        self.threshold.setSingleStep(50)
        self.threshold.setMaximumWidth(160)
        self.threshold.setToolTip("How many signatures the council's scheme asks for (0: none)")
        box.addWidget(self.threshold)
        box.addStretch(1)
        return frame

    # -- filling in -------------------------------------------------------------------------------

    def load(self, details: PetitionDetails | None) -> None:
        """Show ``details`` to change, or empty fields for a new petition."""
        self.details = details
        self.saving = False
        self.save_button.setEnabled(True)
        self.error.hide()
        draft = details.draft if details is not None else PetitionDraft("", "")
        self.heading.setText("Edit petition" if details else "New petition")
        self.subtitle.setText(
            "Signatures record the version of the text they saw: changing the text starts a "
            "new version."
            if details
            else "Write it exactly as people will sign it. You can take signatures as soon as "
            "it is saved."
        )
        self.title.setText(draft.title)
        self.text.setPlainText(draft.text)
        self.consent.setPlainText(draft.consent_wording)
        self.addressee.setText(draft.addressee)
        self.ward.setText(draft.ward_name)
        self.council_address.setPlainText(draft.council_address)
        self.lead.setText(draft.lead_petitioner)
        self.opens.set_value(draft.opens_on)
        self.closes.set_value(draft.closes_on)
        self.threshold.setValue(draft.threshold or 0)
        self.letter.setPlainText(draft.letter_text)
        self._on_text()
        self.title.setFocus()

    def draft(self) -> PetitionDraft:
        """What the fields hold, as the services take it."""
        return PetitionDraft(
            title=self.title.text(),
            text=self.text.toPlainText(),
            addressee=self.addressee.text(),
            ward_name=self.ward.text(),
            council_address=self.council_address.toPlainText(),
            lead_petitioner=self.lead.text(),
            opens_on=self.opens.value(),
            closes_on=self.closes.value(),
            threshold=self.threshold.value() or None,
            consent_wording=self.consent.toPlainText(),
            letter_text=self.letter.toPlainText(),
        )

    @Slot()
    def _on_text(self) -> None:
        details = self.details
        if details is None:
            self.version_note.setText("This is version 1 of the text.")
            self.version_note.setObjectName("padHint")
        elif self.text.toPlainText().strip() != details.draft.text.strip():
            taken = details.signatures
            self.version_note.setText(
                f"Saving starts version {details.text_version + 1} of the text. "
                f"The {taken:,} signature{'s' * (taken != 1)} already taken keep version "
                f"{details.text_version}, the text they saw."
            )
            self.version_note.setObjectName("inlineWarning")
        else:
            self.version_note.setText(
                f"Version {details.text_version} of the text. Changing it starts a new "
                "version; signatures already taken keep the one they saw."
            )
            self.version_note.setObjectName("padHint")
        self.version_note.style().unpolish(self.version_note)
        self.version_note.style().polish(self.version_note)

    # -- saving -----------------------------------------------------------------------------------

    @Slot()
    def save(self) -> None:
        """Save the petition on the task runner."""
        if self.saving:
            return
        draft, db = self.draft(), self.page.main.db
        details = self.details
        self.saving = True
        self.save_button.setEnabled(False)
        self.error.hide()
        if details is None:
            self.page.writes.submit(
                lambda: functools.partial(create_petition, db, draft),
                on_finished=self._on_saved,
                on_failed=self._on_failed,
            )
        else:
            self.page.writes.submit(
                lambda: functools.partial(update_petition, db, details.id, draft),
                on_finished=lambda _r: self._on_saved(details.id),
                on_failed=self._on_failed,
            )

    def _on_saved(self, petition_id: str) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        self.saved.emit(petition_id)

    def _on_failed(self, message: str) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        self.error.setText(message)
        self.error.show()
