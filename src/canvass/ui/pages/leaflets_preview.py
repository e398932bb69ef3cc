"""The editor's live preview: rendered off the GUI thread as the person types, and shown.

:class:`PreviewRenderer` waits until typing pauses (:data:`DEBOUNCE_MS`), then
renders the leaflet exactly as it will print
(:func:`canvass.services.leaflets.preview_png`) on a runner of its own, so a
slow render never holds up the window or another screen's reads. Every edit
bumps a generation number; a render that finishes after a newer edit is
dropped, and the newest edit is rendered next. :class:`PreviewPane` shows the
pages with page navigation, zoom and the warnings in plain words.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from canvass.domain.errors import ValidationError
from canvass.domain.leaflet_spec import LeafletSpec
from canvass.services.leaflets import check_imprint, preview_png
from canvass.storage.database import Database
from canvass.ui.pages.common import label
from canvass.ui.pages.leaflets_common import plain_warning, plural
from canvass.ui.tasks import TaskRunner

#: Quiet time after the last key before the preview is rendered again.
DEBOUNCE_MS = 400
#: Preview resolution: at 96 dpi, 100% zoom is the page's real size on most screens.
PREVIEW_DPI = 96
ZOOMS = (0.25, 0.33, 0.5, 0.67, 0.75, 1.0, 1.25, 1.5, 2.0)


@dataclass(frozen=True, slots=True)
class Preview:
    """A rendered preview: which edit it shows, its pages and what to look at."""

    generation: int
    spec: LeafletSpec
    pages: list[QImage] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    refusal: str = ""  # election material without an imprint: why printing is refused
    error: str = ""  # the leaflet could not be rendered at all (a broken picture, …)


def render_preview(db: Database, spec: LeafletSpec, generation: int, dpi: int) -> Preview:
    """Render ``spec``'s pages as images (runs on the preview runner, never the GUI thread)."""
    refusal = ""
    if spec.election_material:
        try:
            check_imprint(db, spec)
        except ValidationError as exc:
            refusal = str(exc)
    try:
        pngs, warnings = preview_png(db, spec, dpi=dpi)
    except ValidationError as exc:
        return Preview(generation, spec, refusal=refusal, error=str(exc))
    pages = [QImage.fromData(png) for png in pngs]  # QImage is safe off the GUI thread
    words = [plain_warning(w) for w in warnings if w != refusal]
    return Preview(generation, spec, pages, words, refusal)


class PreviewRenderer(QObject):
    """Renders the newest edit once typing pauses, one render at a time, dropping stale ones.

    Signals:
        started: A render began on the worker.
        rendered: The :class:`Preview` of the newest edit.
    """

    started = Signal()
    rendered = Signal(object)

    def __init__(
        self,
        source: Callable[[], tuple[Database, LeafletSpec]],
        parent: QObject | None = None,
        *,
        delay_ms: int = DEBOUNCE_MS,
        dpi: int = PREVIEW_DPI,
    ) -> None:
        """Render what ``source()`` returns (called on the GUI thread when a render starts)."""
        super().__init__(parent)
        self.source = source
        self.dpi = dpi
        self.runner = TaskRunner(self, name="preview")
        self.runner.ended.connect(self._start_if_waiting)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self._start)
        self.generation = 0
        self.dropped = 0  # renders finished after a newer edit, never shown
        self._waiting = False

    @property
    def busy(self) -> bool:
        """Whether an edit is waiting to be rendered or a render is running."""
        return self.timer.isActive() or self._waiting or self.runner.busy

    def request(self, *, now: bool = False) -> None:
        """The leaflet changed: render it once typing pauses (or at once)."""
        self.generation += 1
        self.timer.start(0 if now else self.timer.interval())

    def forget(self) -> None:
        """Drop what is waiting or rendering: it was for another database."""
        self.timer.stop()
        self._waiting = False
        self.generation += 1

    def shutdown(self) -> None:
        """Stop: nothing new starts, and the running render is waited for."""
        self.timer.stop()
        self._waiting = False
        self.runner.shutdown()

    @Slot()
    def _start(self) -> None:
        if self.runner.busy:
            self._waiting = True  # started when the running render ends
            return
        self._waiting = False
        db, spec = self.source()
        generation = self.generation
        self.runner.start(
            functools.partial(render_preview, db, spec, generation, self.dpi),
            on_finished=self._on_done,
            on_failed=lambda message: self._on_done(Preview(generation, spec, error=message)),
        )
        self.started.emit()

    @Slot()
    def _start_if_waiting(self) -> None:
        if self._waiting and not self.timer.isActive():
            self._start()

    def _on_done(self, preview: Preview) -> None:
        if preview.generation != self.generation:
            self.dropped += 1  # a newer edit is on its way; this one is out of date
            return
        self.rendered.emit(preview)


def _tool(text: str, tip: str) -> QToolButton:
    button = QToolButton()
    button.setObjectName("zoom")
    button.setText(text)
    button.setToolTip(tip)
    button.setAutoRaise(False)
    return button


class PreviewPane(QWidget):
    """The pages of the newest preview, page by page, with zoom and the warnings under them.

    Signals:
        community_requested: The person chose "Mark as community material" on a refusal.
    """

    community_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview: Preview | None = None
        self.page = 0
        self.zoom: float | None = None  # None: fit the page in the window
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addLayout(self._build_bar())
        self._build_refusal(column)
        self.scroller = QScrollArea()
        self.scroller.setObjectName("previewScroll")
        self.scroller.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image = QLabel("The preview appears here as you type.")
        self.image.setObjectName("helpLine")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setMargin(12)
        self.scroller.setWidget(self.image)
        self.scroller.setWidgetResizable(False)
        column.addWidget(self.scroller, 1)
        self.warnings = label("", "previewWarning", wrap=True, selectable=True)
        self.warnings.hide()
        column.addWidget(self.warnings)
        self.error = label("", "inlineError", wrap=True)
        self.error.hide()
        column.addWidget(self.error)
        self._update_controls()

    def _build_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setSpacing(6)
        bar.addWidget(label("Preview", "formSection"))
        self.state = label("", "savedState")
        bar.addWidget(self.state)
        bar.addStretch(1)
        self.previous = _tool("◀", "Previous page")
        self.previous.clicked.connect(lambda: self.show_page(self.page - 1))
        self.page_label = label("", "pageCount")
        self.next = _tool("▶", "Next page")
        self.next.clicked.connect(lambda: self.show_page(self.page + 1))
        for widget in (self.previous, self.page_label, self.next):
            bar.addWidget(widget)
        bar.addSpacing(12)
        self.fit_button = _tool("Fit", "Fit the whole page in the preview")
        self.fit_button.setCheckable(True)
        self.fit_button.setChecked(True)
        self.fit_button.clicked.connect(lambda: self.set_zoom(None))
        self.actual = _tool("100%", "The page's real size")
        self.actual.clicked.connect(lambda: self.set_zoom(1.0))
        self.smaller = _tool("−", "Zoom out")
        self.smaller.clicked.connect(lambda: self.step_zoom(-1))
        self.larger = _tool("+", "Zoom in")
        self.larger.clicked.connect(lambda: self.step_zoom(1))
        self.zoom_label = label("", "savedState")
        self.zoom_label.setMinimumWidth(34)
        for widget in (self.fit_button, self.actual, self.smaller, self.larger, self.zoom_label):
            bar.addWidget(widget)
        return bar

    def _build_refusal(self, column: QVBoxLayout) -> None:
        self.refusal_box = QWidget()
        row = QHBoxLayout(self.refusal_box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self.refusal = label("", "refusal", wrap=True)
        row.addWidget(self.refusal, 1)
        self.community_button = QPushButton("Mark as community material")
        self.community_button.setObjectName("secondary")
        self.community_button.setToolTip("If this leaflet does not promote a candidate or party")
        self.community_button.clicked.connect(self.community_requested)
        row.addWidget(self.community_button, 0, Qt.AlignmentFlag.AlignTop)
        self.refusal_box.hide()
        column.addWidget(self.refusal_box)

    # -- showing ------------------------------------------------------------------------------

    def set_rendering(self, rendering: bool) -> None:
        """Say that a newer preview is on its way."""
        self.state.setText("Updating…" if rendering else "")

    def show_preview(self, preview: Preview) -> None:
        """Show ``preview``: its pages (or the last good ones, if it failed) and its warnings."""
        if preview.refusal:
            self.refusal.setText("Make PDF will refuse this leaflet. " + preview.refusal)
        self.refusal_box.setVisible(bool(preview.refusal))
        self.error.setText(f"Cannot show the leaflet: {preview.error}")
        self.error.setVisible(bool(preview.error))
        if preview.error and self.preview is not None:
            return  # keep the last pages that rendered
        self.preview = preview
        warnings = preview.warnings
        self.warnings.setText("\n".join(f"• {w}" for w in warnings))
        self.warnings.setVisible(bool(warnings))
        self.show_page(min(self.page, max(0, len(preview.pages) - 1)))

    @property
    def pages(self) -> int:
        """How many pages the preview has."""
        return len(self.preview.pages) if self.preview else 0

    def show_page(self, page: int) -> None:
        """Show page ``page`` (from 0) at the current zoom."""
        self.page = max(0, min(page, self.pages - 1))
        self._draw()
        self._update_controls()

    def set_zoom(self, zoom: float | None) -> None:
        """Zoom to ``zoom`` (1.0 is the real size), or fit the page (None)."""
        self.zoom = zoom
        self._draw()
        self._update_controls()

    def step_zoom(self, step: int) -> None:
        """The next zoom level up (1) or down (-1) from what is shown."""
        now = self._scale()
        if step > 0:
            self.set_zoom(next((z for z in ZOOMS if z > now + 0.01), ZOOMS[-1]))
        else:
            self.set_zoom(next((z for z in reversed(ZOOMS) if z < now - 0.01), ZOOMS[0]))

    def current_pixmap(self) -> QPixmap:
        """What the preview shows now (an empty pixmap before the first render)."""
        return self.image.pixmap()

    def _fit_scale(self, size: QSize) -> float:
        room = self.scroller.viewport().size()
        if size.width() <= 0 or size.height() <= 0:
            return 1.0
        return max(
            0.05, min((room.width() - 24) / size.width(), (room.height() - 24) / size.height())
        )

    def _scale(self) -> float:
        if self.preview is None or not self.preview.pages:
            return 1.0
        if self.zoom is None:
            return self._fit_scale(self.preview.pages[self.page].size())
        return self.zoom

    def _draw(self) -> None:
        if self.preview is None or not self.preview.pages:
            return
        image = self.preview.pages[self.page]
        scale = self._scale()
        size = image.size() * scale
        scaled = image.scaled(
            size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        self.image.setObjectName("previewPage")
        self.image.setPixmap(QPixmap.fromImage(scaled))
        self.image.adjustSize()

    def _update_controls(self) -> None:
        pages = self.pages
        self.page_label.setText(f"Page {self.page + 1} of {pages}" if pages else "No pages yet")
        self.page_label.setToolTip(plural(pages, "page") + " in this leaflet")
        self.previous.setEnabled(self.page > 0)
        self.next.setEnabled(self.page < pages - 1)
        self.fit_button.setChecked(self.zoom is None)
        self.zoom_label.setText(f"{round(self._scale() * 100)}%" if pages else "")
        for button in (self.fit_button, self.actual, self.smaller, self.larger):
            button.setEnabled(bool(pages))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """Fit the page again when the preview changes size."""
        super().resizeEvent(event)
        if self.zoom is None:
            self._draw()
            self._update_controls()
