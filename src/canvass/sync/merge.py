"""Which value each field shows, given every operation on a record.

Heads of a field are the operations that wrote it and that no other operation
on that field lists in its ``bases``. The shown value is the head with the
greatest (clock, device id, value hash): arbitrary but the same on every
replica, whatever order the operations arrived in. More than one head is a
conflict that a person resolves later; nothing is silently lost.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from canvass.domain.values import Value, canonical_json
from canvass.sync.ops import Operation, OpKind, value_hash


@dataclass(slots=True)
class EntityState:
    """The materialised state of one record and its open conflicts."""

    entity: str
    entity_id: str
    values: dict[str, Value] = field(default_factory=dict)
    created: bool = False
    erased: bool = False
    conflicts: dict[str, list[str]] = field(default_factory=dict)  # field -> head op_ids


def _writes(op: Operation) -> dict[str, Value]:
    """The fields an operation writes, with their values."""
    if op.kind is OpKind.CREATE and isinstance(op.value, dict):
        return dict(op.value)
    if op.kind in (OpKind.SET, OpKind.RESOLVE) and op.field is not None:
        return {op.field: op.value}
    return {}


def winner_key(op: Operation, value: Value) -> tuple[int, int, str, str]:
    """Deterministic order among heads: clock, then device, then value hash."""
    return (op.stamp.ms, op.stamp.counter, op.device_id, value_hash(value))


def field_heads(ops: Iterable[Operation], field_name: str) -> list[Operation]:
    """The operations on ``field_name`` that no other operation on it replaces."""
    writers = [op for op in ops if field_name in _writes(op)]
    replaced = {base for op in writers for base in op.bases}
    return [op for op in writers if op.op_id not in replaced]


def resolve_entity(
    entity: str,
    entity_id: str,
    ops: Iterable[Operation],
    grow_only: Collection[str] = (),
) -> EntityState:
    """Fold every operation on one record into its shown state.

    Args:
        entity: Entity name.
        entity_id: Record id.
        ops: Every operation held on the record, in any order.
        grow_only: Boolean fields that show true once anything wrote true
            (a revocation, an enrolment): never a conflict, never undone.
    """
    ops = list(ops)
    state = EntityState(entity, entity_id)
    fields: dict[str, list[tuple[Operation, Value]]] = {}
    for op in ops:
        if op.kind is OpKind.CREATE:
            state.created = True
        elif op.kind is OpKind.ERASE:
            state.erased = True
        for name, value in _writes(op).items():
            fields.setdefault(name, []).append((op, value))
    for name, writers in fields.items():
        if name in grow_only:
            state.values[name] = any(v is True for _, v in writers)
            continue
        if len(writers) == 1:  # the common case: written once, by the create
            state.values[name] = writers[0][1]
            continue
        replaced = {base for op, _ in writers for base in op.bases}
        heads = [(op, v) for op, v in writers if op.op_id not in replaced]
        best_op, best_value = max(heads, key=lambda h: winner_key(h[0], h[1]))
        state.values[name] = best_value
        # Two edits that did not see each other but agree lose nothing: only
        # heads holding different values need a person.
        if len(heads) > 1 and len({canonical_json(v) for _, v in heads}) > 1:
            state.conflicts[name] = sorted(op.op_id for op, _ in heads)
    return state
