"""Shared set-up for the exchange-file hostile-input and fault-injection tests.

One small "world" is built per test module: a coordinator holding a demo
campaign and a canvasser's laptop, each enrolled with the other, plus two real
exports made by :func:`export_file`: ``base`` (coordinator -> laptop, the full
campaign) and ``small`` (laptop -> coordinator, a few operations, a few KB).
Tests work on cheap copies of the two SQLite files, so no test sees another's
changes.

:func:`forge` rebuilds a real export with one thing changed and signs it again
with the producer's real key, so each hostile file carries exactly one fault:
everything else about it would be accepted (``test_a_forged_copy_of_a_real_export_merges`` in
the hostile tests proves that for the unchanged rebuild).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import pyrage
from sqlalchemy import select

from canvass.crypto import envelope
from canvass.crypto.keys import DeviceKeys
from canvass.domain.values import canonical_json
from canvass.services import keys
from canvass.services.databases import open_db
from canvass.services.exchange import export_file
from canvass.services.merge_files import MergeReport, merge_data
from canvass.storage.database import Database
from canvass.storage.digest import state_digest
from canvass.storage.tables import ImportedFile
from canvass.sync import exchange_format
from canvass.sync.ops import new_id
from tests.helpers import demo_db

#: Every reason an ExchangeFileError may give (canvass.domain.errors).
REASONS = frozenset(
    {
        "not-canvass",
        "newer-version",
        "wrong-key",
        "needs-passphrase",
        "damaged",
        "cut-short",
        "unknown-sender",
        "revoked-sender",
        "other-campaign",
        "not-for-us",
        "already-imported",
        "clock",
        "too-large",
        "write-failed",
    }
)

#: What a database looks like for "unchanged": shared state and imported files.
State = tuple[str, tuple[tuple[Any, ...], ...]]


def snapshot(db: Database) -> State:
    """The state digest and every imported-file row."""
    table = ImportedFile.__table__
    with db.read() as session:
        digest = state_digest(session)
        rows = tuple(sorted(tuple(r) for r in session.execute(select(table))))
    return digest, rows


def imported_ids(db: Database) -> set[str]:
    """File ids in imported_files."""
    with db.read() as session:
        return set(session.scalars(select(ImportedFile.file_id)))


def device_of(db: Database) -> tuple[str, DeviceKeys]:
    """A database's device id and private keys."""
    with db.read() as session:
        return keys.local_keys(session)


def copy_sqlite(src: Path, dest: Path) -> Path:
    """A consistent copy of a SQLite database (the backup API also copies the WAL)."""
    source = sqlite3.connect(src)
    target = sqlite3.connect(dest)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return dest


# --- the plaintext, split and rebuilt ----------------------------------------------


@dataclass(frozen=True)
class Parts:
    """A decrypted exchange file split by its length prefixes (read independently here)."""

    version: int
    flags: int
    manifest: bytes
    body: bytes
    signature: bytes


def split_plain(plain: bytes) -> Parts:
    """Split a well-formed plaintext into its parts."""
    assert plain[:8] == exchange_format.MAGIC
    version, flags, manifest_len = struct.unpack_from(">HHI", plain, 8)
    pos = 16
    manifest = plain[pos : pos + manifest_len]
    pos += manifest_len
    (body_len,) = struct.unpack_from(">Q", plain, pos)
    pos += 8
    body = plain[pos : pos + body_len]
    pos += body_len
    (sig_len,) = struct.unpack_from(">H", plain, pos)
    signature = plain[pos + 2 : pos + 2 + sig_len]
    assert pos + 2 + sig_len == len(plain)
    return Parts(version, flags, manifest, body, signature)


Line = dict[str, Any] | str | bytes


def _line(item: Line) -> bytes:
    if isinstance(item, bytes):
        return item
    if isinstance(item, str):
        return item.encode()
    return canonical_json(item).encode()


def op_line(op: dict[str, Any]) -> str:
    """An operation's canonical wire line."""
    return canonical_json(op)


def find_op(ops: list[dict[str, Any]], **match: Any) -> int:
    """Index of the first operation whose wire fields equal ``match``."""
    for n, op in enumerate(ops):
        if all(op.get(k) == v for k, v in match.items()):
            return n
    raise AssertionError(f"no operation with {match}")


def forge(
    plain: bytes,
    signer: DeviceKeys,
    reader: Database,
    *,
    ops: Callable[[list[dict[str, Any]]], list[Line]] | None = None,
    body_text: Callable[[bytes], bytes] | None = None,
    manifest: Callable[[dict[str, Any]], None] | None = None,
    manifest_text: Callable[[bytes], bytes] | None = None,
    signature: Callable[[bytes], bytes] | None = None,
    version: int | None = None,
    flags: int = 0,
    new_file_id: bool = True,
    recipients: list[str] | None = None,
) -> bytes:
    """Rebuild an export's plaintext with one change, signed by ``signer``, for ``reader``.

    Args:
        plain: A real export's plaintext.
        signer: The keys that sign the result (the producer's own, normally).
        reader: The database that will merge it: listed as recipient and
            encrypted to.
        ops: Edits the decoded operation list; returns lines (dicts are
            written as canonical JSON, str and bytes as they are).
        body_text: Edits the body's bytes (count and hash follow the lines).
        manifest: Edits the manifest dict, after count, hash, file id and
            recipients are filled in for the new body.
        manifest_text: Edits the manifest's bytes after encoding.
        signature: Replaces the signature, given the correct one.
        version: The plaintext header's format version (via a patched ``pack``).
        flags: The plaintext header's flags.
        new_file_id: Give the file a new id (a forged file is a new file).
        recipients: age recipients to encrypt to, instead of the reader's.
    """
    parts = split_plain(plain)
    data = json.loads(parts.manifest)
    decoded = [json.loads(line) for line in parts.body.decode().splitlines()]
    lines: list[Line] = ops(decoded) if ops is not None else list(decoded)
    body = b"".join(_line(item) + b"\n" for item in lines)
    if body_text is not None:
        body = body_text(body)
    data["ops"]["count"] = len(lines)
    data["ops"]["sha256"] = hashlib.sha256(body).hexdigest()
    if new_file_id:
        data["file_id"] = new_id()
    reader_id, reader_keys = device_of(reader)
    data["recipients"] = [reader_id, data["producer"]["device_id"]]
    if manifest is not None:
        manifest(data)
    raw = canonical_json(data).encode()
    if manifest_text is not None:
        raw = manifest_text(raw)
    sig = signer.sign(exchange_format.signed_message(raw, body))
    if signature is not None:
        sig = signature(sig)
    if version is None:
        packed = exchange_format.pack(raw, body, sig)
    else:
        with mock.patch.object(exchange_format, "FORMAT_VERSION", version):
            packed = exchange_format.pack(raw, body, sig)
    if flags:
        packed = packed[:10] + struct.pack(">H", flags) + packed[12:]
    return envelope.encrypt(packed, recipients or [reader_keys.age_recipient])


def decrypt_with(db: Database, data: bytes) -> bytes:
    """Decrypt a file with a database's own age identity."""
    _, device_keys = device_of(db)
    return bytes(pyrage.decrypt(data, [device_keys.identity()]))


# --- the world ---------------------------------------------------------------------


@dataclass
class World:
    """A coordinator and a laptop enrolled with each other, and two real exports."""

    root: Path
    coordinator_file: Path
    laptop_file: Path
    coordinator_enrolment: Path
    coordinator_id: str
    coordinator_keys: DeviceKeys
    laptop_id: str
    laptop_keys: DeviceKeys
    #: Coordinator -> laptop, the whole demo campaign (about 130 KB).
    base: bytes
    base_plain: bytes
    #: Laptop -> coordinator, a few operations (a few KB).
    small: bytes

    def coordinator(self, where: Path) -> Database:
        """A private copy of the coordinator's database."""
        dest = where / f"coordinator-{new_id()[:8]}.db"
        return open_db(str(copy_sqlite(self.coordinator_file, dest)))

    def laptop(self, where: Path, *, synced: bool = False) -> Database:
        """A private copy of the laptop's database, after merging ``base`` if ``synced``."""
        dest = where / f"laptop-{new_id()[:8]}.db"
        db = open_db(str(copy_sqlite(self.laptop_file, dest)))
        if synced:
            report = merge_data(db, "base.canvass", self.base)
            assert report.status == "merged", report
        return db

    def new_laptop(self, url: str, *, synced: bool = False) -> Database:
        """A new laptop database at ``url`` that has enrolled the coordinator.

        ``synced``: it has merged the campaign (a forged copy of ``base`` made for it).
        """
        db = open_db(url, create=True)
        keys.enrol(db, keys.read_enrolment_file(self.coordinator_enrolment), role="coordinator")
        if synced:
            report = self.merge_forged(db)
            assert report.status == "merged", report
        return db

    def forge(self, reader: Database, **changes: Any) -> bytes:
        """``base`` rebuilt for ``reader`` with ``changes`` (see :func:`forge`)."""
        return forge(self.base_plain, self.coordinator_keys, reader, **changes)

    def merge_forged(self, reader: Database, **changes: Any) -> MergeReport:
        """Forge a file from ``base`` for ``reader`` and merge it."""
        return merge_data(reader, "forged.canvass", self.forge(reader, **changes))


def build_world(root: Path, electors: int = 120) -> World:
    """Make the coordinator, the laptop, their enrolments and the two exports."""
    coordinator_file = root / "coordinator.db"
    laptop_file = root / "laptop.db"
    coordinator = demo_db(str(coordinator_file), electors)
    laptop = open_db(str(laptop_file), create=True)
    try:
        coordinator_enrolment = root / "coordinator.enrol"
        laptop_enrolment = root / "laptop.enrol"
        keys.write_enrolment_file(coordinator, coordinator_enrolment)
        keys.write_enrolment_file(laptop, laptop_enrolment)
        keys.enrol(coordinator, keys.read_enrolment_file(laptop_enrolment))
        keys.enrol(laptop, keys.read_enrolment_file(coordinator_enrolment), role="coordinator")
        coordinator_id, coordinator_keys = device_of(coordinator)
        laptop_id, laptop_keys = device_of(laptop)
        base = export_file(coordinator, root / "base.canvass", to=[laptop_id])
        small = export_file(laptop, root / "small.canvass")
        assert small.recipients[0] == coordinator_id
        base_bytes = base.path.read_bytes()
        return World(
            root=root,
            coordinator_file=coordinator_file,
            laptop_file=laptop_file,
            coordinator_enrolment=coordinator_enrolment,
            coordinator_id=coordinator_id,
            coordinator_keys=coordinator_keys,
            laptop_id=laptop_id,
            laptop_keys=laptop_keys,
            base=base_bytes,
            base_plain=decrypt_with(laptop, base_bytes),
            small=small.path.read_bytes(),
        )
    finally:
        coordinator.close()
        laptop.close()
