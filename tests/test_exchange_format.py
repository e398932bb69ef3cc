"""The exchange file's plaintext: round trips, canonical lines, strict manifest."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from canvass.crypto.keys import DeviceKeys
from canvass.domain.errors import ExchangeFileError
from canvass.sync.exchange_format import (
    Manifest,
    Producer,
    iter_operations,
    pack,
    signed_message,
    unpack,
)
from canvass.sync.hlc import Stamp
from canvass.sync.ops import Operation, OpKind

KEYS = DeviceKeys.generate()
DEVICE = "00000000-0000-4000-8000-000000000001"

# Text a register really holds, and text that tests an encoder: astral
# characters, combining marks (already NFC), right-to-left script, quotes.
texts = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"),
        blacklist_characters="\u2028\u2029",
    ),
    max_size=30,
).map(lambda t: __import__("unicodedata").normalize("NFC", t)) | st.sampled_from(
    ["Siân", "Łukasz", "Nguyễn", "Zoë", "ŵŷ", "שלום", "مرحبا", "😀🏴", '"quoted" \\ back', "12.50"]
)
scalars = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | texts
# Values nest at most a few levels (canvass refuses deeper ones).
values = scalars | st.lists(scalars, max_size=3) | st.dictionaries(texts, scalars, max_size=3)


@st.composite
def operations(draw):  # type: ignore[no-untyped-def]
    n = draw(st.integers(0, 12))
    ops = []
    for seq in range(1, n + 1):
        kind = draw(st.sampled_from([OpKind.CREATE, OpKind.SET]))
        ops.append(
            Operation(
                op_id=f"00000000-0000-4000-9000-{seq:012d}",
                device_id=DEVICE,
                seq=seq,
                stamp=Stamp(draw(st.integers(0, 2**62)), draw(st.integers(0, 2**31 - 1))),
                kind=kind,
                entity="elector",
                entity_id=f"00000000-0000-4000-a000-{draw(st.integers(1, 5)):012d}",
                field=None if kind is OpKind.CREATE else "surname",
                value=draw(st.dictionaries(texts, values, max_size=3))
                if kind is OpKind.CREATE
                else draw(values),
            )
        )
    return ops


def _file(ops: list[Operation]) -> bytes:
    body = "".join(op.wire_json() + "\n" for op in ops).encode()
    manifest = Manifest(
        file_id="00000000-0000-4000-8000-0000000000ff",
        schema=3,
        created_at="2026-11-22T10:00:00Z",
        campaign_id=None,
        campaign_name="Format Test",
        producer=Producer(DEVICE, "Laptop Testington", KEYS.signing_public_key, KEYS.age_recipient),
        recipients=(DEVICE,),
        scope="full",
        op_count=len(ops),
        body_sha256=hashlib.sha256(body).hexdigest(),
    ).to_json()
    return pack(manifest, body, KEYS.sign(signed_message(manifest, body)))


@settings(max_examples=1000, deadline=None)
@given(ops=operations())
def test_operations_round_trip_exactly_through_the_file_format(ops):
    plain = _file(ops)
    unpacked = unpack(plain)
    back = [op for op, _ in iter_operations(unpacked.body, unpacked.manifest.op_count)]
    assert back == ops
    # Writing what was read gives the same bytes: one encoding per operation.
    assert _file(back) == plain


def test_a_line_that_is_not_in_canonical_form_is_refused():
    op = Operation(
        "00000000-0000-4000-9000-000000000001", DEVICE, 1, Stamp(5, 0), OpKind.SET,
        "elector", "00000000-0000-4000-a000-000000000001", "surname", "Testington",
    )  # fmt: skip
    spaced = op.wire_json().replace(":", ": ", 1) + "\n"
    with pytest.raises(ExchangeFileError) as caught:
        list(iter_operations(spaced.encode(), 1))
    assert caught.value.reason == "damaged"


def test_upper_case_ids_are_not_the_same_id_and_are_refused():
    op = Operation(
        "00000000-0000-4000-9000-00000000000A".lower(), DEVICE, 1, Stamp(5, 0), OpKind.SET,
        "elector", "00000000-0000-4000-a000-000000000001", "surname", "Testington",
    )  # fmt: skip
    upper = op.wire_json().replace(op.op_id, op.op_id.upper()) + "\n"
    with pytest.raises(ExchangeFileError):
        list(iter_operations(upper.encode(), 1))
