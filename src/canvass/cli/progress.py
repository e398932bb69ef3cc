"""Showing a task's progress in the terminal."""

from __future__ import annotations

from typing import TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from canvass.domain.errors import CanvassError
from canvass.domain.progress import Task

T = TypeVar("T")


def run_with_progress(task: Task[T], console: Console, *, quiet: bool = False) -> T:
    """Drive ``task`` to the end with a progress bar on stderr.

    Ctrl-C closes the task, which rolls its transaction back.
    """
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=quiet or not console.is_terminal,
    )
    with bar:
        handle = bar.add_task("Starting", total=None)
        try:
            while True:
                step = next(task)
                bar.update(
                    handle, description=step.label, completed=step.done, total=step.total or None
                )
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        except KeyboardInterrupt:
            task.close()
            raise CanvassError("Cancelled; nothing was changed.") from None
