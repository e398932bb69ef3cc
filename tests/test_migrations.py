"""Databases made by every released schema open with today's code, nothing lost."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from canvass.services.databases import open_db
from canvass.services.info import database_info
from canvass.storage import database as database_module
from canvass.storage import migrate

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "db_versions").glob("*.db"))


def test_there_is_a_fixture_for_the_first_schema():
    assert FIXTURES and FIXTURES[0].stem == "0001"


def _counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("electors", "addresses", "visits", "signatures", "operations")
        }
    finally:
        conn.close()


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_released_schema_migrates_to_head_keeping_every_record(tmp_path, fixture):
    path = tmp_path / "campaign.db"
    shutil.copy(fixture, path)
    before = _counts(path)
    db = open_db(str(path))
    info = database_info(db)
    db.close()
    assert info.schema_revision == migrate.head_revision()
    assert {k: info.counts[k if k != "addresses" else "households"] for k in before} == before
    backups = list(tmp_path.glob("campaign.db.backup-*"))
    if fixture.stem != migrate.head_revision():
        assert len(backups) == 1 and _counts(backups[0]) == before


def test_an_older_database_is_backed_up_beside_itself_before_upgrading(tmp_path, monkeypatch):
    path = tmp_path / "campaign.db"
    shutil.copy(FIXTURES[0], path)
    original = _dump(path)
    # Pretend this build's newest schema is later than the file's, as it will be
    # once the next migration is written.
    monkeypatch.setattr(database_module.migrate, "head_revision", lambda: "9999")
    db = open_db(str(path))
    db.close()
    backups = list(tmp_path.glob("campaign.db.backup-2*"))
    assert len(backups) == 1
    assert _counts(backups[0]) == _counts(path)
    assert _dump(backups[0]) == original
