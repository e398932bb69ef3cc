"""Conflicts: edits of one field that did not see each other, waiting for a person.

Each is listed with every competing value, who made it and when. Resolving
records a *resolve* operation whose bases are all the competing edits, so it
replaces them on every replica it reaches: the resolution travels like any
other change.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select

from canvass.domain.errors import ValidationError
from canvass.domain.values import Value
from canvass.services.apply import recorded_locally
from canvass.services.oplog import OpWriter
from canvass.storage import materialise
from canvass.storage.database import Database
from canvass.storage.oplog import row_to_op
from canvass.storage.tables import Conflict, Device, Elector, OperationRow
from canvass.sync.merge import _writes
from canvass.sync.ops import OpKind


@dataclass(frozen=True, slots=True)
class Candidate:
    """One competing value."""

    op_id: str
    value: Value
    device: str
    at: str


@dataclass(frozen=True, slots=True)
class ConflictInfo:
    """A conflict as the Sync screen lists it."""

    id: int
    entity: str
    entity_id: str
    record: str  # a human label: "elector AB-12/1 Testington", ...
    field: str
    shown: Value
    candidates: tuple[Candidate, ...]


def _when(ms: int) -> str:
    return dt.datetime.fromtimestamp(ms / 1000, dt.UTC).strftime("%Y-%m-%d %H:%M")


def list_conflicts(db: Database) -> list[ConflictInfo]:
    """Every open conflict, oldest first."""
    out: list[ConflictInfo] = []
    with db.read() as session:
        names = {d.id: d.name for d in session.scalars(select(Device))}
        for c in session.scalars(select(Conflict).order_by(Conflict.id)):
            heads = json.loads(c.head_op_ids)
            ops = [
                row_to_op(r)
                for r in session.scalars(select(OperationRow).where(OperationRow.op_id.in_(heads)))
            ]
            candidates = tuple(
                Candidate(
                    op.op_id,
                    _writes(op).get(c.field),
                    names.get(op.device_id, op.device_id[:8]),
                    _when(op.stamp.ms),
                )
                for op in sorted(ops, key=lambda o: o.sort_key())
            )
            model = materialise.model_for(c.entity)
            row = session.get(model, c.entity_id)
            shown = getattr(row, c.field, None) if row is not None else None
            label = f"{c.entity.replace('_', ' ')} {c.entity_id[:8]}"
            if isinstance(row, Elector):
                number = f"{row.elector_number}/{row.elector_suffix}"
                label = f"elector {number} {row.forenames} {row.surname}".strip()
            elif row is not None and hasattr(row, "name"):
                label = f"{c.entity.replace('_', ' ')} {row.name}"
            if isinstance(shown, dt.date):
                shown = shown.isoformat()
            out.append(ConflictInfo(c.id, c.entity, c.entity_id, label, c.field, shown, candidates))
    return out


def resolve_conflict(db: Database, conflict_id: int, value: object) -> None:
    """Settle a conflict with ``value`` (one of the candidates, or a new one).

    Raises:
        ValidationError: If the conflict is gone or the value does not fit the field.
    """
    with db.write() as session:
        conflict = session.get(Conflict, conflict_id)
        if conflict is None:
            raise ValidationError("That conflict has been resolved already.")
        checked = materialise.check_field(conflict.entity, conflict.field, value)
        heads = json.loads(conflict.head_op_ids)
        writer = OpWriter.local(session)
        writer.flush()
        op = writer.make(
            OpKind.RESOLVE, conflict.entity, conflict.entity_id, conflict.field, checked, heads
        )
        entity, entity_id, field = conflict.entity, conflict.entity_id, conflict.field
        recorded_locally(session, [op])
        writer.flush()
        writer.audit(
            "resolve-conflict",
            {"entity": entity, "id": entity_id, "field": field},
        )
