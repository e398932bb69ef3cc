"""Hostile and damaged exchange files are refused with their own reason, changing nothing.

Reference: sync-format-and-merge.md §5 (import pipeline), §7 (age) and §11 C3-C4,
D and E. Every refusal is checked on the report's ``reason`` and on the
database: the state digest and the imported-files table are as before. Forged
files are real exports rebuilt with one change and signed again with the
producer's real key (tests/exchange_fixtures.py), so each carries one fault.
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyrage
import pytest

from canvass.crypto import envelope
from canvass.crypto.keys import DeviceKeys, verify
from canvass.domain.errors import ExchangeFileError
from canvass.domain.progress import run_to_end
from canvass.services import keys
from canvass.services.databases import open_db
from canvass.services.exchange import export_file
from canvass.services.merge_files import MergeReport, merge_data, merge_files, open_file
from canvass.services.oplog import OpWriter
from canvass.storage.database import Database
from canvass.storage.local import get_local_device
from canvass.sync import exchange_format
from canvass.sync.ops import new_id
from tests.exchange_fixtures import (
    World,
    build_world,
    device_of,
    find_op,
    forge,
    op_line,
    snapshot,
)

PASSPHRASE = "test-only plover spindle quartz"
CHUNK = 64 * 1024 + 16  # age payload chunk: 64 KiB of plaintext and a 16-byte tag
#: Reasons a damaged age header can honestly give.
HEADER_REASONS = {"not-canvass", "cut-short", "damaged", "wrong-key", "not-for-us"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("world"))


@pytest.fixture
def laptop(world: World, tmp_path: Path) -> Iterator[Database]:
    """The laptop before it has merged anything (it has enrolled the coordinator)."""
    db = world.laptop(tmp_path)
    yield db
    db.close()


@pytest.fixture
def synced(world: World, tmp_path: Path) -> Iterator[Database]:
    """The laptop after merging the coordinator's ``base`` export."""
    db = world.laptop(tmp_path, synced=True)
    yield db
    db.close()


@pytest.fixture
def coordinator(world: World, tmp_path: Path) -> Iterator[Database]:
    db = world.coordinator(tmp_path)
    yield db
    db.close()


def refused(
    db: Database, data: bytes, reason: str, match: str | None = None, **kwargs: Any
) -> MergeReport:
    """Merge ``data``; assert it is refused for ``reason`` and the database is unchanged."""
    before = snapshot(db)
    report = merge_data(db, "hostile.canvass", data, **kwargs)
    assert (report.status, report.reason) == ("refused", reason), report.message
    if match is not None:
        assert re.search(match, report.message), report.message
    assert snapshot(db) == before
    return report


def payload_start(data: bytes) -> int:
    """Offset of the age payload (its 16-byte nonce), just after the header's MAC line."""
    return data.index(b"\n", data.index(b"\n--- ") + 1) + 1


# --- the forging helpers themselves ------------------------------------------------


def test_a_forged_copy_of_a_real_export_merges(world: World, laptop: Database, synced: Database):
    # Without this, a hostile test could pass because forge() breaks files by itself.
    before = snapshot(laptop)
    report = world.merge_forged(laptop)
    assert report.status == "merged", report.message
    assert report.new > 200
    assert snapshot(laptop)[0] != before[0]

    report = world.merge_forged(synced)
    assert (report.status, report.new) == ("merged", 0), report.message


# --- C3, C4: truncation and bit flips ----------------------------------------------


def test_every_truncation_is_refused_as_cut_short(world: World, coordinator: Database):
    data = world.small
    assert 1_000 < len(data) < 8_000
    before = snapshot(coordinator)
    for cut in range(len(data)):
        piece = data[:cut]
        with pytest.raises(ExchangeFileError) as opened:
            open_file(coordinator, piece)
        report = merge_data(coordinator, "cut.canvass", piece)
        expected = "not-canvass" if cut == 0 else "cut-short"
        assert (report.status, report.reason, opened.value.reason) == (
            "refused",
            expected,
            expected,
        ), (cut, report.message)
    assert snapshot(coordinator) == before
    assert merge_data(coordinator, "whole.canvass", data).status == "merged"


def test_a_thousand_random_bit_flips_are_refused(world: World, coordinator: Database):
    rng = random.Random(20_240_501)
    data = world.small
    payload = payload_start(data)
    before = snapshot(coordinator)
    seen: set[str] = set()
    for _ in range(1_000):
        bit = rng.randrange(len(data) * 8)
        flipped = bytearray(data)
        flipped[bit // 8] ^= 1 << (bit % 8)
        report = merge_data(coordinator, "flipped.canvass", bytes(flipped))
        # After the header every byte is authenticated by ChaCha20-Poly1305.
        allowed = {"cut-short"} if bit // 8 >= payload else HEADER_REASONS
        assert report.status == "refused" and report.reason in allowed, (bit, report.message)
        seen.add(report.reason)
    assert snapshot(coordinator) == before
    assert "cut-short" in seen and len(seen) > 1  # flips landed in header and payload
    assert merge_data(coordinator, "whole.canvass", data).status == "merged"


def test_missing_dropped_or_reordered_chunks_are_refused(world: World, laptop: Database):
    # The same operations three times over is a valid file (repeats are "already had")
    # of several full chunks.
    data = world.forge(laptop, ops=lambda ops: ops * 3)
    start = payload_start(data) + 16
    chunks = [data[i : i + CHUNK] for i in range(start, len(data), CHUNK)]
    assert len(chunks) >= 5 and all(len(c) == CHUNK for c in chunks[:-1])
    head = data[:start]
    for n in range(1, len(chunks)):  # cut at a chunk boundary: no final chunk
        refused(laptop, head + b"".join(chunks[:n]), "cut-short")
    swapped = [chunks[0], chunks[2], chunks[1], *chunks[3:]]
    dropped = [chunks[0], *chunks[2:]]
    repeated = [chunks[0], chunks[0], *chunks[1:]]
    for variant in (swapped, dropped, repeated):
        refused(laptop, head + b"".join(variant), "cut-short")
    assert merge_data(laptop, "intact.canvass", data).status == "merged"


def test_an_altered_header_mac_is_refused(world: World, laptop: Database):
    data = world.base
    mac = data.index(b"\n--- ") + 5
    letter = data[mac : mac + 1]
    altered = data[:mac] + (b"B" if letter != b"B" else b"C") + data[mac + 1 :]
    refused(laptop, altered, "wrong-key")


# --- D: not a canvass file, not for us, too large ----------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", id="pdf"
        ),
        pytest.param(b"PK\x03\x04" + bytes(200), id="zip"),
        pytest.param(b"CNVSYNC\x00\x00\x01\x00\x00" + bytes(100), id="unencrypted-plaintext"),
    ],
)
def test_a_file_that_is_not_an_exchange_file_is_refused(laptop: Database, data: bytes):
    refused(laptop, data, "not-canvass")


def test_a_foreign_age_file_for_us_is_not_a_canvass_file(world: World, laptop: Database):
    junk = random.Random(7).randbytes(3_000)
    foreign = bytes(pyrage.encrypt(junk, [world.laptop_keys.identity().to_public()]))
    assert bytes(pyrage.decrypt(foreign, [world.laptop_keys.identity()])) == junk
    refused(laptop, foreign, "not-canvass")


@pytest.mark.parametrize(
    "tail",
    [b"", b"\x00\x01", b"\x00\x01\x00\x00" + random.Random(8).randbytes(500)],
    ids=["nothing", "half-a-header", "junk"],
)
def test_canvass_magic_followed_by_junk_is_damaged(world: World, laptop: Database, tail: bytes):
    data = envelope.encrypt(exchange_format.MAGIC + tail, [world.laptop_keys.age_recipient])
    refused(laptop, data, "damaged")


def test_a_file_encrypted_for_someone_else_is_not_for_us(world: World, laptop: Database):
    stranger = str(pyrage.x25519.Identity.generate().to_public())
    refused(laptop, envelope.encrypt(world.base_plain, [stranger]), "not-for-us")


def test_a_file_over_the_size_cap_is_refused(
    world: World, laptop: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.setattr(envelope, "MAX_FILE_BYTES", 4_096)
    refused(laptop, world.base, "too-large")
    path = tmp_path / "big.canvass"
    path.write_bytes(world.base)
    before = snapshot(laptop)
    [report] = run_to_end(merge_files(laptop, [path]))
    assert (report.status, report.reason) == ("refused", "too-large")
    assert snapshot(laptop) == before


# --- passphrase files and their scrypt header --------------------------------------


@pytest.fixture(scope="module")
def passphrase_file(world: World, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """One passphrase export for the module: scrypt makes each one cost seconds."""
    where = tmp_path_factory.mktemp("passphrase")
    db = world.coordinator(where)
    try:
        result = export_file(db, where / "passphrase.canvass", passphrase=PASSPHRASE)
        return result.path.read_bytes()
    finally:
        db.close()


def test_a_passphrase_file_round_trips(laptop: Database, passphrase_file: bytes):
    assert envelope.inspect_header(passphrase_file).passphrase
    report = merge_data(laptop, "passphrase.canvass", passphrase_file, passphrase=PASSPHRASE)
    assert report.status == "merged", report.message
    assert report.new > 200


def test_a_wrong_passphrase_is_refused(laptop: Database, passphrase_file: bytes):
    refused(laptop, passphrase_file, "wrong-key", passphrase="test-only wrong words")


def test_a_missing_passphrase_is_asked_for(laptop: Database, passphrase_file: bytes):
    refused(laptop, passphrase_file, "needs-passphrase")


_SCRYPT = re.compile(rb"-> scrypt (\S+) (\d+)\n([A-Za-z0-9+/]+)\n")


def _work_factor(value: bytes) -> Callable[[bytes, bytes], bytes]:
    def edit(data: bytes, x25519: bytes) -> bytes:
        match = _SCRYPT.search(data)
        assert match is not None
        return data[: match.start(2)] + value + data[match.end(2) :]

    return edit


def _plus_x25519(data: bytes, x25519: bytes) -> bytes:
    match = _SCRYPT.search(data)
    assert match is not None
    return data[: match.end()] + x25519 + data[match.end() :]


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(_work_factor(b"40"), id="work-factor-40"),
        pytest.param(_work_factor(b"0xa"), id="work-factor-0xa"),
        pytest.param(_work_factor(b"018"), id="work-factor-leading-zero"),
        pytest.param(_work_factor(b"9" * 5_000), id="work-factor-5000-digits"),
        pytest.param(_plus_x25519, id="scrypt-and-x25519-stanzas"),
    ],
)
def test_a_hostile_scrypt_header_is_refused_before_deriving(
    world: World,
    laptop: Database,
    passphrase_file: bytes,
    edit: Callable[[bytes, bytes], bytes],
):
    match = re.search(rb"-> X25519 \S+\n[A-Za-z0-9+/]+\n", world.base)
    assert match is not None and _SCRYPT.search(passphrase_file) is not None
    hostile = edit(passphrase_file, match.group())
    assert hostile != passphrase_file
    # Given the passphrase, so only the header check stands between it and scrypt.
    refused(laptop, hostile, "damaged", passphrase=PASSPHRASE)


# --- versions ------------------------------------------------------------------------


def test_a_newer_format_version_is_told_apart(world: World, laptop: Database):
    refused(laptop, world.forge(laptop, version=999), "newer-version")


def test_a_newer_schema_is_told_apart(world: World, laptop: Database):
    refused(laptop, world.forge(laptop, manifest=lambda m: m.update(schema=999)), "newer-version")


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"version": 0}, id="format-0"),
        pytest.param({"flags": 1}, id="flags-1"),
        pytest.param({"manifest": lambda m: m.pop("format")}, id="manifest-format-missing"),
        pytest.param({"manifest": lambda m: m.update(format=2)}, id="manifest-format-differs"),
    ],
)
def test_an_impossible_version_is_damaged(world: World, laptop: Database, changes: dict):
    refused(laptop, world.forge(laptop, **changes), "damaged")


# --- the signature and the sender ----------------------------------------------------


def _flip_first_bit(signature: bytes) -> bytes:
    return bytes([signature[0] ^ 1]) + signature[1:]


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"signature": _flip_first_bit}, id="one-bit-flipped"),
        pytest.param({"signature": lambda s: b""}, id="no-signature"),
        pytest.param({"signature": lambda s: s + b"\x00"}, id="65-bytes"),
        pytest.param({"signature": lambda s: bytes(64)}, id="zeros"),
    ],
)
def test_a_bad_signature_is_damaged(world: World, laptop: Database, changes: dict):
    refused(laptop, world.forge(laptop, **changes), "damaged", match="signature")


def test_a_file_signed_by_another_key_is_damaged(world: World, laptop: Database):
    data = forge(world.base_plain, DeviceKeys.generate(), laptop)
    refused(laptop, data, "damaged", match="signature")


def test_a_file_from_a_device_that_is_not_enrolled_is_refused(
    world: World, laptop: Database, tmp_path: Path
):
    stranger = open_db(str(tmp_path / "stranger.db"), create=True)
    try:
        made = export_file(stranger, tmp_path / "s.canvass", to=[world.laptop_keys.age_recipient])
    finally:
        stranger.close()
    refused(laptop, made.path.read_bytes(), "unknown-sender")


def test_a_file_claiming_the_coordinator_with_another_key_is_refused(
    world: World, laptop: Database
):
    impostor = DeviceKeys.generate()

    def claim(m: dict) -> None:
        m["producer"]["signing_public_key"] = impostor.signing_public_key

    data = forge(world.base_plain, impostor, laptop, manifest=claim)
    refused(laptop, data, "unknown-sender")


def test_a_file_from_a_revoked_device_is_refused(world: World, laptop: Database):
    keys.revoke(laptop, world.coordinator_id)
    refused(laptop, world.base, "revoked-sender")


def test_a_file_from_another_campaign_is_refused(world: World, synced: Database):
    def other(m: dict) -> None:
        m.update(campaign_id=new_id(), campaign_name="Test Other Campaign")

    refused(synced, world.forge(synced, manifest=other), "other-campaign")


def test_a_file_addressed_to_others_is_refused(world: World, laptop: Database):
    def others(m: dict) -> None:
        m["recipients"] = [new_id(), str(pyrage.x25519.Identity.generate().to_public())]

    refused(laptop, world.forge(laptop, manifest=others), "not-for-us")


def test_a_file_merged_before_is_already_imported(world: World, synced: Database):
    before = snapshot(synced)
    again = merge_data(synced, "base.canvass", world.base)
    # The same file id in new bytes (encrypted again): still the same file.
    reencrypted = envelope.encrypt(world.base_plain, [world.laptop_keys.age_recipient])
    recopied = merge_data(synced, "copy.canvass", reencrypted)
    for report in (again, recopied):
        assert (report.status, report.reason) == ("already imported", "already-imported")
    assert snapshot(synced) == before


def test_a_canvassers_file_cannot_enrol_another_device(world: World, tmp_path: Path):
    coordinator = world.coordinator(tmp_path)
    laptop = world.laptop(tmp_path)
    rogue = open_db(str(tmp_path / "rogue.db"), create=True)
    try:
        keys.ensure_registered(rogue)
        rogue_id, rogue_keys = device_of(rogue)
        with laptop.write() as session:
            writer = OpWriter.local(session)
            writer.create(
                "device",
                {
                    "name": "Test Rogue Device",
                    "registered_at": writer.now(),
                    "role": "canvasser",
                    "signing_public_key": rogue_keys.signing_public_key,
                    "age_recipient": rogue_keys.age_recipient,
                },
                entity_id=rogue_id,
            )
            writer.flush()
            writer.set("device", rogue_id, "enrolled", True)
        carried = export_file(laptop, tmp_path / "carrier.canvass")
        merge_data(coordinator, "carrier.canvass", carried.path.read_bytes())
        rogue_file = export_file(
            rogue, tmp_path / "rogue.canvass", to=[world.coordinator_keys.age_recipient]
        )
        refused(coordinator, rogue_file.path.read_bytes(), "unknown-sender")
    finally:
        for db in (coordinator, laptop, rogue):
            db.close()


# --- the manifest ------------------------------------------------------------------


def _schema_to(text: bytes) -> Callable[[bytes], bytes]:
    return lambda raw: re.sub(rb'"schema":\d+', b'"schema":' + text, raw)


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        pytest.param(
            {"manifest_text": lambda raw: raw.replace(b'"scope":', b'"scope":"full","scope":')},
            "twice",
            id="duplicate-key",
        ),
        pytest.param({"manifest_text": _schema_to(b"NaN")}, "NaN", id="NaN"),
        pytest.param({"manifest_text": _schema_to(b"-Infinity")}, "Infinity", id="Infinity"),
        pytest.param({"manifest_text": _schema_to(b"3.0")}, "fractional", id="float"),
        pytest.param({"manifest_text": _schema_to(b"1e999")}, "fractional", id="float-1e999"),
        pytest.param({"manifest_text": _schema_to(b"9" * 5_000)}, "JSON", id="5000-digit-integer"),
        pytest.param(
            {"manifest_text": lambda raw: json.dumps(json.loads(raw)).encode()},
            "canonical",
            id="not-canonical",
        ),
        pytest.param(
            {"manifest_text": lambda raw: raw.replace(b'"scope":"', b'"scope":"\\ud800')},
            "JSON",
            id="lone-surrogate",
        ),
        pytest.param(
            {"manifest_text": lambda raw: raw.replace(b'"scope":"', b'"scope":"\xff')},
            "JSON",
            id="invalid-utf8",
        ),
        pytest.param(
            {
                "manifest_text": lambda raw: raw.replace(
                    b'"by_kind":{}', b'"by_kind":' + b'{"a":' * 3_000 + b"1" + b"}" * 3_000
                )
            },
            "JSON",
            id="deep-nesting",
        ),
        pytest.param({"manifest_text": lambda raw: b"[]"}, "not an object", id="not-an-object"),
        pytest.param(
            {"manifest_text": lambda raw: raw + b" " * (70 * 1024)}, "length", id="over-64-KiB"
        ),
        pytest.param({"manifest": lambda m: m.update(surprise=1)}, "unexpected", id="unknown-key"),
        pytest.param({"manifest": lambda m: m.pop("scope")}, "missing", id="missing-key"),
        pytest.param({"manifest": lambda m: m.update(schema="7")}, "schema", id="schema-is-text"),
        pytest.param(
            {"manifest": lambda m: m.update(file_id=new_id().upper())},
            "file id",
            id="file-id-upper-case",
        ),
        pytest.param(
            {"manifest": lambda m: m["ops"].update(count=exchange_format.MAX_OPS + 1)},
            "count",
            id="too-many-ops",
        ),
    ],
)
def test_a_malformed_manifest_is_damaged(world: World, laptop: Database, changes: dict, match: str):
    refused(laptop, world.forge(laptop, **changes), "damaged", match=match)


# --- the body ----------------------------------------------------------------------


def _elector(ops: list[dict[str, Any]]) -> int:
    """Index of an elector's create, well inside the file."""
    return find_op(ops, kind="create", ent="elector")


def _edit_elector(change: Callable[[dict[str, Any]], Any]) -> Callable[[list], list]:
    def edit(ops: list[dict[str, Any]]) -> list:
        n = _elector(ops)
        out: list = list(ops)
        replaced = change(copy.deepcopy(ops[n]))
        out[n] = replaced
        return out

    return edit


def _set(field: str, value: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def change(op: dict[str, Any]) -> dict[str, Any]:
        op["value"][field] = value
        return op

    return change


def _text(edit: Callable[[str], str]) -> Callable[[dict[str, Any]], str]:
    return lambda op: edit(op_line(op))


def _bytes(edit: Callable[[bytes], bytes]) -> Callable[[dict[str, Any]], bytes]:
    return lambda op: edit(op_line(op).encode())


def _as(kind: str | None = None, **fields: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def change(op: dict[str, Any]) -> dict[str, Any]:
        if kind is not None:
            op["kind"] = kind
        op.update(fields)
        return op

    return change


BODY_FAULTS = {
    "float-seq": _text(lambda line: re.sub(r'"seq":(\d+)', r'"seq":\1.5', line)),
    "float-value": _set("surname", 1.5),
    "float-exponent": _text(lambda line: re.sub(r'"seq":(\d+)', r'"seq":1e999', line)),
    "huge-integer": _text(lambda line: re.sub(r'"seq":(\d+)', '"seq":' + "9" * 100_000, line)),
    "integer-over-64-bits": _text(lambda line: re.sub(r'"seq":(\d+)', f'"seq":{2**64}', line)),
    "invalid-utf8": _bytes(lambda line: line.replace(b'"surname":"', b'"surname":"\xff\xfe')),
    "nul-in-string": _set("surname", "Test\x00name"),
    "control-character": _set("surname", "Test\x1bname"),
    "lone-surrogate": _text(lambda line: line.replace('"surname":"', '"surname":"\\ud800')),
    "unknown-kind": _as("frobnicate"),
    "kind-canvass-does-not-apply": _as("link"),
    "unknown-entity": _as(ent="spaceship"),
    "unknown-field": _set("shoe_size", "42"),
    "set-of-unknown-field": _as("set", field="shoe_size", value="42"),
    "over-long-surname": _set("surname", "Testname" * 26),
    "line-over-1-MiB": _set("surname", "T" * (1 << 20)),
    "deep-nesting": _text(lambda line: line.replace('"value":', '"value":' + "[" * 100_000, 1)),
    "not-canonical": _text(lambda line: line.replace('","', '", "', 1)),
    "extra-key": _as(extra=1),
    "missing-key": lambda op: {k: v for k, v in op.items() if k != "bases"},
    "upper-case-id": _as(id=new_id().upper()),
    "negative-seq": _as(seq=-1),
    "not-an-object": lambda op: "[]",
    "empty-line": lambda op: "",
}


@pytest.mark.parametrize("fault", sorted(BODY_FAULTS))
def test_a_malformed_operation_is_damaged_and_named(world: World, laptop: Database, fault: str):
    n = _elector([json.loads(line) for line in _lines(world)])
    data = world.forge(laptop, ops=_edit_elector(BODY_FAULTS[fault]))
    # The message names the faulty line: the fault, not something else, was found.
    refused(laptop, data, "damaged", match=rf"\b(operation|Change) {n + 1}\b")


def _lines(world: World) -> list[str]:
    body = exchange_format.unpack(world.base_plain).body
    return bytes(body).decode().splitlines()


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        pytest.param(
            {"manifest": lambda m: m["ops"].update(count=m["ops"]["count"] + 1)},
            "manifest says",
            id="fewer-than-counted",
        ),
        pytest.param(
            {"manifest": lambda m: m["ops"].update(count=m["ops"]["count"] - 1)},
            "more operations",
            id="more-than-counted",
        ),
        pytest.param(
            {"manifest": lambda m: m["ops"].update(sha256=hashlib.sha256(b"x").hexdigest())},
            "hash",
            id="hash-mismatch",
        ),
        pytest.param({"body_text": lambda body: body[:-1]}, "incomplete", id="no-final-newline"),
    ],
)
def test_a_body_that_disagrees_with_its_manifest_is_damaged(
    world: World, laptop: Database, changes: dict, match: str
):
    refused(laptop, world.forge(laptop, **changes), "damaged", match=match)


@pytest.mark.parametrize("ms", [2_051_222_400_000, 1_000], ids=["2035", "1970"])
def test_an_impossible_clock_is_held_back(world: World, laptop: Database, ms: int):
    refused(laptop, world.forge(laptop, ops=_edit_elector(_as(hlc=[ms, 0]))), "clock")


# --- contradictions with what is stored (on SQLite and PostgreSQL) ------------------


@pytest.mark.parametrize("where", ["stored", "same-file"])
def test_an_operation_id_with_other_content_is_refused(world: World, db_url: str, where: str):
    laptop = world.new_laptop(db_url, synced=where == "stored")
    try:

        def tamper(ops: list[dict[str, Any]]) -> list:
            n = _elector(ops)
            altered = copy.deepcopy(ops[n])
            altered["value"]["surname"] = "Tamperedname"
            return [*ops[:n], altered, *ops[n + 1 :]] if where == "stored" else [*ops, altered]

        refused(laptop, world.forge(laptop, ops=tamper), "damaged", match="same id")
    finally:
        laptop.close()


@pytest.mark.parametrize("where", ["stored", "same-file"])
def test_a_device_sequence_number_used_twice_is_refused(world: World, db_url: str, where: str):
    laptop = world.new_laptop(db_url, synced=where == "stored")
    try:

        def clone(ops: list[dict[str, Any]]) -> list:
            twin = copy.deepcopy(ops[_elector(ops)])
            twin["op_id"], twin["id"] = new_id(), new_id()
            return [*ops, twin]

        refused(laptop, world.forge(laptop, ops=clone), "damaged", match="sequence number")
    finally:
        laptop.close()


# --- E: conformance ----------------------------------------------------------------


def _age() -> str:
    found = shutil.which("age")
    if found is None:
        # Fail rather than skip: make test installs it, and a skip would hide a
        # missing install step on a clean machine.
        pytest.fail("the age command-line tool is missing: make test installs Debian's age")
    return found


def test_the_stock_age_tool_opens_an_export(world: World, laptop: Database, tmp_path: Path):
    age = _age()
    with laptop.read() as session:
        device = get_local_device(session)
        assert device is not None
        identity = device.age_identity
    key = tmp_path / "laptop-identity.txt"
    key.write_text(identity + "\n")
    export = tmp_path / "base.canvass"
    export.write_bytes(world.base)
    out = subprocess.run([age, "-d", "-i", str(key), str(export)], capture_output=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(b"CNVSYNC\x00")
    assert out.stdout == world.base_plain


def test_the_recovery_key_opens_a_coordinator_export(
    world: World, coordinator: Database, laptop: Database, tmp_path: Path
):
    age = _age()
    key = tmp_path / "recovery-key.txt"
    recipient = keys.create_recovery_key(coordinator, key)
    made = export_file(coordinator, tmp_path / "for-laptop.canvass", to=[world.laptop_id])
    assert recipient in made.recipients
    out = subprocess.run([age, "-d", "-i", str(key), str(made.path)], capture_output=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(b"CNVSYNC\x00")
    # Still the laptop's file too.
    assert merge_data(laptop, made.path.name, made.path.read_bytes()).status == "merged"


def test_a_file_encrypted_by_the_stock_age_tool_merges(world: World, laptop: Database):
    age = _age()
    out = subprocess.run(
        [age, "-r", world.laptop_keys.age_recipient],
        input=world.base_plain,
        capture_output=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    report = merge_data(laptop, "stock-age.canvass", out.stdout)
    assert report.status == "merged", report.message


# RFC 8032 section 7.1, TEST 1 and TEST 2: (secret, public key, message, signature).
RFC8032 = [
    (
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        b"",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555f"
        "b8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    ),
    (
        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        b"\x72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
        "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    ),
]


@pytest.mark.parametrize(("secret", "public", "message", "signature"), RFC8032)
def test_device_signatures_match_the_rfc8032_vectors(
    world: World, secret: str, public: str, message: bytes, signature: str
):
    device_keys = DeviceKeys(secret, world.laptop_keys.age_identity)
    assert device_keys.signing_public_key == public
    assert device_keys.sign(message).hex() == signature
    assert verify(public, bytes.fromhex(signature), message)
    assert not verify(public, bytes.fromhex(signature), message + b"\x00")
