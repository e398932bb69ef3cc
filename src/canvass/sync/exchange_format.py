r"""The plaintext inside an exchange file: header, manifest, operations, signature.

Layout (all integers big-endian)::

    b"CNVSYNC\\x00"   magic, 8 bytes
    u16 format        FORMAT_VERSION; a higher one was made by a newer canvass
    u16 flags         0
    u32 length | manifest   canonical JSON object, at most 64 KiB
    u64 length | body       one operation per line, canonical JSON, "\\n" after each
    u16 length | signature  Ed25519 over SIG_CONTEXT + sha256(manifest) + sha256(body)

One length-prefixed stream, parsed once with a bound on every part: no member
names, no archive directory, nothing to traverse or to decompress.
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from canvass.crypto.keys import verify
from canvass.domain.errors import ExchangeFileError, ValidationError
from canvass.domain.values import canonical_json
from canvass.sync.ops import Operation, is_canonical_id

MAGIC = b"CNVSYNC\x00"
FORMAT_VERSION = 1
SIG_CONTEXT = b"cnvsync/v1/sig\x00"
MAX_MANIFEST = 64 * 1024
MAX_LINE = 1 << 20
MAX_OPS = 20_000_000
MAX_RECIPIENTS = 256

_U16 = struct.Struct(">H")
_U32 = struct.Struct(">I")
_U64 = struct.Struct(">Q")


def _damaged(what: str) -> ExchangeFileError:
    return ExchangeFileError(
        "damaged",
        f"The file is damaged or was altered ({what}). Ask for it again from the laptop "
        "that made it.",
    )


@dataclass(frozen=True, slots=True)
class Producer:
    """The device that made and signed a file."""

    device_id: str
    name: str
    signing_public_key: str
    age_recipient: str


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a file says about itself, checked before its operations are read."""

    file_id: str
    schema: int
    created_at: str
    campaign_id: str | None
    campaign_name: str
    producer: Producer
    #: Device ids and age recipients it was encrypted for; "passphrase" for passphrase files.
    recipients: tuple[str, ...]
    #: "full" (everything the device holds) or a description of an assignment area.
    scope: str
    op_count: int
    body_sha256: str
    counts: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> bytes:
        """The manifest's canonical JSON bytes (what is signed)."""
        data = {
            "format": FORMAT_VERSION,
            "file_id": self.file_id,
            "schema": self.schema,
            "created_at": self.created_at,
            "campaign_id": self.campaign_id,
            "campaign_name": self.campaign_name,
            "producer": {
                "device_id": self.producer.device_id,
                "name": self.producer.name,
                "signing_public_key": self.producer.signing_public_key,
                "age_recipient": self.producer.age_recipient,
            },
            "recipients": list(self.recipients),
            "scope": self.scope,
            "ops": {"count": self.op_count, "sha256": self.body_sha256, "by_kind": self.counts},
        }
        return canonical_json(data).encode()


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _damaged(f"the manifest names '{key[:40]}' twice")
        out[key] = value
    return out


def _refuse_constant(name: str) -> Any:
    raise _damaged(f"the manifest holds {name}, which is not a number canvass writes")


def _refuse_float(text: str) -> Any:
    raise _damaged("the manifest holds a fractional number, which canvass never writes")


def _get(data: dict[str, Any], key: str, kind: type | tuple[type, ...], what: str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise _damaged(f"the manifest's {what} is missing or of the wrong type")
    return value


def _text(data: dict[str, Any], key: str, what: str, limit: int = 200) -> str:
    value = _get(data, key, str, what)
    if len(value) > limit:
        raise _damaged(f"the manifest's {what} is too long")
    return str(value)


def _id(data: dict[str, Any], key: str, what: str) -> str:
    value = _text(data, key, what, 36)
    if not is_canonical_id(value):
        raise _damaged(f"the manifest's {what} is not a record id")
    return value


def parse_manifest(raw: bytes) -> Manifest:
    """Parse a manifest strictly: exact keys, exact types, canonical form.

    Raises:
        ExchangeFileError: ``newer-version`` for a later format or schema is
            decided by the caller; everything malformed is ``damaged``.
    """
    try:
        text = raw.decode("utf-8")
        data = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_refuse_constant,
            parse_float=_refuse_float,
        )
        # Encoding fails on an escaped lone surrogate ("\ud800"), which JSON allows.
        canonical = canonical_json(data).encode()
    except (ValueError, RecursionError):  # UnicodeError is a ValueError
        raise _damaged("its manifest is not valid JSON") from None
    if not isinstance(data, dict):
        raise _damaged("its manifest is not an object")
    expected = {
        "format", "file_id", "schema", "created_at", "campaign_id", "campaign_name",
        "producer", "recipients", "scope", "ops",
    }  # fmt: skip
    if set(data) != expected:
        raise _damaged("its manifest has unexpected or missing entries")
    if canonical != raw:
        raise _damaged("its manifest is not in canonical form")
    if _get(data, "format", int, "format") != FORMAT_VERSION:
        raise _damaged("its manifest's format does not match its header")
    producer = _get(data, "producer", dict, "producer")
    if set(producer) != {"device_id", "name", "signing_public_key", "age_recipient"}:
        raise _damaged("its producer entry has unexpected or missing entries")
    ops = _get(data, "ops", dict, "operation summary")
    if set(ops) != {"count", "sha256", "by_kind"}:
        raise _damaged("its operation summary has unexpected or missing entries")
    by_kind = _get(ops, "by_kind", dict, "counts")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in by_kind.values()):
        raise _damaged("its counts are not whole numbers")
    recipients = _get(data, "recipients", list, "recipients")
    if len(recipients) > MAX_RECIPIENTS or not all(
        isinstance(r, str) and len(r) <= 128 for r in recipients
    ):
        raise _damaged("its recipient list is malformed")
    campaign_id = data.get("campaign_id")
    if campaign_id is not None and not (
        isinstance(campaign_id, str) and is_canonical_id(campaign_id)
    ):
        raise _damaged("its campaign is not a record id")
    count = _get(ops, "count", int, "operation count")
    if not 0 <= count <= MAX_OPS:
        raise _damaged("its operation count is out of range")
    body_hash = _text(ops, "sha256", "body hash", 64)
    if len(body_hash) != 64:
        raise _damaged("its body hash is malformed")
    return Manifest(
        file_id=_id(data, "file_id", "file id"),
        schema=_get(data, "schema", int, "schema version"),
        created_at=_text(data, "created_at", "creation time", 32),
        campaign_id=campaign_id,
        campaign_name=_text(data, "campaign_name", "campaign name"),
        producer=Producer(
            device_id=_id(producer, "device_id", "producer"),
            name=_text(producer, "name", "producer name"),
            signing_public_key=_text(producer, "signing_public_key", "signing key", 64),
            age_recipient=_text(producer, "age_recipient", "age recipient", 128),
        ),
        recipients=tuple(recipients),
        scope=_text(data, "scope", "scope", 400),
        op_count=count,
        body_sha256=body_hash,
        counts=dict(by_kind),
    )


def signed_message(manifest: bytes, body: bytes) -> bytes:
    """What the producer's Ed25519 key signs."""
    return SIG_CONTEXT + hashlib.sha256(manifest).digest() + hashlib.sha256(body).digest()


def pack(manifest: bytes, body: bytes, signature: bytes) -> bytes:
    """The plaintext of an exchange file."""
    return b"".join(
        (
            MAGIC,
            _U16.pack(FORMAT_VERSION),
            _U16.pack(0),
            _U32.pack(len(manifest)),
            manifest,
            _U64.pack(len(body)),
            body,
            _U16.pack(len(signature)),
            signature,
        )
    )


@dataclass(frozen=True, slots=True)
class Unpacked:
    """A plaintext split into its parts; the signature is checked, the body not yet parsed."""

    manifest: Manifest
    manifest_raw: bytes
    body: memoryview


def unpack(plain: bytes) -> Unpacked:
    """Split and check a decrypted plaintext: magic, version, lengths, manifest, signature.

    The body's hash and count are checked against the manifest; its lines are
    parsed later by :func:`iter_operations`.

    Raises:
        ExchangeFileError: ``not-canvass``, ``newer-version`` or ``damaged``.
    """
    view = memoryview(plain)
    if bytes(view[:8]) != MAGIC:
        raise ExchangeFileError(
            "not-canvass",
            "This file is age-encrypted but is not a canvass exchange file.",
        )
    if len(plain) < len(MAGIC) + 8:
        raise _damaged("it ends inside its format header")
    pos = 8
    (version,) = _U16.unpack_from(plain, pos)
    (flags,) = _U16.unpack_from(plain, pos + 2)
    pos += 4
    if version > FORMAT_VERSION:
        raise ExchangeFileError(
            "newer-version",
            f"This file was made by a newer version of canvass (format {version}). "
            "Update canvass on this computer, then merge it again.",
        )
    if version != FORMAT_VERSION or flags != 0:
        raise _damaged("its format header is invalid")
    (manifest_len,) = _U32.unpack_from(plain, pos)
    pos += 4
    if manifest_len > MAX_MANIFEST or pos + manifest_len + 8 > len(plain):
        raise _damaged("its manifest length is impossible")
    manifest_raw = bytes(view[pos : pos + manifest_len])
    pos += manifest_len
    (body_len,) = _U64.unpack_from(plain, pos)
    pos += 8
    if pos + body_len + 2 > len(plain):
        raise _damaged("its body length is impossible")
    body = view[pos : pos + body_len]
    pos += body_len
    (sig_len,) = _U16.unpack_from(plain, pos)
    pos += 2
    if sig_len != 64 or pos + sig_len != len(plain):
        raise _damaged("its signature is missing or the wrong size")
    signature = bytes(view[pos:])
    manifest = parse_manifest(manifest_raw)
    body_hash = hashlib.sha256(body).hexdigest()
    if not verify(
        manifest.producer.signing_public_key,
        signature,
        SIG_CONTEXT + hashlib.sha256(manifest_raw).digest() + bytes.fromhex(body_hash),
    ):
        raise _damaged("its signature does not match its contents")
    if body_hash != manifest.body_sha256:
        raise _damaged("its operations do not match the manifest's hash")
    return Unpacked(manifest, manifest_raw, body)


def iter_operations(body: memoryview | bytes, expected: int) -> Iterator[tuple[Operation, str]]:
    """Parse the body's lines into operations; yields each with its canonical wire JSON.

    Every line must be exactly the canonical encoding of the operation it
    decodes to, so the content hash of a line is the hash canvass computes
    for that operation anywhere. Values are checked for structure only; the
    caller validates them against the schema before applying anything.

    Raises:
        ExchangeFileError: ``damaged`` for any malformed line or a count that
            differs from ``expected``.
    """
    data = bytes(body)
    if data and not data.endswith(b"\n"):
        raise _damaged("its last operation is incomplete")
    n = 0
    start = 0
    end = len(data)
    while start < end:
        stop = data.index(b"\n", start)
        raw = data[start:stop]
        start = stop + 1
        n += 1
        if n > expected:
            raise _damaged("it holds more operations than its manifest says")
        if len(raw) > MAX_LINE:
            raise _damaged(f"operation {n} is too long")
        try:
            line = raw.decode("utf-8")
            parsed = orjson.loads(line)
            if type(parsed) is not dict or len(parsed) != 10:
                raise ValueError("not an operation")
            # Re-encoding the parsed line must give the line back: that refuses
            # floats, duplicate keys, escapes and spacing in one comparison.
            canonical = canonical_json(parsed)
            op = Operation.from_wire(parsed, check_value_types=False)
        except (UnicodeDecodeError, ValueError, TypeError, RecursionError, ValidationError) as exc:
            raise _damaged(f"operation {n} is malformed: {str(exc)[:120]}") from None
        bases = parsed["bases"]
        if canonical != line or (len(bases) > 1 and bases != sorted(bases)):
            raise _damaged(f"operation {n} is not in canonical form")
        yield op, line
    if n != expected:
        raise _damaged(f"it holds {n:,} operations but its manifest says {expected:,}")
