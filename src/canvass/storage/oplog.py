"""Reading and writing the operation log table."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from canvass.domain.values import canonical_json
from canvass.storage.tables_log import OperationRow
from canvass.sync.hlc import Stamp
from canvass.sync.ops import Operation, OpKind


def op_to_row(op: Operation) -> dict[str, Any]:
    """The table row of an operation."""
    return {
        "op_id": op.op_id,
        "device_id": op.device_id,
        "seq": op.seq,
        "hlc_ms": op.stamp.ms,
        "hlc_counter": op.stamp.counter,
        "kind": str(op.kind),
        "entity": op.entity,
        "entity_id": op.entity_id,
        "field": op.field,
        "value": canonical_json(op.value),
        "bases": canonical_json(sorted(op.bases)),
        "content_hash": op.content_hash(),
    }


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


def insert_operations(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Append operation rows in one executemany (Core, not ORM: DESIGN §6)."""
    if rows:
        session.execute(insert(OperationRow), list(rows))


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
