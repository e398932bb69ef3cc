"""Merge properties through the real database path (DESIGN §4, reference §11 A and B).

Each example simulates laptops editing, erasing, suppressing and passing
files around (tests/sync_model.py), then merges those files into a database
in different orders and groupings, inside a transaction that is rolled back
afterwards so every example starts from the same database.
"""

from __future__ import annotations

import json
import os
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from canvass.services.databases import open_db
from canvass.storage.digest import state_digest
from canvass.storage.tables import Conflict, Elector, Erasure, OperationRow, Suppression, Visit
from canvass.sync.ops import OpKind
from tests import sync_model as m

#: Examples per property: thousands in the normal run; CANVASS_LONG_PROPERTIES=1
#: (make test-long) runs many more.
EXAMPLES = 20_000 if os.environ.get("CANVASS_LONG_PROPERTIES") else 700
DB_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def world(request, tmp_path_factory):
    if request.param == "sqlite":
        url = str(tmp_path_factory.mktemp("props") / "model.db")
    else:
        cluster = request.getfixturevalue("pg_cluster")
        name = f"props_{uuid.uuid4().hex[:8]}"
        cluster.create_database(name)
        url = cluster.url(name)
    db = open_db(url, create=True)
    genesis, electors = m.build_genesis(db)
    yield db, genesis, electors
    db.close()


def _expected_erased(files):
    erased = {op.entity_id for f in files for op in f if op.kind is OpKind.ERASE}
    linked = {
        op.entity_id
        for f in files
        for op in f
        if op.kind is OpKind.CREATE
        and isinstance(op.value, dict)
        and op.value.get("elector_id") in erased
        and op.entity == "visit"
    }
    return erased, linked


def _merge_all(session, files, order, groups):
    """Merge files in ``order``, ``groups`` files at a time (each group one batch)."""
    chosen = [files[i] for i in order]
    for start in range(0, len(chosen), groups):
        batch = [op for f in chosen[start : start + groups] for op in f]
        m.merge_ops(session, batch)


@DB_SETTINGS
@given(script=m.steps, data=st.data())
def test_any_order_and_grouping_of_files_gives_the_same_state(world, script, data):
    db, genesis, electors = world
    files, _ = m.simulate(genesis, electors, script)
    order = data.draw(st.permutations(range(len(files))))
    groups = data.draw(st.integers(1, 3))
    with m.scratch(db) as session:
        _merge_all(session, files, range(len(files)), 1)
        reference = state_digest(session)
        conflicts_ref = session.scalar(select(Conflict.id).limit(1)) is not None
    with m.scratch(db) as session:
        _merge_all(session, files, order, groups)
        assert state_digest(session) == reference
        assert (session.scalar(select(Conflict.id).limit(1)) is not None) == conflicts_ref
        # Merging every file again changes nothing.
        _merge_all(session, files, order, 1)
        assert state_digest(session) == reference


@DB_SETTINGS
@given(script=m.steps, data=st.data())
def test_nothing_is_lost_but_what_erasure_removes_and_erasure_and_suppression_hold(
    world, script, data
):
    db, genesis, electors = world
    files, _ = m.simulate(genesis, electors, script)
    order = data.draw(st.permutations(range(len(files))))
    erased, linked = _expected_erased(files)
    with m.scratch(db) as session:
        _merge_all(session, files, order, 1)
        held = set(session.scalars(select(OperationRow.op_id)))
        for f in files:
            for op in f:
                gone = op.entity_id in erased | linked and op.kind is not OpKind.ERASE
                assert (op.op_id in held) != gone, op
        # No erased person, or anything that belonged to them, anywhere.
        assert not set(session.scalars(select(Elector.id).where(Elector.id.in_(erased))))
        assert not set(session.scalars(select(Visit.id).where(Visit.elector_id.in_(erased))))
        assert erased <= set(session.scalars(select(Erasure.id)))
        # Every suppression made is still there.
        made = {op.entity_id for f in files for op in f if op.entity == "suppression"}
        assert made <= set(session.scalars(select(Suppression.id)))
        # Stale files merged again (every file, in reverse) bring nobody back.
        _merge_all(session, files, list(reversed(order)), 1)
        assert not set(session.scalars(select(Elector.id).where(Elector.id.in_(erased))))
        assert made <= set(session.scalars(select(Suppression.id)))


@DB_SETTINGS
@given(script=m.steps)
def test_a_conflict_is_visible_until_a_resolution_reaches_every_replica(world, script):
    db, genesis, electors = world
    files, devices = m.simulate(genesis, electors, script)
    # Everyone learns everything: the replicas now hold the same set.
    union = {op.op_id: op for f in files for op in f}
    with m.scratch(db) as session:
        m.merge_ops(session, list(union.values()))
        open_conflicts = list(session.scalars(select(Conflict)))
        for c in open_conflicts:
            heads = set(json.loads(c.head_op_ids))
            values = {
                json.dumps(
                    union[h].value
                    if union[h].kind is not OpKind.CREATE
                    else union[h].value[c.field]
                )
                for h in heads
            }  # type: ignore[index]
            assert len(values) > 1  # a conflict always shows different values
        if not open_conflicts:
            return
        # One laptop resolves every conflict; its file reaches this replica.
        resolver = devices[0]
        resolver.known.update(union)
        resolutions = []
        for c in open_conflicts:
            heads = json.loads(c.head_op_ids)
            resolutions.append(
                resolver.stamp(OpKind.RESOLVE, c.entity, c.entity_id, c.field, "Resolvedby", heads)
            )
        m.merge_ops(session, resolutions)
        assert session.scalar(select(Conflict.id).limit(1)) is None
        for c in open_conflicts:
            assert session.get(Elector, c.entity_id).__dict__[c.field] == "Resolvedby"
