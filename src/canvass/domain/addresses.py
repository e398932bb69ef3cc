"""Ordering households the way a canvasser walks a street."""

from __future__ import annotations

import re

_NUMBER = re.compile(r"^\s*(\d+)\s*([A-Za-z]?)\s*$")


def split_house_number(text: str) -> tuple[int | None, str]:
    """Split "14A" into (14, "A"); text that is not a number gives (None, "")."""
    match = _NUMBER.match(text or "")
    if not match:
        return None, ""
    return int(match.group(1)), match.group(2).upper()


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that orders "2, 2A, 4, 10" rather than "10, 2, 2A, 4"."""
    parts = re.findall(r"\d+|\D+", (text or "").casefold())
    return tuple((0, int(p)) if p.isdigit() else (1, p.strip()) for p in parts)


def side_of(number: int | None) -> str:
    """Which side of the street a house number is on: "odd", "even" or ""."""
    if number is None:
        return ""
    return "odd" if number % 2 else "even"


def walk_key(number: int | None, suffix: str, name: str, flat: str) -> tuple[object, ...]:
    """Walking order within one street.

    House numbers in natural order (2, 2A, 4, 10), flats in order within their
    building, named houses without numbers last. Walk sheets can group the odd
    and even sides on request (see :func:`side_key`).
    """
    if number is None:
        return (1, 0, "", natural_key(name), natural_key(flat))
    return (0, number, suffix.upper(), natural_key(name), natural_key(flat))


def side_key(side: str, walk_order: int) -> tuple[int, int]:
    """Order for a sheet printed side by side: odd numbers, then even, then unnumbered."""
    return ({"odd": 0, "even": 1}.get(side, 2), walk_order)
