"""The Sync screen's Export tab: write an exchange file for the coordinator or a canvasser.

Three choices: who can open the file (the campaign's coordinators, chosen
devices, or anyone with a passphrase) and what goes in (everything, or an
assignment of one walk list or some districts), side by side; then where it
goes, beside the Export button. The file is written on the task runner.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from canvass.crypto.passphrases import generate_passphrase
from canvass.domain.errors import ValidationError
from canvass.services.exchange import ExportResult, export_file
from canvass.ui.pages.common import label, panel
from canvass.ui.pages.print_page import documents_folder
from canvass.ui.pages.print_walk_list import indented
from canvass.ui.pages.sync_common import (
    SyncData,
    checklist,
    export_words,
    fill_checklist,
    plural,
    role_text,
    tab_body,
    ticked,
)
from canvass.ui.progress import TaskProgressDialog

if TYPE_CHECKING:
    from canvass.ui.main_window import MainWindow

#: Recipient choices (button ids).
COORDINATORS, DEVICES, PASSPHRASE = 0, 1, 2
#: Area choices (button ids).
EVERYTHING, WALK_LIST, DISTRICTS = 0, 1, 2
NO_ONE = (
    "There is no one to make the file for yet: enrol the coordinator's laptop on the Devices "
    "tab, choose enrolled devices, or use a passphrase."
)


class ExportPanel(QWidget):
    """The Export tab.

    Signals:
        exported: The :class:`~canvass.services.exchange.ExportResult` of a file written.
    """

    exported = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.main = window
        self.data: SyncData | None = None
        self.result: ExportResult | None = None
        self._defaults_set = False
        scroll, body = tab_body(scrolling=True)
        self.scroller = scroll
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        choices = QHBoxLayout()
        choices.setSpacing(16)
        choices.addWidget(self._build_who(), 1)
        choices.addWidget(self._build_what(), 1)
        body.addLayout(choices)
        body.addWidget(self._build_where())
        self._build_result(body)
        body.addStretch(1)

    # -- layout ---------------------------------------------------------------------------

    def _build_where(self) -> QFrame:
        frame, layout = panel()
        row = QHBoxLayout()
        row.setSpacing(24)
        left = QVBoxLayout()
        left.setSpacing(10)
        left.addWidget(label("Where to save it", "sectionTitle"))
        folder_row = QHBoxLayout()
        self.folder_edit = QLineEdit(str(documents_folder()))
        self.folder_edit.setAcceptDrops(False)
        folder_row.addWidget(self.folder_edit, 1)
        self.folder_button = QPushButton("Choose folder…")
        self.folder_button.setObjectName("secondary")
        self.folder_button.clicked.connect(self.ask_folder)
        folder_row.addWidget(self.folder_button)
        left.addLayout(folder_row)
        left.addWidget(
            label(
                "A USB stick, or any folder. The file's name says which laptop made it and when.",
                "footnote",
                wrap=True,
            )
        )
        row.addLayout(left, 1)
        self.export_button = QPushButton("Export file")
        self.export_button.setObjectName("primary")
        self.export_button.setMinimumSize(200, 46)
        self.export_button.setStyleSheet("font-size: 12pt;")
        self.export_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.export_button.clicked.connect(self.export)
        row.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(row)
        self.message = label("", "error", wrap=True)
        self.message.hide()
        layout.addWidget(self.message)
        return frame

    def _build_who(self) -> QFrame:
        frame, layout = panel()
        layout.addWidget(label("Who can open it", "sectionTitle"))
        self.who = QButtonGroup(self)
        self.to_coordinators = QRadioButton("The campaign's coordinators")
        self.to_devices = QRadioButton("Devices I choose")
        self.to_passphrase = QRadioButton("Anyone who has the campaign's passphrase")
        for n, radio in enumerate((self.to_coordinators, self.to_devices, self.to_passphrase)):
            self.who.addButton(radio, n)
        self.to_coordinators.setChecked(True)
        self.who.idToggled.connect(self._on_choice)

        layout.addWidget(self.to_coordinators)
        self.coordinators_caption = label("", "footnote", wrap=True)
        layout.addLayout(indented(self.coordinators_caption))
        layout.addWidget(self.to_devices)
        self.device_list = checklist()
        self.devices_caption = label("", "footnote", wrap=True)
        layout.addLayout(indented(self.device_list))
        layout.addLayout(indented(self.devices_caption))
        layout.addWidget(self.to_passphrase)
        self.passphrase_row = QWidget()
        row = indented()
        self.passphrase = QLineEdit()
        self.passphrase.setAcceptDrops(False)
        self.passphrase.setPlaceholderText("Generate one, or type the campaign's passphrase")
        self.generate_button = QPushButton("Generate")
        self.generate_button.setObjectName("secondary")
        self.generate_button.setToolTip("Make a new passphrase of six random words")
        self.generate_button.clicked.connect(self.generate)
        row.addWidget(self.passphrase, 1)
        row.addWidget(self.generate_button)
        self.passphrase_row.setLayout(row)
        layout.addWidget(self.passphrase_row)
        self.passphrase_caption = label(
            "For a group without enrolled devices. Give the passphrase to each canvasser in "
            "person, never with the file.",
            "footnote",
            wrap=True,
        )
        layout.addLayout(indented(self.passphrase_caption))
        layout.addWidget(
            label(
                "The file is encrypted and signed: only they can open it. The campaign's "
                "recovery key, if it has one, can always open it too.",
                "footnote",
                wrap=True,
            )
        )
        layout.addStretch(1)
        return frame

    def _build_what(self) -> QFrame:
        frame, layout = panel()
        layout.addWidget(label("What goes in", "sectionTitle"))
        self.what = QButtonGroup(self)
        self.everything = QRadioButton("Everything on this laptop")
        self.one_list = QRadioButton("One walk list: an assignment for a canvasser")
        self.some_districts = QRadioButton("Some polling districts: an assignment")
        for n, radio in enumerate((self.everything, self.one_list, self.some_districts)):
            self.what.addButton(radio, n)
        self.everything.setChecked(True)
        self.what.idToggled.connect(self._on_choice)
        layout.addWidget(self.everything)
        layout.addLayout(
            indented(
                label(
                    "What a canvasser sends back at the end of the day, or a full copy for "
                    "another coordinator.",
                    "footnote",
                    wrap=True,
                )
            )
        )
        layout.addWidget(self.one_list)
        self.list_combo = QComboBox()
        self.list_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.list_combo.setMinimumContentsLength(30)
        self.list_combo.activated.connect(lambda _index: self.one_list.setChecked(True))
        layout.addLayout(indented(self.list_combo))
        layout.addWidget(self.some_districts)
        self.district_list = checklist()
        layout.addLayout(indented(self.district_list))
        layout.addWidget(
            label(
                "An assignment holds only that area's doors and electors, plus what every "
                "canvasser needs: the campaign, its codes and the do-not-contact list.",
                "footnote",
                wrap=True,
            )
        )
        layout.addStretch(1)
        return frame

    def _build_result(self, body: QVBoxLayout) -> None:
        self.result_panel, result = panel()
        self.result_title = label("", "good", wrap=True, selectable=True)
        self.result_text = label("", "hint", wrap=True)
        self.result_path = label("", "footnote", wrap=True, selectable=True)
        self.reminder = label(
            "It holds personal data: once it has been merged, delete it from the USB stick.",
            "hint",
            wrap=True,
        )
        self.reminder.setStyleSheet("font-weight: 600;")
        self.show_button = QPushButton("Show in folder")
        self.show_button.setObjectName("secondary")
        self.show_button.clicked.connect(self.show_folder)
        texts = QVBoxLayout()
        texts.setSpacing(6)
        for widget in (self.result_title, self.result_text, self.result_path, self.reminder):
            texts.addWidget(widget)
        row = QHBoxLayout()
        row.addLayout(texts, 1)
        row.addWidget(self.show_button, 0, Qt.AlignmentFlag.AlignTop)
        result.addLayout(row)
        self.result_panel.hide()
        body.addWidget(self.result_panel)

    # -- data -------------------------------------------------------------------------------

    def show_data(self, data: SyncData) -> None:
        """Fill the choices from what was read."""
        self.data = data
        names = [f"{d.name} ({d.fingerprint})" for d in data.coordinators]
        self.coordinators_caption.setText(
            "To " + ", ".join(names) + "."
            if names
            else "No coordinator's laptop is enrolled here yet: enrol it on the Devices tab."
        )
        fill_checklist(
            self.device_list,
            [(d.id, f"{d.name}  ·  {role_text(d.role)}  ·  {d.fingerprint}") for d in data.others],
        )
        self.devices_caption.setText(
            "" if data.others else "No other device is enrolled yet: enrol one on the Devices tab."
        )
        keep = self.list_combo.currentData()
        self.list_combo.clear()
        for summary in data.lists:
            who = f"  —  {summary.canvasser}" if summary.canvasser else ""
            self.list_combo.addItem(
                f"{summary.name}{who}  ·  {plural(summary.doors, 'door')}", summary.name
            )
        if not data.lists:
            self.list_combo.addItem("No walk lists yet (make them on the Print screen)", None)
        self.list_combo.setCurrentIndex(max(self.list_combo.findData(keep), 0))
        fill_checklist(self.district_list, [(code, code) for code in data.districts])
        self.one_list.setEnabled(bool(data.lists))
        self.some_districts.setEnabled(bool(data.districts))
        if not self._defaults_set:
            self._defaults_set = True
            # A coordinator mostly sends assignments to canvassers; a canvasser sends back.
            if data.me.role == "coordinator" and data.others:
                self.to_devices.setChecked(True)
        chosen = self.what.checkedButton()
        if chosen is not None and not chosen.isEnabled():
            self.everything.setChecked(True)
        self._show_choices()

    def forget(self) -> None:
        """Forget the choices made for the database shown until now."""
        self._defaults_set = False
        self.result_panel.hide()
        self.passphrase.clear()
        self.to_coordinators.setChecked(True)
        self.everything.setChecked(True)

    @Slot()
    def _on_choice(self, *_args: object) -> None:
        self.message.hide()  # it was about the choices made before
        self._show_choices()

    def _show_choices(self) -> None:
        """Show the lists and fields of the options chosen, hide the others."""
        who = self.who.checkedId()
        self.device_list.setVisible(who == DEVICES and self.device_list.count() > 0)
        self.devices_caption.setVisible(who == DEVICES and self.device_list.count() == 0)
        self.passphrase_row.setVisible(who == PASSPHRASE)
        self.passphrase_caption.setVisible(who == PASSPHRASE)
        what = self.what.checkedId()
        self.list_combo.setEnabled(self.one_list.isEnabled())
        self.district_list.setVisible(what == DISTRICTS)

    # -- actions -----------------------------------------------------------------------------

    @Slot()
    def ask_folder(self) -> None:
        """Ask which folder (or USB stick) to save the file in."""
        chosen = QFileDialog.getExistingDirectory(
            self, "Save the exchange file in", self.folder_edit.text()
        )
        if chosen:
            self.folder_edit.setText(chosen)

    @Slot()
    def generate(self) -> None:
        """Put a new random passphrase in the field."""
        self.passphrase.setText(generate_passphrase())
        self.to_passphrase.setChecked(True)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _choices(self) -> tuple[list[str], str | None, str | None] | str:
        """(to, passphrase, area) as ``export_file`` takes them, or what is missing."""
        to: list[str] = []
        passphrase: str | None = None
        who = self.who.checkedId()
        if who == DEVICES:
            to = ticked(self.device_list)
            if not to:
                return "Tick at least one device to make the file for."
        elif who == PASSPHRASE:
            passphrase = self.passphrase.text().strip()
            if not passphrase:
                return "Type the campaign's passphrase, or press Generate for a new one."
        area: str | None = None
        what = self.what.checkedId()
        if what == WALK_LIST:
            area = self.list_combo.currentData()
            if not area:
                return "Choose a walk list."
        elif what == DISTRICTS:
            codes = ticked(self.district_list)
            if not codes:
                return "Tick at least one polling district."
            area = ",".join(codes)
        return to, passphrase, area

    @Slot()
    def export(self) -> TaskProgressDialog | None:
        """Write the exchange file on the task runner."""
        tasks = self.main.tasks
        if tasks.busy:
            self.main.statusBar().showMessage("Please wait for the running task to finish.", 5000)
            return None
        folder_text = self.folder_edit.text().strip()
        if not folder_text:
            self._say("Choose the folder (or USB stick) to save the file in.")
            return None
        choices = self._choices()
        if isinstance(choices, str):
            self._say(choices)
            return None
        to, passphrase, area = choices
        folder, db, documents = Path(folder_text).expanduser(), self.main.db, documents_folder()

        def task() -> ExportResult:
            if folder == documents:
                folder.mkdir(parents=True, exist_ok=True)  # a fresh account may lack one
            if not folder.is_dir():
                # export_file takes a path that is not a folder as the file to write.
                raise ValidationError(f"There is no folder {folder}. Choose another one.")
            return export_file(db, folder, to=to, passphrase=passphrase, area=area)

        self.message.hide()
        self.result_panel.hide()
        tasks.start(
            task,
            on_finished=self._on_exported,
            on_failed=self._on_failed,
        )
        return TaskProgressDialog(tasks, self.main, "Exporting", cancellable=False)

    def _on_failed(self, message: str) -> None:
        self._say(NO_ONE if message.startswith("There is no one to export to") else message)

    def _on_exported(self, result: ExportResult) -> None:
        self.result = result
        self.result_title.setText(f"Saved {result.path.name}")
        self.result_text.setText(export_words(result, self.data))
        self.result_path.setText(str(result.path))
        self.result_panel.show()
        if isinstance(self.scroller, QScrollArea):
            # Once the panel has its place: right now the layout has not run yet.
            scroller = self.scroller
            QTimer.singleShot(0, lambda: scroller.ensureWidgetVisible(self.result_panel))
        self.main.statusBar().showMessage(f"Exchange file saved to {result.path}", 10000)
        self.exported.emit(result)

    @Slot()
    def show_folder(self) -> None:
        """Open the folder the file was saved in, in the desktop's file manager."""
        if self.result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result.path.parent)))
