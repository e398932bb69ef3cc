"""Reading and writing the operation log table."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from canvass.domain.values import Value, canonical_json
from canvass.storage.bulk import bulk_insert
from canvass.storage.tables_log import OperationRow
from canvass.sync.hlc import Stamp
from canvass.sync.ops import Operation, OpKind, wire_hash

#: Column order of the tuples :func:`op_to_row` and :func:`create_row` return.
OP_COLUMNS = (
    "op_id",
    "device_id",
    "seq",
    "hlc_ms",
    "hlc_counter",
    "kind",
    "entity",
    "entity_id",
    "field",
    "value",
    "bases",
    "content_hash",
)
OpRow = tuple[Any, ...]


def op_to_row(
    op: Operation, *, value_json: str | None = None, content_hash: str | None = None
) -> OpRow:
    """The table row of an operation, in :data:`OP_COLUMNS` order.

    Args:
        op: The operation.
        value_json: Its value's canonical JSON, when the caller has it.
        content_hash: Its content hash, when the caller has it.
    """
    if value_json is None:
        value_json = canonical_json(op.value)
    bases_json = canonical_json(sorted(op.bases)) if op.bases else "[]"
    return (
        op.op_id,
        op.device_id,
        op.seq,
        op.stamp.ms,
        op.stamp.counter,
        op.kind.value,
        op.entity,
        op.entity_id,
        op.field,
        value_json,
        bases_json,
        op.content_hash(value_json) if content_hash is None else content_hash,
    )


def create_row(
    op_id: str, device_id: str, seq: int, stamp: Stamp, entity: str, entity_id: str, value: Value
) -> OpRow:
    """The row of a create operation, without building an :class:`Operation` first.

    The bulk path (register import, demo): the same row ``op_to_row`` gives.
    The ids must be canonical UUIDs and ``entity`` a known entity name (the
    writer guarantees both), so they are written into the JSON unescaped.
    """
    value_json = canonical_json(value)
    wire = (
        f'{{"bases":[],"dev":"{device_id}","ent":"{entity}","field":null,'
        f'"hlc":[{stamp.ms},{stamp.counter}],"id":"{entity_id}","kind":"create",'
        f'"op_id":"{op_id}","seq":{seq},"value":{value_json}}}'
    )
    return (
        op_id,
        device_id,
        seq,
        stamp.ms,
        stamp.counter,
        "create",
        entity,
        entity_id,
        None,
        value_json,
        "[]",
        wire_hash(wire),
    )


def row_to_op(row: Any) -> Operation:
    """An operation from its table row (an ORM object or a Row with the same names)."""
    return Operation(
        op_id=row.op_id,
        device_id=row.device_id,
        seq=row.seq,
        stamp=Stamp(row.hlc_ms, row.hlc_counter),
        kind=OpKind(row.kind),
        entity=row.entity,
        entity_id=row.entity_id,
        field=row.field,
        value=json.loads(row.value),
        bases=tuple(json.loads(row.bases)),
    )


def insert_operations(session: Session, rows: Sequence[OpRow]) -> None:
    """Append operation rows (in :data:`OP_COLUMNS` order) in one executemany."""
    bulk_insert(session, "operations", OP_COLUMNS, rows)


def operations_for(session: Session, entity: str, entity_id: str) -> list[Operation]:
    """Every operation on one record."""
    query = select(OperationRow).where(
        OperationRow.entity == entity, OperationRow.entity_id == entity_id
    )
    return [row_to_op(r) for r in session.scalars(query)]


def iter_operations(session: Session, batch: int = 20_000) -> Iterator[Operation]:
    """Every operation, in replay order (clock, device, sequence)."""
    query = select(OperationRow).order_by(
        OperationRow.hlc_ms, OperationRow.hlc_counter, OperationRow.device_id, OperationRow.seq
    )
    for row in session.execute(query.execution_options(yield_per=batch)).scalars():
        yield row_to_op(row)


def last_seq(session: Session, device_id: str) -> int:
    """The highest sequence number recorded from a device (0 when none)."""
    value = session.scalar(
        select(func.max(OperationRow.seq)).where(OperationRow.device_id == device_id)
    )
    return int(value or 0)
