"""The leaflet editor's form: every field of a :class:`LeafletSpec`, in the order people write.

The form shows the sections its template uses (a meeting on posters, the
letter's parts on letters, the slip on reply-slip leaflets) and keeps the
others' text while hidden, so switching templates loses nothing.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from canvass.domain.leaflet_spec import FONTS, PALETTE, TEMPLATES, LeafletSpec, QRCode
from canvass.ui.pages.common import label
from canvass.ui.pages.leaflets_common import text_box
from canvass.ui.pages.leaflets_fields import (
    EventFields,
    ImagesField,
    LetterFields,
    Section,
    SlipFields,
    WelshFields,
    tick,
)
from canvass.ui.pages.petitions_common import line_field

BODY_HELP = (
    "**bold**   *italic*   a line starting “- ” is a bullet   a blank line starts a new paragraph"
)
IMPRINT_NOTE = (
    "Election material (promoting a candidate or party) must by law carry an imprint: who "
    "promoted it, their address, on whose behalf, and the printer. canvass prints the campaign's "
    "imprint on every copy and will not print election material without one."
)
SIDE_WORDS = {1: "One side", 2: "Two sides (front and back)"}
S = TypeVar("S", bound=Section)


def colour_icon(hex_colour: str) -> QIcon:
    """A small swatch of ``hex_colour``."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(QColor(hex_colour))
    return QIcon(pixmap)


def font_words(description: str) -> tuple[str, str]:
    """A font's menu entry and its tooltip: "Roboto — plain and modern"."""
    name, _, rest = description.partition(": ")
    return f"{name} — {rest.split(' (')[0]}", description


class LeafletForm(QScrollArea):
    """The form on the editor's left.

    Signals:
        changed: Any field was edited (not when a whole leaflet is loaded: see :meth:`load`).
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formScroll")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.template = "a5-flyer"
        self._loading = False
        content = QWidget()
        self.column = QVBoxLayout(content)
        self.column.setContentsMargins(2, 0, 14, 12)
        self.column.setSpacing(6)
        self.setWidget(content)
        self.sections: list[Section] = []
        self._build_about()
        self._build_words()
        self.meeting = self._section("A meeting", EventFields())
        self.slip = self._section("The reply slip", SlipFields())
        self.images = self._section("Pictures", ImagesField())
        self._build_qr_and_contact()
        self._build_look()
        self.welsh = self._section("Welsh", WelshFields())
        self.column.addStretch(1)
        for section in self.sections:
            section.changed.connect(self._on_changed)
        self.set_template(self.template)

    # -- layout -----------------------------------------------------------------------------

    def _heading(self, text: str) -> QWidget:
        heading = label(text, "formSection")
        self.column.addSpacing(6)
        self.column.addWidget(heading)
        return heading

    def _section(self, title: str, section: S) -> S:
        heading = self._heading(title)
        section.setProperty("heading", heading)
        self.column.addWidget(section)
        self.sections.append(section)
        return section

    def _build_about(self) -> None:
        about = self._section("About this leaflet", Section())
        self.title_field = line_field("e.g. Library meeting poster")
        about.add("Name", self.title_field, "For your list of leaflets and the PDF's file name.")
        kind = QHBoxLayout()
        kind.setSpacing(16)
        self.community = QRadioButton("Community material")
        self.election = QRadioButton("Election material")
        self.community.setChecked(True)
        self.kinds = QButtonGroup(self)
        for button in (self.community, self.election):
            self.kinds.addButton(button)
            kind.addWidget(button)
        kind.addStretch(1)
        about.column.addSpacing(4)
        about.column.addLayout(kind)
        self.election.toggled.connect(about.changed)
        self.imprint_note = label(IMPRINT_NOTE, "helpLine", wrap=True)
        about.column.addWidget(self.imprint_note)
        self.commercial = tick("Printed by a print shop", "The imprint then names the printer too")
        about.column.addWidget(self.commercial)
        about.watch(self.commercial)
        self.election.toggled.connect(self.commercial.setVisible)
        self.commercial.hide()

    def _build_words(self) -> None:
        self.words = self._section("The words", Section())
        self.headline = line_field("The big words at the top")
        self.subheading = line_field("Optional: a line under the headline")
        self.body = text_box("The main text", 7)
        self.words.add("Headline", self.headline)
        self.words.add("Subheading", self.subheading)
        self.words.add("Text", self.body, BODY_HELP)
        self.letter = self._section("The letter", LetterFields())

    def _build_qr_and_contact(self) -> None:
        section = self._section("QR code and contact details", Section())
        self.qr_data = line_field("e.g. https://example.org/petition")
        self.qr_caption = line_field("e.g. Sign online")
        section.add("QR code link", self.qr_data, "Empty: no QR code.")
        section.add("Words under the QR code", self.qr_caption)
        self.contact = text_box("Who to contact: name, email, phone", 3)
        section.add("Contact details", self.contact)

    def _build_look(self) -> None:
        look = self._section("Look", Section())
        self.colour = QComboBox()
        for name, colour in PALETTE.items():
            self.colour.addItem(colour_icon(colour.hex), name.capitalize(), name)
        self.font_choice = QComboBox()
        for key, description in FONTS.items():
            words, tip = font_words(description)
            self.font_choice.addItem(words, key)
            self.font_choice.setItemData(
                self.font_choice.count() - 1, tip, Qt.ItemDataRole.ToolTipRole
            )
        self.sides = QComboBox()
        look.row(("Colour", self.colour), ("Sides", self.sides))
        look.add("Font", self.font_choice)

    # -- the template ---------------------------------------------------------------------

    def set_template(self, name: str) -> None:
        """Show the sections ``name`` uses, and its choice of sides."""
        self.template = name
        template = TEMPLATES[name]
        letter = name == "a4-letter"
        shown = {
            self.words: not letter,
            self.letter: letter,
            self.meeting: not letter,
            self.slip: name == "reply-slip",
            self.welsh: not letter,
        }
        for section, visible in shown.items():
            section.setVisible(visible)
            section.property("heading").setVisible(visible)
        self.meeting.set_required(template.needs == "event")
        self.qr_data.setEnabled(not letter)
        self.qr_caption.setEnabled(not letter)
        current = self.sides.currentData()
        self.sides.blockSignals(True)
        self.sides.clear()
        for n in template.sides:
            self.sides.addItem(SIDE_WORDS.get(n, str(n)), n)
        index = self.sides.findData(current)
        self.sides.setCurrentIndex(index if index >= 0 else 0)
        self.sides.blockSignals(False)
        self.sides.setEnabled(len(template.sides) > 1)

    # -- to and from a spec --------------------------------------------------------------

    def spec(self) -> LeafletSpec:
        """What the form holds, as a spec of its template."""
        name = self.template
        letter = name == "a4-letter"
        qr_data = self.qr_data.text().strip()
        return LeafletSpec(
            template=name,
            title=self.title_field.text().strip(),
            election_material=self.election.isChecked(),
            printed_commercially=self.election.isChecked() and self.commercial.isChecked(),
            headline="" if letter else self.headline.text(),
            subheading="" if letter else self.subheading.text(),
            body="" if letter else self.body.toPlainText(),
            sides=int(self.sides.currentData() or TEMPLATES[name].sides[0]),
            images=self.images.value(),
            qr=QRCode(qr_data, self.qr_caption.text()) if qr_data and not letter else None,
            contact=self.contact.toPlainText(),
            colour=str(self.colour.currentData()),
            font=str(self.font_choice.currentData()),
            bilingual_welsh=None if letter else self.welsh.value(),
            event=None if letter else self.meeting.value(),
            letter=self.letter.value() if letter else None,
            reply_slip=self.slip.value() if name == "reply-slip" else None,
        )

    def load(self, spec: LeafletSpec) -> None:
        """Fill every field from ``spec``; emits :attr:`changed` once."""
        self._loading = True
        try:
            self.set_template(spec.template)
            self.title_field.setText(spec.title)
            (self.election if spec.election_material else self.community).setChecked(True)
            self.commercial.setChecked(spec.printed_commercially)
            self.headline.setText(spec.headline)
            self.subheading.setText(spec.subheading)
            self.body.setPlainText(spec.body)
            self.sides.setCurrentIndex(max(0, self.sides.findData(spec.sides)))
            self.images.set_value(spec.images)
            self.qr_data.setText(spec.qr.data if spec.qr else "")
            self.qr_caption.setText(spec.qr.caption if spec.qr else "")
            self.contact.setPlainText(spec.contact)
            self.colour.setCurrentIndex(max(0, self.colour.findData(spec.colour)))
            self.font_choice.setCurrentIndex(max(0, self.font_choice.findData(spec.font)))
            self.welsh.set_value(spec.bilingual_welsh)
            self.meeting.set_value(spec.event)
            self.letter.set_value(spec.letter)
            self.slip.set_value(spec.reply_slip)
            for edit in self.findChildren(QLineEdit):
                edit.setCursorPosition(0)
            self.verticalScrollBar().setValue(0)
        finally:
            self._loading = False
        self.changed.emit()

    @Slot()
    def _on_changed(self) -> None:
        if not self._loading:
            self.changed.emit()
