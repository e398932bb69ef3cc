"""Sync services end to end: erasure that travels, held records, rebuild, upgraded databases."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import func, select

from canvass.domain.progress import run_to_end
from canvass.services import erasure, exchange, keys, merge_files
from canvass.services.apply import recorded_locally
from canvass.services.databases import open_db
from canvass.services.rebuild import rebuild_from_operations
from canvass.storage.digest import state_digest
from canvass.storage.oplog import operations_for
from canvass.storage.tables import (
    Campaign,
    Device,
    Elector,
    Erasure,
    HeldRecord,
    OperationRow,
    Visit,
)
from tests.helpers import demo_db

FIXTURES = Path(__file__).parent / "fixtures" / "db_versions"


def _digest(db):
    with db.read() as s:
        return state_digest(s)


def _pair(tmp_path, url):
    coord = demo_db(url, 120)
    lap = open_db(str(tmp_path / "lap.db"), create=True)
    keys.write_enrolment_file(coord, tmp_path / "c.enrol")
    keys.write_enrolment_file(lap, tmp_path / "l.enrol")
    keys.enrol(lap, keys.read_enrolment_file(tmp_path / "c.enrol"), role="coordinator")
    keys.enrol(coord, keys.read_enrolment_file(tmp_path / "l.enrol"))
    return coord, lap, keys.this_device(lap).id


def _merge(db, *paths):
    return run_to_end(merge_files.merge_files(db, list(paths)))


def test_an_erasure_travels_and_a_stale_file_brings_nobody_back(tmp_path, db_url):
    coord, lap, lap_id = _pair(tmp_path, db_url)
    exchange.export_file(coord, tmp_path / "a.canvass", to=[lap_id])
    [r] = _merge(lap, tmp_path / "a.canvass")
    assert r.status == "merged"
    stale = exchange.export_file(lap, tmp_path / "stale.canvass").path  # before the erasure
    with coord.read() as s:
        visit = s.scalars(select(Visit).where(Visit.elector_id.is_not(None))).first()
        person = visit.elector_id
    applied = erasure.erase(coord, "elector", person, "subject-request")
    assert applied.erased_records >= 2  # the person and their visits
    [again] = _merge(coord, stale)
    assert again.status == "merged" and again.dropped_erased > 0
    with coord.read() as s:
        assert s.get(Elector, person) is None
        assert not s.scalars(select(Visit).where(Visit.elector_id == person)).all()
        assert not s.scalars(
            select(OperationRow).where(
                OperationRow.entity_id == person, OperationRow.kind != "erase"
            )
        ).all()
    # The erasure reaches the laptop, which forgets the person too.
    exchange.export_file(coord, tmp_path / "b.canvass", to=[lap_id])
    [r] = _merge(lap, tmp_path / "b.canvass")
    assert r.status == "merged"
    with lap.read() as s:
        assert s.get(Elector, person) is None
        assert s.get(Erasure, person) is not None
    coord.close()
    lap.close()


def test_rebuilding_after_an_erasure_keeps_the_tombstones_and_the_state(tmp_path):
    db = demo_db(str(tmp_path / "c.db"), 80)
    with db.read() as s:
        person = s.scalars(select(Visit.elector_id).where(Visit.elector_id.is_not(None))).first()
    erasure.erase(db, "elector", person, "subject-request")
    before = _digest(db)
    run_to_end(rebuild_from_operations(db))
    assert _digest(db) == before
    db.close()


def test_a_record_that_arrives_before_its_parent_waits_for_it(tmp_path):
    coord, lap, lap_id = _pair(tmp_path, str(tmp_path / "coord.db"))
    with coord.read() as s:
        visit_id = s.scalars(select(Visit.id).where(Visit.elector_id.is_not(None))).first()
        [visit_op] = operations_for(s, "visit", visit_id)
    # The laptop receives a visit before the elector it belongs to: it waits.
    with lap.write() as s:
        applied = recorded_locally(s, [visit_op])
        assert applied.held == 1
        assert s.scalar(select(func.count()).select_from(HeldRecord)) == 1
        assert s.get(Visit, visit_id) is None
    exchange.export_file(coord, tmp_path / "a.canvass", to=[lap_id])
    [report] = _merge(lap, tmp_path / "a.canvass")
    assert report.status == "merged" and report.held == 0
    with lap.read() as s:
        assert s.scalar(select(func.count()).select_from(HeldRecord)) == 0
        assert s.get(Visit, visit_id) is not None
    coord.close()
    lap.close()


def test_a_database_from_before_keys_gets_them_and_can_export(tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(FIXTURES / "0002.db", path)
    db = open_db(str(path))
    me = keys.this_device(db)
    assert me.fingerprint != "(no keys)"
    with db.read() as s:
        device = s.get(Device, me.id)
        assert device.signing_public_key and device.age_recipient
    result = exchange.export_file(db, tmp_path / "out.canvass", to=[me.id])
    assert result.operations > 100
    db.close()


def test_a_canvasser_cannot_promote_itself_or_redirect_the_recovery_key(tmp_path):
    coord, lap, lap_id = _pair(tmp_path, str(tmp_path / "coord.db"))
    exchange.export_file(coord, tmp_path / "a.canvass", to=[lap_id])
    _merge(lap, tmp_path / "a.canvass")
    with coord.read() as s:
        campaign_id = s.scalars(
            select(OperationRow.entity_id).where(OperationRow.entity == "campaign")
        ).first()
    # A tampered laptop writes what only a coordinator may, and signs its file as usual.
    import pyrage

    from canvass.services.oplog import OpWriter

    thief = str(pyrage.x25519.Identity.generate().to_public())
    with lap.write() as s:
        writer = OpWriter.local(s)
        writer.set("device", lap_id, "role", "coordinator")
        writer.set("campaign", campaign_id, "recovery_recipient", thief)
        # ... and brings the purge forward by setting the retention date in the past
        writer.set("campaign", campaign_id, "retention_until", "2020-01-01")
    from canvass.services import apply

    with lap.read() as s:
        mine = [op for op in __import__("canvass.storage.oplog", fromlist=["x"]).iter_operations(s)]
    forged = [
        op
        for op in mine
        if op.field in ("role", "recovery_recipient", "retention_until") and op.device_id == lap_id
    ]
    assert len(forged) == 3
    with coord.write() as s:
        applied = apply.apply_operations(
            s, [apply.check_operation(op, op.wire_json()) for op in forged], canvasser=lap_id
        )
    assert applied.dropped_unauthorised == 3 and applied.new == 0
    with coord.read() as s:
        assert s.get(Device, lap_id).role == "canvasser"
        assert s.scalars(select(Campaign.retention_until)).first() is None
        assert (
            s.scalars(select(OperationRow).where(OperationRow.field == "recovery_recipient")).all()
            == []
        )
    coord.close()
    lap.close()
