"""The leaflet form's sections: pictures, Welsh, a meeting, a letter's parts, the reply slip.

Each section turns its fields into the matching part of a
:class:`~canvass.domain.leaflet_spec.LeafletSpec` (:meth:`value`) and back
(:meth:`set_value`), and says when anything in it changed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from canvass.domain.leaflet_spec import (
    DEAR_RESIDENT,
    SLIP_INTRO,
    SLIP_TICKS,
    YOURS_SINCERELY,
    Event,
    LeafletImage,
    Letter,
    ReplySlip,
    Signatory,
    Welsh,
)
from canvass.ui.pages.common import label
from canvass.ui.pages.leaflets_common import PICTURE_FILTER, lines_of, text_box
from canvass.ui.pages.petitions_common import line_field

MAX_IMAGES = 4
PLACEMENT_WORDS = {
    "hero": "Big, at the top",
    "body": "In the text",
    "logo": "Logo (small, in a corner)",
}
WELSH_LAYOUTS = {"side-by-side": "Side by side (Welsh on the left)", "welsh-first": "Welsh first"}


class Section(QWidget):
    """A column of captioned fields.

    Signals:
        changed: Something in the section was edited.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(4)

    def add(self, caption: str, widget: QWidget, help_text: str = "") -> QWidget:
        """``widget`` under a small caption (and over a help line), wired to :attr:`changed`."""
        if caption:
            title = label(caption, "fieldLabel")
            title.setBuddy(widget)
            self.column.addWidget(title)
        self.column.addWidget(widget)
        if help_text:
            self.column.addWidget(label(help_text, "helpLine", wrap=True))
        self.watch(widget)
        return widget

    def watch(self, widget: QWidget) -> None:
        """Emit :attr:`changed` whenever ``widget`` changes."""
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            widget.textChanged.connect(self.changed)
        elif isinstance(widget, QCheckBox):
            widget.toggled.connect(self.changed)
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(self.changed)

    def row(self, *widgets: tuple[str, QWidget]) -> None:
        """Captioned fields side by side."""
        row = QHBoxLayout()
        row.setSpacing(10)
        for caption, widget in widgets:
            cell = QVBoxLayout()
            cell.setSpacing(4)
            title = label(caption, "fieldLabel")
            title.setBuddy(widget)
            cell.addWidget(title)
            cell.addWidget(widget)
            row.addLayout(cell, 1)
            self.watch(widget)
        self.column.addLayout(row)


def tick(text: str, tip: str = "") -> QCheckBox:
    """A styled tick box."""
    box = QCheckBox(text)
    box.setObjectName("tick")
    if tip:
        box.setToolTip(tip)
    return box


class ImagesField(Section):
    """Up to four pictures, each with a caption and where it goes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.images: list[LeafletImage] = []
        self.list = QListWidget()
        self.list.setObjectName("imageList")
        self.list.setMaximumHeight(86)
        self.list.currentRowChanged.connect(self._show_current)
        self.column.addWidget(self.list)
        self.empty = label("No pictures. A photo or a logo makes a leaflet stand out.", "helpLine")
        self.column.addWidget(self.empty)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add picture…")
        self.add_button.setObjectName("secondary")
        self.add_button.clicked.connect(self.ask_picture)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setObjectName("secondary")
        self.remove_button.clicked.connect(self.remove_current)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        self.column.addLayout(buttons)
        self.caption = line_field("Optional: a few words under the picture")
        self.placement = QComboBox()
        for key, words in PLACEMENT_WORDS.items():
            self.placement.addItem(words, key)
        self.details = QWidget()
        details = Section(self.details)
        inner = QVBoxLayout(self.details)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(details)
        details.row(("Caption", self.caption), ("Where it goes", self.placement))
        self.column.addWidget(self.details)
        self.caption.textEdited.connect(self._edit_current)
        self.placement.activated.connect(self._edit_current)
        self._refresh()

    def value(self) -> tuple[LeafletImage, ...]:
        """The pictures, in order."""
        return tuple(self.images)

    def set_value(self, images: tuple[LeafletImage, ...]) -> None:
        """Show ``images``."""
        self.images = list(images)
        self._refresh()
        self.list.setCurrentRow(0 if self.images else -1)

    @Slot()
    def ask_picture(self) -> None:
        """Choose a picture file and add it."""
        if len(self.images) >= MAX_IMAGES:
            return
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Add a picture", str(Path.home()), PICTURE_FILTER
        )
        if chosen:
            self.add_picture(chosen)

    def add_picture(self, path: str) -> None:
        """Add the picture at ``path``: the first goes at the top, later ones in the text."""
        placement = "hero" if not any(i.placement == "hero" for i in self.images) else "body"
        self.images.append(LeafletImage(str(Path(path).resolve()), "", placement))
        self._refresh()
        self.list.setCurrentRow(len(self.images) - 1)
        self.changed.emit()

    @Slot()
    def remove_current(self) -> None:
        """Take the chosen picture off the leaflet."""
        row = self.list.currentRow()
        if 0 <= row < len(self.images):
            del self.images[row]
            self._refresh()
            self.list.setCurrentRow(min(row, len(self.images) - 1))
            self.changed.emit()

    def _refresh(self) -> None:
        row = self.list.currentRow()
        self.list.blockSignals(True)
        self.list.clear()
        for image in self.images:
            words = PLACEMENT_WORDS[image.placement].split(" (")[0]
            item = QListWidgetItem(f"{Path(image.path).name}  ·  {words}")
            item.setToolTip(image.path)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.list.setCurrentRow(min(row, len(self.images) - 1))
        has = bool(self.images)
        self.list.setVisible(has)
        self.details.setVisible(has)
        self.empty.setVisible(not has)
        self.add_button.setEnabled(len(self.images) < MAX_IMAGES)
        self._show_current(self.list.currentRow())

    @Slot(int)
    def _show_current(self, row: int) -> None:
        current = self.images[row] if 0 <= row < len(self.images) else None
        for widget in (self.caption, self.placement, self.remove_button):
            widget.setEnabled(current is not None)
        self.caption.blockSignals(True)
        self.caption.setText(current.caption if current else "")
        self.caption.blockSignals(False)
        self.placement.blockSignals(True)
        self.placement.setCurrentIndex(self.placement.findData(current.placement) if current else 0)
        self.placement.blockSignals(False)

    def _edit_current(self, *_args: object) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.images):
            old = self.images[row]
            self.images[row] = LeafletImage(
                old.path, self.caption.text(), str(self.placement.currentData())
            )
            item = self.list.item(row)
            words = PLACEMENT_WORDS[self.images[row].placement].split(" (")[0]
            item.setText(f"{Path(old.path).name}  ·  {words}")
            self.changed.emit()


class WelshFields(Section):
    """A bilingual leaflet's Welsh text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.on = tick("Bilingual: Welsh and English", "Print the Welsh text beside the English")
        self.column.addWidget(self.on)
        self.watch(self.on)
        self.fields = QWidget()
        self.fields_box = Section(self.fields)
        inner = QVBoxLayout(self.fields)
        inner.setContentsMargins(18, 2, 0, 0)
        inner.addWidget(self.fields_box)
        self.headline = line_field("Pennawd")
        self.subheading = line_field("Is-bennawd")
        self.body = text_box("Y prif destun", 4)
        self.layout_choice = QComboBox()
        for key, words in WELSH_LAYOUTS.items():
            self.layout_choice.addItem(words, key)
        self.fields_box.add("Welsh headline", self.headline)
        self.fields_box.add("Welsh subheading", self.subheading)
        self.fields_box.add("Welsh text", self.body)
        self.fields_box.add("Layout", self.layout_choice)
        self.fields_box.changed.connect(self.changed)
        self.column.addWidget(self.fields)
        self.on.toggled.connect(self.fields.setVisible)
        self.fields.hide()

    def value(self) -> Welsh | None:
        """The Welsh text, if the leaflet is bilingual."""
        if not self.on.isChecked():
            return None
        return Welsh(
            self.headline.text(),
            self.subheading.text(),
            self.body.toPlainText(),
            str(self.layout_choice.currentData()),
        )

    def set_value(self, welsh: Welsh | None) -> None:
        """Show ``welsh`` (None: English only)."""
        self.on.setChecked(welsh is not None)
        w = welsh or Welsh()
        self.headline.setText(w.headline)
        self.subheading.setText(w.subheading)
        self.body.setPlainText(w.body)
        self.layout_choice.setCurrentIndex(max(0, self.layout_choice.findData(w.layout)))


class EventFields(Section):
    """A public meeting: what, when, where, who speaks, admission."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.required = False
        self.optional = tick("Announce a meeting", "Add what, when and where to this leaflet")
        self.column.addWidget(self.optional)
        self.watch(self.optional)
        self.fields = QWidget()
        self.fields_box = Section(self.fields)
        inner = QVBoxLayout(self.fields)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.fields_box)
        self.what = line_field("e.g. Public meeting")
        self.when = line_field("e.g. Thursday 12 March, 7pm (doors 6.30pm)")
        self.where = line_field("e.g. Sampleton Community Hall, Mill Lane")
        self.speakers = text_box("One speaker per line", 3)
        self.admission = line_field("e.g. Free. Everyone welcome. Step-free access.")
        self.fields_box.add("What", self.what)
        self.fields_box.add("When", self.when)
        self.fields_box.add("Where", self.where)
        self.fields_box.add("Speakers", self.speakers, "One per line, with who they are.")
        self.fields_box.add("Admission", self.admission)
        self.fields_box.changed.connect(self.changed)
        self.column.addWidget(self.fields)
        self.optional.toggled.connect(lambda on: self.fields.setVisible(on or self.required))
        self.fields.hide()

    def set_required(self, required: bool) -> None:
        """Posters always announce a meeting; other leaflets may."""
        self.required = required
        self.optional.setVisible(not required)
        self.fields.setVisible(required or self.optional.isChecked())

    def value(self) -> Event | None:
        """The meeting, if there is one."""
        if not (self.required or self.optional.isChecked()):
            return None
        return Event(
            self.what.text(),
            self.when.text(),
            self.where.text(),
            lines_of(self.speakers.toPlainText()),
            self.admission.text(),
        )

    def set_value(self, event: Event | None) -> None:
        """Show ``event`` (None: no meeting)."""
        self.optional.setChecked(event is not None)
        e = event or Event("", "", "")
        self.what.setText(e.what)
        self.when.setText(e.when)
        self.where.setText(e.where)
        self.speakers.setPlainText("\n".join(e.speakers))
        self.admission.setText(e.admission)


def signatory_lines(signatories: tuple[Signatory, ...]) -> str:
    """Signatories as the form shows them: "Name, role" per line."""
    return "\n".join(f"{s.name}, {s.role}" if s.role else s.name for s in signatories)


def signatories_of(text: str) -> tuple[Signatory, ...]:
    """Signatories from "Name, role" lines (the role is everything after the first comma)."""
    out = []
    for line in lines_of(text):
        name, _, role = line.partition(",")
        out.append(Signatory(name.strip(), role.strip()))
    return tuple(out)


class LetterFields(Section):
    """A letter: who it goes to, the greeting, the text, the sign-off and who signs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.recipient = text_box("Cllr A. Testperson\nExampleton Borough Council\n…", 4)
        self.salutation = line_field(DEAR_RESIDENT)
        self.body = text_box("The letter itself", 8)
        self.sign_off = line_field(YOURS_SINCERELY)
        self.signatories = text_box("Dr B. Example, Chair\nSiân Exampleton-Jones, Secretary", 3)
        self.date = line_field("Empty: the day it is printed")
        self.add(
            "Recipient's name and address",
            self.recipient,
            "One line each. A personalised mail merge fills this in for every household.",
        )
        self.add("Greeting", self.salutation)
        self.add("Letter text", self.body)
        self.row(("Sign-off", self.sign_off), ("Date", self.date))
        self.add("Signed by", self.signatories, "One per line: the name, a comma, their role.")

    def value(self) -> Letter:
        """The letter's parts."""
        return Letter(
            body=self.body.toPlainText(),
            recipient=lines_of(self.recipient.toPlainText()),
            salutation=self.salutation.text().strip() or DEAR_RESIDENT,
            sign_off=self.sign_off.text().strip() or YOURS_SINCERELY,
            signatories=signatories_of(self.signatories.toPlainText()),
            date=self.date.text(),
        )

    def set_value(self, letter: Letter | None) -> None:
        """Show ``letter`` (None: an empty one)."""
        x = letter or Letter(body="")
        self.recipient.setPlainText("\n".join(x.recipient))
        self.salutation.setText(x.salutation if x.salutation != DEAR_RESIDENT else "")
        self.body.setPlainText(x.body)
        self.sign_off.setText(x.sign_off if x.sign_off != YOURS_SINCERELY else "")
        self.signatories.setPlainText(signatory_lines(x.signatories))
        self.date.setText(x.date)


class SlipFields(Section):
    """The cut-off reply slip: what it asks, its tick boxes, where to send it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro = text_box(SLIP_INTRO, 2)
        self.ticks = text_box("\n".join(SLIP_TICKS), 3)
        self.return_to = line_field("e.g. 12 Example Street, or the library desk")
        self.consent = text_box("Empty: a plain consent line naming the campaign", 2)
        self.add("What the slip says", self.intro)
        self.add("Tick boxes", self.ticks, "One per line, e.g. “Keep me informed”, “I can help”.")
        self.add("Return it to", self.return_to)
        self.add("Consent wording", self.consent)

    def value(self) -> ReplySlip:
        """The slip."""
        ticks = lines_of(self.ticks.toPlainText())
        return ReplySlip(
            self.intro.toPlainText().strip() or SLIP_INTRO,
            ticks or SLIP_TICKS,
            self.return_to.text(),
            self.consent.toPlainText(),
        )

    def set_value(self, slip: ReplySlip | None) -> None:
        """Show ``slip`` (None: the standard one)."""
        s = slip or ReplySlip()
        self.intro.setPlainText(s.intro if s.intro != SLIP_INTRO else "")
        self.ticks.setPlainText("\n".join(s.ticks) if s.ticks != SLIP_TICKS else "")
        self.return_to.setText(s.return_to)
        self.consent.setPlainText(s.consent)
