"""The Sync screen: this device, exporting and merging exchange files, conflicts and devices.

Laptops share their work by files (on a USB stick or by email), never a
server. The page shows this laptop's name and fingerprint at the top, where
both a coordinator and a canvasser look when they enrol each other, and one
tab per job below. Everything it shows is read on the window's reads runner in
one go and read again after any task (a merge, an enrolment) has ended; every
change runs on the task runner.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragLeaveEvent,
    QDropEvent,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QPushButton,
    QTabBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from canvass.services.keys import (
    DeviceInfo,
    rename_this_device,
    this_device,
    write_enrolment_file,
)
from canvass.storage.database import Database
from canvass.ui import theme
from canvass.ui.pages.common import label, panel
from canvass.ui.pages.print_page import documents_folder
from canvass.ui.pages.sync_common import (
    ENROLMENT_FILTER,
    STYLE,
    SyncData,
    mono_font,
    read_sync_data,
    role_text,
    slug,
)
from canvass.ui.pages.sync_conflicts import ConflictsPanel
from canvass.ui.pages.sync_devices import DevicesPanel
from canvass.ui.pages.sync_export import ExportPanel
from canvass.ui.pages.sync_merge import MergePanel
from canvass.ui.pages.sync_recovery import read_recovery_recipient
from canvass.ui.progress import TaskProgressDialog

if TYPE_CHECKING:
    from PySide6.QtCore import QMimeData

    from canvass.ui.main_window import MainWindow

#: The widest the device's name may take in the card; a longer one is cut short with "…".
NAME_WIDTH = 220
#: The page's left and right margins, and the space between the card's columns, in pixels.
PAGE_MARGIN = 28
CARD_SPACING = 28
#: A small button that reads as a link, for "Rename…" beside the device's name.
PAGE_STYLE = (
    STYLE
    + f"""
QPushButton#linkButton {{
    background: transparent; color: {theme.BRAND_DARK}; border: none; padding: 2px 4px;
    font-size: 10pt; font-weight: 600;
}}
QPushButton#linkButton:hover {{ color: {theme.BRAND}; text-decoration: underline; }}
QPushButton#linkButton:disabled {{ color: {theme.MUTED}; }}
"""
)

RENAME_TEXT = (
    "What should this laptop be called?\n"
    "Other laptops see this name in their device lists and merge reports, "
    "e.g. “Ada's laptop”."
)


def read_page(db: Database) -> tuple[Database, SyncData, str]:
    """What the page shows, and the campaign's recovery key (runs on the reads runner)."""
    db, data = read_sync_data(db)
    return db, data, read_recovery_recipient(db)


def dropped_files(mime: QMimeData) -> list[Path]:
    """The files being dragged (none if anything else is: a folder, a web link, text).

    Any file is welcome, not only ``.canvass`` ones: a renamed attachment still
    merges, and a wrong file gets its own plain message in the report.
    """
    if not mime.hasUrls():
        return []
    urls = mime.urls()
    paths = [Path(url.toLocalFile()) for url in urls if url.isLocalFile()]
    if not paths or len(paths) != len(urls) or any(p.is_dir() for p in paths):
        return []
    return paths


class SyncPage(QWidget):
    """The Sync screen.

    Signals:
        loaded: What the page shows was read (again).
        enrolment_saved: The path of this device's enrolment file, just written.
        renamed: This device's :class:`~canvass.services.keys.DeviceInfo`, just renamed.
    """

    NAV_TITLE = "Sync"
    NAV_ICON = "sync"

    loaded = Signal()
    enrolment_saved = Signal(object)
    renamed = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.main = window
        self.data: SyncData | None = None
        self._reload_wanted = False
        self._register_failed = False
        self.setObjectName("pageArea")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(PAGE_STYLE)
        self.setAcceptDrops(True)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(PAGE_MARGIN, 20, PAGE_MARGIN, 20)
        outer.setSpacing(14)
        heading = QVBoxLayout()
        heading.setSpacing(4)
        heading.addWidget(label("Sync", "pageTitle"))
        heading.addWidget(
            label(
                "Share work between laptops with files on a USB stick or by email: send "
                "assignments out, merge what comes back.",
                "pageSubtitle",
                wrap=True,
            )
        )
        outer.addLayout(heading)
        outer.addWidget(self._build_device_card())

        self.merge = MergePanel(window)
        self.export = ExportPanel(window)
        self.conflicts = ConflictsPanel(window)
        self.devices = DevicesPanel(window)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("syncTabs")
        self.tabs.tabBar().setObjectName("syncTabBar")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.merge, "Merge files")
        self.tabs.addTab(self.export, "Export a file")
        self.tabs.addTab(self.conflicts, "Conflicts")
        self.tabs.addTab(self.devices, "Devices")
        self.conflict_badge = label("", "countBadge")
        self.conflict_badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.conflict_badge.setToolTip("Conflicts waiting for you to choose")
        self.conflict_badge.hide()
        outer.addWidget(self.tabs, 1)

        # Whatever a task changed (a merge, an enrolment, a resolution) shows here next.
        window.tasks.ended.connect(self.reload)
        window.reads.ended.connect(self._reload_if_wanted)

    def _build_device_card(self) -> QWidget:
        frame, layout = panel()
        layout.setContentsMargins(22, 12, 22, 12)
        self.device_card, self.card_layout = frame, layout
        self._name = ""
        self.card_row = row = QHBoxLayout()
        row.setSpacing(CARD_SPACING)
        who = QVBoxLayout()
        who.setSpacing(4)
        title_row = QHBoxLayout()
        title_row.setSpacing(8)
        title_row.addWidget(label("This device", "cardTitle"))
        name_row = QHBoxLayout()
        name_row.setSpacing(10)
        self.device_name = label("…", "sectionTitle", selectable=True)
        self.device_role = label("", "roleBadge")
        self.rename_button = QPushButton("Rename…")
        self.rename_button.setObjectName("linkButton")
        self.rename_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.rename_button.setToolTip("Change the name other laptops see for this one")
        self.rename_button.clicked.connect(self.ask_rename)
        title_row.addWidget(self.rename_button, 0, Qt.AlignmentFlag.AlignVCenter)
        title_row.addStretch(1)
        who.addLayout(title_row)
        name_row.addWidget(self.device_name)
        name_row.addWidget(self.device_role, 0, Qt.AlignmentFlag.AlignVCenter)
        name_row.addStretch(1)
        who.addLayout(name_row)
        row.addLayout(who)
        prints = QVBoxLayout()
        prints.setSpacing(2)
        self.prints_title = label("Fingerprint: read it aloud when enrolling", "cardTitle")
        prints.addWidget(self.prints_title)
        self.fingerprint = label("…", "fingerprint", selectable=True)
        self.fingerprint.setFont(mono_font(20))
        self.fingerprint.setToolTip(
            "Another laptop that enrols this one sees the same fingerprint in its file"
        )
        prints.addWidget(self.fingerprint)
        row.addLayout(prints)
        row.addStretch(1)
        self.save_enrolment_button = QPushButton("Save enrolment file…")
        self.save_enrolment_button.setObjectName("secondary")
        self.save_enrolment_button.setToolTip(
            "A file with this laptop's public keys (no secrets), for the coordinator or a "
            "canvasser to enrol it"
        )
        self.save_enrolment_button.clicked.connect(self.ask_save_enrolment)
        row.addWidget(self.save_enrolment_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(row)
        # On a narrow window the button moves down here, so the fingerprint is never cut.
        self.card_lower_row = QHBoxLayout()
        layout.addLayout(self.card_lower_row)
        self.device_error = label("", "error", wrap=True, selectable=True)
        self.device_error.hide()
        layout.addWidget(self.device_error)
        self.enrolment_note = label("", "footnote", wrap=True, selectable=True)
        self.enrolment_note.hide()
        layout.addWidget(self.enrolment_note)
        return frame

    # -- reading --------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """Read again whenever the page comes into view: another screen may have changed things."""
        super().showEvent(event)
        self.reload()

    def on_database_changed(self) -> None:
        """Forget what was shown; the window's (new) database is read when the page shows."""
        self.data = None
        self._register_failed = False
        self.export.forget()
        self.enrolment_note.hide()
        self.device_error.hide()
        self.reload()

    @Slot()
    def reload(self) -> None:
        """Read what the page shows on the reads runner, when the page is on screen."""
        if not self.isVisible():
            return
        reads = self.main.reads
        if reads.busy:
            self._reload_wanted = True
            return
        self._reload_wanted = False
        reads.start(
            functools.partial(read_page, self.main.db),
            on_finished=self._on_loaded,
            on_failed=self._on_load_failed,
        )

    @Slot()
    def _reload_if_wanted(self) -> None:
        if self._reload_wanted and not self.main.reads.busy:
            self.reload()

    def _on_loaded(self, loaded: tuple[Database, SyncData, str]) -> None:
        db, data, recovery = loaded
        if db is not self.main.db:
            self.reload()  # the database was switched while reading
            return
        if not data.registered and self._register():
            return  # read again once this device is in the device list
        self.data = data
        self.show_device(data.me)
        self.export.show_data(data)
        self.conflicts.show_conflicts(data.conflicts)
        self.devices.show_devices(data.devices)
        self.devices.show_recovery(recovery, coordinator=data.me.role == "coordinator")
        self.show_conflict_count(len(data.conflicts))
        self.loaded.emit()

    def show_conflict_count(self, count: int) -> None:
        """Show ``count`` in the badge on the Conflicts tab (no badge for none)."""
        bar, index = self.tabs.tabBar(), self.tabs.indexOf(self.conflicts)
        self.conflict_badge.setText(f"{count:,}")
        # Setting the button again makes the tab bar lay its tabs out for the badge.
        bar.setTabButton(index, QTabBar.ButtonPosition.RightSide, None)
        if count:
            bar.setTabButton(index, QTabBar.ButtonPosition.RightSide, self.conflict_badge)
            self.conflict_badge.show()
        else:
            self.conflict_badge.hide()
        self.tabs.setTabToolTip(
            self.tabs.indexOf(self.conflicts),
            f"{count:,} conflicts to settle" if count else "No conflicts",
        )

    def _register(self) -> bool:
        """Put this device in the device list (its first change), so it has a fingerprint.

        A database registers its device with its first change; one that has
        made none yet is registered when a person first looks at this page.
        Returns whether the registration was started.
        """
        tasks = self.main.tasks
        if self._register_failed or tasks.busy or not self.isVisible():
            return False  # the page reads again when the running task ends
        db = self.main.db

        def failed(message: str) -> None:
            self._register_failed = True
            self.main.statusBar().showMessage(f"Could not set up this device: {message}", 10000)

        tasks.start(lambda: this_device(db), on_failed=failed)
        return True

    def _on_load_failed(self, message: str) -> None:
        self.main.statusBar().showMessage(f"Could not read the database: {message}", 10000)
        self.loaded.emit()

    def show_device(self, me: DeviceInfo) -> None:
        """Show this device's name, role and fingerprint in the card at the top."""
        self._name = me.name or "(unnamed laptop)"
        self.device_name.setToolTip(self._name)
        self.device_role.setText(role_text(me.role))
        self.fingerprint.setText(me.fingerprint)
        self._fit_device_card()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """Lay the card at the top out again for the new width."""
        super().resizeEvent(event)
        self._fit_device_card()

    def _fit_device_card(self) -> None:
        """Fit the card to the page's width: the fingerprint, read aloud, is never cut short.

        When the card is too narrow for one row, "Save enrolment file…" moves
        below it, and a long device name is cut short with "…" (in full in its
        tooltip).
        """
        margins = self.card_layout.contentsMargins()
        width = self.width() - 2 * PAGE_MARGIN - margins.left() - margins.right()
        prints = max(self.fingerprint.sizeHint().width(), self.prints_title.sizeHint().width())
        badge = self.device_role.sizeHint().width() + 10
        button = self.save_enrolment_button.sizeHint().width()
        metrics = self.device_name.fontMetrics()
        name = min(metrics.horizontalAdvance(self._name) + 4, NAME_WIDTH)
        one_row = name + badge + prints + button + 2 * CARD_SPACING
        below = width < one_row
        button_widget, lower = self.save_enrolment_button, self.card_lower_row
        if below and lower.indexOf(button_widget) < 0:
            self.card_row.removeWidget(button_widget)
            lower.addWidget(button_widget)
            lower.addStretch(1)
        elif not below and lower.indexOf(button_widget) >= 0:
            lower.removeWidget(button_widget)
            lower.takeAt(0)  # the stretch that followed it
            self.card_row.addWidget(button_widget, 0, Qt.AlignmentFlag.AlignVCenter)
        room = width - badge - prints - CARD_SPACING - (0 if below else button + CARD_SPACING)
        self.device_name.setText(
            metrics.elidedText(self._name, Qt.TextElideMode.ElideRight, max(60, min(room, name)))
        )

    @property
    def conflict_count(self) -> int:
        """How many conflicts the badge shows."""
        return len(self.data.conflicts) if self.data else 0

    # -- this device ------------------------------------------------------------------------

    @Slot()
    def ask_rename(self) -> TaskProgressDialog | None:
        """Ask for this device's new name, then give it (the devices table follows)."""
        current = self.data.me.name if self.data else ""
        name, ok = QInputDialog.getText(
            self, "Rename this laptop", RENAME_TEXT, QLineEdit.EchoMode.Normal, current
        )
        if not ok:
            return None
        tasks = self.main.tasks
        if tasks.busy:
            self.main.statusBar().showMessage("Please wait for the running task to finish.", 5000)
            return None
        db = self.main.db
        self.device_error.hide()
        tasks.start(
            lambda: rename_this_device(db, name),
            on_finished=self._on_renamed,
            on_failed=self._on_rename_failed,
        )
        return TaskProgressDialog(tasks, self.main, "Renaming this laptop", cancellable=False)

    def _on_renamed(self, me: DeviceInfo) -> None:
        self.show_device(me)
        self.main.statusBar().showMessage(
            f"This laptop is now called “{me.name}”. Other laptops see the new name once "
            "they merge a file from it.",
            10000,
        )
        self.renamed.emit(me)

    def _on_rename_failed(self, message: str) -> None:
        self.device_error.setText(f"Could not rename this laptop: {message}")
        self.device_error.show()

    @Slot()
    def ask_save_enrolment(self) -> TaskProgressDialog | None:
        """Ask where to save this device's enrolment file, then write it."""
        name = self.data.me.name if self.data else "laptop"
        suggested = documents_folder() / f"{slug(name)}-enrolment.json"
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save this laptop's enrolment file", str(suggested), ENROLMENT_FILTER
        )
        if not chosen:
            return None
        tasks = self.main.tasks
        if tasks.busy:
            self.main.statusBar().showMessage("Please wait for the running task to finish.", 5000)
            return None
        out, db = Path(chosen), self.main.db
        if not out.suffix:
            out = out.with_suffix(".json")
        tasks.start(
            lambda: write_enrolment_file(db, out),
            on_finished=lambda me: self._on_enrolment_saved(out, me),
            on_failed=lambda message: self.main.show_error(
                "Could not save the enrolment file", message
            ),
        )
        return TaskProgressDialog(tasks, self.main, "Saving the enrolment file", cancellable=False)

    def _on_enrolment_saved(self, out: Path, me: DeviceInfo) -> None:
        self.enrolment_note.setText(
            f"Saved {out}. Give it to the coordinator (or the canvasser) to enrol this laptop; "
            f"when they do, read this fingerprint aloud: {me.fingerprint}."
        )
        self.enrolment_note.show()
        self.main.statusBar().showMessage(f"Enrolment file saved to {out}", 10000)
        self.enrolment_saved.emit(out)

    # -- dropping files ---------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt override)
        """Welcome exchange files dragged over the screen."""
        if dropped_files(event.mimeData()):
            event.acceptProposedAction()
            self.merge.set_drop_highlight(True)
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: N802 (Qt override)
        """Stop showing that a drop is welcome."""
        self.merge.set_drop_highlight(False)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt override)
        """Merge the exchange files dropped on the screen."""
        self.merge.set_drop_highlight(False)
        paths = dropped_files(event.mimeData())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.tabs.setCurrentWidget(self.merge)
        self.merge.merge_paths(paths)
