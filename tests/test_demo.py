"""The demo campaign: realistic shape, deterministic content, the same on every engine."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from canvass.domain.errors import ValidationError
from canvass.domain.progress import Progress
from canvass.services.campaigns import create_campaign
from canvass.services.databases import open_db
from canvass.services.demo import create_demo
from canvass.services.info import database_info
from canvass.storage.tables import Address, Elector
from tests.helpers import demo_db


def test_demo_counts_match_the_request(db_url):
    db = demo_db(db_url, electors=1000, seed=7)
    info = database_info(db)
    db.close()
    assert info.counts["electors"] == 1000
    assert 0 < info.counts["households"] < 1000
    assert info.counts["visits"] > 0 and info.counts["signatures"] > 0
    assert info.counts["petitions"] == 1
    assert info.counts["operations"] >= 1000


def test_same_seed_gives_the_same_digest_and_another_seed_does_not(tmp_path):
    a = demo_db(str(tmp_path / "a.db"), electors=500, seed=7)
    b = demo_db(str(tmp_path / "b.db"), electors=500, seed=7)
    c = demo_db(str(tmp_path / "c.db"), electors=500, seed=8)
    digests = [database_info(x).state_digest for x in (a, b, c)]
    devices = [database_info(x).device_id for x in (a, b)]
    for x in (a, b, c):
        x.close()
    assert digests[0] == digests[1] != digests[2]
    assert devices[0] != devices[1]  # each database is its own device all the same


@pytest.mark.postgres
def test_postgresql_and_sqlite_give_the_same_digest(tmp_path, pg_url):
    lite = demo_db(str(tmp_path / "a.db"), electors=500, seed=7)
    pg = demo_db(pg_url, electors=500, seed=7)
    assert database_info(lite).state_digest == database_info(pg).state_digest
    lite.close()
    pg.close()


def test_demo_names_include_non_ascii_and_households_walk_in_order(tmp_path):
    db = demo_db(str(tmp_path / "a.db"), electors=2000, seed=7)
    with db.read() as s:
        names = " ".join(f for (f,) in s.execute(select(Elector.forenames)))
        numbers = s.execute(
            select(
                Address.street_id, Address.walk_order, Address.house_number, Address.side
            ).order_by(Address.street_id, Address.walk_order)
        ).all()
    db.close()
    for needle in ("Siân", "Łukasz", "Zoë"):
        assert needle in names
    odd = [n for _, _, n, side in numbers if side == "odd"]
    assert odd  # odd side walked up, even side walked back down within each street
    assert all(side in ("odd", "even", "") for *_, side in numbers)


def test_demo_never_joins_a_real_campaign(tmp_path):
    db = open_db(str(tmp_path / "a.db"), create=True)
    create_campaign(db, "Residents Against Cuts")
    before = database_info(db).state_digest
    with pytest.raises(ValidationError, match="holds the campaign “Residents Against Cuts”"):
        _run(create_demo(db, 200, 1))
    assert database_info(db).state_digest == before
    db.close()


def test_demo_twice_into_one_database_is_refused_and_changes_nothing(tmp_path):
    db = demo_db(str(tmp_path / "a.db"), electors=100, seed=5)
    before = database_info(db).state_digest
    for seed in (5, 6):
        with pytest.raises(ValidationError, match="database of its own"):
            _run(create_demo(db, 100, seed))
    assert database_info(db).state_digest == before
    db.close()


def test_cancelling_the_demo_rolls_everything_back(tmp_path):
    db = open_db(str(tmp_path / "a.db"), create=True)
    before = database_info(db).state_digest
    task = create_demo(db, 1000, 2)
    assert isinstance(next(task), Progress)
    task.close()
    assert database_info(db).state_digest == before
    db.close()


@pytest.mark.parametrize("electors", [0, -5, 10_000_001])
def test_bad_elector_counts_are_refused(tmp_path, electors):
    db = open_db(str(tmp_path / "a.db"), create=True)
    with pytest.raises(ValidationError, match="between 1 and"):
        _run(create_demo(db, electors, 1))
    db.close()


def _run(task):
    try:
        while True:
            next(task)
    except StopIteration as stop:
        return stop.value


def test_a_demo_database_is_made_beside_a_real_campaign_and_removed_on_cancel(tmp_path):
    from canvass.services.demo import create_demo_database

    target = tmp_path / "demo-campaign.db"
    db, summary = _run(create_demo_database(target, 120, 4))
    assert database_info(db).counts["electors"] == summary.electors == 120
    db.close()
    with pytest.raises(Exception, match="already a file"):
        _run(create_demo_database(target, 120, 4))
    cancelled = tmp_path / "cancelled.db"
    task = create_demo_database(cancelled, 1000, 4)
    next(task)
    task.close()
    assert not cancelled.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("cancelled")) == []


def test_the_demo_petition_is_open_whenever_the_demo_is_made() -> None:
    import datetime as dt

    from canvass.services.demo import _demo_closing_day

    assert _demo_closing_day(dt.date(2026, 9, 1)) == dt.date(2026, 12, 31)
    later = dt.date(2031, 6, 1)
    assert _demo_closing_day(later) > later
