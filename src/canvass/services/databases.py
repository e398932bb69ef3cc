"""Opening, creating and encrypting databases for the front ends."""

from __future__ import annotations

from canvass.crypto.db_key import new_key
from canvass.domain.errors import DatabaseError
from canvass.services.audit_log import record
from canvass.services.oplog import ensure_local_device
from canvass.storage import database as storage_database
from canvass.storage.database import BUSY_TIMEOUT_MS, Database, open_database
from canvass.storage.encryption import EncryptionReport, encrypt_file
from canvass.storage.local import get_local_device


def is_encrypted(text: str) -> bool:
    """Whether ``text`` names an encrypted SQLite file, which needs a passphrase to open."""
    return storage_database.is_encrypted(text)


def open_db(text: str, *, create: bool = False, passphrase: str | None = None) -> Database:
    """Open (or create) a database and make sure it has its device identity.

    Args:
        text: A SQLite file path or a PostgreSQL URL.
        create: Create the database if it does not exist yet.
        passphrase: Unlocks an encrypted file; with ``create``, a new file is
            created encrypted with it.

    Raises:
        DatabaseError: With a message for the user; nothing has been changed.
        ValidationError: If the passphrase for a new database is too short.
    """
    db = open_database(text, create=create, passphrase=passphrase)
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


def encrypt_database(db: Database, passphrase: str) -> tuple[Database, EncryptionReport]:
    """Encrypt the plain SQLite database ``db`` in place with ``passphrase``.

    ``db`` lets go of the file first (waiting for readings under way); if
    encrypting fails it still works as before, since nothing was changed. On success the
    encrypted database is opened and returned, and the conversion is written
    to its audit log.

    Returns:
        The encrypted database (the caller closes it) and what was copied.

    Raises:
        DatabaseError: If ``db`` is not a plain SQLite file or cannot be encrypted.
        ValidationError: If the passphrase is too short.
    """
    path = db.target.path
    if path is None:
        raise DatabaseError(
            f"{db.target.display} is a PostgreSQL database: encryption at rest is the "
            "server's job (an encrypted disk), not canvass's."
        )
    if db.encrypted:
        raise DatabaseError(f"{path} is already encrypted.")
    key = new_key(passphrase)
    db.release()
    report = encrypt_file(path, key, BUSY_TIMEOUT_MS)
    # Anything that connected to the plain file meanwhile lets go of it now.
    db.release()
    encrypted = open_db(str(path), passphrase=passphrase)
    try:
        record(encrypted, "encrypt-database", {"tables": report.tables, "rows": report.rows})
    except BaseException:
        encrypted.close()
        raise
    return encrypted, report
