"""The Settings screen: the campaign's set-up, one section after another.

For now it holds two sections: the campaign and its imprint
(:mod:`canvass.ui.pages.settings_campaign`), then the doorstep codes and survey
questions (:mod:`canvass.ui.pages.settings_codes`); the device and privacy
settings will join them as further sections in :attr:`SettingsPage.sections`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from canvass.ui.pages.common import SECTION_SPACING, ScrollingPage, label
from canvass.ui.pages.settings_campaign import CampaignEditor
from canvass.ui.pages.settings_codes import CodesEditor

if TYPE_CHECKING:
    from canvass.ui.main_window import MainWindow

#: The page's sections stop getting wider than this, so tables stay easy to read.
SETTINGS_WIDTH = 980


class SettingsPage(ScrollingPage):
    """The Settings screen: a heading and its sections, in one column."""

    NAV_TITLE = "Settings"
    NAV_ICON = "settings"

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.main = window
        column_widget = QWidget()
        column_widget.setMaximumWidth(SETTINGS_WIDTH)
        column = QVBoxLayout(column_widget)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(SECTION_SPACING)
        heading = QVBoxLayout()
        heading.setSpacing(6)
        heading.addWidget(label("Settings", "pageTitle"))
        heading.addWidget(
            label(
                "How this campaign is set up. Settings for this laptop and privacy will "
                "join these.",
                "pageSubtitle",
                wrap=True,
            )
        )
        column.addLayout(heading)
        self.campaign = CampaignEditor(window)
        self.codes = CodesEditor(window)
        self.sections: list[QWidget] = [self.campaign, self.codes]
        for section in self.sections:
            column.addWidget(section)
        self.body.addWidget(column_widget)
        self.body.addStretch(1)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """Read the settings again whenever the page comes into view."""
        super().showEvent(event)
        self.campaign.reload()
        self.codes.reload()

    def on_database_changed(self) -> None:
        """Show the (new) current database's settings."""
        self.campaign.on_database_changed()
        self.codes.on_database_changed()
