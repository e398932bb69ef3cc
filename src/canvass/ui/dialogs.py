"""Small dialogs: About, demo options and the campaign name.

Each is built here and shown by the caller with ``open()``, which does not
block, so the same objects can be inspected in tests without an event loop.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from canvass import __version__
from canvass.services.demo import MAX_DEMO_ELECTORS
from canvass.ui.icons import app_pixmap

DESCRIPTION = (
    "canvass helps community and political campaigns work offline: walk lists of "
    "households and record doorstep responses in seconds, collect petition signatures "
    "at the door or at a stall, print leaflets, walk sheets and petition sheets, and "
    "merge everyone's work back together at the end of the day, all on one laptop "
    "with no server."
)
LICENCE = "GPL-3.0-or-later"


def about_box(parent: QWidget | None) -> QMessageBox:
    """The Help › About canvass box: version, what it is for, and its licence."""
    box = QMessageBox(parent)
    box.setWindowTitle("About canvass")
    box.setIconPixmap(app_pixmap(72))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(
        f"<h2 style='margin-bottom:2px'>canvass</h2>"
        f"<p style='color:#5F6B76'>Version {__version__}</p>"
        f"<p>{DESCRIPTION}</p>"
        f"<p>Free software, licensed under the GNU General Public License, "
        f"version 3 or later ({LICENCE}). It comes with no warranty.</p>"
    )
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    # Wide enough that the paragraph reads as a paragraph, not a column.
    box.setStyleSheet("QLabel#qt_msgbox_label { min-width: 440px; }")
    return box


class DemoDialog(QDialog):
    """Asks how many made-up electors the demo campaign should have, and the seed."""

    def __init__(self, parent: QWidget | None = None, new_file: str = "") -> None:
        """Build the dialog; ``new_file`` names the new database the demo goes into, if any."""
        super().__init__(parent)
        self.setWindowTitle("Create demo campaign")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(14)
        what = (
            "made-up streets, households and electors, doorstep visits and a petition "
            "with signatures"
        )
        # Demo data never joins a real campaign: made-up electors would end up
        # on its walk sheets and in its counts.
        intro = QLabel(
            f"Creates a separate demo database, {new_file}, with {what}, and opens it. "
            "Your current campaign is not changed."
            if new_file
            else f"Creates a campaign with {what} in this empty database. "
            "All names, streets and postcodes are made up."
        )
        intro.setWordWrap(True)
        intro.setMinimumWidth(400)
        layout.addWidget(intro)

        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.electors = QSpinBox()
        self.electors.setRange(1, MAX_DEMO_ELECTORS)
        self.electors.setSingleStep(1000)
        self.electors.setGroupSeparatorShown(True)
        self.electors.setValue(5000)
        self.electors.setMinimumWidth(140)
        form.addRow("Electors:", self.electors)
        self.seed = QSpinBox()
        self.seed.setRange(0, 1_000_000)
        self.seed.setValue(7)
        self.seed.setMinimumWidth(140)
        self.seed.setToolTip("The same seed always makes the same data")
        form.addRow("Seed:", self.seed)
        layout.addLayout(form)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Create")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def campaign_name_dialog(parent: QWidget | None) -> QInputDialog:
    """Asks for the name of a new campaign."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle("Start a campaign")
    dialog.setLabelText("What is the campaign called?\nFor example: Save Exampleton Library")
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    dialog.setOkButtonText("Start campaign")
    dialog.resize(440, dialog.sizeHint().height())
    return dialog


def warning_box(parent: QWidget, title: str, message: str) -> QMessageBox:
    """Open a warning over ``parent`` without blocking; returns the open box.

    The title is repeated as the box's text: some platforms show no title bar.
    """
    box = QMessageBox(QMessageBox.Icon.Warning, title, title, QMessageBox.StandardButton.Ok)
    box.setParent(parent, box.windowFlags())
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText(message)
    box.setStyleSheet(
        "QLabel#qt_msgbox_label { font-weight: 600; }"
        "QLabel#qt_msgbox_informativelabel { min-width: 420px; }"
    )
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
