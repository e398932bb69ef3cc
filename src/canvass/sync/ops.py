"""Operations: the immutable change log that every shared row is built from."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
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
    bases: tuple[str, ...] = field(default=())

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

    def content_hash(self) -> str:
        """SHA-256 of the canonical wire form; two ops with one op_id must agree."""
        return hashlib.sha256(canonical_json(self.to_wire()).encode()).hexdigest()

    def sort_key(self) -> tuple[int, int, str, int]:
        """Replay order: clock, then device, then the device's sequence."""
        return (self.stamp.ms, self.stamp.counter, self.device_id, self.seq)

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> Operation:
        """Build and validate an operation from its wire dict.

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
                entity=str(data["ent"]),
                entity_id=_uuid(data["id"], "id"),
                field=data["field"],
                value=check_value(data["value"]),
                bases=tuple(_uuid(b, "bases") for b in data["bases"]),
            )
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            raise ValidationError(f"An operation is malformed: {exc}") from exc
        return op


def new_id() -> str:
    """A fresh random UUID in canonical text form."""
    return str(uuid.uuid4())


def _uuid(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"{name} is not a UUID.")
    return str(uuid.UUID(value))


def _int(value: object, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError(f"{name} is not an integer.")
    return value
