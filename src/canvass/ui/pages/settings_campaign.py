"""The Settings screen's "Campaign and imprint" section.

UK electoral law requires an imprint on election material: who promoted it,
on whose behalf, the promoter's postal address and, when a print shop prints
it, the printer. canvass puts it on every leaflet, walk sheet and bundle, so
it is set once here. The section reads the campaign on the window's reads
runner, shows the imprint as it will print while the person types, and saves
on the task runner; when the service refuses, its message shows under the
fields and nothing is saved.

The address is typed on several lines and stored on one, with the lines
joined by commas, as it prints.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from canvass.services.campaigns import (
    Imprint,
    campaign_imprint,
    current_campaign,
    set_campaign_imprint,
)
from canvass.services.leaflets import leaflet_imprint
from canvass.storage.database import Database
from canvass.storage.tables import Campaign
from canvass.ui import theme
from canvass.ui.pages.common import label
from canvass.ui.pages.settings_save import start_save

if TYPE_CHECKING:
    from canvass.ui.main_window import MainWindow

ERROR_STYLE = "color: #A8322A; font-size: 10pt;"
GOOD_STYLE = f"color: {theme.BRAND_DARK}; font-size: 10pt; font-weight: 600;"
NOTE = (
    "UK electoral law requires an imprint on election material. canvass prints this one on "
    "every leaflet, walk sheet and bundle, so every laptop prints the same."
)
PRINTER_NOTE = "Only when a print shop prints it; leave it empty when you print it yourselves."
NO_CAMPAIGN = (
    "This database has no campaign yet. Start one on the Overview page, then come back here "
    "to set the imprint your leaflets and walk sheets will carry."
)
NOT_READY = "Fill in the promoter's name to see the imprint as it will print."
STYLE = f"""
QLineEdit#field, QPlainTextEdit#field {{
    border: 1px solid #C5CED6; border-radius: 6px; padding: 5px 9px; background: {theme.SURFACE};
    font-size: 10pt;
}}
QLineEdit#field:focus, QPlainTextEdit#field:focus {{ border-color: {theme.BRAND}; }}
QLabel#fieldLabel {{ color: {theme.MUTED}; font-size: 9pt; font-weight: 600; }}
QLabel#campaignName {{ color: {theme.INK}; font-size: 11pt; font-weight: 600; }}
QFrame#imprintPreview {{
    background: {theme.BRAND_TINT}; border: none; border-radius: 8px;
}}
QLabel#previewText {{ color: {theme.INK}; font-size: 10pt; }}
QLabel#previewText[empty="true"] {{ color: {theme.MUTED}; font-style: italic; }}
"""


@dataclass(frozen=True, slots=True)
class CampaignImprint:
    """The campaign's name and its imprint as stored."""

    name: str
    imprint: Imprint


def read_campaign_imprint(db: Database) -> tuple[Database, CampaignImprint | None]:
    """The campaign and its imprint (None with no campaign), with the database it came from.

    Runs on the reads runner.
    """
    with db.read() as session:
        campaign = current_campaign(session)
        if campaign is None:
            return db, None
        name = campaign.name
    return db, CampaignImprint(name, campaign_imprint(db))


def one_line(text: str) -> str:
    """``text`` as the service stores it: whitespace runs made single spaces."""
    return " ".join(text.split())


def address_from_lines(text: str) -> str:
    """A typed address on one line, its lines joined by commas."""
    lines = (one_line(line).strip(" ,") for line in text.splitlines())
    return ", ".join(line for line in lines if line)


def address_to_lines(address: str) -> str:
    """A stored address shown a part a line, to edit."""
    return "\n".join(part.strip() for part in address.split(",") if part.strip())


def imprint_preview(imprint: Imprint) -> str:
    """The imprint as leaflets print it, or "" while there is no promoter."""
    if not imprint.promoter.strip():
        return ""
    return leaflet_imprint(
        Campaign(
            name="",
            organisation="",
            imprint_promoter=imprint.promoter,
            imprint_on_behalf_of=imprint.on_behalf_of,
            imprint_address=imprint.address,
            imprint_printer=imprint.printer,
        )
    )


def field_label(text: str, buddy: QWidget) -> QWidget:
    """A field's caption; a click on it (or its shortcut) goes to ``buddy``."""
    caption = label(text, "fieldLabel")
    caption.setBuddy(buddy)
    return caption


class CampaignEditor(QFrame):
    """The "Campaign and imprint" section of the Settings screen.

    Signals:
        loaded: The campaign was read (again); also when there is none.
        saved: The imprint in the fields was saved.
        save_failed: The service's message when it refused the imprint.
    """

    loaded = Signal()
    saved = Signal()
    save_failed = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.main = window
        self.saved_imprint: Imprint | None = None
        self._reload_wanted = False
        self.setObjectName("panel")
        self.setStyleSheet(STYLE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(label("Campaign and imprint", "sectionTitle"))
        self.note = label(NOTE, "hint", wrap=True)
        layout.addWidget(self.note)

        # The fields, or (with no campaign) a line saying why there are none.
        self.form = self._build_form()
        layout.addWidget(self.form)
        self.empty = label(NO_CAMPAIGN, "hint", wrap=True)
        self.empty.setContentsMargins(0, 8, 0, 4)
        self.empty.hide()
        layout.addWidget(self.empty)

        self.message = label("", "hint", wrap=True, selectable=True)
        self.message.hide()
        layout.addWidget(self.message)
        self.buttons = self._build_buttons()
        layout.addWidget(self.buttons)
        self._on_edited()

        window.reads.ended.connect(self._reload_if_wanted)
        window.tasks.ended.connect(self.reload)

    def _build_form(self) -> QWidget:
        form = QWidget()
        grid = QGridLayout(form)
        grid.setContentsMargins(0, 6, 0, 0)
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        self.campaign_name = label("", "campaignName", selectable=True)
        self.campaign_name.setToolTip("The campaign's name is set when the campaign is started")
        grid.addWidget(label("Campaign", "fieldLabel"), 0, 0)
        grid.addWidget(self.campaign_name, 1, 0, 1, 2)
        grid.setRowMinimumHeight(2, 10)

        self.promoter = QLineEdit()
        self.promoter.setPlaceholderText("e.g. A. Testwell")
        self.promoter.setToolTip("The person who promotes the material (often the agent)")
        self.on_behalf_of = QLineEdit()
        self.on_behalf_of.setPlaceholderText("e.g. the candidate, party or group")
        self.on_behalf_of.setToolTip("The candidate, party or group it is published for")
        self.address = QPlainTextEdit()
        self.address.setPlaceholderText("1 Sample Road\nExampleton\nZZ1 1AA")
        self.address.setToolTip("The promoter's postal address; one part a line")
        self.address.setTabChangesFocus(True)
        line_height = self.address.fontMetrics().lineSpacing()
        self.address.setFixedHeight(line_height * 4 + 22)
        self.printer = QLineEdit()
        self.printer.setPlaceholderText("e.g. Print Co, 2 Press Lane, Exampleton")
        self.printer.setToolTip(PRINTER_NOTE)
        for edit in (self.promoter, self.on_behalf_of, self.address, self.printer):
            edit.setObjectName("field")
        for edit in (self.promoter, self.on_behalf_of, self.printer):
            edit.textChanged.connect(self._on_edited)
        self.address.textChanged.connect(self._on_edited)

        grid.addWidget(field_label("Promoted by (the promoter's name)", self.promoter), 3, 0)
        grid.addWidget(self.promoter, 4, 0)
        grid.addWidget(field_label("On behalf of", self.on_behalf_of), 3, 1)
        grid.addWidget(self.on_behalf_of, 4, 1)
        grid.setRowMinimumHeight(5, 10)
        grid.addWidget(field_label("Promoter's postal address", self.address), 6, 0)
        grid.addWidget(self.address, 7, 0, 3, 1)
        grid.addWidget(field_label("Printer's name and address (optional)", self.printer), 6, 1)
        grid.addWidget(self.printer, 7, 1)
        self.printer_note = label(PRINTER_NOTE, "footnote", wrap=True)
        grid.addWidget(self.printer_note, 8, 1, Qt.AlignmentFlag.AlignTop)
        grid.setRowStretch(9, 1)
        grid.setRowMinimumHeight(10, 12)

        grid.addWidget(label("As it will print", "fieldLabel"), 11, 0, 1, 2)
        box = QFrame()
        box.setObjectName("imprintPreview")
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(14, 10, 14, 10)
        self.preview = label("", "previewText", wrap=True, selectable=True)
        box_layout.addWidget(self.preview)
        grid.addWidget(box, 12, 0, 1, 2)
        return form

    def _build_buttons(self) -> QWidget:
        buttons = QWidget()
        row = QHBoxLayout(buttons)
        row.setContentsMargins(0, 4, 0, 0)
        row.setSpacing(10)
        self.discard_button = QPushButton("Discard changes")
        self.discard_button.setObjectName("secondary")
        self.discard_button.setToolTip("Show the imprint as saved again")
        self.save_button = QPushButton("Save")
        self.save_button.setObjectName("primary")
        self.save_button.setMinimumWidth(120)
        self.save_button.setToolTip("Print this imprint from now on")
        self.discard_button.clicked.connect(self.discard)
        self.save_button.clicked.connect(self.save)
        self.state = label("", "footnote")
        row.addStretch(1)
        for widget in (self.state, self.discard_button, self.save_button):
            row.addWidget(widget, 0, Qt.AlignmentFlag.AlignVCenter)
        return buttons

    # -- the fields -----------------------------------------------------------------------

    def imprint(self) -> Imprint:
        """The imprint as the fields show it, tidied the way it will be stored."""
        return Imprint(
            promoter=one_line(self.promoter.text()),
            on_behalf_of=one_line(self.on_behalf_of.text()),
            address=address_from_lines(self.address.toPlainText()),
            printer=one_line(self.printer.text()),
        )

    def show_imprint(self, imprint: Imprint) -> None:
        """Put ``imprint`` in the fields."""
        self.promoter.setText(imprint.promoter)
        self.on_behalf_of.setText(imprint.on_behalf_of)
        self.address.setPlainText(address_to_lines(imprint.address))
        self.printer.setText(imprint.printer)

    @property
    def has_campaign(self) -> bool:
        """Whether the fields show (there is a campaign), not the empty state."""
        return not self.form.isHidden()

    @property
    def dirty(self) -> bool:
        """Whether the fields differ from the imprint as saved."""
        return self.saved_imprint is not None and self.imprint() != self.saved_imprint

    @Slot()
    def _on_edited(self, *_args: object) -> None:
        text = imprint_preview(self.imprint())
        self.preview.setText(text or NOT_READY)
        if bool(self.preview.property("empty")) != (not text):
            self.preview.setProperty("empty", not text)
            self.preview.style().unpolish(self.preview)
            self.preview.style().polish(self.preview)
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
        """Forget the imprint shown (and any edits); read the window's (new) database."""
        self.saved_imprint = None
        self.show_imprint(Imprint("", "", "", ""))
        self.campaign_name.setText("")
        self._say("")
        self.reload()

    @Slot()
    def reload(self) -> None:
        """Read the campaign on the reads runner, when the section is on screen."""
        if not self.isVisible():
            return
        reads = self.main.reads
        if reads.busy:
            self._reload_wanted = True
            return
        self._reload_wanted = False
        reads.start(
            functools.partial(read_campaign_imprint, self.main.db),
            on_finished=self._on_loaded,
            on_failed=lambda message: self._say(
                f"Could not read the campaign: {message}", error=True
            ),
        )

    @Slot()
    def _reload_if_wanted(self) -> None:
        if self._reload_wanted and not self.main.reads.busy:
            self.reload()

    def _on_loaded(self, loaded: tuple[Database, CampaignImprint | None]) -> None:
        db, found = loaded
        if db is not self.main.db:
            self.reload()
            return
        if found is None:
            self.saved_imprint = None
            self.form.hide()
            self.buttons.hide()
            self.empty.show()
        else:
            self.empty.hide()
            self.form.show()
            self.buttons.show()
            self.campaign_name.setText(found.name)
            if not self.dirty:  # never throw away what the person is typing
                self.saved_imprint = found.imprint
                if self.imprint() != found.imprint:
                    self.show_imprint(found.imprint)
        self._on_edited()
        self.loaded.emit()

    # -- actions ---------------------------------------------------------------------------

    @Slot()
    def save(self) -> None:
        """Save the imprint on the task runner; the service's refusal shows inline."""
        if self.main.tasks.busy:
            self.main.statusBar().showMessage("Please wait for the running task to finish.", 5000)
            return
        imprint, db = self.imprint(), self.main.db

        def remember() -> None:
            self.saved_imprint = imprint

        start_save(
            self,
            functools.partial(set_campaign_imprint, db, imprint),
            remember=remember,
            saved_text=(
                "Saved. Leaflets, walk sheets and bundles made from now on carry this imprint."
            ),
            status_text="Saved the campaign's imprint.",
        )

    @Slot()
    def discard(self) -> None:
        """Show the imprint as saved again."""
        if self.saved_imprint is not None:
            self.show_imprint(self.saved_imprint)
        self._say("")
