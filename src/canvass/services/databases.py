"""Opening and creating databases for the front ends."""

from __future__ import annotations

from canvass.services.oplog import ensure_local_device
from canvass.storage.database import Database, open_database
from canvass.storage.local import get_local_device


def open_db(text: str, *, create: bool = False) -> Database:
    """Open (or create) a database and make sure it has its device identity.

    Raises:
        DatabaseError: With a message for the user; nothing has been changed.
    """
    db = open_database(text, create=create)
    try:
        with db.read() as session:
            has_device = get_local_device(session) is not None
        if not has_device:
            with db.write() as session:
                ensure_local_device(session)
    except BaseException:
        db.close()
        raise
    return db
