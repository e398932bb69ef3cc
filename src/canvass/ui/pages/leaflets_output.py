"""The editor's dialogs: Make PDF's options, and the list of saved leaflets to open.

Each dialog is built here and opened by the editor with ``open()`` (never run
modally), so tests can fill it in. :func:`make_pdf` is what runs on the task
runner: the mail merge's households, then the print-ready PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from canvass.domain.leaflet_spec import TEMPLATES, LeafletSpec
from canvass.services.leaflets import LeafletSummary, RenderReport, render
from canvass.services.mail_merge import print_letters
from canvass.services.walk_lists import WalkListSummary
from canvass.storage.database import Database
from canvass.ui.pages.common import label
from canvass.ui.pages.leaflets_common import paper_words, plural

N_UP_WORDS = {
    2: "Two A5 leaflets on each A4 sheet (cut in half)",
    3: "Three DL leaflets on each A4 sheet (cut in three)",
}


@dataclass(frozen=True, slots=True)
class PdfOptions:
    """How to make the PDF."""

    n_up: int = 1
    bleed: bool = False
    cmyk: bool = False
    walk_list: str = ""  # mail merge: one letter per household of this walk list


def make_pdf(db: Database, spec: LeafletSpec, out: Path, options: PdfOptions) -> RenderReport:
    """Write the PDF (runs on the task runner); a merge reads the walk list's households first."""
    if options.walk_list:  # audited once written, under the file's final name
        return print_letters(
            db,
            spec,
            out,
            options.walk_list,
            n_up=options.n_up,
            bleed=options.bleed,
            cmyk=options.cmyk,
        )[0]
    return render(db, spec, out, n_up=options.n_up, bleed=options.bleed, cmyk=options.cmyk)


def report_words(report: RenderReport) -> str:
    """What a PDF just written holds, in a line or two."""
    text = (
        f"Wrote {Path(report.path).name}: {plural(report.pages, 'page')}, "
        f"{paper_words(report.size_mm)}."
    )
    if report.advice:
        text += f" {report.advice}"
    if report.warnings:
        text += f" {plural(len(report.warnings), 'thing')} to look at: " + " ".join(report.warnings)
    return text


class MakePdfDialog(QDialog):
    """Copies per sheet, bleed, CMYK and the mail merge, for one leaflet."""

    def __init__(
        self, parent: QWidget, spec: LeafletSpec, lists: Sequence[WalkListSummary]
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Make PDF")
        template = TEMPLATES[spec.template]
        column = QVBoxLayout(self)
        column.setContentsMargins(20, 18, 20, 14)
        column.setSpacing(8)
        intro = QLabel(
            f"A print-ready PDF of “{spec.title or template.label}” ({template.label}): fonts "
            "embedded, pictures at print resolution, the imprint on every copy."
        )
        intro.setWordWrap(True)
        intro.setMinimumWidth(460)
        column.addWidget(intro)
        column.addWidget(label("Copies on each sheet", "fieldLabel"))
        self.n_up_group = QButtonGroup(self)
        self.n_up_buttons: dict[int, QRadioButton] = {}
        for n in template.n_up:
            words = f"One to a page ({template.paper})" if n == 1 else N_UP_WORDS.get(n, str(n))
            button = QRadioButton(words)
            self.n_up_group.addButton(button, n)
            self.n_up_buttons[n] = button
            column.addWidget(button)
        self.n_up_buttons[template.n_up[0]].setChecked(True)
        column.addSpacing(4)
        column.addWidget(label("For a print shop", "fieldLabel"))
        self.bleed = QCheckBox("3 mm bleed with crop marks (for a print shop that trims)")
        self.bleed.setToolTip("Colour runs past the edge and is trimmed off: no white edges")
        self.cmyk = QCheckBox("CMYK colours (if the print shop asks for them)")
        column.addWidget(self.bleed)
        column.addWidget(self.cmyk)
        self.bleed_note = label(
            "Bleed is for single copies a print shop trims; sheets with "
            "several copies are cut without it.",
            "helpLine",
            wrap=True,
        )
        column.addWidget(self.bleed_note)
        self.n_up_group.idToggled.connect(self._on_n_up)
        self._build_merge(column, spec, lists)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose where to save…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
        self._on_n_up()

    def _build_merge(
        self, column: QVBoxLayout, spec: LeafletSpec, lists: Sequence[WalkListSummary]
    ) -> None:
        letter = spec.template == "a4-letter"
        merge_title = label("Mail merge", "fieldLabel")
        column.addSpacing(4)
        column.addWidget(merge_title)
        self.merge = QCheckBox("Personalise for a walk list: one letter per household")
        self.merge.setToolTip(
            "“Dear Ms Jones” (or “Dear resident”), in walking order, leaving out households "
            "that asked for no letters"
        )
        self.walk_list = QComboBox()
        for summary in lists:
            self.walk_list.addItem(
                f"{summary.name}  ({plural(summary.doors, 'door')})", summary.name
            )
        column.addWidget(self.merge)
        column.addWidget(self.walk_list)
        note = "" if lists else "There are no walk lists yet: make one on the Print screen first."
        self.merge_note = label(note, "helpLine", wrap=True)
        self.merge_note.setVisible(bool(note))
        column.addWidget(self.merge_note)
        if not letter:  # only letters are personalised
            for widget in (merge_title, self.merge, self.walk_list, self.merge_note):
                widget.hide()
        self.merge.setEnabled(letter and bool(lists))
        self.walk_list.setEnabled(False)
        self.merge.toggled.connect(self.walk_list.setEnabled)

    @Slot()
    def _on_n_up(self, *_args: object) -> None:
        several = self.n_up_group.checkedId() > 1
        if several:
            self.bleed.setChecked(False)
        self.bleed.setEnabled(not several)
        self.bleed_note.setVisible(len(self.n_up_buttons) > 1)

    def options(self) -> PdfOptions:
        """What was chosen."""
        merge = self.merge.isChecked() and self.walk_list.currentIndex() >= 0
        return PdfOptions(
            n_up=max(1, self.n_up_group.checkedId()),
            bleed=self.bleed.isChecked(),
            cmyk=self.cmyk.isChecked(),
            walk_list=str(self.walk_list.currentData()) if merge else "",
        )


class OpenSavedDialog(QDialog):
    """The leaflets saved in this campaign (on any laptop), to open one."""

    def __init__(self, parent: QWidget, leaflets: Sequence[LeafletSummary]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open a saved leaflet")
        column = QVBoxLayout(self)
        column.setContentsMargins(20, 18, 20, 14)
        column.setSpacing(10)
        words = (
            "Leaflets saved in this campaign, here or on another laptop:"
            if leaflets
            else "No leaflets are saved yet. Save one from the editor and it is listed here, "
            "and on every laptop that merges this campaign's files."
        )
        intro = QLabel(words)
        intro.setWordWrap(True)
        intro.setMinimumWidth(420)
        column.addWidget(intro)
        self.list = QListWidget()
        for summary in leaflets:
            kind = "election material" if summary.election_material else "community material"
            template = TEMPLATES.get(summary.template)
            item = QListWidgetItem(
                f"{summary.title}  —  {template.label if template else summary.template}, {kind}"
            )
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
            self.list.addItem(item)
        self.list.setVisible(bool(leaflets))
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        column.addWidget(self.list)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(bool(leaflets))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)

    def chosen(self) -> str:
        """The id of the leaflet chosen ("" for none)."""
        item = self.list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ""
