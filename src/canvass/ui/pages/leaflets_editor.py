"""The Leaflets screen's editor: template, the form, the live preview, save, share and print.

The form (:mod:`~canvass.ui.pages.leaflets_form`) is on the left, the
preview (:mod:`~canvass.ui.pages.leaflets_preview`) on the right, re-rendered
off the GUI thread as the person types. Saving, exporting and making the PDF
run on the window's task runner; opening and importing on its reads runner.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from canvass.domain.errors import ValidationError
from canvass.domain.leaflet_spec import TEMPLATES, LeafletSpec, spec_from_data, spec_to_data
from canvass.services.leaflets import (
    LeafletSummary,
    RenderReport,
    default_file_name,
    export_spec,
    import_spec,
    list_leaflets,
    load_leaflet,
    save_leaflet,
)
from canvass.storage.database import Database
from canvass.ui.dialogs import warning_box
from canvass.ui.pages.common import label
from canvass.ui.pages.leaflets_common import (
    TOML_FILTER,
    Example,
    shipped_examples,
    spec_problem,
    template_words,
)
from canvass.ui.pages.leaflets_form import LeafletForm
from canvass.ui.pages.leaflets_output import (
    MakePdfDialog,
    OpenSavedDialog,
    PdfOptions,
    make_pdf,
    report_words,
)
from canvass.ui.pages.leaflets_preview import Preview, PreviewPane, PreviewRenderer
from canvass.ui.pages.petitions_output import ResultLine
from canvass.ui.pages.print_common import PDF_FILTER, as_pdf, documents_folder, slug
from canvass.ui.progress import TaskProgressDialog

if TYPE_CHECKING:
    from canvass.ui.pages.leaflets_page import LeafletsPage

REFUSAL_TITLE = "Election material needs an imprint"


def checked(spec: LeafletSpec) -> LeafletSpec:
    """``spec`` if it would load again from a file; raises ValidationError naming each problem."""
    return spec_from_data(spec_to_data(spec))


def _button(text: str, tip: str, name: str = "secondary") -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    return button


class LeafletEditor(QWidget):
    """The Editor tab.

    Signals:
        loaded: A leaflet (new, example, saved or imported) was put in the form.
        preview_shown: The :class:`Preview` now on show.
        saved: The id of the leaflet just saved.
        exported: The path of a spec file just written.
        pdf_made: The :class:`~canvass.services.leaflets.RenderReport` of a PDF just written.
        refused: Printing was refused (election material without an imprint): the message.
    """

    loaded = Signal()
    preview_shown = Signal(object)
    saved = Signal(str)
    exported = Signal(object)
    pdf_made = Signal(object)
    refused = Signal(str)

    def __init__(self, page: LeafletsPage) -> None:
        super().__init__()
        self.page = page
        self.leaflet_id: str | None = None
        self.origin = "New leaflet"
        self.dirty = False
        self._pending = True  # an edit made while the tab was hidden: render when shown
        self.last_preview: Preview | None = None
        self.open_dialog: OpenSavedDialog | None = None
        self.message_box: QMessageBox | None = None
        self.examples: list[Example] = shipped_examples()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 10, 0, 0)
        column.setSpacing(8)
        column.addLayout(self._build_header())
        column.addLayout(self._build_actions())
        self.error = label("", "inlineError", wrap=True, selectable=True)
        self.error.hide()
        column.addWidget(self.error)
        self.result = ResultLine()
        column.addWidget(self.result)
        self.form = LeafletForm()
        self.pane = PreviewPane()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.form)
        self.splitter.addWidget(self.pane)
        self.form.setMinimumWidth(360)
        self.pane.setMinimumWidth(360)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([470, 680])
        column.addWidget(self.splitter, 1)
        self.renderer = PreviewRenderer(self._source, self)
        self.renderer.started.connect(lambda: self.pane.set_rendering(True))
        self.renderer.rendered.connect(self._on_preview)
        self.form.changed.connect(self._on_edit)
        self.pane.community_requested.connect(lambda: self.form.community.setChecked(True))
        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self.save)
        self.new_leaflet()

    # -- layout -------------------------------------------------------------------------------

    def _build_header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(10)
        caption = label("Template", "fieldLabel")
        self.template = QComboBox()
        for name, template in TEMPLATES.items():
            self.template.addItem(template.label, name)
            self.template.setItemData(
                self.template.count() - 1, template_words(template), Qt.ItemDataRole.ToolTipRole
            )
        self.template.setMinimumWidth(230)
        caption.setBuddy(self.template)
        self.template.activated.connect(self._on_template)
        self.about = label("", "templateAbout", wrap=True)
        self.examples_button = _button(
            "Start from an example", "Fill the form with one of the leaflets canvass ships"
        )
        menu = QMenu(self.examples_button)
        for example in self.examples:
            action = menu.addAction(f"{example.spec.title}  ({example.spec.layout.label})")
            action.setToolTip(example.about)
            action.triggered.connect(lambda _c=False, e=example: self.start_from(e))
        menu.setToolTipsVisible(True)
        self.examples_button.setMenu(menu)
        self.examples_menu = menu
        row.addWidget(caption)
        row.addWidget(self.template)
        row.addWidget(self.about, 1)
        row.addWidget(self.examples_button)
        return row

    def _build_actions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        self.new_button = _button("New", "Start an empty leaflet of this template")
        self.open_button = _button("Open saved…", "A leaflet saved in this campaign")
        self.import_button = _button("Import…", "Open a leaflet file (.toml) someone shared")
        self.export_button = _button("Export…", "Save this leaflet as a small file to share")
        self.state = label("", "savedState")
        self.save_button = _button(
            "Save", "Save in the campaign: it travels to every laptop (Ctrl+S)"
        )
        self.pdf_button = _button("Make PDF…", "A print-ready PDF", "primary")
        self.new_button.clicked.connect(self.new_leaflet)
        self.open_button.clicked.connect(self.ask_open)
        self.import_button.clicked.connect(self.ask_import)
        self.export_button.clicked.connect(self.ask_export)
        self.save_button.clicked.connect(self.save)
        self.pdf_button.clicked.connect(self.ask_make_pdf)
        for button in (self.new_button, self.open_button, self.import_button, self.export_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.state)
        row.addWidget(self.save_button)
        row.addWidget(self.pdf_button)
        return row

    # -- what is in the form ----------------------------------------------------------------

    def _source(self) -> tuple[Database, LeafletSpec]:
        return self.page.main.db, self.form.spec()

    def spec(self) -> LeafletSpec:
        """The leaflet as the form holds it."""
        return self.form.spec()

    def load(self, spec: LeafletSpec, origin: str, leaflet_id: str | None = None) -> None:
        """Put ``spec`` in the form; it is saved as ``leaflet_id`` (None: a new leaflet)."""
        self.template.setCurrentIndex(max(0, self.template.findData(spec.template)))
        self.about.setText(template_words(TEMPLATES[spec.template]))
        self.form.load(spec)
        self.leaflet_id, self.origin, self.dirty = leaflet_id, origin, False
        self.error.hide()
        self._show_state()
        self._render(now=True)
        self.loaded.emit()

    @Slot()
    def new_leaflet(self) -> None:
        """An empty leaflet of the chosen template."""
        name = str(self.template.currentData() or "a5-flyer")
        self.load(LeafletSpec(template=name, title=""), "New leaflet")

    def start_from(self, example: Example) -> None:
        """The form filled with a shipped example, as a new leaflet."""
        self.load(example.spec, f"From the example “{example.spec.title}”")

    @Slot(int)
    def _on_template(self, _index: int) -> None:
        name = str(self.template.currentData())
        self.about.setText(template_words(TEMPLATES[name]))
        self.form.set_template(name)
        self._on_edit()

    @Slot()
    def _on_edit(self) -> None:
        self.dirty = True
        self._show_state()
        self._render()

    def _show_state(self) -> None:
        if self.leaflet_id is None:
            text = f"{self.origin} · not saved yet"
        else:
            text = "Changed since it was saved" if self.dirty else "Saved"
        self.state.setText(text)

    def _render(self, *, now: bool = False) -> None:
        # Rendered while the tab is on screen; otherwise when it next shows (on_shown).
        if self.isVisible():
            self.renderer.request(now=now)
        else:
            self._pending = True

    def forget(self) -> None:
        """Another database: the leaflet on show is no longer one of its saved ones."""
        self.leaflet_id = None
        self.origin = "New leaflet"
        self.dirty = True
        self.last_preview = None  # the imprint is the new campaign's
        self.renderer.forget()
        self._show_state()

    def on_shown(self) -> None:
        """Render the preview if it has not been yet (or the database changed)."""
        if self._pending or self.last_preview is None:
            self._pending = False
            self.renderer.request(now=True)

    # -- the preview ----------------------------------------------------------------------------

    def _on_preview(self, preview: Preview) -> None:
        self.last_preview = preview
        self.pane.set_rendering(self.renderer.busy)
        self.pane.show_preview(preview)
        self.preview_shown.emit(preview)

    # -- saving and sharing ---------------------------------------------------------------------

    def _checked_spec(self) -> LeafletSpec | None:
        try:
            spec = checked(self.form.spec())
        except ValidationError as exc:
            self.show_error(spec_problem(str(exc)))
            return None
        self.error.hide()
        return spec

    def show_error(self, message: str) -> None:
        """Say what is wrong above the form."""
        self.error.setText(message)
        self.error.show()

    @Slot()
    def save(self) -> None:
        """Save the leaflet in the campaign (as operations, so it travels)."""
        spec = self._checked_spec()
        if spec is None:
            return
        db, leaflet_id = self.page.main.db, self.leaflet_id
        self.page.writes.submit(
            lambda: functools.partial(save_leaflet, db, spec, leaflet_id),
            on_finished=functools.partial(self._on_saved, db),
            on_failed=self.show_error,
        )

    def _on_saved(self, db: Database, leaflet_id: str) -> None:
        if db is not self.page.main.db:
            return
        self.leaflet_id, self.dirty = leaflet_id, False
        self._show_state()
        self.page.main.statusBar().showMessage("Leaflet saved.", 6000)
        self.page.reload()
        self.saved.emit(leaflet_id)

    @Slot()
    def ask_export(self) -> None:
        """Choose a file, then write the leaflet to it as TOML (or JSON)."""
        spec = self._checked_spec()
        if spec is None:
            return
        start = str(documents_folder() / f"{slug(spec.title or spec.template)}.toml")
        chosen, _ = QFileDialog.getSaveFileName(self, "Export the leaflet as", start, TOML_FILTER)
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() not in (".toml", ".json"):
            path = path.with_name(path.name + ".toml")
        self.page.writes.submit(
            lambda: functools.partial(export_spec, spec, path),
            on_finished=lambda _none: self._on_exported(path),
            on_failed=self.show_error,
        )

    def _on_exported(self, path: Path) -> None:
        self.page.main.statusBar().showMessage(f"Exported to {path}", 8000)
        self.exported.emit(path)

    @Slot()
    def ask_import(self) -> None:
        """Choose a leaflet file, then read it into the form."""
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Import a leaflet", str(documents_folder()), TOML_FILTER
        )
        if not chosen:
            return
        path = Path(chosen)
        self.page.reads.submit(
            lambda: functools.partial(import_spec, path),
            on_finished=lambda spec: self.load(spec, f"Imported from {path.name}"),
            on_failed=self.show_error,
        )

    @Slot()
    def ask_open(self) -> None:
        """Read the saved leaflets, then offer them in a dialog."""
        db = self.page.main.db
        self.page.reads.submit(
            lambda: functools.partial(list_leaflets, db),
            on_finished=self._offer_saved,
            on_failed=self.show_error,
        )

    def _offer_saved(self, leaflets: list[LeafletSummary]) -> None:
        dialog = OpenSavedDialog(self, leaflets)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.open_saved(dialog.chosen()))
        dialog.destroyed.connect(lambda: setattr(self, "open_dialog", None))
        self.open_dialog = dialog
        dialog.open()

    def open_saved(self, leaflet_id: str) -> None:
        """Read the saved leaflet ``leaflet_id`` into the form."""
        if not leaflet_id:
            return
        db = self.page.main.db
        self.page.reads.submit(
            lambda: functools.partial(load_leaflet, db, leaflet_id),
            on_finished=lambda spec: self.load(spec, "Saved leaflet", leaflet_id),
            on_failed=self.show_error,
        )

    # -- the PDF ----------------------------------------------------------------------------

    @Slot()
    def ask_make_pdf(self) -> MakePdfDialog | None:
        """Ask the options (the dialog is opened and returned), then where, then make the PDF."""
        if self.page.main.tasks.busy:
            self.page.main.statusBar().showMessage(
                "Please wait for the running task to finish.", 5000
            )
            return None
        spec = self.form.spec()
        shown = self.last_preview
        if spec.election_material and shown and shown.spec == spec and shown.refusal:
            self.show_refusal(shown.refusal)
            return None
        lists = self.page.setup.lists if self.page.setup else []
        dialog = MakePdfDialog(self, spec, lists)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.make_pdf(spec, dialog.options()))
        dialog.open()
        return dialog

    def _file_name(self, spec: LeafletSpec, options: PdfOptions) -> str:
        pages = max(1, self.pane.pages)
        name = default_file_name(spec, pages, n_up=options.n_up)
        if options.walk_list:
            name = f"{name.rsplit('-', 1)[0]}-letters-{slug(options.walk_list)}.pdf"
        return name

    def make_pdf(self, spec: LeafletSpec, options: PdfOptions) -> None:
        """Ask where to save, then write the PDF on the task runner."""
        start = str(documents_folder() / self._file_name(spec, options))
        chosen, _ = QFileDialog.getSaveFileName(self, "Save the PDF as", start, PDF_FILTER)
        if not chosen or self.page.main.tasks.busy:
            return
        out = as_pdf(chosen)
        main = self.page.main
        main.tasks.start(
            functools.partial(make_pdf, main.db, spec, out, options),
            on_finished=self._on_pdf,
            on_failed=functools.partial(self._on_pdf_failed, spec),
        )
        TaskProgressDialog(main.tasks, main, "Making the PDF")

    def _on_pdf(self, report: RenderReport) -> None:
        self.result.show_result(report_words(report), report.path)
        self.page.main.statusBar().showMessage(f"Saved {report.path}", 10000)
        self.pdf_made.emit(report)

    def _on_pdf_failed(self, spec: LeafletSpec, message: str) -> None:
        if spec.election_material and "imprint" in message:
            self.show_refusal(message)
        else:
            self.message_box = warning_box(self.page.main, "Could not make the PDF", message)

    def show_refusal(self, message: str) -> None:
        """Say clearly why election material without an imprint is not printed."""
        self.pane.refusal.setText("Make PDF will refuse this leaflet. " + message)
        self.pane.refusal_box.show()
        self.message_box = warning_box(self.page.main, REFUSAL_TITLE, message)
        self.refused.emit(message)
