"""What the Print page's walk sheets and knock-up list share: names, counts and the result panel."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from canvass.services.printing import PrintReport
from canvass.services.walk_lists import WalkListSummary
from canvass.ui import theme
from canvass.ui.pages.common import label

PDF_FILTER = "PDF files (*.pdf)"

#: The Print page's tabs: underlined, like the Canvass screen's.
TAB_STYLE = f"""
QTabBar#printTabBar {{ background: transparent; }}
QTabBar#printTabBar::tab {{
    background: transparent; color: {theme.MUTED}; border: none;
    border-bottom: 3px solid transparent; padding: 7px 18px 8px 18px; margin-right: 6px;
    font-size: 11pt;
}}
QTabBar#printTabBar::tab:first {{ padding-left: 2px; }}
QTabBar#printTabBar::tab:hover {{ color: {theme.INK}; }}
QTabBar#printTabBar::tab:selected {{
    color: {theme.BRAND_DARK}; border-bottom-color: {theme.BRAND}; font-weight: 600;
}}
"""


def documents_folder() -> Path:
    """The user's Documents folder, where PDFs go unless the person chooses another."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home() / "Documents"


def slug(text: str) -> str:
    """A file-name-friendly version of ``text``."""
    return re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-").lower() or "list"


def plural(n: int, one: str) -> str:
    """A count and its noun: 1 door, 2 doors."""
    return f"{n:,} {one}{'' if n == 1 else 's'}"


def as_pdf(text: str) -> Path:
    """A path typed or chosen by the person, ending in ``.pdf``."""
    out = Path(text).expanduser()
    return out if out.suffix.lower() == ".pdf" else out.with_name(out.name + ".pdf")


def scroll_to(widget: QWidget) -> None:
    """Scroll the page that holds ``widget`` until it is in view."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is not None:
        parent.ensureWidgetVisible(widget)


def describe_list(summary: WalkListSummary) -> str:
    """A walk list as the combo box shows it."""
    who = summary.canvasser or "no canvasser yet"
    return (
        f"{summary.name}  —  {who}  ·  {plural(summary.doors, 'door')}, "
        f"{plural(summary.electors, 'elector')}"
    )


def result_text(report: PrintReport) -> str:
    """One line on what a PDF holds, and who was left off it."""
    text = (
        f"Wrote {Path(report.path).name}: {plural(report.pages, 'page')}, "
        f"{plural(report.streets, 'street')}, {plural(report.doors, 'door')}, "
        f"{plural(report.electors, 'elector')}."
    )
    left = [f"{n:,} {why}" for why, n in report.excluded.items() if n]
    return text + (f" Not listed: {', '.join(left)}." if left else "")


class ResultPanel(QFrame):
    """What a PDF just written holds, where it is, and a button to open it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.path = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        self.result = label("", "hint", wrap=True, selectable=True)
        self.result_path = label("", "footnote", wrap=True, selectable=True)
        self.open_button = QPushButton("Open PDF")
        self.open_button.setObjectName("secondary")
        self.open_button.clicked.connect(self.open_pdf)
        row = QHBoxLayout()
        texts = QVBoxLayout()
        texts.addWidget(self.result)
        texts.addWidget(self.result_path)
        row.addLayout(texts, 1)
        row.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(row)
        self.hide()

    def show_result(self, text: str, path: str) -> None:
        """Say what was written, and show the panel."""
        self.path = path
        self.result.setText(text)
        self.result_path.setText(path)
        self.show()

    @Slot()
    def open_pdf(self) -> None:
        """Open the PDF just written in the desktop's PDF viewer."""
        if self.path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.path))
