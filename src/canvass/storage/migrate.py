"""Alembic, driven from code: schema revisions, upgrade and the newer-version check."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import Connection


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the migrations shipped inside the package."""
    cfg = Config()
    location = resources.files("canvass.storage") / "migrations"
    cfg.set_main_option("script_location", str(location))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest schema revision this version of canvass knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def is_known_revision(revision: str) -> bool:
    """Whether ``revision`` is one of ours (False means a newer canvass wrote it)."""
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False


def schema_number(revision: str | None) -> int:
    """The revision as a number: revisions are named "0001", "0002"..."""
    if not revision:
        return 0
    try:
        return int(revision)
    except ValueError:
        return 0


def current_revision(connection: Connection) -> str | None:
    """The revision stamped in a database, or None for an empty one."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` inside the connection's transaction."""
    command.upgrade(alembic_config(connection), revision)
