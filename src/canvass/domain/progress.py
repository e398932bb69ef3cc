"""Progress reports yielded by long-running work."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import TypeVar


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a long task has got.

    Attributes:
        done: Units finished so far.
        total: Units in all, or 0 when unknown.
        label: What is being done, for a progress dialog or bar.
    """

    done: int
    total: int
    label: str

    @property
    def fraction(self) -> float:
        """Share of the work done, between 0 and 1 (0 when the total is unknown)."""
        if self.total <= 0:
            return 0.0
        return min(1.0, self.done / self.total)


T = TypeVar("T")

#: A task: yields Progress while it works and returns its result. Closing the
#: generator (on Cancel) stops the work; services roll their transaction back.
Task = Generator[Progress, None, T]


def run_to_end(task: Task[T]) -> T:
    """Drive a task without showing progress and return its result."""
    while True:
        try:
            next(task)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
