"""The save flow every Settings section shares: run on the task runner, say how it went."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


class SavingSection(Protocol):
    """What a Settings section offers the shared save flow."""

    main: Any  # the main window
    save_button: Any
    saved: Any  # Signal()
    save_failed: Any  # Signal(str)

    def _say(self, text: str, *, error: bool = False) -> None: ...

    def _on_edited(self) -> None: ...


def start_save(
    section: SavingSection,
    work: Callable[[], object],
    *,
    remember: Callable[[], None],
    saved_text: str,
    status_text: str,
) -> None:
    """Run ``work`` on the task runner; on success ``remember`` what was saved.

    A refusal (the service's message) shows inline as "Not saved: ...", and
    the person's edits stay so they can put them right.
    """
    section.save_button.setEnabled(False)
    section._say("")

    def done(_result: object) -> None:
        remember()
        section._on_edited()
        section._say(saved_text)
        section.main.statusBar().showMessage(status_text, 8000)
        section.saved.emit()

    def failed(message: str) -> None:
        section._say(f"Not saved: {message}", error=True)
        section._on_edited()
        section.save_failed.emit(message)

    section.main.tasks.start(work, on_finished=done, on_failed=failed)
