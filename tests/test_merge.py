"""Field values are chosen the same way whatever order operations arrive in."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from canvass.sync.hlc import Stamp
from canvass.sync.merge import field_heads, resolve_entity
from canvass.sync.ops import Operation, OpKind

REC = "00000000-0000-4000-8000-000000000001"
DEV_A = "00000000-0000-4000-8000-00000000000a"
DEV_B = "00000000-0000-4000-8000-00000000000b"


def op(n: int, kind: OpKind, value, *, field=None, dev=DEV_A, ms=0, bases=()) -> Operation:
    return Operation(
        op_id=f"00000000-0000-4000-8000-{n:012d}",
        device_id=dev,
        seq=n,
        stamp=Stamp(ms, 0),
        kind=kind,
        entity="elector",
        entity_id=REC,
        field=field,
        value=value,
        bases=tuple(bases),
    )


CREATE = op(1, OpKind.CREATE, {"surname": "Testwell", "forenames": "Siân"}, ms=1)


def test_a_chain_of_local_edits_has_one_head_and_no_conflict():
    first = op(2, OpKind.SET, "Sampleford", field="surname", ms=2, bases=[CREATE.op_id])
    second = op(3, OpKind.SET, "Mockridge", field="surname", ms=3, bases=[first.op_id])
    state = resolve_entity("elector", REC, [second, CREATE, first])
    assert state.values == {"surname": "Mockridge", "forenames": "Siân"}
    assert state.conflicts == {}
    assert field_heads([CREATE, first, second], "surname") == [second]


def test_edits_that_did_not_see_each_other_are_a_visible_conflict():
    a = op(2, OpKind.SET, "Sampleford", field="surname", dev=DEV_A, ms=5, bases=[CREATE.op_id])
    b = op(3, OpKind.SET, "Mockridge", field="surname", dev=DEV_B, ms=5, bases=[CREATE.op_id])
    state = resolve_entity("elector", REC, [CREATE, a, b])
    assert state.conflicts == {"surname": sorted([a.op_id, b.op_id])}
    assert state.values["surname"] == "Mockridge"  # same clock: greater device id wins
    resolved = op(4, OpKind.RESOLVE, "Sampleford", field="surname", ms=6, bases=[a.op_id, b.op_id])
    state = resolve_entity("elector", REC, [CREATE, a, b, resolved])
    assert state.conflicts == {}
    assert state.values["surname"] == "Sampleford"


@given(st.permutations(range(5)), st.lists(st.integers(0, 3), min_size=4, max_size=4))
def test_the_shown_value_does_not_depend_on_arrival_order(order, clocks):
    edits = [
        op(
            10 + i,
            OpKind.SET,
            f"name{i}",
            field="surname",
            dev=(DEV_A, DEV_B)[i % 2],
            ms=clocks[i],
            bases=[CREATE.op_id],
        )
        for i in range(4)
    ]
    ops = [CREATE, *edits]
    shuffled = [ops[i] for i in order]
    assert resolve_entity("elector", REC, shuffled) == resolve_entity("elector", REC, ops)
