"""A progress dialog that follows a :class:`~canvass.ui.tasks.TaskRunner`."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QLabel, QProgressDialog, QWidget

from canvass.domain.progress import Progress
from canvass.ui.tasks import TaskRunner


class TaskProgressDialog(QProgressDialog):
    """Window-modal progress for the runner's current task, with Cancel wired to it.

    The dialog shows the task's label and "done of total", appears only if the
    task takes longer than a moment, and closes itself (and is deleted) when the
    task ends however it ends. Create one right after :meth:`TaskRunner.start`.
    """

    def __init__(
        self,
        runner: TaskRunner,
        parent: QWidget,
        title: str,
        *,
        cancellable: bool = True,
        minimum_duration_ms: int = 400,
    ) -> None:
        """Follow ``runner`` until its task ends.

        Args:
            runner: The runner whose task this dialog shows.
            parent: The window the dialog blocks while it is open.
            title: The dialog's title, naming the work ("Creating demo campaign").
            cancellable: Whether to offer a Cancel button.
            minimum_duration_ms: Quick tasks end before the dialog shows at all.
        """
        super().__init__(parent)
        self._runner = runner
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        text = QLabel()
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # QProgressDialog lays itself out by hand; padding is the way to give it air.
        text.setStyleSheet("padding: 10px 8px 4px 8px;")
        self.setLabel(text)
        self.setLabelText(f"{title}…")
        self.setRange(0, 0)  # busy indicator until the first report
        self.setMinimumWidth(460)
        # The runner, not a full bar, decides when the work is over.
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumDuration(minimum_duration_ms)
        self.setValue(0)  # starts the timer that shows the dialog after the minimum duration
        if cancellable:
            self.setCancelButtonText("Cancel")
            self.canceled.connect(self._on_cancel)
        else:
            self.setCancelButton(None)
        runner.progress.connect(self.show_progress)
        runner.ended.connect(self._on_ended)

    @Slot(object)
    def show_progress(self, step: Progress) -> None:
        """Show one progress report: its label, and done of total when the total is known."""
        if step.total > 0:
            if self.maximum() != step.total:
                self.setRange(0, step.total)
            self.setValue(min(step.done, step.total))
            self.setLabelText(f"{step.label}\n{step.done:,} of {step.total:,}")
        else:
            self.setRange(0, 0)
            self.setLabelText(step.label)

    @Slot()
    def _on_cancel(self) -> None:
        self._runner.cancel()

    @Slot()
    def _on_ended(self) -> None:
        self._runner.progress.disconnect(self.show_progress)
        self._runner.ended.disconnect(self._on_ended)
        self.reset()
        self.hide()
        self.deleteLater()
