"""What the Retention tab reads and says: the status in words, and the purge plan as rows.

Plain functions over :class:`canvass.services.retention.RetentionStatus`, kept
apart from the tab's widgets (:mod:`canvass.ui.pages.privacy_retention`); the
start-up offer (:mod:`canvass.ui.pages.privacy_offer`) asks the same
:func:`purge_due`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from canvass.services.campaigns import set_polling_day, set_retention_until
from canvass.services.retention import (
    RETENTION_MONTHS_AFTER_POLLING_DAY,
    RetentionStatus,
    retention_status,
)
from canvass.storage.database import Database
from canvass.ui.pages.privacy_common import date_text, plural
from canvass.ui.pages.privacy_models import Row

HEADERS = (
    ("Records", "Each kind of record the database holds"),
    ("Purge", "Whether a purge removes them or keeps them"),
    ("Count", "How many there are now"),
    ("Why", "Why they go, or why they stay"),
)
DEFAULT_WHY = (
    f"By default the data is kept {RETENTION_MONTHS_AFTER_POLLING_DAY} months after polling "
    "day: time to settle what follows an election (a result questioned by petition, expenses "
    "returns checked, a recount or by-election), after which doorstep opinions are no longer "
    "needed. Choose a date of your own when the campaign's purpose ends sooner or later."
)
#: The words of a purge's effect on records (:class:`canvass.services.retention.PlanLine`).
ACTION_WORDS = {"erase": "Removed", "keep": "Kept"}


@dataclass(frozen=True, slots=True)
class RetentionData:
    """The retention status on show, and the database it came from."""

    db: Database
    status: RetentionStatus


def read_retention(db: Database) -> RetentionData:
    """The retention date and purge plan (runs on the reads runner)."""
    return RetentionData(db, retention_status(db))


def save_retention(db: Database, polling_day: dt.date | None, until: dt.date | None) -> None:
    """Store polling day and the campaign's own date (None: the default), on the task runner."""
    if polling_day is not None:
        set_polling_day(db, polling_day)
    set_retention_until(db, until)


def purge_due(status: RetentionStatus) -> bool:
    """Whether a purge is due now: the date has passed and there is something to remove."""
    return status.due and status.plan.to_erase > 0


def status_words(status: RetentionStatus) -> tuple[str, str]:
    """The status in a sentence or two, and its style ("good", "warning" or "bad")."""
    if status.until is None:
        return (
            "There is no retention date yet: polling day is not known and no date of the "
            "campaign's own is set. Choose one on the right, so the data is not kept for longer "
            "than it is needed.",
            "warning",
        )
    days = (status.until - status.today).days
    if not status.due:
        return (
            f"Nothing to do yet: the purge is due in {plural(days, 'day')}, on "
            f"{date_text(status.until)}.",
            "good",
        )
    if not status.plan.to_erase:
        return ("The retention date has passed and nothing is left to purge.", "good")
    return (
        f"The retention date passed on {date_text(status.until)}: "
        f"{plural(status.plan.to_erase, 'record')} of personal data are waiting to be purged. "
        "Check the plan below, then purge them.",
        "bad",
    )


def source_words(status: RetentionStatus) -> str:
    """Where the date comes from, in words."""
    if status.source == "set":
        return "A date the campaign chose."
    if status.source == "polling day":
        return (
            f"The default: {RETENTION_MONTHS_AFTER_POLLING_DAY} months after polling day "
            f"({date_text(status.polling_day)})."
        )
    return "Not set."


def plan_rows(status: RetentionStatus) -> list[Row]:
    """The purge plan as table rows: what goes first, then what stays."""
    return [
        Row(
            (
                _sentence(line.record),
                ACTION_WORDS.get(line.action, line.action),
                f"{line.count:,}",
                _sentence(line.why) + ".",
            ),
            muted=line.action == "keep",
            item=line,
        )
        for line in status.plan.lines
    ]


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
