"""Pages for the screens that are not built yet: what each will do, and what is coming."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from canvass.ui.pages.common import READABLE_WIDTH, ScrollingPage, label, panel


@dataclass(frozen=True, slots=True)
class PlannedScreen:
    """A screen of the app that is still to come.

    Attributes:
        title: Its name in the navigation bar and as its heading.
        icon: The navigation icon's name (see :func:`canvass.ui.icons.nav_icon`).
        purpose: One sentence: what the screen will do for the person using it.
        coming: The main things it will offer.
    """

    title: str
    icon: str
    purpose: str
    coming: tuple[str, ...]


#: The screens below Overview and Browse in the navigation bar, in order. Each is a
#: built page (the main window knows them) or one of :data:`PLANNED_SCREENS`.
SIDEBAR_SCREENS = (
    "Canvass",
    "Petitions",
    "Leaflets",
    "Print",
    "Sync",
    "Reports",
    "Settings",
)

PLANNED_SCREENS = (
    PlannedScreen(
        "Print",
        "print",
        "Produce print-ready leaflets, walk sheets and blank petition collection sheets "
        "on any printer.",
        (
            "Walk sheets and knock-up sheets for each round",
            "Leaflets that always carry the legally required imprint",
            "Numbered petition collection sheets for stalls and events",
        ),
    ),
)


class PlaceholderPage(ScrollingPage):
    """A tidy page for a screen that is not built yet."""

    def __init__(self, screen: PlannedScreen, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.planned = screen

        heading_row = QHBoxLayout()
        heading_row.setSpacing(14)
        self.title = label(screen.title, "pageTitle")
        heading_row.addWidget(self.title)
        badge = label("Coming soon", "badge")
        heading_row.addWidget(badge, 0, Qt.AlignmentFlag.AlignVCenter)
        heading_row.addStretch(1)
        self.body.addLayout(heading_row)

        self.purpose = label(screen.purpose, "pageSubtitle", wrap=True)
        self.purpose.setMaximumWidth(READABLE_WIDTH)
        self.body.addWidget(self.purpose)

        frame, layout = panel()
        frame.setMaximumWidth(READABLE_WIDTH)
        layout.setSpacing(12)
        layout.addWidget(label("What's coming", "sectionTitle"))
        self.bullets: list[QLabel] = []
        for item in screen.coming:
            row = QHBoxLayout()
            row.setSpacing(10)
            dot = label("•", "bullet")
            dot.setAlignment(Qt.AlignmentFlag.AlignTop)
            row.addWidget(dot)
            text = label(item, "bullet", wrap=True)
            row.addWidget(text, 1)
            layout.addLayout(row)
            self.bullets.append(text)
        self.body.addWidget(frame)
        self.body.addStretch(1)
