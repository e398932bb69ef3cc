"""Opening, creating and upgrading a canvass database without surprises.

Every refusal happens before anything is written: a file that is not ours,
one from a newer canvass, a missing folder or an unreachable server each get
one plain sentence, and the file or server is left exactly as it was.

A SQLite file may be encrypted with SQLCipher (:mod:`canvass.storage.encryption`):
it is then opened through the sqlcipher3 driver with the key derived from the
passphrase, and a wrong passphrase is refused before anything is written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, inspect
from sqlalchemy import text as sql
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from canvass.crypto.db_key import DatabaseKey, derive_key, new_key
from canvass.domain.errors import DatabaseError
from canvass.storage import encryption, migrate
from canvass.storage.encryption import SQLITE_MAGIC
from canvass.storage.errors import (
    DRIVER_ERRORS,
    PassphraseNeededError,
    explain,
    first_line,
)
from canvass.storage.target import Target, parse_target

#: PostgreSQL advisory lock that every canvass write transaction takes, so that
#: writers queue one after another as SQLite's BEGIN IMMEDIATE makes them do.
WRITER_LOCK = 0x63616E76617373  # "canvass"
#: How long a SQLite writer waits for another to finish before giving up.
BUSY_TIMEOUT_MS = 15_000
_REQUIRED_TABLES = {"alembic_version", "local_device", "operations"}

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Inspection:
    """What an existing database holds, read without changing it."""

    exists: bool
    revision: str | None


class Database:
    """An open canvass database: an engine and sessions for reading and writing.

    Use one session per user action: ``with db.write() as s: ...`` commits on
    success and rolls back on any exception; ``with db.read() as s:`` never
    writes. Sessions must not be shared across threads.
    """

    def __init__(
        self,
        target: Target,
        engine: Engine,
        backup: Path | None = None,
        *,
        encrypted: bool = False,
    ) -> None:
        self.target = target
        self.engine = engine
        #: The backup made before a schema upgrade at open, if any.
        self.backup = backup
        #: Whether the file is encrypted with SQLCipher.
        self.encrypted = encrypted
        writer: Engine
        reader: Engine
        if target.is_sqlite:
            writer, reader = engine.execution_options(canvass_write=True), engine
        else:
            # One reading sees one state (counts and digest agree); PostgreSQL's
            # default READ COMMITTED would see commits between statements.
            writer = engine
            reader = engine.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        self._write_sessions = sessionmaker(bind=writer, expire_on_commit=False)
        self._read_sessions = sessionmaker(bind=reader, expire_on_commit=False)
        # Connections handed out and not yet given back, across pools: see release().
        self._in_use = 0
        self._in_use_lock = threading.Lock()
        event.listen(engine, "checkout", self._on_checkout)
        event.listen(engine, "checkin", self._on_checkin)

    def _on_checkout(self, *_args: Any) -> None:
        with self._in_use_lock:
            self._in_use += 1

    def _on_checkin(self, *_args: Any) -> None:
        with self._in_use_lock:
            self._in_use -= 1

    @property
    def dialect(self) -> str:
        """The engine's name: sqlite or postgresql."""
        return self.engine.dialect.name

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A session in one write transaction: committed on success, else rolled back."""
        try:
            with self._write_sessions() as session, session.begin():
                if self.dialect == "postgresql":
                    session.execute(sql("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITER_LOCK})
                yield session
        except DRIVER_ERRORS as exc:
            raise explain(exc, self.target.display) from exc

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; anything written is rolled back."""
        try:
            with self._read_sessions() as session:
                try:
                    yield session
                finally:
                    session.rollback()
        except DRIVER_ERRORS as exc:
            raise explain(exc, self.target.display) from exc

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()

    def release(self, timeout_s: float = BUSY_TIMEOUT_MS / 1000) -> None:
        """Close every connection, waiting for readings under way to give theirs back.

        :meth:`close` leaves a connection in use open until its reading ends,
        and it then lingers in the old pool. Before the file is replaced that
        is not enough: SQLite deletes a database's ``-wal`` by name when its
        last connection closes, so a lingering one could later delete the
        ``-wal`` of the file that took its place. The database stays usable:
        it connects again when next used.

        Raises:
            DatabaseError: If a connection is still in use after ``timeout_s``.
        """
        pool = self.engine.pool
        self.engine.dispose()
        deadline = time.monotonic() + timeout_s
        while self._in_use and time.monotonic() < deadline:
            time.sleep(0.02)
        pool.dispose()  # closes what was given back to the old pool meanwhile
        self.engine.dispose()  # and what connected since
        if self._in_use:
            raise DatabaseError(
                f"The database {self.target.display} is still being read; wait for that to "
                "finish and try again."
            )

    def scrub(self) -> None:
        """Copy the write-ahead log into the database and empty it (SQLite).

        After an erasure the deleted rows' old pages may still sit in the WAL
        file until a checkpoint; this makes them gone now. A no-op elsewhere.
        """
        if self.dialect != "sqlite":
            return
        try:
            # On the driver's connection: housekeeping after a commit, not a
            # statement of any transaction (no BEGIN, nothing to roll back).
            raw = self.engine.raw_connection()
            try:
                # TRUNCATE waits (busy_timeout) for readers still inside a
                # transaction; one that outstays it leaves the log as it is.
                busy = raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                if busy and busy[0]:
                    log.warning(
                        "The write-ahead log of %s could not be emptied: another program "
                        "is reading it; it is emptied when canvass closes.",
                        self.target.display,
                    )
            finally:
                raw.close()
        except DRIVER_ERRORS as exc:
            raise explain(exc, self.target.display) from exc


def is_encrypted(text: str) -> bool:
    """Whether ``text`` names an existing SQLite file encrypted with SQLCipher.

    Front ends ask this first so that they can ask for the passphrase.
    """
    try:
        target = parse_target(text)
    except DatabaseError:
        return False
    return target.path is not None and encryption.looks_encrypted(target.path)


def open_database(text: str, *, create: bool = False, passphrase: str | None = None) -> Database:
    """Open the database named by ``--db``, migrating an older schema first.

    Args:
        text: A SQLite file path or a PostgreSQL URL.
        create: Create the database if it does not exist yet.
        passphrase: Unlocks an encrypted SQLite file; with ``create``, a new
            file is created encrypted with it.

    Returns:
        The open database; ``Database.backup`` names the copy made before an upgrade.

    Raises:
        DatabaseError: With a message for the user; nothing has been changed.
            :class:`~canvass.storage.errors.PassphraseNeededError` and
            :class:`~canvass.storage.errors.WrongPassphraseError` say that a
            passphrase is missing or wrong.
        ValidationError: If the passphrase for a new database is too short.
    """
    target = parse_target(text)
    key: DatabaseKey | None = None
    if target.is_sqlite:
        inspection, key = _inspect_sqlite(target, create=create, passphrase=passphrase)
    else:
        if passphrase is not None:
            raise DatabaseError(
                f"{target.display} is a PostgreSQL database: canvass encrypts only SQLite "
                "files. Encryption at rest on a server is the server's job (an encrypted "
                "disk); leave out the passphrase."
            )
        engine = _make_engine(target)
        inspection = _inspect_server(target, engine, create=create)
        engine.dispose()
    _check_revision(target, inspection)
    head = migrate.head_revision()
    backup = None
    if inspection.exists and inspection.revision != head:
        backup = _backup(target, key)
    if target.is_sqlite and not inspection.exists and target.path is not None:
        _create_private(target.path)
    engine = _make_engine(target, key)
    try:
        with engine.begin() as conn:
            if inspection.revision != head:  # new, or older: create or upgrade the schema
                if not target.is_sqlite:  # two first starts at once must not both create
                    conn.execute(sql("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITER_LOCK})
                migrate.upgrade(conn)
    except DRIVER_ERRORS as exc:  # also: a read-only file or folder, a busy database
        engine.dispose()
        raise explain(exc, target.display) from exc
    return Database(target, engine, backup, encrypted=key is not None)


def _create_private(path: Path) -> None:
    """Create an empty database file that only its owner can read (SQLite fills it in).

    Its -wal and -shm files take the same permissions, so other accounts on a
    shared computer cannot read a campaign's data.
    """
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _make_engine(target: Target, key: DatabaseKey | None = None) -> Engine:
    if not target.is_sqlite:
        return create_engine(target.url, connect_args={"connect_timeout": 5}, pool_pre_ping=True)
    if key is None:
        engine = create_engine(target.url)
    else:
        # sqlcipher3 is the sqlite3 module built against SQLCipher: SQLAlchemy's
        # pysqlite dialect drives it as it is.
        engine = create_engine(target.url, module=encryption.dbapi)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module so that BEGIN is ours
        # (SQLAlchemy's documented recipe for pysqlite).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if key is not None:
            # The key first: until SQLCipher has it, no page can be read.
            encryption.prepare(cur, key)
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        # 64 MB page cache (default 2 MB): random-UUID keys scatter index inserts,
        # and a register import or merge otherwise thrashes the cache.
        cur.execute("PRAGMA cache_size = -65536")
        # Deleted content is overwritten, not left in free pages: an erased
        # person's data must really be gone from the file (UK GDPR erasure).
        cur.execute("PRAGMA secure_delete = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the write lock up front, so two writers queue instead of
        # failing half-way with "database is locked"; readers never block.
        if conn.get_execution_options().get("canvass_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def _inspect_sqlite(
    target: Target, *, create: bool, passphrase: str | None
) -> tuple[Inspection, DatabaseKey | None]:
    path = target.path
    assert path is not None
    if not path.parent.is_dir():
        raise DatabaseError(
            f"Cannot use {path}: the folder {path.parent} does not exist. "
            "Create the folder first or choose another path."
        )
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a database file. Give a file name.")
    if not path.exists() or path.stat().st_size == 0:
        if create:
            key = new_key(passphrase) if passphrase is not None else None
            return Inspection(exists=False, revision=None), key
        raise DatabaseError(
            f"There is no canvass database at {path}. Create one with "
            f"`canvass --db {path} init --campaign NAME` (or `demo` for sample data)."
        )
    if not path.is_file():
        raise DatabaseError(f"{path} is not a file; give the path of a canvass database.")
    with path.open("rb") as fh:
        plain = fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    key = None
    if not plain:
        if not encryption.looks_encrypted(path):
            raise DatabaseError(
                f"{path} is not a canvass database: it is some other kind of file. "
                "Check the name, or give another --db."
            )
        if passphrase is None:
            raise PassphraseNeededError(
                f"{path} is encrypted: give its passphrase in a file with --passphrase-file "
                "FILE before the command (canvass --db DB --passphrase-file FILE COMMAND ...), "
                "or set CANVASS_DB_PASSPHRASE_FILE; the desktop app asks for it."
            )
        key = derive_key(passphrase, encryption.read_salt(path))
    elif passphrase is not None:
        raise DatabaseError(
            f"{path} is not encrypted, so it opens without a passphrase: leave out "
            f"--passphrase-file, or encrypt it first with `canvass --db {path} db encrypt "
            "--passphrase-file FILE`."
        )
    # Read-only, so inspecting somebody else's file cannot alter it. Without a
    # -wal file beside it, "immutable" also stops SQLite creating -wal and -shm
    # files next to a database it is about to refuse.
    wal = Path(f"{path}-wal")
    query = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
    try:
        if key is None:
            conn = sqlite3.connect(f"{path.as_uri()}?{query}", uri=True)
        else:
            conn = encryption.connect(path, key, read_only=True)
        try:
            if key is not None:
                encryption.unlock_check(conn, path)
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            revision = None
            if tables >= _REQUIRED_TABLES:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            conn.close()
    except (sqlite3.Error, encryption.dbapi.Error) as exc:
        raise explain(exc, str(path)) from exc
    if not tables >= _REQUIRED_TABLES or revision is None:
        raise DatabaseError(
            f"{path} is a SQLite file but not a canvass database; canvass will not change it."
        )
    return Inspection(exists=True, revision=revision), key


def _inspect_server(target: Target, engine: Engine, *, create: bool) -> Inspection:
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            revision = migrate.current_revision(conn) if "alembic_version" in tables else None
    except OperationalError as exc:
        reason = first_line(exc)
        raise DatabaseError(
            f"Cannot connect to the PostgreSQL database {target.display}: {reason}. "
            "Check that the server is running and the URL is right."
        ) from exc
    except DRIVER_ERRORS as exc:
        raise explain(exc, target.display) from exc
    if not tables:
        if create:
            return Inspection(exists=False, revision=None)
        raise DatabaseError(
            f"The PostgreSQL database {target.display} is empty. Create canvass's tables with "
            f"`canvass --db URL init --campaign NAME`."
        )
    if not tables >= _REQUIRED_TABLES or revision is None:
        raise DatabaseError(
            f"The PostgreSQL database {target.display} holds other tables, not a canvass "
            "database; canvass will not change it. Use an empty database."
        )
    return Inspection(exists=True, revision=revision)


def _check_revision(target: Target, inspection: Inspection) -> None:
    if inspection.revision is not None and not migrate.is_known_revision(inspection.revision):
        raise DatabaseError(
            f"{target.display} was made by a newer version of canvass (schema "
            f"{inspection.revision}); install the newer canvass to open it."
        )


def _backup(target: Target, key: DatabaseKey | None = None) -> Path | None:
    """Copy a SQLite file beside itself before its schema is upgraded.

    An encrypted file's backup is encrypted with the same key: a backup must
    not be the way a lost laptop leaks the campaign.

    PostgreSQL upgrades run in one transaction (its DDL is transactional), so a
    failed upgrade leaves the server as it was; dumping a server is the DBA's job.
    """
    if target.path is None:
        return None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = target.path.with_name(f"{target.path.name}.backup-{stamp}")
    counter = 1
    while backup.exists():
        backup = target.path.with_name(f"{target.path.name}.backup-{stamp}-{counter}")
        counter += 1
    if key is not None:
        encryption.backup(target.path, backup, key)
        return backup
    # The backup API copies a consistent snapshot, including pages still in the WAL.
    src = sqlite3.connect(f"{target.path.as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(backup)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return backup
