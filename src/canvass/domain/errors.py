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


class ExchangeFileError(CanvassError):
    """An exchange file cannot be merged. ``reason`` says which check failed.

    Reasons: ``not-canvass``, ``newer-version``, ``wrong-key``, ``needs-passphrase``,
    ``damaged``, ``cut-short``, ``unknown-sender``, ``revoked-sender``,
    ``other-campaign``, ``not-for-us``, ``already-imported``, ``clock``,
    ``too-large``, ``write-failed``.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
