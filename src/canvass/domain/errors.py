"""Errors whose message is written for the person using canvass.

Every front end shows ``str(error)`` as it is, so each message says what is
wrong and what to do about it, in one line.
"""


class CanvassError(Exception):
    """A failure the user can understand and act on."""


class DatabaseError(CanvassError):
    """The database cannot be opened, created or upgraded."""


class ValidationError(CanvassError):
    """A value given to canvass is not acceptable."""


class ClockError(CanvassError):
    """The hybrid logical clock refuses a stamp (overflow or drift)."""
