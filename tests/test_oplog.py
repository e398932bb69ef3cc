"""Every service write records its operations in the same transaction as its rows."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from canvass.domain.errors import ValidationError
from canvass.domain.progress import run_to_end
from canvass.services.campaigns import create_campaign
from canvass.services.databases import open_db
from canvass.services.oplog import OpWriter
from canvass.services.rebuild import rebuild_from_operations
from canvass.storage import oplog
from canvass.storage.local import get_local_device
from canvass.storage.tables import Campaign, Elector, OperationRow
from canvass.sync.hlc import Stamp
from canvass.sync.ops import OpKind
from tests.helpers import demo_db, shared_table_digests


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_creating_a_campaign_records_operations_with_the_row(db_url):
    db = open_db(db_url, create=True)
    made = create_campaign(db, "Save Sampleton Baths")
    with db.read() as s:
        ops = s.scalars(select(OperationRow).order_by(OperationRow.seq)).all()
        device = get_local_device(s)
        # The device registers itself, starts the campaign, and becomes its coordinator.
        assert [(o.kind, o.entity) for o in ops] == [
            ("create", "device"),
            ("create", "campaign"),
            ("set", "device"),
        ]
        assert {o.device_id for o in ops} == {device.device_id}
        assert [o.seq for o in ops] == [1, 2, 3]
        assert device.last_seq == 3
        assert (device.hlc_ms, device.hlc_counter) == (ops[-1].hlc_ms, ops[-1].hlc_counter)
        assert s.get(Campaign, made.id).name == "Save Sampleton Baths"
    db.close()


def test_a_failed_transaction_leaves_neither_rows_nor_operations(db_url):
    db = open_db(db_url, create=True)
    with pytest.raises(RuntimeError), db.write() as s:
        writer = OpWriter.local(s)
        writer.create("campaign", {"name": "Doomed", "created_at": writer.now()})
        writer.flush()
        assert count(s, Campaign) == 1
        raise RuntimeError("power cut")
    with db.read() as s:
        assert count(s, Campaign) == 0
        assert count(s, OperationRow) == 0
        assert get_local_device(s).last_seq == 0
    db.close()


def test_set_replaces_every_head_and_updates_the_row(db_url):
    db = demo_db(db_url, electors=50)
    with db.read() as s:
        elector_id = s.scalars(select(Elector.id).order_by(Elector.id)).first()
    with db.write() as s:
        w = OpWriter.local(s)
        w.set("elector", elector_id, "surname", "Renamedby")
        w.set("elector", elector_id, "surname", "Renamedagain")
    with db.read() as s:
        assert s.get(Elector, elector_id).surname == "Renamedagain"
        ops = oplog.operations_for(s, "elector", elector_id)
        sets = sorted((o for o in ops if o.kind is OpKind.SET), key=lambda o: o.seq)
        create = next(o for o in ops if o.kind is OpKind.CREATE)
        assert sets[0].bases == (create.op_id,)
        assert sets[1].bases == (sets[0].op_id,)
    db.close()


NIL = "00000000-0000-4000-8000-000000000000"
BAD_WRITES = [
    ("no field", lambda w: w.create("campaign", {"name": "x", "created_at": "t", "colour": "red"})),
    ("needs", lambda w: w.create("ward", {"name": "No campaign"})),
    ("Unknown kind", lambda w: w.create("spaceship", {})),
    ("must be text", lambda w: w.create("campaign", {"name": 1.5, "created_at": "t"})),
    (
        "at most 200 characters",
        lambda w: w.create("campaign", {"name": "x" * 201, "created_at": "t"}),
    ),
    (
        "whole number",
        lambda w: w.create(
            "street", {"polling_district_id": NIL, "name": "Sample Road", "walk_order": 2**40}
        ),
    ),
    (
        "whole number",
        lambda w: w.create(
            "street", {"polling_district_id": NIL, "name": "Sample Road", "walk_order": "abc"}
        ),
    ),
    ("yes or no", lambda w: w.create("device", {"name": "x", "registered_at": "t", "revoked": 1})),
    (
        "not a date",
        lambda w: w.create(
            "campaign", {"name": "x", "created_at": "t", "polling_day": "31/12/2026"}
        ),
    ),
    (
        "not a record id",
        lambda w: w.create("campaign", {"name": "x", "created_at": "t"}, entity_id="NOT-A-UUID"),
    ),
    (
        "There is no elector",
        lambda w: w.set("elector", "00000000-0000-4000-8000-000000000000", "surname", "x"),
    ),
]


@pytest.mark.parametrize(("message", "write"), BAD_WRITES)
def test_bad_writes_are_refused_and_change_nothing(db_url, message, write):
    db = open_db(db_url, create=True)
    with pytest.raises(ValidationError, match=message), db.write() as s:
        write(OpWriter.local(s))
    with db.read() as s:
        assert count(s, OperationRow) == 0
        assert get_local_device(s).last_seq == 0
    db.close()


def test_the_clock_never_goes_backwards_across_restarts(tmp_path):
    url = str(tmp_path / "a.db")
    db = open_db(url, create=True)
    now = 1_800_000_000_000
    with db.write() as s:
        w = OpWriter.local(s, wall=lambda: now)
        w.create("campaign", {"name": "Clockwork", "created_at": w.now()})
        w.flush()
    db.close()
    # The laptop's clock is set back a day, and canvass restarted.
    db = open_db(url)
    with db.write() as s:
        w = OpWriter.local(s, wall=lambda: now - 86_400_000)
        w.create("ward", {"campaign_id": s.scalars(select(Campaign.id)).one(), "name": "North"})
        w.flush()
    with db.read() as s:
        stamps = [
            Stamp(r.hlc_ms, r.hlc_counter)
            for r in s.execute(select(OperationRow).order_by(OperationRow.seq)).scalars()
        ]
    db.close()
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == len(stamps)
    assert stamps[-1].ms == now


def test_rebuilding_from_operations_gives_back_the_same_tables(db_url):
    db = demo_db(db_url, electors=400, seed=11)
    with db.read() as s:
        some = s.scalars(select(Elector.id).order_by(Elector.id).limit(3)).all()
    with db.write() as s:
        w = OpWriter.local(s)
        for n, elector_id in enumerate(some):
            w.set("elector", elector_id, "surname", f"Editedby{n}")
            w.set("elector", elector_id, "removed", True)
    before = shared_table_digests(db)
    assert before["electors"][0] == 400
    rebuilt = run_to_end(rebuild_from_operations(db))
    assert rebuilt == sum(n for n, _ in before.values())
    assert shared_table_digests(db) == before
    db.close()


def test_rebuild_repairs_rows_damaged_by_hand(tmp_path):
    db = demo_db(str(tmp_path / "a.db"), electors=100)
    before = shared_table_digests(db)
    with db.write() as s:
        s.execute(Elector.__table__.update().values(surname="DAMAGED"))
        s.execute(Elector.__table__.delete().where(Elector.elector_number < 10))
    assert shared_table_digests(db) != before
    run_to_end(rebuild_from_operations(db))
    assert shared_table_digests(db) == before
    db.close()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("attainment_date", "not-a-date", "not a date"),
        ("surname", "y" * 201, "at most 200"),
        ("elector_number", 2**40, "whole number"),
        ("removed", "yes", "yes or no"),
        ("colour", "red", "no field"),
    ],
)
def test_a_refused_edit_records_nothing_and_rebuild_still_works(db_url, field, value, message):
    db = demo_db(db_url, electors=30)
    with db.read() as s:
        elector_id = s.scalars(select(Elector.id).order_by(Elector.id)).first()
        ops_before = count(s, OperationRow)
    before = shared_table_digests(db)
    with db.write() as s:  # the caller catches the error and commits the rest
        w = OpWriter.local(s)
        with pytest.raises(ValidationError, match=message):
            w.set("elector", elector_id, field, value)
    with db.read() as s:
        assert count(s, OperationRow) == ops_before
    run_to_end(rebuild_from_operations(db))
    assert shared_table_digests(db) == before
    db.close()


def test_writers_queue_behind_a_long_write_so_rebuild_loses_nothing(db_url):
    import threading

    db = demo_db(db_url, electors=200)
    other = open_db(db_url)
    with db.read() as s:
        campaign_id = s.scalars(select(Campaign.id)).one()
    rebuild = rebuild_from_operations(db)
    next(rebuild)  # the rebuild now holds its write transaction

    def add_ward():
        with other.write() as s:
            w = OpWriter.local(s)
            w.create("ward", {"campaign_id": campaign_id, "name": "Late Ward"})
            w.flush()

    writer = threading.Thread(target=add_ward)
    writer.start()
    writer.join(timeout=1.5)
    assert writer.is_alive(), "a second writer must wait for the rebuild's transaction"
    run_to_end(rebuild)
    writer.join(timeout=60)
    assert not writer.is_alive()
    from canvass.storage.tables import Ward

    with db.read() as s:
        assert s.scalars(select(Ward.name).where(Ward.name == "Late Ward")).one()
    other.close()
    db.close()


def test_one_reading_sees_one_state_while_others_write(db_url):
    db = open_db(db_url, create=True)
    create_campaign(db, "Snapshot")
    other = open_db(db_url)
    with db.read() as s:
        first = count(s, OperationRow)
        with other.write() as w:
            writer = OpWriter.local(w)
            writer.create(
                "ward",
                {"campaign_id": s.scalars(select(Campaign.id)).one(), "name": "Added meanwhile"},
            )
            writer.flush()
        assert count(s, OperationRow) == first
    with db.read() as s:
        assert count(s, OperationRow) == first + 1
    other.close()
    db.close()
