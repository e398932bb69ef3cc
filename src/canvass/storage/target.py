"""Where a database lives: a SQLite file path or a PostgreSQL URL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from canvass.domain.errors import DatabaseError


@dataclass(frozen=True)
class Target:
    """A parsed ``--db`` value.

    Attributes:
        url: SQLAlchemy URL to connect with.
        path: The SQLite file, or None for a server database.
        display: How to name it to the user (no password).
    """

    url: URL
    path: Path | None
    display: str

    @property
    def is_sqlite(self) -> bool:
        """Whether this is an embedded SQLite file."""
        return self.path is not None


def parse_target(text: str) -> Target:
    """Turn ``--db PATH_OR_URL`` into a :class:`Target`.

    Raises:
        DatabaseError: If the text is a URL canvass cannot use.
    """
    if "://" not in text:
        if not text.strip():
            raise DatabaseError("--db is empty: give a database file path or a PostgreSQL URL.")
        path = Path(text).expanduser().absolute()
        return Target(URL.create("sqlite+pysqlite", database=str(path)), path, str(path))
    try:
        url = make_url(text)
        _ = url.port  # a malformed port only shows when read
    except (ArgumentError, ValueError) as exc:
        raise DatabaseError(f"'{text}' is not a database URL canvass understands.") from exc
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise DatabaseError("An in-memory SQLite database cannot be used; give a file path.")
        return parse_target(url.database)
    if backend != "postgresql":
        raise DatabaseError(
            f"canvass works with SQLite files and PostgreSQL, not '{backend}'. "
            "Use a file path or postgresql+psycopg://user@host/dbname."
        )
    if not url.database:
        raise DatabaseError(
            "The PostgreSQL URL names no database; add one, for example "
            "postgresql+psycopg://user@localhost/canvass."
        )
    if url.get_driver_name() != "psycopg":
        url = url.set(drivername="postgresql+psycopg")
    return Target(url, None, url.render_as_string(hide_password=True))
