"""SQLCipher files: recognising them, unlocking them, and encrypting a plain database.

canvass uses the ``sqlcipher3`` package: it is the maintained successor of
pysqlcipher3, a drop-in DB-API module (the sqlite3 module's own code built
against SQLCipher), so SQLAlchemy's pysqlite dialect drives it unchanged, and
its manylinux wheel bundles SQLCipher (with FTS5) instead of needing a system
library. The key comes from :mod:`canvass.crypto.db_key` as raw key material.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import secrets
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from canvass.crypto.db_key import SALT_BYTES, DatabaseKey
from canvass.domain.errors import DatabaseError
from canvass.storage.errors import WrongPassphraseError

SQLITE_MAGIC = b"SQLite format 3\x00"
#: SQLCipher's smallest page, and a sample large enough to judge randomness.
_MIN_PAGE = 512
_SAMPLE = 4096
#: Bits per byte above which a file's first page counts as ciphertext. Random
#: bytes give 7.95 over 4 KiB; text, SQLite pages and most documents far less.
_CIPHERTEXT_ENTROPY = 7.5

#: The DB-API module SQLAlchemy uses for encrypted files.
dbapi = sqlcipher

# Dates stored as SQLAlchemy's SQLite Date stores them, as bulk.py does for sqlite3.
sqlcipher.register_adapter(dt.date, dt.date.isoformat)


@dataclass(frozen=True)
class EncryptionReport:
    """What encrypting a plain database copied and checked.

    Attributes:
        tables: Tables copied (each one's row count matched the original's).
        rows: Rows copied, all tables together.
        plain_backups: File names of older, unencrypted backups beside the database.
    """

    tables: int
    rows: int
    plain_backups: tuple[str, ...]


def looks_encrypted(path: Path) -> bool:
    """Whether ``path`` looks like a SQLCipher database rather than some other file.

    SQLCipher files have no header: they start with the salt, and every page
    is ciphertext. So: whole pages, no plain SQLite header, random-looking bytes.
    """
    try:
        size = path.stat().st_size
        if size < _MIN_PAGE or size % _MIN_PAGE:
            return False
        with path.open("rb") as fh:
            sample = fh.read(_SAMPLE)
    except OSError:
        return False
    return not sample.startswith(SQLITE_MAGIC) and _entropy(sample) >= _CIPHERTEXT_ENTROPY


def _entropy(data: bytes) -> float:
    counts = Counter(data)
    total = len(data)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def read_salt(path: Path) -> bytes:
    """The salt SQLCipher keeps in the first 16 bytes of an encrypted file."""
    with path.open("rb") as fh:
        return fh.read(SALT_BYTES)


def prepare(conn: Any, key: DatabaseKey) -> None:
    """Unlock a new SQLCipher connection: the key first, before anything reads the file."""
    # SQLCipher logs a failed page check to stderr ("hmac check failed"); a
    # wrong passphrase is reported once, in our own words, instead.
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(key.pragma)


def connect(path: Path, key: DatabaseKey, *, read_only: bool = False) -> Any:
    """A bare SQLCipher connection to ``path``, unlocked with ``key``.

    Read-only connections to a file without a ``-wal`` beside it are also
    ``immutable``, so SQLite creates no ``-wal``/``-shm`` next to a file it is
    only looking at (or refusing).
    """
    if read_only:
        query = "mode=ro" if Path(f"{path}-wal").exists() else "mode=ro&immutable=1"
        conn = sqlcipher.connect(f"{path.as_uri()}?{query}", uri=True, isolation_level=None)
    else:
        conn = sqlcipher.connect(str(path), isolation_level=None)
    try:
        prepare(conn, key)
    except BaseException:
        conn.close()
        raise
    return conn


def unlock_check(conn: Any, path: Path) -> None:
    """Read the schema once, turning SQLCipher's "not a database" into a plain refusal.

    Raises:
        WrongPassphraseError: If the key does not decrypt the file.
    """
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError as exc:
        if "not a database" in str(exc):
            raise WrongPassphraseError(
                f"The passphrase does not unlock {path}. Check it and try again; "
                "nothing was changed."
            ) from exc
        raise


def backup(source: Path, target: Path, key: DatabaseKey) -> None:
    """Copy an encrypted database to ``target``, encrypted with the same key and salt."""
    src = connect(source, key, read_only=True)
    try:
        dst = connect(target, key)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def encrypt_file(path: Path, key: DatabaseKey, busy_timeout_ms: int) -> EncryptionReport:
    """Replace the plain SQLite database at ``path`` by an encrypted copy of it.

    The copy is made beside the original with ``sqlcipher_export``, opened
    with the key and checked table by table against the original's row counts
    (and SQLite's quick check) before it atomically takes the original's
    place. Until then the original's content is untouched: only its journal
    mode is switched from WAL to DELETE for the copy, which folds its ``-wal``
    into it, refuses if another program has it open, and lets an exclusive
    lock keep others out while copying; the switch is undone if anything fails.

    Connections of this process do not show in file locks: the caller closes
    its own first (:meth:`~canvass.storage.database.Database.release`).

    Returns:
        What was copied.

    Raises:
        DatabaseError: If the database is busy or the copy does not match; the
            original is then as it was and the copy is removed.
    """
    tmp = path.with_name(f".{path.name}.encrypting-{secrets.token_hex(4)}")
    src = sqlcipher.connect(str(path), isolation_level=None)
    replaced = False
    try:
        src.execute("PRAGMA cipher_log_level = NONE")
        src.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        # Leaving WAL mode needs the only lock on the file, and every other
        # program's connection, even an idle one, holds a shared lock while it
        # is open: so this fails at once if one would go on using the old file.
        mode = src.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        if str(mode).lower() != "delete":
            raise _busy(path)
        src.execute("ATTACH DATABASE ? AS enc KEY ?", (str(tmp), key.literal))
        # Nobody reads or writes the original while it is copied and counted.
        src.execute("BEGIN EXCLUSIVE")
        src.execute("SELECT sqlcipher_export('enc')").fetchall()
        counts = row_counts(src)
        version = src.execute("PRAGMA data_version").fetchone()[0]
        src.execute("COMMIT")
        src.execute("DETACH DATABASE enc")
        _verify_copy(tmp, key, counts, path)
        _fsync(tmp)
        # Nothing may have been written to the original since it was copied.
        src.execute("BEGIN EXCLUSIVE")
        if src.execute("PRAGMA data_version").fetchone()[0] != version:
            raise DatabaseError(
                f"{path} changed while it was being encrypted; nothing was replaced. "
                "Close every other program using it and try again."
            )
        src.execute("ROLLBACK")
        # Closed before the replace: Windows cannot replace a file that is open.
        src.close()
        os.replace(tmp, path)
        replaced = True
        # Done: the encrypted file is in place. A folder that cannot be synced
        # (some network shares) only delays the rename reaching the disk.
        with contextlib.suppress(OSError):
            _fsync_folder(path.parent)
    except sqlcipher.OperationalError as exc:
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            raise _busy(path) from exc
        raise DatabaseError(f"Could not encrypt {path}: {exc}. Nothing was changed.") from exc
    except sqlcipher.Error as exc:
        raise DatabaseError(f"Could not encrypt {path}: {exc}. Nothing was changed.") from exc
    except OSError as exc:
        raise DatabaseError(
            f"Could not encrypt {path}: {exc.strerror or exc}. Nothing was changed."
        ) from exc
    finally:
        if not replaced:
            _restore(src, path)
            for leftover in (tmp, *(Path(f"{tmp}{s}") for s in ("-journal", "-wal", "-shm"))):
                leftover.unlink(missing_ok=True)
    # The plain file is gone (replaced); so must be anything of it beside it.
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    backups = tuple(sorted(p.name for p in path.parent.glob(f"{path.name}.backup-*")))
    return EncryptionReport(len(counts), sum(counts.values()), backups)


def row_counts(conn: Any, schema: str = "main") -> dict[str, int]:
    """Every table's row count (virtual tables too), by name."""
    names = [
        r[0] for r in conn.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table'")
    ]
    return {
        name: int(conn.execute(f'SELECT count(*) FROM {schema}."{name}"').fetchone()[0])
        for name in names
    }


def _verify_copy(tmp: Path, key: DatabaseKey, expected: dict[str, int], path: Path) -> None:
    with tmp.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC) or read_salt(tmp) != key.salt:
        raise DatabaseError(f"The encrypted copy of {path} is not encrypted as asked.")
    conn = connect(tmp, key, read_only=True)
    try:
        unlock_check(conn, tmp)
        found = row_counts(conn)
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        conn.close()
    if found != expected or check != "ok":
        raise DatabaseError(
            f"The encrypted copy of {path} does not match the original; nothing was replaced."
        )


def _restore(src: Any, path: Path) -> None:
    """Put the original back in WAL mode after a failure (best effort)."""
    with contextlib.suppress(sqlcipher.Error):
        src.close()
    with contextlib.suppress(sqlcipher.Error, OSError):
        if path.exists():
            conn = sqlcipher.connect(str(path), isolation_level=None)
            try:
                conn.execute("PRAGMA journal_mode = WAL")
            finally:
                conn.close()


def _busy(path: Path) -> DatabaseError:
    return DatabaseError(
        f"{path} is in use by another program (another canvass window?). "
        "Close it and try again; nothing was changed."
    )


def _fsync(path: Path) -> None:
    # Read-write for files: Windows' fsync (_commit) refuses a read-only handle.
    fd = os.open(path, os.O_RDONLY if path.is_dir() else os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    # The rename itself must reach the disk; folders cannot be opened on Windows.
    if os.name == "nt":
        return
    _fsync(folder)
