"""The Sync screen's Devices tab: the campaign's laptops, enrolling and revoking them.

Enrolling reads another laptop's enrolment file and asks the person to compare
its fingerprint, read aloud, with the one on the other screen before trusting
it. Revoking is for ever, so it asks first and says so. The coordinator also
makes the campaign's recovery key here, once.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from canvass.services.keys import DeviceInfo, read_enrolment_file, revoke
from canvass.ui import theme
from canvass.ui.pages.common import label, panel
from canvass.ui.pages.sync_common import (
    ENROLMENT_FILTER,
    ERROR_COLOUR,
    button_row,
    mono_font,
    role_text,
    tab_body,
    table_view,
)
from canvass.ui.pages.sync_enrol import EnrolDialog
from canvass.ui.pages.sync_recovery import RecoveryKeyDialog, RecoveryKeyMade
from canvass.ui.progress import TaskProgressDialog

if TYPE_CHECKING:
    from canvass.services.keys import Enrolment
    from canvass.ui.main_window import MainWindow

AnyIndex = QModelIndex | QPersistentModelIndex
STEPS = (
    "On the other laptop, open Sync and press “Save enrolment file…”. Bring the file here "
    "on a USB stick or by email: it holds no secrets.",
    "Here, press “Enrol device…” and choose that file.",
    "Read the fingerprints aloud: the one in the file must be the one on the other "
    "laptop's screen. Then enrol this laptop there the same way.",
)


class DeviceColumn(IntEnum):
    """The columns of :class:`DeviceTableModel`."""

    NAME = 0
    ROLE = 1
    STATUS = 2
    FINGERPRINT = 3
    ADDED = 4


_HEADERS = {
    DeviceColumn.NAME: ("Name", "The laptop's name"),
    DeviceColumn.ROLE: ("Role", "Coordinators receive canvassers' files by default"),
    DeviceColumn.STATUS: ("Status", "Only files from enrolled devices are merged"),
    DeviceColumn.FINGERPRINT: ("Fingerprint", "Compare it, read aloud, with the laptop's screen"),
    DeviceColumn.ADDED: ("Known since", "When the device made its keys"),
}
_STATUS = {
    "this device": "This device",
    "enrolled": "Enrolled",
    "not enrolled": "Not enrolled",
    "revoked": "Revoked",
}


class DeviceTableModel(QAbstractTableModel):
    """The devices a database knows, this one first. :attr:`ID_ROLE` gives a row's device id."""

    ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._devices: list[DeviceInfo] = []
        self._mono = mono_font()
        self._bold = QFont()
        self._bold.setBold(True)
        self._colours = {
            "this device": QBrush(QColor(theme.BRAND_DARK)),
            "enrolled": QBrush(QColor(theme.BRAND_DARK)),
            "not enrolled": QBrush(QColor(theme.MUTED)),
            "revoked": QBrush(QColor(ERROR_COLOUR)),
        }

    def set_devices(self, devices: Sequence[DeviceInfo]) -> None:
        """Show ``devices`` instead of what was shown."""
        self.beginResetModel()
        self._devices = list(devices)
        self.endResetModel()

    def device(self, row: int) -> DeviceInfo:
        """The device shown on ``row``."""
        return self._devices[row]

    def row_of(self, device_id: str) -> int:
        """The row showing ``device_id`` (-1 if none)."""
        return next((n for n, d in enumerate(self._devices) if d.id == device_id), -1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt)
        """A row per device at the top, nothing below."""
        return 0 if parent.isValid() else len(self._devices)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt)
        """Columns under ``parent``."""
        return 0 if parent.isValid() else len(DeviceColumn)

    def headerData(  # noqa: N802 (Qt)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles and their tooltips."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(DeviceColumn):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[DeviceColumn(section)][0]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _HEADERS[DeviceColumn(section)][1]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """What a cell shows for ``role``."""
        if not index.isValid() or not 0 <= index.row() < len(self._devices):
            return None
        device = self._devices[index.row()]
        column = DeviceColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(device, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{device.name} ({role_text(device.role)})\nId: {device.id}"
        if role == Qt.ItemDataRole.FontRole:
            if column == DeviceColumn.FINGERPRINT:
                return self._mono
            if column == DeviceColumn.STATUS or device.is_this_device:
                return self._bold
            return None
        if role == Qt.ItemDataRole.ForegroundRole and column == DeviceColumn.STATUS:
            return self._colours.get(device.status)
        if role == self.ID_ROLE:
            return device.id
        return None

    @staticmethod
    def _text(device: DeviceInfo, column: DeviceColumn) -> str:
        if column == DeviceColumn.NAME:
            return device.name or "(unnamed)"
        if column == DeviceColumn.ROLE:
            return role_text(device.role)
        if column == DeviceColumn.STATUS:
            return _STATUS.get(device.status, device.status)
        if column == DeviceColumn.FINGERPRINT:
            return device.fingerprint
        return device.registered_at[:10]


class DevicesPanel(QWidget):
    """The Devices tab.

    Signals:
        enrolled: The :class:`~canvass.services.keys.DeviceInfo` of a device just enrolled.
        revoked: The :class:`~canvass.services.keys.DeviceInfo` of a device just revoked.
        recovery_key_made: A :class:`~canvass.ui.pages.sync_recovery.RecoveryKeyMade`.
    """

    enrolled = Signal(object)
    revoked = Signal(object)
    recovery_key_made = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.main = window
        self.folder = ""
        self.model = DeviceTableModel(self)
        self.dialog: EnrolDialog | None = None
        self.revoke_box: QMessageBox | None = None
        self.recovery_dialog: RecoveryKeyDialog | None = None
        self.recipient = ""
        page, body = tab_body(scrolling=True)  # the table keeps its height on a small screen
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(page)

        frame, layout = panel()
        layout.setSpacing(12)
        layout.addWidget(label("Devices", "sectionTitle"))
        layout.addWidget(
            label(
                "Files are merged only from enrolled devices (or with the campaign's "
                "passphrase). Revoke a laptop that is lost, stolen or leaves the campaign.",
                "hint",
                wrap=True,
            )
        )
        self.table = table_view()
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DeviceColumn.NAME, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(140)
        # It asks for the height of its rows (not a fixed default), so the tab scrolls
        # only when they do not fit, and a long list scrolls with the page.
        self.table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        self.table.selectionModel().currentRowChanged.connect(self._on_selected)
        layout.addWidget(self.table, 1)
        self.enrol_button = QPushButton("Enrol device…")
        self.enrol_button.setObjectName("primary")
        self.enrol_button.clicked.connect(self.ask_enrolment_file)
        self.revoke_button = QPushButton("Revoke…")
        self.revoke_button.setObjectName("secondary")
        self.revoke_button.setEnabled(False)
        self.revoke_button.setToolTip("Refuse this device's files from now on, for good")
        self.revoke_button.clicked.connect(self.ask_revoke)
        buttons = button_row(self.enrol_button, self.revoke_button)
        buttons.addLayout(self._recovery_row())
        layout.addLayout(buttons)
        body.addWidget(frame, 1)

        steps_frame, steps = panel()
        steps.setSpacing(8)
        steps.addWidget(label("How to enrol a laptop", "sectionTitle"))
        for n, step in enumerate(STEPS, start=1):
            steps.addWidget(label(f"{n}.  {step}", "hint", wrap=True))
        body.addWidget(steps_frame)

    def _recovery_row(self) -> QHBoxLayout:
        """The campaign's recovery key: whether it is made, and the button that explains it."""
        self.recovery_state = label("Recovery key: …", "hint")
        self.recovery_button = QPushButton("Campaign recovery key…")
        self.recovery_button.setObjectName("secondary")
        self.recovery_button.clicked.connect(self.ask_recovery_key)
        self.show_recovery("", coordinator=False)
        row = QHBoxLayout()
        row.setSpacing(12)
        row.addWidget(self.recovery_state)
        row.addWidget(self.recovery_button)
        return row

    def show_devices(self, devices: Sequence[DeviceInfo]) -> None:
        """List ``devices``, keeping the selected one selected."""
        current = self.selected()
        self.model.set_devices(devices)
        self.table.resizeColumnsToContents()
        if current is not None and (row := self.model.row_of(current.id)) >= 0:
            self.table.selectRow(row)
        self._on_selected()

    def show_recovery(self, recipient: str, *, coordinator: bool) -> None:
        """Show whether the campaign has a recovery key; only a coordinator may make one."""
        self.recipient = recipient
        if recipient:
            self.recovery_state.setText("Recovery key: set, nothing more needed")
            self.recovery_state.setToolTip(
                "Every file exported from now on can also be opened with the campaign's "
                f"recovery key (public key {recipient})"
            )
        else:
            learns = (
                "" if coordinator else " (this laptop learns of it from the coordinator's files)"
            )
            self.recovery_state.setText("Recovery key: not made yet")
            self.recovery_state.setToolTip(
                "The recovery key lets the campaign's data controller open exchange files if "
                f"the coordinator's laptop is lost{learns}"
            )
        self.recovery_button.setEnabled(coordinator)
        self.recovery_button.setToolTip(
            "What the recovery key is for, and saving it once for the data controller"
            if coordinator
            else "Only the coordinator's laptop makes the campaign's recovery key; this "
            "laptop is a canvasser's"
        )

    def selected(self) -> DeviceInfo | None:
        """The device selected in the table."""
        row = self.table.currentIndex().row()
        return self.model.device(row) if 0 <= row < self.model.rowCount() else None

    def select(self, device_id: str) -> None:
        """Select the row of ``device_id``."""
        self.table.selectRow(self.model.row_of(device_id))

    @Slot()
    def _on_selected(self, *_args: object) -> None:
        device = self.selected()
        self.revoke_button.setEnabled(
            device is not None and not device.is_this_device and not device.revoked
        )

    def _busy(self) -> bool:
        if self.main.tasks.busy:
            self.main.statusBar().showMessage("Please wait for the running task to finish.", 5000)
            return True
        return False

    # -- enrolling -----------------------------------------------------------------------------

    @Slot()
    def ask_enrolment_file(self) -> None:
        """Ask for another laptop's enrolment file, read it, then ask to compare fingerprints."""
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Choose the device's enrolment file", self.folder, ENROLMENT_FILTER
        )
        if not chosen or self._busy():
            return
        path = Path(chosen)
        self.folder = str(path.parent)
        self.main.tasks.start(
            lambda: read_enrolment_file(path),
            on_finished=self.confirm_enrolment,
            on_failed=lambda message: self.main.show_error(
                "That is not an enrolment file", message
            ),
        )

    def confirm_enrolment(self, enrolment: Enrolment) -> EnrolDialog:
        """Open the dialog that shows the fingerprint and asks whether it matches."""
        info = self.main.live.latest
        dialog = EnrolDialog(self.main, enrolment, campaign=info.campaign if info else "")
        dialog.enrolled.connect(self._on_enrolled)
        dialog.finished.connect(self._forget_dialog)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    @Slot()
    def _forget_dialog(self) -> None:
        self.dialog = None

    def _on_enrolled(self, info: DeviceInfo) -> None:
        self.main.statusBar().showMessage(
            f"Enrolled “{info.name}” as {role_text(info.role).lower()}: its files can be "
            "merged here now.",
            10000,
        )
        self.enrolled.emit(info)

    # -- revoking ------------------------------------------------------------------------------

    @Slot()
    def ask_revoke(self) -> QMessageBox | None:
        """Ask, with a clear warning, whether to revoke the selected device."""
        device = self.selected()
        if device is None or device.is_this_device or device.revoked:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Revoke device",
            f"Revoke “{device.name}” ({device.fingerprint})?",
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText(
            "Its files will be refused from now on, here and on every laptop that merges a "
            "file from this one.\n\nThis cannot be undone: a revoked device can never be "
            "enrolled again (that laptop would need a new database). Do this when a laptop is "
            "lost or stolen, or its user leaves the campaign."
        )
        box.setStyleSheet(
            "QLabel#qt_msgbox_label { font-weight: 600; }"
            "QLabel#qt_msgbox_informativelabel { min-width: 440px; }"
        )
        self.confirm_revoke_button = box.addButton(
            "Revoke for good", QMessageBox.ButtonRole.DestructiveRole
        )
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: self._on_revoke_answer(button, device))
        box.finished.connect(lambda _result: setattr(self, "revoke_box", None))
        self.revoke_box = box
        box.open()
        return box

    def _on_revoke_answer(self, button: QAbstractButton, device: DeviceInfo) -> None:
        if button is not self.confirm_revoke_button or self._busy():
            return
        db = self.main.db

        def done(info: DeviceInfo) -> None:
            self.main.statusBar().showMessage(
                f"Revoked “{info.name}”: its files are refused from now on.", 10000
            )
            self.revoked.emit(info)

        self.main.tasks.start(
            lambda: revoke(db, device.id),
            on_finished=done,
            on_failed=lambda message: self.main.show_error("Could not revoke the device", message),
        )
        TaskProgressDialog(self.main.tasks, self.main, "Revoking", cancellable=False)

    # -- the campaign's recovery key --------------------------------------------------------

    @Slot()
    def ask_recovery_key(self) -> RecoveryKeyDialog | None:
        """Open the dialog that explains the recovery key and saves it."""
        if not self.recovery_button.isEnabled():
            return None
        dialog = RecoveryKeyDialog(self.main, recipient=self.recipient)
        dialog.made.connect(self._on_recovery_key_made)
        dialog.finished.connect(self._forget_recovery_dialog)
        dialog.finished.connect(dialog.deleteLater)
        self.recovery_dialog = dialog
        dialog.open()
        return dialog

    @Slot()
    def _forget_recovery_dialog(self) -> None:
        self.recovery_dialog = None

    def _on_recovery_key_made(self, made: RecoveryKeyMade) -> None:
        self.main.statusBar().showMessage(
            f"Recovery key saved to {made.path}: every file exported from now on can be "
            "opened with it.",
            10000,
        )
        self.recovery_key_made.emit(made)
