"""Doorstep codes: the default set every campaign starts from (editable per campaign).

Letters clash between parties (one uses S for Labour, another X for
"deceased"), so these are only defaults; a campaign's own code set replaces
them. Each code has a short value for paper and keying and a label for screens.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Code = tuple[str, str]

OUTCOMES: tuple[Code, ...] = (
    ("NI", "Not in"),
    ("SPK", "Spoke"),
    ("R", "Refused"),
    ("CB", "Call back"),
    ("MV", "Moved"),
    ("DEC", "Deceased"),
    ("INACC", "Inaccessible"),
    ("DNC", "Do not contact"),
)
INTENTIONS: tuple[Code, ...] = (
    ("S", "Supporter"),
    ("L", "Leaning our way"),
    ("U", "Undecided"),
    ("A", "Against"),
    ("W", "Won't say"),
    ("X", "Won't vote"),
)
FLAGS: tuple[Code, ...] = (
    ("P", "Poster"),
    ("PV", "Has postal vote"),
    ("WPV", "Wants postal vote"),
    ("LIFT", "Lift needed"),
    ("VOL", "Volunteer"),
)
SCALES = "Support 1–5 (1 strongly for, 5 strongly against); likelihood to vote 1–5 (5 certain)"


def default_code_set() -> dict[str, Any]:
    """The default codes as stored in a campaign's code set."""
    return {
        "outcomes": [list(c) for c in OUTCOMES],
        "intentions": [list(c) for c in INTENTIONS],
        "flags": [list(c) for c in FLAGS],
    }


def codes_from(stored: Mapping[str, Any] | None, kind: str) -> tuple[Code, ...]:
    """One kind of code ("outcomes", "intentions", "flags") from a stored code set.

    Falls back to the defaults for a kind the set does not define; a bare code
    without a label is shown as its own label.
    """
    defaults = {"outcomes": OUTCOMES, "intentions": INTENTIONS, "flags": FLAGS}[kind]
    items = (stored or {}).get(kind)
    if not isinstance(items, list) or not items:
        return defaults
    out: list[Code] = []
    for item in items:
        if isinstance(item, list | tuple) and len(item) == 2:
            out.append((str(item[0]), str(item[1])))
        elif isinstance(item, str):
            out.append((item, item.replace("_", " ").capitalize()))
    return tuple(out) or defaults
