"""Turning operations into table rows: the materialised view kept up to date.

Used by the merge (for the records a file touched) and by the rebuild (for
every record). Each record's row is folded from all its operations
(:func:`canvass.sync.merge.resolve_entity`); a record whose create has not
arrived, or that refers to a record not yet here, is *held*: its operations
are kept and its row appears when a later merge brings what it needs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session

from canvass.domain.values import canonical_json
from canvass.storage import materialise
from canvass.storage.bulk import bulk_insert
from canvass.storage.oplog import row_to_op
from canvass.storage.tables import SHARED_MODELS, Conflict, HeldRecord, OperationRow
from canvass.sync.merge import resolve_entity
from canvass.sync.ops import Operation

Key = tuple[str, str]
Row = tuple[Any, ...]
T = TypeVar("T")

#: Chunk size for ``IN (...)`` lookups: well under every engine's parameter limit.
CHUNK = 2_000
_ORDER = {m.__entity__: i for i, m in enumerate(SHARED_MODELS)}


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """``items`` in slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


@cache
def foreign_keys(entity: str) -> tuple[tuple[int, str], ...]:
    """(position in the row tuple, referenced entity) of each foreign key of an entity."""
    model = materialise.model_for(entity)
    by_table = {m.__tablename__: m.__entity__ for m in SHARED_MODELS}
    cols = materialise.columns(entity)
    out = []
    for column in model.__table__.columns:
        for fk in column.foreign_keys:
            out.append((cols.index(column.name), by_table[fk.column.table.name]))
    return tuple(out)


def existing_ids(session: Session, entity: str, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` have a row in the entity's table."""
    model = materialise.model_for(entity)
    wanted = sorted(set(ids))
    found: set[str] = set()
    for part in chunks(wanted):
        found.update(session.scalars(select(model.id).where(model.id.in_(part))))
    return found


def load_operations(session: Session, keys: Iterable[Key]) -> dict[Key, list[Operation]]:
    """Every stored operation on each of ``keys``."""
    by_entity: dict[str, list[str]] = defaultdict(list)
    for entity, entity_id in keys:
        by_entity[entity].append(entity_id)
    out: dict[Key, list[Operation]] = defaultdict(list)
    for entity, ids in by_entity.items():
        for part in chunks(sorted(set(ids))):
            query = select(OperationRow).where(
                OperationRow.entity == entity, OperationRow.entity_id.in_(part)
            )
            for row in session.scalars(query):
                out[(entity, row.entity_id)].append(row_to_op(row))
    return out


@dataclass(slots=True)
class Folded:
    """Rows and conflicts folded from operations, not yet written."""

    rows: dict[str, dict[str, Row]] = field(default_factory=lambda: defaultdict(dict))
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    held: set[Key] = field(default_factory=set)


def fold(ops_by_key: Mapping[Key, Sequence[Operation]], out: Folded | None = None) -> Folded:
    """Resolve each record's operations into its row (or hold it: no create yet)."""
    out = out or Folded()
    for (entity, entity_id), ops in ops_by_key.items():
        model = materialise.model_for(entity)
        state = resolve_entity(entity, entity_id, ops, model.__grow_only__)
        if state.erased:
            continue
        if not state.created:
            out.held.add((entity, entity_id))
            continue
        values = {**materialise.defaults(entity), **state.values}
        out.rows[entity][entity_id] = materialise.to_row(entity, entity_id, values)
        out.conflicts.extend(
            {
                "entity": entity,
                "entity_id": entity_id,
                "field": name,
                "head_op_ids": canonical_json(heads),
            }
            for name, heads in state.conflicts.items()
        )
    return out


@dataclass(slots=True)
class Placed:
    """What :func:`place` wrote."""

    inserted: int = 0
    updated: int = 0
    held: set[Key] = field(default_factory=set)


def place(session: Session, folded: Folded, *, replace: set[Key] | None = None) -> Placed:
    """Write folded rows, parents first, holding rows whose parents are missing.

    Args:
        session: The write transaction.
        folded: Rows to write.
        replace: Keys whose existing row is updated in place rather than
            inserted (records that had a row before).
    """
    replace = replace or set()
    result = Placed(held=set(folded.held))
    placed: dict[str, set[str]] = defaultdict(set)
    for entity in sorted(folded.rows, key=_ORDER.__getitem__):
        rows = folded.rows[entity]
        fks = foreign_keys(entity)
        missing: set[str] = set()
        for position, target in fks:
            refs = {row[position] for row in rows.values()} - {None} - placed[target]
            if refs:
                missing |= refs - existing_ids(session, target, refs)
        inserts: list[Row] = []
        updates: list[Row] = []
        for entity_id, row in rows.items():
            if missing and any(row[p] in missing for p, _ in fks):
                result.held.add((entity, entity_id))
                continue
            placed[entity].add(entity_id)
            (updates if (entity, entity_id) in replace else inserts).append(row)
        if inserts:
            materialise.insert_rows(session, entity, inserts)
        if updates:
            _update_rows(session, entity, updates)
        result.inserted += len(inserts)
        result.updated += len(updates)
    return result


def _update_rows(session: Session, entity: str, rows: Sequence[Row]) -> None:
    model = materialise.model_for(entity)
    cols = materialise.columns(entity)
    conn = session.connection()
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    sets = ", ".join(f"{c} = {mark}" for c in cols[1:])
    sql = f"UPDATE {model.__tablename__} SET {sets} WHERE id = {mark}"
    conn.exec_driver_sql(sql, sorted((*row[1:], row[0]) for row in rows))


def delete_rows(session: Session, keys: Iterable[Key]) -> None:
    """Delete the rows of ``keys``, children first."""
    by_entity: dict[str, list[str]] = defaultdict(list)
    for entity, entity_id in keys:
        by_entity[entity].append(entity_id)
    for entity in sorted(by_entity, key=_ORDER.__getitem__, reverse=True):
        model = materialise.model_for(entity)
        for part in chunks(sorted(by_entity[entity])):
            session.execute(delete(model).where(model.id.in_(part)))


def replace_conflicts(
    session: Session, keys: Iterable[Key], conflicts: list[dict[str, Any]]
) -> None:
    """Forget the conflicts recorded for ``keys`` and record ``conflicts`` instead."""
    key_list = sorted(set(keys))
    for part in chunks(key_list, 500):
        session.execute(
            delete(Conflict).where(tuple_(Conflict.entity, Conflict.entity_id).in_(part))
        )
    if conflicts:
        bulk_insert(
            session,
            "conflicts",
            ("entity", "entity_id", "field", "head_op_ids"),
            [(c["entity"], c["entity_id"], c["field"], c["head_op_ids"]) for c in conflicts],
        )


def held_keys(session: Session) -> set[Key]:
    """Records whose operations wait for their create or a parent."""
    return {(h.entity, h.entity_id) for h in session.scalars(select(HeldRecord))}


def set_held(session: Session, forget: Iterable[Key], hold: Iterable[Key]) -> None:
    """Update the held list: drop ``forget``, add ``hold``."""
    forget_list = sorted(set(forget))
    for part in chunks(forget_list, 500):
        session.execute(
            delete(HeldRecord).where(tuple_(HeldRecord.entity, HeldRecord.entity_id).in_(part))
        )
    rows = sorted(set(hold))
    if rows:
        bulk_insert(session, "held_records", ("entity", "entity_id"), rows)
