"""The main window: navigation, pages, menus and the status bar."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from canvass.paths import Paths
from canvass.services.info import DatabaseInfo
from canvass.storage.database import Database
from canvass.ui import theme
from canvass.ui.database_actions import DatabaseActions
from canvass.ui.dialogs import about_box, warning_box
from canvass.ui.gui_settings import GuiSettings, reopen_text
from canvass.ui.icons import app_icon, app_pixmap, nav_icon
from canvass.ui.live_info import LiveInfo
from canvass.ui.pages.browse import BrowsePage
from canvass.ui.pages.canvass_page import CanvassPage
from canvass.ui.pages.leaflets_page import LeafletsPage
from canvass.ui.pages.overview import OverviewPage
from canvass.ui.pages.petitions_page import PetitionsPage
from canvass.ui.pages.placeholder import PLANNED_SCREENS, SIDEBAR_SCREENS, PlaceholderPage
from canvass.ui.pages.print_page import PrintPage
from canvass.ui.pages.privacy_offer import PurgeOffer
from canvass.ui.pages.privacy_page import PrivacyPage, privacy_icon
from canvass.ui.pages.reports_page import ReportsPage
from canvass.ui.pages.settings_page import SettingsPage
from canvass.ui.pages.sync_page import SyncPage
from canvass.ui.register_wizard import RegisterImportWizard
from canvass.ui.tasks import TaskRunner

DEFAULT_SIZE = QSize(1200, 800)
MINIMUM_SIZE = QSize(760, 540)
SIDEBAR_WIDTH = 200
_ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class MainWindow(QMainWindow):
    """The canvass main window for one open database.

    The window owns the database it shows: it closes it when it switches to
    another one and when the window closes.

    Attributes:
        db: The open database.
        tasks: The runner for the person's long work (opening, creating, demo data).
        live: Keeps the figures on screen current, on its own runner.
        db_actions: What the File menu and the overview's buttons do.
    """

    def __init__(self, db: Database, settings: GuiSettings, paths: Paths) -> None:
        super().__init__()
        self.db = db
        self.settings = settings
        self.paths = paths
        self._close_when_idle = False
        self._closed = False
        self._purge_checked = False
        self.setWindowTitle("canvass")
        self.setWindowIcon(app_icon())
        self.setStyleSheet(theme.STYLE_SHEET)
        self.setMinimumSize(MINIMUM_SIZE)

        self.tasks = TaskRunner(self, name="tasks")
        # Reads for screens (Browse) run on their own runner: they never block
        # or disable the actions that write, and may run beside a write.
        self.reads = TaskRunner(self, name="reads")
        self.live = LiveInfo(db, self, should_poll=self._is_watched)
        self.db_actions = DatabaseActions(self)

        self._build_pages()
        self._build_menus()
        self._build_status_bar()
        self._show_database_location()

        self.tasks.started.connect(self._on_task_state)
        self.tasks.ended.connect(self._on_task_state)
        # Whatever a task did, the figures on screen should show it.
        self.tasks.ended.connect(self.live.refresh)
        self.tasks.ended.connect(self._close_if_waiting)
        self.live.updated.connect(self._on_info)
        self.live.failed.connect(self._on_refresh_failed)
        self._restore_window()
        self.live.refresh()

    # -- layout -------------------------------------------------------------------

    def _build_pages(self) -> None:
        self.overview = OverviewPage()
        self.overview.refresh_requested.connect(self.live.refresh)
        self.overview.shown.connect(lambda: self.live.refresh(queue=False))
        self.overview.demo_requested.connect(self.db_actions.ask_demo)
        self.overview.start_campaign_requested.connect(self.db_actions.ask_campaign_name)
        self.browse = BrowsePage(self)
        self.canvass_page = CanvassPage(self)
        self.canvass_page.import_requested.connect(self.open_register_wizard)
        self.petitions_page = PetitionsPage(self)
        self.leaflets_page = LeafletsPage(self)
        self.print_page = PrintPage(self)
        self.print_page.import_requested.connect(self.open_register_wizard)
        self.sync_page = SyncPage(self)
        self.reports_page = ReportsPage(self)
        self.privacy_page = PrivacyPage(self)
        self.settings_page = SettingsPage(self)
        # Screens that exist replace their "coming soon" page, in the same place.
        built: dict[str, tuple[str, QWidget]] = {
            CanvassPage.NAV_TITLE: (CanvassPage.NAV_ICON, self.canvass_page),
            PetitionsPage.NAV_TITLE: (PetitionsPage.NAV_ICON, self.petitions_page),
            LeafletsPage.NAV_TITLE: (LeafletsPage.NAV_ICON, self.leaflets_page),
            PrintPage.NAV_TITLE: (PrintPage.NAV_ICON, self.print_page),
            SyncPage.NAV_TITLE: (SyncPage.NAV_ICON, self.sync_page),
            ReportsPage.NAV_TITLE: (ReportsPage.NAV_ICON, self.reports_page),
            SettingsPage.NAV_TITLE: (SettingsPage.NAV_ICON, self.settings_page),
        }
        self.placeholders = [
            PlaceholderPage(screen) for screen in PLANNED_SCREENS if screen.title not in built
        ]

        self.stack = QStackedWidget()
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setSpacing(0)
        self.nav.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.nav.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        pages: list[tuple[str, str | QIcon, QWidget]] = [
            ("Overview", "overview", self.overview),
            (BrowsePage.NAV_TITLE, BrowsePage.NAV_ICON, self.browse),
        ]
        placeholders = {page.planned.title: page for page in self.placeholders}
        for title in SIDEBAR_SCREENS:
            if title == SettingsPage.NAV_TITLE:  # Privacy sits just above Settings
                pages.append((PrivacyPage.NAV_TITLE, privacy_icon(), self.privacy_page))
            if title in built:
                pages.append((title, *built[title]))
            else:
                placeholder = placeholders[title]
                pages.append((title, placeholder.planned.icon, placeholder))
        for title, icon, page in pages:
            item = QListWidgetItem(nav_icon(icon) if isinstance(icon, str) else icon, title)
            item.setSizeHint(QSize(SIDEBAR_WIDTH - 24, 44))
            self.nav.addItem(item)
            self.stack.addWidget(page)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)

        sidebar = QFrame()
        sidebar.setObjectName("sidebar")
        sidebar.setFixedWidth(SIDEBAR_WIDTH)
        side = QVBoxLayout(sidebar)
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(0)
        brand = QHBoxLayout()
        brand.setContentsMargins(20, 22, 12, 10)
        brand.setSpacing(10)
        logo = QLabel()
        logo.setPixmap(app_pixmap(30))
        brand.addWidget(logo)
        wordmark = QLabel("canvass")
        wordmark.setObjectName("wordmark")
        brand.addWidget(wordmark)
        brand.addStretch(1)
        side.addLayout(brand)
        side.addWidget(self.nav, 1)

        # Across the top of the pages: the offer to purge once the retention date has passed.
        self.purge_offer = PurgeOffer()
        self.purge_offer.review.connect(self.review_purge)
        self.privacy_page.purge_checked.connect(self.purge_offer.offer)
        main_column = QVBoxLayout()
        main_column.setContentsMargins(0, 0, 0, 0)
        main_column.setSpacing(0)
        main_column.addWidget(self.purge_offer)
        main_column.addWidget(self.stack, 1)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(sidebar)
        row.addLayout(main_column, 1)
        self.setCentralWidget(central)

    def review_purge(self) -> None:
        """Go to the Privacy screen's Retention tab (the purge offer's "Review…")."""
        self.privacy_page.show_tab(self.privacy_page.retention)
        self.nav.setCurrentRow(self.stack.indexOf(self.privacy_page))

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.new_action = self._action("&New database…", self.db_actions.new_database, "Ctrl+N")
        self.open_action = self._action("&Open database…", self.db_actions.open_database, "Ctrl+O")
        self.recent_menu = QMenu("Open &Recent", self)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.demo_action = self._action("Create &demo campaign…", self.db_actions.ask_demo)
        self.import_action = self._action("&Import register…", self.open_register_wizard, "Ctrl+I")
        self.quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        # Ctrl+Q everywhere, also where the platform's Quit key is another one.
        self.quit_action.setShortcuts([QKeySequence("Ctrl+Q")])
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.open_action)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.demo_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        help_menu = self.menuBar().addMenu("&Help")
        self.about_action = self._action("&About canvass", self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu.addAction(self.about_action)

        refresh = self._action("Refresh", self.live.refresh, QKeySequence.StandardKey.Refresh)
        self.addAction(refresh)  # a window shortcut (F5), not a menu entry

    def _action(self, text: str, slot: object, shortcut: object = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))  # type: ignore[call-overload]
        action.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
        return action

    def _build_status_bar(self) -> None:
        self.database_label = QLabel()
        self.database_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.device_label = QLabel("Device: …")
        self.statusBar().addPermanentWidget(self.database_label)
        self.statusBar().addPermanentWidget(self.device_label)

    def _restore_window(self) -> None:
        geometry = self.settings.geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            screen = QApplication.primaryScreen()
            size = QSize(DEFAULT_SIZE)
            if screen is not None:
                area = screen.availableGeometry()
                size = size.boundedTo(area.size() * 0.95)
                self.resize(size)
                self.move(area.center() - self.rect().center())
            else:
                self.resize(size)
        state = self.settings.window_state()
        if state is not None:
            self.restoreState(state)

    # -- register ---------------------------------------------------------------------

    def open_register_wizard(self) -> RegisterImportWizard | None:
        """Open the wizard that imports the electoral register (or a later edition)."""
        if self.tasks.busy:
            self.statusBar().showMessage("Please wait for the running task to finish.", 5000)
            return None
        wizard = RegisterImportWizard(self)
        wizard.imported.connect(self._on_register_imported)
        wizard.finished.connect(wizard.deleteLater)
        wizard.open()
        return wizard

    @Slot(object)
    def _on_register_imported(self, _report: object) -> None:
        self.live.refresh()
        self.browse.on_database_changed()
        self.print_page.on_database_changed()
        self.canvass_page.reload()

    # -- database -------------------------------------------------------------------

    def switch_database(self, db: Database) -> None:
        """Show ``db`` from now on; the database shown until now is closed."""
        old, self.db = self.db, db
        self.settings.add_recent_database(reopen_text(db))
        self.live.set_database(db)
        self.browse.on_database_changed()
        self.print_page.on_database_changed()
        self.sync_page.on_database_changed()
        self.canvass_page.on_database_changed()
        self.petitions_page.on_database_changed()
        self.leaflets_page.on_database_changed()
        self.reports_page.on_database_changed()
        self.privacy_page.on_database_changed()
        self.settings_page.on_database_changed()
        self._show_database_location()
        self.device_label.setText("Device: …")
        self.setWindowTitle("canvass")
        self.nav.setCurrentRow(0)
        self.purge_offer.offer(None)
        self.privacy_page.check_purge()
        if old is not db:
            # A reading still under way keeps its connection until it ends.
            old.close()
        self.statusBar().showMessage(f"Opened {db.target.display}", 8000)

    def _show_database_location(self) -> None:
        engine = _ENGINE_NAMES.get(self.db.dialect, self.db.dialect)
        self.database_label.setText(f"{engine}: {self.db.target.display}")
        self.database_label.setToolTip(f"The open database ({engine})")

    @Slot(object)
    def _on_info(self, info: DatabaseInfo) -> None:
        self.overview.show_info(info)
        campaign = info.campaign or "no campaign yet"
        self.setWindowTitle(f"canvass — {campaign}")
        short_id = info.device_id[:8] if info.device_id else "none"
        self.device_label.setText(f"Device: {info.device_name or 'unnamed'} · {short_id}")
        self.device_label.setToolTip(f"This device's id: {info.device_id}")

    @Slot(str)
    def _on_refresh_failed(self, message: str) -> None:
        self.statusBar().showMessage(f"Could not read the database: {message}", 10000)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_databases()
        for number, text in enumerate(recent, start=1):
            action = self.recent_menu.addAction(f"&{number}  {text}")
            action.setEnabled(not self.tasks.busy)
            action.triggered.connect(
                lambda _checked=False, t=text: self.db_actions.open_database_text(t)
            )
        if not recent:
            self.recent_menu.addAction("No recent databases").setEnabled(False)
            return
        self.recent_menu.addSeparator()
        self.recent_menu.addAction("Clear this list", self.settings.clear_recent_databases)

    # -- tasks and messages -------------------------------------------------------------

    @Slot()
    def _on_task_state(self) -> None:
        busy = self.tasks.busy
        for action in (self.new_action, self.open_action, self.demo_action):
            action.setEnabled(not busy)
        self.overview.set_task_running(busy)

    def show_error(self, title: str, message: str) -> QMessageBox:
        """Show a message to the person without blocking; returns the open box."""
        return warning_box(self, title, message)

    def show_about(self) -> QMessageBox:
        """Open Help › About canvass without blocking; returns the box."""
        box = about_box(self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    # -- showing and closing ----------------------------------------------------------

    def _is_watched(self) -> bool:
        return self.isVisible() and not self.isMinimized()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """Start refreshing the figures while the window is on screen; offer a due purge."""
        super().showEvent(event)
        self.live.start_polling()
        if not self._purge_checked:
            # Once, when the window first opens: a purge that is due is offered (a banner).
            self._purge_checked = True
            self.privacy_page.check_purge()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """Save the window's geometry and close the database, once no task is running.

        A running task is cancelled first (it rolls back) and the window closes
        when it has stopped, so the database is never closed under a task.
        """
        if self._closed:
            event.accept()
            return
        if self.tasks.busy:
            event.ignore()
            self._close_when_idle = True
            self.tasks.cancel()
            self.statusBar().showMessage("Stopping the running task before closing…")
            return
        self.settings.save_window(self.saveGeometry(), self.saveState())
        self.live.shutdown()
        self.leaflets_page.shutdown()
        self.reads.shutdown()
        self.db.close()
        self._closed = True
        super().closeEvent(event)

    @Slot()
    def _close_if_waiting(self) -> None:
        if self._close_when_idle:
            self.close()
