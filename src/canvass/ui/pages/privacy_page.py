"""The Privacy screen: people's data-protection rights, the suppression list, retention, audit.

One tab per duty of the campaign as data controller: People (find a person;
export, suppress or erase what is held about them), Suppressions (who must
not be contacted, never cleared), Retention (how long the data is kept, and
the purge) and Audit trail (who did what to personal data, and whether the
trail still holds). Reads go through the window's reads runner and changes
through its task runner, each via a
:class:`~canvass.ui.pages.canvass_common.RunnerQueue`; the tab on show is
read again whenever the page comes into view and after any task has ended.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QRectF, Qt, Signal, Slot
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap, QShowEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from canvass.ui import theme
from canvass.ui.pages.canvass_common import RunnerQueue
from canvass.ui.pages.common import label
from canvass.ui.pages.privacy_audit import AuditPanel
from canvass.ui.pages.privacy_common import STYLE
from canvass.ui.pages.privacy_offer import PurgeCheck, check_purge
from canvass.ui.pages.privacy_people import PeoplePanel
from canvass.ui.pages.privacy_retention import RetentionPanel
from canvass.ui.pages.privacy_suppressions import SuppressionsPanel

if TYPE_CHECKING:
    from canvass.ui.main_window import MainWindow

#: The navigation icon: a shield with a tick, drawn like the others in canvass.ui.icons.
SHIELD = '<path d="M12 3 4.5 6v5.5c0 4.6 3.2 8.1 7.5 9.5 4.3-1.4 7.5-4.9 7.5-9.5V6z"/>' + (
    '<path d="m8.8 12.2 2.3 2.3 4.3-4.6"/>'
)
#: Page margins, as on the Sync screen (the other page with tabs).
PAGE_MARGIN = 28


def _shield(colour: str, size: int) -> QPixmap:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" '
        f'stroke="{colour}" stroke-width="1.8" stroke-linecap="round" '
        f'stroke-linejoin="round">{SHIELD}</svg>'
    )
    renderer = QSvgRenderer(QByteArray(svg.encode()))
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return QPixmap.fromImage(image)


def privacy_icon() -> QIcon:
    """The Privacy screen's navigation icon: grey normally, the brand colour when selected."""
    icon = QIcon()
    for mode, colour in ((QIcon.Mode.Normal, theme.MUTED), (QIcon.Mode.Selected, theme.BRAND)):
        for size in (20, 24, 40, 48):
            icon.addPixmap(_shield(colour, size), mode)
    return icon


class PrivacyPage(QWidget):
    """The Privacy screen.

    Signals:
        purge_checked: Whether a purge is due in the window's database: the
            :class:`~canvass.services.retention.RetentionStatus`, or None.
    """

    NAV_TITLE = "Privacy"

    purge_checked = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.main = window
        self.setObjectName("pageArea")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(STYLE)
        self.reads = RunnerQueue(window.reads, self)
        self.writes = RunnerQueue(window.tasks, self)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(PAGE_MARGIN, 20, PAGE_MARGIN, 20)
        outer.setSpacing(14)
        heading = QVBoxLayout()
        heading.setSpacing(4)
        heading.addWidget(label("Privacy", "pageTitle"))
        heading.addWidget(
            label(
                "People's rights over their data (a copy, no contact, erasure), how long the "
                "campaign keeps it, and the record of who did what with it.",
                "pageSubtitle",
                wrap=True,
            )
        )
        outer.addLayout(heading)
        self.people = PeoplePanel(self)
        self.suppressions = SuppressionsPanel(self)
        self.retention = RetentionPanel(self)
        self.audit = AuditPanel(self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("privacyTabs")
        self.tabs.tabBar().setObjectName("privacyTabBar")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.people, "People")
        self.tabs.addTab(self.suppressions, "Suppressions")
        self.tabs.addTab(self.retention, "Retention")
        self.tabs.addTab(self.audit, "Audit trail")
        self.tabs.setTabToolTip(0, "Find a person: export, suppress or erase what is held")
        self.tabs.setTabToolTip(1, "Who must not be contacted, knocked on or sent mail")
        self.tabs.setTabToolTip(2, "How long the data is kept, and the purge")
        self.tabs.setTabToolTip(3, "Who did what to personal data, and whether the trail holds")
        self.tabs.currentChanged.connect(self._on_tab)
        outer.addWidget(self.tabs, 1)

        # Whatever a task changed (an erasure, a merge, a purge) shows here next.
        window.tasks.ended.connect(self._after_task)

    @property
    def busy(self) -> bool:
        """Whether a read or a change of this screen is waiting or running."""
        return self.reads.busy or self.writes.busy

    # -- reading --------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """Read the tab on show again whenever the page comes into view."""
        super().showEvent(event)
        self.people.prepare()
        self.reload()

    def on_database_changed(self) -> None:
        """Forget everything shown; the new database is read when the page shows."""
        self.reads.clear()
        self.writes.clear()
        for tab in (self.people, self.suppressions, self.retention, self.audit):
            tab.forget()
        if self.isVisible():
            self.people.prepare()
            self.reload()

    @Slot()
    def reload(self) -> None:
        """Read what the tab on show shows (People reads as the person types)."""
        if not self.isVisible():
            return
        current = self.tabs.currentWidget()
        if current is self.suppressions:
            self.suppressions.reload()
        elif current is self.retention:
            self.retention.reload()
        elif current is self.audit:
            self.audit.reload()

    @Slot(int)
    def _on_tab(self, _index: int) -> None:
        self.reload()

    @Slot()
    def _after_task(self) -> None:
        if self.tabs.currentWidget() is not self.people:
            self.reload()

    def show_tab(self, tab: QWidget) -> None:
        """Bring ``tab`` (one of the page's panels) to the front."""
        self.tabs.setCurrentWidget(tab)

    # -- the start-up offer ---------------------------------------------------------------

    def check_purge(self) -> None:
        """Find out whether a purge is due in the window's database; :attr:`purge_checked` says."""
        db = self.main.db
        self.reads.submit(
            lambda: functools.partial(check_purge, db),
            on_finished=self._on_purge_checked,
            on_failed=lambda _message: self.purge_checked.emit(None),
            key="purge-check",
        )

    def _on_purge_checked(self, check: PurgeCheck) -> None:
        if check.db is not self.main.db:
            return  # another database opened meanwhile; it is checked on its own
        self.purge_checked.emit(check.status)
