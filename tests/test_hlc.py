"""The hybrid logical clock never goes backwards and refuses absurd stamps."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canvass.domain.errors import ClockError
from canvass.sync.hlc import MAX_COUNTER, MAX_DRIFT_MS, HybridClock, Stamp, SteppingWall


def wall_from(values: list[int]):
    it = iter(values)
    return lambda: next(it)


@given(st.lists(st.integers(min_value=0, max_value=2**45), min_size=1, max_size=200))
def test_stamps_strictly_increase_whatever_the_wall_clock_does(walls):
    clock = HybridClock(Stamp(0, 0), wall_from(walls))
    stamps = [clock.now() for _ in walls]
    assert all(a < b for a, b in zip(stamps, stamps[1:], strict=False))


def test_clock_set_back_after_restart_still_moves_forward():
    before = HybridClock(Stamp(0, 0), lambda: 1_800_000_000_000)
    last = before.now()
    # "Restart": a new clock built from the persisted stamp, with the wall an hour behind.
    after = HybridClock(last, lambda: 1_800_000_000_000 - 3_600_000)
    assert after.now() > last


@given(
    st.lists(
        st.tuples(st.booleans(), st.integers(0, 10**6), st.integers(0, 100)),
        min_size=1,
        max_size=100,
    )
)
def test_observing_remote_stamps_never_decreases_the_clock(events):
    clock = HybridClock(Stamp(0, 0), lambda: 500_000)
    previous = clock.last
    for is_remote, ms, counter in events:
        if is_remote:
            stamp = clock.observe(Stamp(min(ms, 500_000 + MAX_DRIFT_MS), counter))
        else:
            stamp = clock.now()
        assert stamp > previous
        previous = stamp


def test_remote_stamp_far_in_the_future_is_refused():
    clock = HybridClock(Stamp(0, 0), lambda: 1_000_000)
    with pytest.raises(ClockError, match="future"):
        clock.observe(Stamp(1_000_000 + MAX_DRIFT_MS + 1, 0))
    assert clock.last == Stamp(0, 0)


def test_a_full_counter_steps_to_the_next_millisecond_instead_of_failing():
    # A stored clock two minutes ahead of the wall (the laptop's clock was
    # corrected) must not stop a 70,000-row import.
    clock = HybridClock(Stamp(10, MAX_COUNTER - 1), lambda: 5)
    stamps = [clock.now() for _ in range(3)]
    assert stamps == [Stamp(10, MAX_COUNTER), Stamp(11, 0), Stamp(11, 1)]
    clock = HybridClock(Stamp(1_000, 0), lambda: 0)
    many = [clock.now() for _ in range(70_000)]
    assert all(a < b for a, b in zip(many, many[1:], strict=False))


def test_observing_a_full_counter_also_steps_forward():
    clock = HybridClock(Stamp(10, MAX_COUNTER), lambda: 5)
    assert clock.observe(Stamp(10, MAX_COUNTER)) == Stamp(11, 0)


def test_stepping_wall_is_deterministic():
    a, b = SteppingWall(100), SteppingWall(100)
    assert [a() for _ in range(3)] == [b() for _ in range(3)] == [100, 101, 102]
