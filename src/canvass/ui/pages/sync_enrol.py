"""The Enrol device dialog: the fingerprint in big type, and the one question that matters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
)

from canvass.services.keys import DeviceInfo, Enrolment, enrol
from canvass.ui.pages.common import label
from canvass.ui.pages.sync_common import STYLE, mono_font, role_text
from canvass.ui.progress import TaskProgressDialog

if TYPE_CHECKING:
    from canvass.ui.main_window import MainWindow

QUESTION = "Does the device show the same fingerprint?"
ROLES = ("canvasser", "coordinator")


class EnrolDialog(QDialog):
    """Shows an enrolment file's device and fingerprint; enrols it when the person says yes.

    The enrolment runs on the window's task runner; the dialog closes once it
    is done, and shows the reason in place if it is refused.

    Signals:
        enrolled: The :class:`~canvass.services.keys.DeviceInfo` of the enrolled device.
    """

    enrolled = Signal(object)

    def __init__(self, window: MainWindow, enrolment: Enrolment, *, campaign: str = "") -> None:
        super().__init__(window)
        self.main = window
        self.enrolment = enrolment
        self.setWindowTitle("Enrol a device")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setStyleSheet(STYLE)
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        declared = role_text(enrolment.role).lower()
        layout.addWidget(
            label(
                f"“{enrolment.name or 'An unnamed laptop'}” ({declared}) asks to exchange "
                "files with this laptop.",
                "hint",
                wrap=True,
            )
        )
        if enrolment.campaign_name:
            layout.addWidget(
                label(f"Campaign on that laptop: {enrolment.campaign_name}", "footnote", wrap=True)
            )
        self.campaign_warning = label(
            f"Careful: that is not this laptop's campaign ({campaign}). Enrol it only if it "
            "should exchange files with this one.",
            "error",
            wrap=True,
        )
        other = bool(campaign and enrolment.campaign_name and campaign != enrolment.campaign_name)
        self.campaign_warning.setVisible(other)
        layout.addWidget(self.campaign_warning)

        layout.addWidget(label("Fingerprint in the file", "footnote"))
        self.fingerprint = label(enrolment.fingerprint, "bigFingerprint", selectable=True)
        self.fingerprint.setFont(mono_font(24))
        self.fingerprint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.fingerprint)
        self.question = label(QUESTION, "sectionTitle", wrap=True)
        layout.addWidget(self.question)
        layout.addWidget(
            label(
                "Ask the person at that laptop to open Sync and read its fingerprint aloud. "
                "If any character is different, do not enrol it: the file may not be theirs.",
                "hint",
                wrap=True,
            )
        )
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.role = QComboBox()
        self.role.setMinimumWidth(180)
        for role in ROLES:
            self.role.addItem(role_text(role), role)
        self.role.setCurrentIndex(max(self.role.findData(enrolment.role or "canvasser"), 0))
        self.role.setToolTip(
            "Canvassers' files go to coordinators by default; change it if the file says "
            "otherwise than you know"
        )
        form.addRow("Enrol as", self.role)
        layout.addLayout(form)
        self.error = label("", "error", wrap=True)
        self.error.hide()
        layout.addWidget(self.error)

        buttons = QDialogButtonBox()
        self.no_button = buttons.addButton("No, cancel", QDialogButtonBox.ButtonRole.RejectRole)
        self.yes_button = buttons.addButton(
            "Yes, it is the same: enrol", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.yes_button.setObjectName("primary")
        self.no_button.setObjectName("secondary")
        self.no_button.setDefault(True)  # Enter must not trust a device by accident
        buttons.accepted.connect(self.confirm)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @Slot()
    def confirm(self) -> TaskProgressDialog | None:
        """The fingerprints match: enrol the device on the task runner."""
        tasks = self.main.tasks
        if tasks.busy:
            self._show_error("Please wait for the running task to finish, then try again.")
            return None
        db, enrolment, role = self.main.db, self.enrolment, str(self.role.currentData())
        self.yes_button.setEnabled(False)
        tasks.start(
            lambda: enrol(db, enrolment, role=role),
            on_finished=self._on_enrolled,
            on_failed=self._show_error,
        )
        return TaskProgressDialog(tasks, self.main, "Enrolling", cancellable=False)

    def _on_enrolled(self, info: DeviceInfo) -> None:
        self.enrolled.emit(info)
        super().accept()

    def _show_error(self, message: str) -> None:
        self.yes_button.setEnabled(True)
        self.error.setText(message)
        self.error.show()
