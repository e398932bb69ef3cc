"""Rebuilding every shared row from the operation log alone.

The tables are a materialised view of the operations (DESIGN §4). This is the
proof: throw the rows away, replay the log, and the same rows come back. It
also repairs a database whose rows were damaged by hand.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import delete, func, insert, select

from canvass.domain.progress import Progress, Task
from canvass.domain.values import canonical_json
from canvass.storage import materialise, oplog
from canvass.storage.database import Database
from canvass.storage.tables import SHARED_MODELS, Conflict, OperationRow
from canvass.sync.merge import resolve_entity
from canvass.sync.ops import Operation


def rebuild_from_operations(db: Database) -> Task[int]:
    """Replace every shared row with one rebuilt from the log; returns records rebuilt."""
    with db.write() as session:
        total = int(session.scalar(select(func.count()).select_from(OperationRow)) or 0)
        yield Progress(0, total, "Reading the change log")
        by_record: dict[tuple[str, str], list[Operation]] = defaultdict(list)
        for n, op in enumerate(oplog.iter_operations(session), start=1):
            by_record[(op.entity, op.entity_id)].append(op)
            if n % 20_000 == 0:
                yield Progress(n, total, "Reading the change log")
        materialise.clear_shared_rows(session)
        session.execute(delete(Conflict))
        rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        conflicts: list[dict[str, Any]] = []
        for (entity, entity_id), ops in by_record.items():
            state = resolve_entity(entity, entity_id, ops)
            if not state.created:
                continue  # sets for a record whose create has not arrived yet
            rows[entity].append(materialise.to_row(entity, entity_id, state.values))
            conflicts.extend(
                {
                    "entity": entity,
                    "entity_id": entity_id,
                    "field": name,
                    "head_op_ids": canonical_json(heads),
                }
                for name, heads in state.conflicts.items()
            )
        yield Progress(total, total, "Writing rebuilt records")
        for model in SHARED_MODELS:
            materialise.insert_rows(session, model.__entity__, rows.get(model.__entity__, []))
        if conflicts:
            session.execute(insert(Conflict), conflicts)
    return sum(len(r) for r in rows.values())
