"""Hybrid logical clock (HLC).

A stamp is (wall milliseconds, counter). Stamps made by one device strictly
increase even if the laptop's clock is set back; stamps received from other
devices push the local clock forward so causality is kept. The rules follow
the usual HLC send/receive algorithm (as used by Actual Budget's CRDT), with
its two guards: a counter ceiling and a maximum drift of a received stamp
ahead of the physical clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from canvass.domain.errors import ClockError

MAX_COUNTER = 0xFFFF
#: A received stamp this far ahead of our wall clock is refused (5 minutes).
MAX_DRIFT_MS = 5 * 60 * 1000

WallClock = Callable[[], int]


def system_wall_ms() -> int:
    """The machine's wall clock in milliseconds since the Unix epoch."""
    return time.time_ns() // 1_000_000


@dataclass(frozen=True, order=True, slots=True)
class Stamp:
    """One HLC reading. Ordered by (ms, counter)."""

    ms: int
    counter: int

    def __str__(self) -> str:
        return f"{self.ms}-{self.counter:04x}"


class HybridClock:
    """A device's clock. Persist :attr:`last` after use so it never goes back.

    Args:
        last: The last stamp this device issued or saw (from storage).
        wall: Source of physical time in ms; injectable for tests and demo data.
    """

    def __init__(self, last: Stamp, wall: WallClock = system_wall_ms) -> None:
        self.last = last
        self.wall = wall

    def now(self) -> Stamp:
        """Issue a new stamp, strictly greater than every earlier one."""
        phys = self.wall()
        if phys > self.last.ms:
            stamp = Stamp(phys, 0)
        elif self.last.counter < MAX_COUNTER:
            stamp = Stamp(self.last.ms, self.last.counter + 1)
        else:
            # The counter is full: step the logical time 1 ms ahead instead of
            # failing. This happens when the stored clock is ahead of the wall
            # clock (a clock corrected backwards) and a bulk import records more
            # than 65,535 changes before real time catches up.
            stamp = Stamp(self.last.ms + 1, 0)
        self.last = stamp
        return stamp

    def observe(self, remote: Stamp) -> Stamp:
        """Merge a stamp received from another device; return the new local stamp.

        Raises:
            ClockError: If the remote stamp is too far ahead of this machine's clock.
        """
        phys = self.wall()
        if remote.ms - phys > MAX_DRIFT_MS:
            raise ClockError(
                f"A change is stamped {(remote.ms - phys) // 60000} minutes in the future; "
                "the other computer's clock is probably wrong."
            )
        top = max(self.last.ms, remote.ms, phys)
        if top == self.last.ms == remote.ms:
            counter = max(self.last.counter, remote.counter) + 1
        elif top == self.last.ms:
            counter = self.last.counter + 1
        elif top == remote.ms:
            counter = remote.counter + 1
        else:
            counter = 0
        self.last = Stamp(top + 1, 0) if counter > MAX_COUNTER else Stamp(top, counter)
        return self.last


class SteppingWall:
    """A wall clock that starts at a fixed time and advances 1 ms per reading.

    Used for demo data, so the same seed gives the same stamps on any machine.
    """

    def __init__(self, start_ms: int) -> None:
        self._next = start_ms

    def __call__(self) -> int:
        """The next reading."""
        value = self._next
        self._next += 1
        return value
