"""Database driver errors, told to the user in one sentence."""

from __future__ import annotations

import sqlite3

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy.exc import SQLAlchemyError

from canvass.domain.errors import DatabaseError


class PassphraseNeededError(DatabaseError):
    """The database is encrypted and no passphrase was given: ask for one."""


class WrongPassphraseError(DatabaseError):
    """The passphrase given does not unlock the database; nothing was changed."""


def first_line(exc: BaseException) -> str:
    """The driver's own message, without SQLAlchemy's SQL echo and links."""
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def explain(exc: BaseException, where: str) -> DatabaseError:
    """A :class:`DatabaseError` saying what a driver error means for the user."""
    detail = first_line(exc)
    lowered = detail.lower()
    if "locked" in lowered or "could not obtain lock" in lowered:
        return DatabaseError(
            f"The database {where} is busy: another program is writing to it. "
            "Wait for it to finish and try again."
        )
    if "readonly" in lowered or "read-only" in lowered or "permission denied" in lowered:
        return DatabaseError(
            f"canvass cannot write to {where}: the file or its folder is read-only. "
            "Copy it somewhere you can write to, or change its permissions."
        )
    if "malformed" in lowered or "not a database" in lowered or "disk i/o" in lowered:
        return DatabaseError(
            f"The database {where} is damaged ({detail}). Restore it from a backup."
        )
    return DatabaseError(f"The database {where} reported an error: {detail}")


#: Errors from the drivers that :func:`explain` turns into a DatabaseError.
DRIVER_ERRORS = (SQLAlchemyError, sqlite3.Error, sqlcipher.Error)
