"""Building blocks every page shares: a scrolling body, headings and panels."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

#: Space around a page's content and between its sections, in pixels.
PAGE_MARGIN = 36
SECTION_SPACING = 24
#: Text stops getting wider than this, so lines stay easy to read.
READABLE_WIDTH = 760


class ScrollingPage(QWidget):
    """A page whose content scrolls when the window is too small for it.

    Subclasses add their sections to :attr:`body`, a vertical layout.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageArea")
        scroll = QScrollArea(self)
        scroll.setObjectName("pageScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        content.setObjectName("pageBody")
        self.body = QVBoxLayout(content)
        self.body.setContentsMargins(PAGE_MARGIN, PAGE_MARGIN - 8, PAGE_MARGIN, PAGE_MARGIN)
        self.body.setSpacing(SECTION_SPACING)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)


def label(text: str, object_name: str, *, wrap: bool = False, selectable: bool = False) -> QLabel:
    """A label styled by the theme's ``object_name`` rule."""
    widget = QLabel(text)
    widget.setObjectName(object_name)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if selectable:
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return widget


def panel(object_name: str = "panel") -> tuple[QFrame, QVBoxLayout]:
    """A white rounded panel and the layout to fill it with."""
    frame = QFrame()
    frame.setObjectName(object_name)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(24, 20, 24, 20)
    layout.setSpacing(10)
    return frame, layout
