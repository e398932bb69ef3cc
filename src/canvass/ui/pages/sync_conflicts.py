"""The Sync screen's Conflicts tab: edits that did not see each other, for a person to settle.

Each conflict is one field of one record with two or more competing values.
Choosing one and "Keep this" records a resolution on the task runner; it then
travels to every laptop like any other change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from canvass.services.conflicts import ConflictInfo, resolve_conflict
from canvass.ui.pages.common import label, panel
from canvass.ui.pages.sync_common import (
    button_row,
    field_text,
    plural,
    rule,
    tab_body,
    value_text,
    when_text,
)
from canvass.ui.progress import TaskProgressDialog

if TYPE_CHECKING:
    from canvass.ui.main_window import MainWindow

_ID = Qt.ItemDataRole.UserRole


def record_title(conflict: ConflictInfo) -> str:
    """The record in words, capitalised: ``Elector 40/0 Callum Testington``."""
    return conflict.record[:1].upper() + conflict.record[1:]


class ConflictsPanel(QWidget):
    """The Conflicts tab.

    Signals:
        resolved: The id of a conflict that was settled.
    """

    resolved = Signal(int)

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.main = window
        self.conflicts: list[ConflictInfo] = []
        self.choices: list[QRadioButton] = []
        page, body = tab_body()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(page)
        frame, layout = panel()
        layout.setSpacing(12)
        layout.addWidget(label("Conflicts", "sectionTitle"))
        layout.addWidget(
            label(
                "When two laptops change the same thing without seeing each other's change, "
                "canvass keeps both and asks you to choose. The value you keep goes to every "
                "laptop with the next exchange files.",
                "hint",
                wrap=True,
            )
        )
        self.empty = label("Nothing to settle: there are no conflicts.", "good")
        layout.addWidget(self.empty)
        self.content = QWidget()
        row = QHBoxLayout(self.content)
        row.setContentsMargins(0, 4, 0, 0)
        row.setSpacing(20)
        self.list = QListWidget()
        self.list.setMinimumWidth(280)
        self.list.currentItemChanged.connect(self._on_selected)
        row.addWidget(self.list, 2)
        row.addWidget(self._build_choice(), 3)
        layout.addWidget(self.content, 1)
        self.content.hide()
        body.addWidget(frame, 1)

    def _build_choice(self) -> QWidget:
        box = QWidget()
        self.choice_layout = QVBoxLayout(box)
        self.choice_layout.setContentsMargins(0, 0, 0, 0)
        self.choice_layout.setSpacing(10)
        self.record = label("", "sectionTitle", wrap=True, selectable=True)
        self.field = label("", "hint", wrap=True)
        self.shown = label("", "footnote", wrap=True)
        self.choice_layout.addWidget(self.record)
        self.choice_layout.addWidget(self.field)
        self.choice_layout.addWidget(self.shown)
        self.choice_layout.addWidget(rule())
        self.choice_layout.addWidget(label("Which value is right?", "hint"))
        self.group = QButtonGroup(self)
        self.group.idToggled.connect(self._on_pick)
        self.options = QVBoxLayout()
        self.options.setSpacing(8)
        self.choice_layout.addLayout(self.options)
        self.keep_button = QPushButton("Keep this")
        self.keep_button.setObjectName("primary")
        self.keep_button.setEnabled(False)
        self.keep_button.clicked.connect(self.keep)
        self.choice_layout.addLayout(button_row(self.keep_button))
        self.message = label("", "error", wrap=True)
        self.message.hide()
        self.choice_layout.addWidget(self.message)
        self.choice_layout.addStretch(1)
        return box

    # -- data -------------------------------------------------------------------------------

    def show_conflicts(self, conflicts: list[ConflictInfo]) -> None:
        """List ``conflicts``, keeping the one selected if it is still open."""
        current = self.list.currentItem()
        keep = current.data(_ID) if current is not None else None
        self.conflicts = list(conflicts)
        self.list.blockSignals(True)
        self.list.clear()
        for conflict in self.conflicts:
            text = (
                f"{record_title(conflict)}\n{field_text(conflict.field)}  ·  "
                f"{plural(len(conflict.candidates), 'value')}"
            )
            item = QListWidgetItem(text)
            item.setData(_ID, conflict.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.empty.setVisible(not self.conflicts)
        self.content.setVisible(bool(self.conflicts))
        ids = [c.id for c in self.conflicts]
        self.list.setCurrentRow(ids.index(keep) if keep in ids else 0 if ids else -1)
        self._show_choice()

    def current(self) -> ConflictInfo | None:
        """The conflict selected in the list."""
        row = self.list.currentRow()
        return self.conflicts[row] if 0 <= row < len(self.conflicts) else None

    @Slot()
    def _on_selected(self, *_args: object) -> None:
        self.message.hide()  # it was about the conflict selected before
        self._show_choice()

    def _show_choice(self) -> None:
        for button in self.choices:
            self.group.removeButton(button)
            button.deleteLater()
        self.choices = []
        conflict = self.current()
        self.keep_button.setEnabled(False)
        if conflict is None:
            return
        self.record.setText(record_title(conflict))
        self.field.setText(f"Field: {field_text(conflict.field)}")
        self.shown.setText(f"Shown for now: {value_text(conflict.shown)}")
        for n, candidate in enumerate(conflict.candidates):
            now = "   (shown now)" if candidate.value == conflict.shown else ""
            button = QRadioButton(
                f"{value_text(candidate.value)}    from {candidate.device}, "
                f"{when_text(candidate.at)}{now}"
            )
            button.setToolTip(f"Change {candidate.op_id}")
            self.group.addButton(button, n)
            self.options.addWidget(button)
            self.choices.append(button)

    @Slot()
    def _on_pick(self, *_args: object) -> None:
        self.keep_button.setEnabled(self.group.checkedId() >= 0)

    def pick(self, n: int) -> None:
        """Choose candidate ``n`` of the selected conflict."""
        self.choices[n].setChecked(True)

    # -- settling -----------------------------------------------------------------------------

    @Slot()
    def keep(self) -> TaskProgressDialog | None:
        """Keep the chosen value: record the resolution on the task runner."""
        conflict = self.current()
        chosen = self.group.checkedId()
        if conflict is None or chosen < 0:
            return None
        tasks = self.main.tasks
        if tasks.busy:
            self.main.statusBar().showMessage("Please wait for the running task to finish.", 5000)
            return None
        value = conflict.candidates[chosen].value
        db = self.main.db
        self.keep_button.setEnabled(False)
        self.message.hide()

        def done(_result: object) -> None:
            self.main.statusBar().showMessage(
                f"Kept {value_text(value)} for the {field_text(conflict.field)} of "
                f"{conflict.record}.",
                10000,
            )
            self.resolved.emit(conflict.id)

        tasks.start(
            lambda: resolve_conflict(db, conflict.id, value),
            on_finished=done,
            on_failed=self._on_failed,
        )
        return TaskProgressDialog(tasks, self.main, "Keeping the value", cancellable=False)

    def _on_failed(self, message: str) -> None:
        self.keep_button.setEnabled(True)
        self.message.setText(message)
        self.message.show()
