"""Operations: the immutable change log that every shared row is built from."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from canvass.domain.errors import ValidationError
from canvass.domain.values import Value, canonical_json, check_value
from canvass.sync.hlc import Stamp


class OpKind(StrEnum):
    """What an operation does (DESIGN.md §4)."""

    CREATE = "create"  # a new record with its first values; visits and signatures are only this
    SET = "set"  # one mutable field of an existing record
    LINK = "link"  # two records are the same person
    SUPPRESS = "suppress"  # do-not-contact; grow-only
    ERASE = "erase"  # data-subject erasure; wins over everything
    RESOLVE = "resolve"  # settles a conflict; a set whose bases are every conflicting head
    REVOKE_DEVICE = "revoke_device"


def value_hash(value: Value) -> str:
    """SHA-256 of a value's canonical JSON; the last tie-break between two heads."""
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Operation:
    """One change, made on one device at one clock stamp.

    Attributes:
        op_id: UUID made where the change was made.
        device_id: UUID of the device that made it.
        seq: The device's own counter: 1, 2, 3... Gaps show missing files.
        stamp: Hybrid logical clock reading.
        kind: See :class:`OpKind`.
        entity: Entity name ("elector", "visit", ...).
        entity_id: UUID of the record changed.
        field: Field changed by a set; None for a create (its value is a dict).
        value: New value (create: dict of field values).
        bases: op_ids of the values this change replaces (the heads it saw).
    """

    op_id: str
    device_id: str
    seq: int
    stamp: Stamp
    kind: OpKind
    entity: str
    entity_id: str
    field: str | None
    value: Value
    bases: tuple[str, ...] = ()

    def to_wire(self) -> dict[str, Any]:
        """The operation as a JSON-ready dict (the exchange-file line)."""
        return {
            "op_id": self.op_id,
            "dev": self.device_id,
            "seq": self.seq,
            "hlc": [self.stamp.ms, self.stamp.counter],
            "kind": str(self.kind),
            "ent": self.entity,
            "id": self.entity_id,
            "field": self.field,
            "value": self.value,
            "bases": sorted(self.bases),
        }

    def wire_json(self, value_json: str | None = None) -> str:
        """``canonical_json(self.to_wire())``, composed directly (see :func:`encode_wire`).

        Args:
            value_json: ``canonical_json(self.value)`` when the caller has it already.
        """
        return encode_wire(
            self.op_id,
            self.device_id,
            self.seq,
            self.stamp,
            self.kind,
            self.entity,
            self.entity_id,
            self.field,
            canonical_json(self.value) if value_json is None else value_json,
            canonical_json(sorted(self.bases)) if self.bases else "[]",
        )

    def content_hash(self, value_json: str | None = None) -> str:
        """SHA-256 of the canonical wire form; two ops with one op_id must agree."""
        return wire_hash(self.wire_json(value_json))

    def sort_key(self) -> tuple[int, int, str, int]:
        """Replay order: clock, then device, then the device's sequence."""
        return (self.stamp.ms, self.stamp.counter, self.device_id, self.seq)

    @classmethod
    def from_wire(cls, data: dict[str, Any], *, check_value_types: bool = True) -> Operation:
        """Build and validate an operation from its wire dict.

        Args:
            data: The decoded wire dict.
            check_value_types: Validate the value's types and strings. The
                merge passes False: it validates every value against its
                column right after (:func:`canvass.services.apply.check_operation`),
                and doing it twice was a fifth of the cost of a merge.

        Raises:
            ValidationError: If a field is missing or of the wrong type.
        """
        try:
            hlc = data["hlc"]
            op = cls(
                op_id=_uuid(data["op_id"], "op_id"),
                device_id=_uuid(data["dev"], "dev"),
                seq=_int(data["seq"], "seq"),
                stamp=Stamp(_int(hlc[0], "hlc"), _int(hlc[1], "hlc")),
                kind=OpKind(data["kind"]),
                entity=_name(data["ent"]),
                entity_id=_uuid(data["id"], "id"),
                field=_field(data["field"]),
                value=check_value(data["value"]) if check_value_types else data["value"],
                bases=tuple(_uuid(b, "bases") for b in data["bases"]),
            )
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            raise ValidationError(f"An operation is malformed: {exc}") from exc
        return op


def encode_wire(
    op_id: str,
    device_id: str,
    seq: int,
    stamp: Stamp,
    kind: OpKind,
    entity: str,
    entity_id: str,
    field: str | None,
    value_json: str,
    bases_json: str,
) -> str:
    """The canonical JSON of an operation's wire form, composed from its parts.

    Recording an operation needs this text for its content hash. Building it
    in sorted-key order from parts whose JSON is already known is several
    times faster than encoding a dict, which matters when a register import
    records 100,000 electors; a property test checks it always equals
    ``canonical_json(op.to_wire())``.
    """
    field_json = "null" if field is None else _quote(field)
    return (
        f'{{"bases":{bases_json},"dev":{_quote(device_id)},"ent":{_quote(entity)},'
        f'"field":{field_json},"hlc":[{stamp.ms},{stamp.counter}],"id":{_quote(entity_id)},'
        f'"kind":"{kind.value}","op_id":{_quote(op_id)},"seq":{seq},"value":{value_json}}}'
    )


def wire_hash(wire_json: str) -> str:
    """SHA-256 (hex) of an operation's canonical wire JSON: its content hash."""
    return hashlib.sha256(wire_json.encode()).hexdigest()


_PLAIN = re.compile(r"[A-Za-z0-9_.\-]*")
_CANONICAL_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _quote(text: str) -> str:
    """JSON string literal; ids and names need no escaping, so skip the encoder."""
    return f'"{text}"' if _PLAIN.fullmatch(text) else canonical_json(text)


class _RandomPool:
    """os.urandom read 4 KiB at a time: one system call per 256 ids, not per id.

    Emptied in a forked child, so parent and child never hand out the same bytes.
    """

    def __init__(self) -> None:
        self._buf = b""
        self._pos = 0

    def reset(self) -> None:
        self._buf, self._pos = b"", 0

    def take16(self) -> bytes:
        if self._pos >= len(self._buf):
            self._buf, self._pos = os.urandom(4096), 0
        chunk = self._buf[self._pos : self._pos + 16]
        self._pos += 16
        return chunk


_POOL = _RandomPool()
os.register_at_fork(after_in_child=_POOL.reset)


def new_id() -> str:
    """A fresh random (version 4) UUID in canonical text form.

    The same as ``str(uuid.uuid4())`` without building a UUID object or making
    a system call each time, which together were a tenth of the cost of
    recording an elector.
    """
    raw = bytearray(_POOL.take16())
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def is_canonical_id(text: str) -> bool:
    """Whether ``text`` is a UUID in lower-case canonical form."""
    return _CANONICAL_ID.fullmatch(text) is not None


def _uuid(value: object, name: str) -> str:
    # Only the canonical lower-case form: the same id must hash the same everywhere.
    if not isinstance(value, str) or _CANONICAL_ID.fullmatch(value) is None:
        raise ValidationError(f"{name} is not a record id (a lower-case UUID).")
    return value


def _name(value: object) -> str:
    if isinstance(value, str) and _PLAIN.fullmatch(value) and value:
        return value
    raise ValidationError("ent is not an entity name.")


def _field(value: object) -> str | None:
    if value is None or (isinstance(value, str) and _PLAIN.fullmatch(value) and value):
        return value
    raise ValidationError("field is not a field name.")


def _int(value: object, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError(f"{name} is not an integer.")
    return value
