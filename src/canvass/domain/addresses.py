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
    """Walking order within one street: odd side up, even side back, flats in order.

    Named houses without numbers come last, in natural order of their names.
    """
    if number is None:
        return (2, 0, natural_key(name), natural_key(flat))
    if number % 2:
        return (0, number, suffix, natural_key(flat))
    return (1, -number, suffix, natural_key(flat))
