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


# Tables canvass keeps outside the models: the search index (derived, local).
_UNMODELLED = {"search_state"}


def _schema_differences(connection) -> list[tuple[object, ...]]:
    """What differs between a migrated database and the table models (nothing, we hope)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from canvass.storage.tables import Base

    def unmodelled(difference: tuple[object, ...]) -> bool:
        kind, item = difference[0], difference[1]
        table = getattr(item, "table", item)  # an index names its table
        name = getattr(table, "name", "")
        return kind in ("remove_table", "remove_index") and (
            name in _UNMODELLED or name.startswith("elector_search")
        )

    found = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    return [d for d in found if not unmodelled(d)]


def test_schema_0006_gains_retention_and_notice_versions_with_nothing_lost(tmp_path):
    from sqlalchemy import create_engine, select

    from canvass.domain.progress import run_to_end
    from canvass.services import campaigns, canvassing, reports, retention
    from canvass.storage.tables import Campaign, Visit

    path = tmp_path / "campaign.db"
    shutil.copy(FIXTURES[[f.stem for f in FIXTURES].index("0006")], path)
    before = _counts(path)
    db = open_db(str(path))
    with db.read() as s:
        campaign = s.scalars(select(Campaign)).one()
        assert campaign.retention_until is None and campaign.retained_at == ""
        assert (campaign.privacy_notice, campaign.privacy_notice_version) == ("", 1)
        old_versions = set(s.scalars(select(Visit.notice_version)))
    assert old_versions == {0}  # recorded before the version was kept
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        assert _schema_differences(conn) == []
    engine.dispose()
    # The upgraded database takes a notice, records its version, and purges.
    campaigns.set_privacy_notice(db, "Exampleton Residents keep your answers six months.")
    door = next(
        d for d in canvassing.doors(db, district="NA") if any(e.can_record for e in d.electors)
    )
    elector = next(e for e in door.electors if e.can_record)
    visit_id = canvassing.record(db, elector.id, canvassing.Entry("NI"))
    with db.read() as s:
        assert s.get(Visit, visit_id).notice_version == 1
    report = reports.build_report(db)
    assert report.total.visits == before["visits"] + 1
    run_to_end(retention.purge(db, early=True))
    after = reports.build_report(db)
    assert after.retained is not None and after.retained.total.visits == before["visits"] + 1
    db.close()


@pytest.mark.postgres
def test_migration_0007_on_postgresql_up_down_and_up(pg_url):
    from alembic import command
    from sqlalchemy import create_engine, text

    engine = create_engine(pg_url)
    with engine.begin() as conn:
        migrate.upgrade(conn, "0006")
        conn.execute(
            text(
                "INSERT INTO campaigns (id, name, organisation, imprint_promoter, "
                "imprint_on_behalf_of, imprint_address, imprint_printer, recovery_recipient, "
                "created_at) VALUES ('00000000-0000-4000-8000-000000000001', 'Sampleton "
                "Campaign', '', '', '', '', '', '', '2026-11-01T10:00:00.000Z')"
            )
        )
    with engine.begin() as conn:
        migrate.upgrade(conn)
        assert migrate.current_revision(conn) == "0007"
        row = conn.execute(
            text(
                "SELECT name, retention_until, privacy_notice, privacy_notice_version, "
                "retained_at, retained_report, retained_petitions FROM campaigns"
            )
        ).one()
        assert tuple(row) == ("Sampleton Campaign", None, "", 1, "", "{}", "{}")
        assert _schema_differences(conn) == []
    with engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0006")
        assert migrate.current_revision(conn) == "0006"
    with engine.begin() as conn:
        migrate.upgrade(conn)
        assert conn.execute(text("SELECT count(*) FROM campaigns")).scalar() == 1
        assert _schema_differences(conn) == []
    engine.dispose()
