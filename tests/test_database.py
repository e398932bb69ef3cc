"""Opening and creating databases, and refusing bad ones without touching them."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import create_engine, text

from canvass.domain.errors import DatabaseError
from canvass.services.databases import open_db
from canvass.services.info import database_info
from canvass.storage import migrate
from tests.helpers import file_sha


def test_create_then_reopen_keeps_the_device_identity(db_url):
    db = open_db(db_url, create=True)
    first = database_info(db)
    db.close()
    db = open_db(db_url)
    second = database_info(db)
    db.close()
    assert first.device_id and first.device_id == second.device_id
    assert second.schema_revision == migrate.head_revision()
    assert second.schema_version >= 1


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    db = open_db(str(tmp_path / "a.db"), create=True)
    with db.read() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
    db.close()


def test_missing_folder_is_refused_and_nothing_is_created(tmp_path):
    target = tmp_path / "no-such-folder" / "a.db"
    with pytest.raises(DatabaseError, match="folder .* does not exist"):
        open_db(str(target), create=True)
    assert not target.parent.exists()


def test_missing_file_without_create_says_how_to_make_one(tmp_path):
    with pytest.raises(DatabaseError, match="canvass --db .* init"):
        open_db(str(tmp_path / "a.db"))
    assert not (tmp_path / "a.db").exists()


def test_a_file_that_is_not_sqlite_is_left_alone(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("shopping list\n")
    before = file_sha(path)
    with pytest.raises(DatabaseError, match="not a canvass database"):
        open_db(str(path), create=True)
    assert file_sha(path) == before


def test_a_foreign_sqlite_database_is_left_byte_for_byte_alone(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = file_sha(path)
    with pytest.raises(DatabaseError, match="not a canvass database"):
        open_db(str(path), create=True)
    assert file_sha(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_a_database_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "a.db"
    open_db(str(path), create=True).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '0999'")
    conn.commit()
    conn.close()
    before = file_sha(path)
    listing = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(DatabaseError, match="newer version of canvass"):
        open_db(str(path))
    assert file_sha(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing


def test_a_foreign_wal_mode_database_gets_no_files_beside_it(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = file_sha(path)
    with pytest.raises(DatabaseError, match="not a canvass database"):
        open_db(str(path), create=True)
    assert file_sha(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_a_damaged_database_says_so_in_one_line(tmp_path):
    path = tmp_path / "a.db"
    open_db(str(path), create=True).close()
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # overwrite the second page
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseError) as info:
        db = open_db(str(path))
        from canvass.services.info import database_info as read_all

        read_all(db)
    assert "\n" not in str(info.value)
    assert "damaged" in str(info.value) or "not a canvass" in str(info.value)


def test_a_busy_database_is_reported_as_busy(tmp_path, monkeypatch):
    from canvass.services.campaigns import create_campaign
    from canvass.storage import database as database_module

    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "a.db"
    db = open_db(str(path), create=True)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program is writing
    try:
        with pytest.raises(DatabaseError, match="is busy: another program is writing"):
            create_campaign(db, "Never")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        db.close()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("postgresql+psycopg://me@localhost:abc/db", "not a database URL"),
        ("postgresql+psycopg://me@localhost/", "names no database"),
    ],
)
def test_malformed_targets_are_refused(text, message):
    with pytest.raises(DatabaseError, match=message):
        open_db(text)


def test_unsupported_url_is_refused():
    with pytest.raises(DatabaseError, match="SQLite files and PostgreSQL"):
        open_db("mysql://x@localhost/db")


@pytest.mark.postgres
def test_empty_postgresql_database_needs_init(pg_url):
    with pytest.raises(DatabaseError, match="is empty"):
        open_db(pg_url)


@pytest.mark.postgres
def test_postgresql_database_with_other_tables_is_left_alone(pg_url):
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE recipes (name text)"))
    with pytest.raises(DatabaseError, match="not a canvass"):
        open_db(pg_url, create=True)
    with engine.connect() as conn:
        tables = (
            conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
            .scalars()
            .all()
        )
    engine.dispose()
    assert tables == ["recipes"]
