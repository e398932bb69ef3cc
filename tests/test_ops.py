"""Operation values: one canonical form, no floats, no hidden characters."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canvass.domain.errors import ValidationError
from canvass.domain.values import canonical_json, check_value, clean_string
from canvass.sync.hlc import Stamp
from canvass.sync.ops import Operation, OpKind, new_id

safe_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")))
scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1), safe_text)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(safe_text, inner, max_size=4)
    ),
    max_leaves=12,
)


def make_op(value, **kw) -> Operation:
    base = dict(
        op_id=new_id(),
        device_id=new_id(),
        seq=1,
        stamp=Stamp(1, 0),
        kind=OpKind.SET,
        entity="elector",
        entity_id=new_id(),
        field="surname",
        value=value,
    )
    base.update(kw)
    return Operation(**base)


@given(values)
def test_wire_round_trip_is_exact(value):
    op = make_op(check_value(value))
    again = Operation.from_wire(op.to_wire())
    assert again == op
    assert again.content_hash() == op.content_hash()


def test_canonical_json_ignores_key_order_and_keeps_unicode():
    assert canonical_json({"b": 1, "a": "Siân"}) == canonical_json({"a": "Siân", "b": 1})
    assert canonical_json({"a": "Zoë"}) == '{"a":"Zoë"}'


def test_floats_are_refused():
    with pytest.raises(ValidationError, match="floating-point"):
        check_value(1.5)
    with pytest.raises(ValidationError):
        check_value({"x": [0.1]})


def test_strings_are_nfc_normalised():
    decomposed = "Zoe\u0308"  # e + combining diaeresis
    assert clean_string(decomposed) == "Zoë"


@pytest.mark.parametrize("bad", ["a\x00b", "a\x1bb", "\ud800"])
def test_control_characters_and_lone_surrogates_are_refused(bad):
    with pytest.raises(ValidationError):
        clean_string(bad)


def test_newlines_and_tabs_are_allowed_in_notes():
    assert clean_string("line one\nline\ttwo") == "line one\nline\ttwo"


def test_too_large_integers_are_refused():
    with pytest.raises(ValidationError):
        check_value(2**63)


def test_malformed_wire_op_gives_a_validation_error():
    wire = make_op("x").to_wire()
    del wire["hlc"]
    with pytest.raises(ValidationError, match="malformed"):
        Operation.from_wire(wire)
    with pytest.raises(ValidationError):
        Operation.from_wire({**make_op("x").to_wire(), "seq": "7"})


@given(
    values,
    st.lists(st.uuids().map(str), max_size=3),
    st.sampled_from(list(OpKind)),
    st.one_of(st.none(), st.text(max_size=10)),
)
def test_composed_wire_json_is_exactly_the_canonical_encoding(value, bases, kind, field):
    op = make_op(check_value(value), bases=tuple(bases), kind=kind, field=field)
    assert op.wire_json() == canonical_json(op.to_wire())


def test_new_ids_are_version_4_uuids():
    import uuid

    for _ in range(200):
        made = new_id()
        parsed = uuid.UUID(made)
        assert str(parsed) == made and parsed.version == 4 and parsed.variant == uuid.RFC_4122


@given(
    st.dictionaries(safe_text, scalars, max_size=12),
    st.uuids(version=4).map(str),
    st.integers(1, 2**40),
    st.integers(0, 2**45),
    st.integers(0, 0xFFFF),
)
def test_bulk_create_rows_match_the_general_encoding(value, entity_id, seq, ms, counter):
    from canvass.storage.oplog import create_row, op_to_row

    value = check_value(value)
    op = Operation(
        new_id(),
        new_id(),
        seq,
        Stamp(ms, counter),
        OpKind.CREATE,
        "elector",
        entity_id,
        None,
        value,
    )
    assert create_row(
        op.op_id, op.device_id, seq, op.stamp, "elector", entity_id, value
    ) == op_to_row(op)


def test_ids_stay_unique_and_differ_in_a_forked_child():
    import os

    seen = {new_id() for _ in range(5000)}
    assert len(seen) == 5000
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: report one id and leave at once
        os.write(write, new_id().encode())
        os._exit(0)
    os.waitpid(pid, 0)
    child_id = os.read(read, 64).decode()
    assert child_id != new_id()
