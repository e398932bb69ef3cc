"""Declarative base shared by every table."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names, so Alembic migrations (and SQLite batch mode) can
# find constraints by name on every engine.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: UUIDs are stored as their 36-character text form on every engine, so the
#: same record prints, hashes and exchanges identically on SQLite and PostgreSQL.
UUID_LEN = 36

#: Column info marking text that holds canonical JSON (operation values are
#: structured; the column keeps their canonical text).
JSON_TEXT = {"json": True}


class Base(DeclarativeBase):
    """Base of every canvass table."""

    metadata = MetaData(naming_convention=NAMING)


class Shared(Base):
    """A table whose rows travel between laptops and are built from operations.

    Subclasses set ``__entity__``: the entity name used in operations.
    """

    __abstract__ = True
    __entity__: ClassVar[str]
    #: Boolean fields that only ever turn on: every replica shows true once
    #: any operation wrote true, whatever the clocks say (a revocation cannot
    #: be undone by a stale file). Never a conflict.
    __grow_only__: ClassVar[frozenset[str]] = frozenset()

    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True)


def uuid_col() -> Mapped[str]:
    """A required UUID column."""
    return mapped_column(String(UUID_LEN))
