"""What a register import found and did, and how its report puts it into words.

Kept apart from :mod:`canvass.services.register` (which re-exports
:class:`ImportReport`) so that the import itself stays one readable module.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ImportReport:
    """What an import found and did (or, for a dry run, would do)."""

    file: str
    edition: str
    layout: str
    encoding: str
    delimiter: str
    dry_run: bool
    rows: int = 0
    electors: int = 0
    households: int = 0
    streets: int = 0
    polling_districts: int = 0
    without_address: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    added: int = 0
    removed: int = 0
    changed: int = 0
    unchanged: int = 0
    new_households: int = 0
    new_streets: int = 0
    new_polling_districts: int = 0
    operations: int = 0
    first_import: bool = True
    #: Electors in the file's districts that the file no longer lists.
    missing: int = 0
    #: Why those were not taken off the register (``removed`` is then 0), if held.
    held_removals: str = ""
    #: The first changes, for a preview: {"change": ..., "elector": "AB-12", "name": ...}.
    details: list[dict[str, str]] = field(default_factory=list)
    #: Suppressions given to people of this edition, found by match key.
    suppressions_carried: int = 0
    #: Suppressions whose person is not in this edition: kept all the same.
    suppressions_unmatched: int = 0
    #: Suppressions given to the one newcomer of the name of a suppressed person who
    #: left in this import (moved to another postcode, so the match key missed them).
    suppressions_moved: int = 0
    #: Suppressions whose person may have moved: several of their name left or
    #: joined, so nothing was carried; counted in ``suppressions_unmatched`` too.
    suppressions_to_check: int = 0
    #: Those cases, by elector number only: {"left": "AA-6", "scopes": ...,
    #: "joined": "AA-106, AA-112", "also_left": ""}.
    suppressions_check: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)

    def suppression_words(self) -> str:
        """A line on the suppression list for the report, or "" when there is none."""
        carried, moved = self.suppressions_carried, self.suppressions_moved
        if not (carried or moved or self.suppressions_unmatched):
            return ""
        verb = "would be carried" if self.dry_run else "carried"
        words = f"Suppression list: {carried:,} {verb} over to people of this edition"
        if moved:
            words += (
                f", and {moved:,} to a newcomer of the same name as a suppressed person who "
                "left (moved to another postcode)"
            )
        words += (
            f"; {self.suppressions_unmatched:,} matched nobody in it (kept all the same: "
            "a suppression is never cleared)."
        )
        if self.suppressions_to_check:
            cases = [_check_words(case) for case in self.suppressions_check[:10]]
            more = len(self.suppressions_check) - len(cases)
            count = self.suppressions_to_check
            noun = "suppression" if count == 1 else "suppressions"
            words += (
                f" {count:,} {noun} whose person may have moved: "
                "check by hand (several people of that name left or joined, so nothing was "
                "carried): " + "; ".join(cases) + (f"; and {more:,} more." if more else ".")
            )
        return words


def _check_words(case: dict[str, str]) -> str:
    """One person to check: "AA-6 (do-not-contact) left the register; AA-106 joined it"."""
    joined = " or ".join(case["joined"].split(", "))
    text = f"{case['left']} ({case['scopes']}) left the register; {joined} joined it"
    if case.get("also_left"):
        text += f"; {case['also_left']} of the same name left too"
    return text
