"""Applying operations from elsewhere: validation, erasure, the log, the rows.

The one path by which operations that were not just made by an
:class:`~canvass.services.oplog.OpWriter` enter a database: merged files,
enrolment files, and local erasures and conflict resolutions (which must
cascade and refold exactly as a merged one would, so every replica agrees).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from canvass.domain.errors import ExchangeFileError, ValidationError
from canvass.domain.values import clean_string
from canvass.storage import materialise, oplog, replay
from canvass.storage.bulk import bulk_insert
from canvass.storage.tables import Erasure, OperationRow
from canvass.sync.ops import Operation, OpKind, wire_hash

#: Records an erasure may target, and the records that go with a person:
#: entity -> fields of its create that point at an erased record.
ERASABLE = frozenset({"elector", "visit", "signature", "supporter"})
CASCADE: dict[str, tuple[str, ...]] = {
    "visit": ("elector_id",),
    "signature": ("elector_id",),
    "person_link": ("elector_a_id", "elector_b_id"),
}
#: Records that only grow: a change to one after it is made would weaken a
#: do-not-contact, so it is dropped (and counted) rather than applied.
GROW_ONLY_RECORDS = frozenset({"suppression", "erasure"})
_KINDS = frozenset({OpKind.CREATE, OpKind.SET, OpKind.RESOLVE, OpKind.ERASE})
_MAX_MS = 2**62
_MAX_COUNTER = 2**31


@dataclass(slots=True)
class Checked:
    """An operation that passed validation, with what the merge needs of it."""

    op: Operation
    wire: str
    content_hash: str
    row: tuple[Any, ...] | None = None  # a create's table row


def check_operation(op: Operation, wire: str) -> Checked:
    """Validate one operation against the schema this canvass knows.

    Raises:
        ValidationError: For an unknown kind, entity or field, a value the
            column cannot hold, or a stamp out of range.
    """
    if op.kind not in _KINDS:
        raise ValidationError(f"operation kind '{op.kind}' is not one canvass applies")
    if not (1 <= op.seq < _MAX_MS and 0 <= op.stamp.ms < _MAX_MS):
        raise ValidationError("its sequence number or clock is out of range")
    if not 0 <= op.stamp.counter < _MAX_COUNTER:
        raise ValidationError("its clock counter is out of range")
    entity = op.entity
    materialise.model_for(entity)
    checked = Checked(op, wire, wire_hash(wire))
    if op.kind is OpKind.CREATE:
        if op.field is not None or op.bases or not isinstance(op.value, dict):
            raise ValidationError("a create must carry a record's values and nothing else")
        _, checked.row = materialise.prepare(entity, op.entity_id, op.value)
    elif op.kind is OpKind.ERASE:
        value = op.value
        if (
            entity not in ERASABLE
            or op.field is not None
            or op.bases
            or not isinstance(value, dict)
            or set(value) != {"reason_code", "erased_at"}
            or not all(isinstance(v, str) and len(v) <= 32 for v in value.values())
        ):
            raise ValidationError("an erasure is malformed")
        for text in value.values():
            clean_string(str(text), field="An erasure")
    else:
        if op.field is None:
            raise ValidationError("a change names no field")
        materialise.check_field(entity, op.field, op.value)
    return checked


@dataclass(slots=True)
class Applied:
    """What applying a batch of operations did (the merge report's numbers)."""

    new: int = 0
    already_had: int = 0
    records_created: int = 0
    records_updated: int = 0
    dropped_erased: int = 0
    dropped_suppressed: int = 0
    dropped_unauthorised: int = 0
    held: int = 0
    erased_records: int = 0
    touched: set[replay.Key] = field(default_factory=set)


def _erased_ids(session: Session, batch: Sequence[Checked]) -> set[str]:
    """Which ids the batch names (its records, and those its creates point at) are erased.

    Only those: the whole tombstone list grows with every erasure, and a
    purge or a big merge would read it again for every batch.
    """
    wanted: set[str] = set()
    for c in batch:
        wanted.add(c.op.entity_id)
        fields = CASCADE.get(c.op.entity)
        if fields and c.op.kind is OpKind.CREATE and isinstance(c.op.value, dict):
            wanted.update(v for name in fields if isinstance(v := c.op.value.get(name), str))
    found: set[str] = set()
    for part in replay.chunks(sorted(wanted)):
        found.update(session.scalars(select(Erasure.id).where(Erasure.id.in_(part))))
    return found


def _dependents(session: Session, ids: set[str]) -> set[replay.Key]:
    """Stored records (with a row, or held) that belong to erased ``ids``."""
    out: set[replay.Key] = set()
    if not ids:
        return out
    wanted = sorted(ids)
    for entity, fields in CASCADE.items():
        model = materialise.model_for(entity)
        for name in fields:
            column = getattr(model, name)
            for part in replay.chunks(wanted):
                out.update(
                    (entity, i) for i in session.scalars(select(model.id).where(column.in_(part)))
                )
    held = [k for k in replay.held_keys(session) if k[0] in CASCADE]
    for key, ops in replay.load_operations(session, held).items():
        for op in ops:
            if op.kind is OpKind.CREATE and _refers_to(op, ids):
                out.add(key)
    return out


def _refers_to(op: Operation, ids: set[str]) -> bool:
    fields = CASCADE.get(op.entity)
    if not fields or not isinstance(op.value, dict):
        return False
    return any(op.value.get(name) in ids for name in fields)


def _tombstones(
    session: Session,
    roots: set[replay.Key],
    linked: set[replay.Key],
    first_erased: Mapping[replay.Key, Operation],
) -> None:
    """Write tombstone rows: roots from their first erase operation, linked records plainly.

    ``first_erased`` holds the first erasure in this batch of each root that
    was not erased before: no other is stored, so it is not read back (a
    purge erases 100,000s). Other roots' erasures are read from the log.
    """
    firsts = dict(first_erased)
    for key, ops in replay.load_operations(session, roots - first_erased.keys()).items():
        erasures = [op for op in ops if op.kind is OpKind.ERASE]
        if erasures:
            firsts[key] = min(erasures, key=lambda o: o.sort_key())
    rows: dict[str, tuple[Any, ...]] = {}
    for (entity, entity_id), first in firsts.items():
        value = first.value if isinstance(first.value, dict) else {}
        rows[entity_id] = (entity_id, entity, entity_id, value["reason_code"], value["erased_at"])
    for entity, entity_id in linked:
        rows.setdefault(entity_id, (entity_id, entity, entity_id, "linked-record", ""))
    ids = sorted(rows)
    for part in replay.chunks(ids):
        session.execute(delete(Erasure).where(Erasure.id.in_(part)))
    bulk_insert(
        session,
        "erasures",
        ("id", "entity", "entity_id", "reason_code", "erased_at"),
        list(rows.values()),
    )


def _forget(session: Session, keys: set[replay.Key]) -> None:
    """Remove every trace of erased records but their erase operations."""
    if not keys:
        return
    replay.delete_rows(session, keys)
    by_entity: dict[str, list[str]] = defaultdict(list)
    for entity, entity_id in keys:
        by_entity[entity].append(entity_id)
    for entity, ids in by_entity.items():
        # By entity too: the (entity, entity_id) index finds them; by id alone
        # each chunk would read the whole log (a purge erases 100,000s).
        for part in replay.chunks(sorted(ids)):
            session.execute(
                delete(OperationRow).where(
                    OperationRow.entity == entity,
                    OperationRow.entity_id.in_(part),
                    OperationRow.kind != OpKind.ERASE.value,
                )
            )
    replay.replace_conflicts(session, keys, [])
    replay.set_held(session, keys, ())


def registry_allowed(op: Operation, signer: str) -> bool:
    """Whether a file signed by a canvasser's device may carry this operation.

    Who may send files, who receives them and who can open them (the device
    registry, the campaign's recovery key) is the coordinators' to say: a
    canvasser's file may only register its own device, as a canvasser. Its
    file is signed, but the operations inside are not each signed by their
    author, so this is judged by the file's signer.
    """
    if op.entity == "device":
        own = op.entity_id == signer == op.device_id
        if op.kind is OpKind.CREATE and isinstance(op.value, dict):
            value = op.value
            return (
                own
                and value.get("role", "canvasser") == "canvasser"
                and not value.get("enrolled")
                and not value.get("revoked")
            )
        return own and op.field == "name"
    if op.entity == "campaign":
        if op.kind is OpKind.CREATE and isinstance(op.value, dict):
            return not op.value.get("recovery_recipient")
        return op.field not in REGISTRY_CAMPAIGN_FIELDS
    return True


#: Campaign fields only a coordinator's file may change: who can open the files,
#: and what the data controller decides (how long data is kept, the figures
#: saved at a purge, the privacy notice given at the door). A canvasser's
#: laptop setting a retention date in the past would make the purge due.
REGISTRY_CAMPAIGN_FIELDS = frozenset(
    {
        "recovery_recipient",
        "retention_until",
        "polling_day",
        "retained_at",
        "retained_report",
        "retained_petitions",
        "privacy_notice",
        "privacy_notice_version",
    }
)


def apply_operations(
    session: Session, incoming: Sequence[Checked], *, canvasser: str | None = None
) -> Applied:
    """Add checked operations to the log and bring the rows up to date, in one transaction.

    Operations already held are skipped; one whose id is held with other
    content refuses the whole batch. Operations on erased records are
    dropped, as are changes to records that only grow.

    Args:
        session: The write transaction.
        incoming: Validated operations.
        canvasser: The signer's device id when a canvasser's device signed the
            file: changes to the device registry it may not make are dropped
            (:func:`registry_allowed`).

    Raises:
        ExchangeFileError: ``damaged`` when an operation contradicts one held.
    """
    result = Applied()
    existing: dict[str, str] = {}
    ids = [c.op.op_id for c in incoming]
    for part in replay.chunks(ids):
        query = select(OperationRow.op_id, OperationRow.content_hash).where(
            OperationRow.op_id.in_(part)
        )
        existing.update((r.op_id, r.content_hash) for r in session.execute(query))
    fresh: dict[str, Checked] = {}
    for c in incoming:
        known = existing.get(c.op.op_id) or (
            fresh[c.op.op_id].content_hash if c.op.op_id in fresh else None
        )
        if known is None:
            fresh[c.op.op_id] = c
        elif known == c.content_hash:
            result.already_had += 1
        else:
            raise ExchangeFileError(
                "damaged",
                f"The file holds a change ({c.op.op_id[:8]}…) that contradicts the one with the "
                "same id already here: it was altered. Nothing was merged.",
            )
    batch = list(fresh.values())

    # Erasure first: it wins over everything, whatever order files arrive in.
    erased = _erased_ids(session, batch)
    roots = {(c.op.entity, c.op.entity_id) for c in batch if c.op.kind is OpKind.ERASE}
    new_roots = {k for k in roots if k[1] not in erased}
    linked = _dependents(session, {i for _, i in new_roots})
    erased |= {i for _, i in new_roots} | {i for _, i in linked}
    kept: list[Checked] = []
    creates = [c for c in batch if c.op.kind is OpKind.CREATE]
    others = [c for c in batch if c.op.kind is not OpKind.CREATE]
    if canvasser is not None:
        allowed = [c for c in creates if registry_allowed(c.op, canvasser)]
        result.dropped_unauthorised += len(creates) - len(allowed)
        creates = allowed
        allowed = [c for c in others if registry_allowed(c.op, canvasser)]
        result.dropped_unauthorised += len(others) - len(allowed)
        others = allowed
    for c in creates:
        op = c.op
        if op.entity_id in erased:
            result.dropped_erased += 1
        elif _refers_to(op, erased):
            erased.add(op.entity_id)
            linked.add((op.entity, op.entity_id))
            result.dropped_erased += 1
        else:
            kept.append(c)
    for c in others:
        op = c.op
        if op.kind is OpKind.ERASE:
            kept.append(c)
        elif op.entity_id in erased:
            result.dropped_erased += 1
        elif op.entity in GROW_ONLY_RECORDS:
            result.dropped_suppressed += 1
        else:
            kept.append(c)
    _forget(session, new_roots | linked)
    result.erased_records = len(new_roots | linked)

    try:
        oplog.insert_operations(session, [_op_row(c) for c in kept])
        session.flush()
    except IntegrityError:
        raise ExchangeFileError(
            "damaged",
            "The file holds two different changes with the same device sequence number: "
            "it was altered or made by a copied database. Nothing was merged.",
        ) from None
    result.new = len(kept)
    first_erased: dict[replay.Key, Operation] = {}
    for c in kept:
        key = (c.op.entity, c.op.entity_id)
        if c.op.kind is OpKind.ERASE and key in new_roots:
            earlier = first_erased.get(key)
            if earlier is None or c.op.sort_key() < earlier.sort_key():
                first_erased[key] = c.op
    _tombstones(session, roots, linked, first_erased)

    _refold(session, [c for c in kept if c.op.kind is not OpKind.ERASE], result)
    return result


def _op_row(c: Checked) -> oplog.OpRow:
    # The wire line is canonical and "value" is its last key (keys are sorted,
    # and nothing before it can hold this text), so its JSON is the line's tail.
    value_json = c.wire[c.wire.index(',"value":') + 9 : -1]
    return oplog.op_to_row(c.op, value_json=value_json, content_hash=c.content_hash)


def _refold(session: Session, kept: Sequence[Checked], result: Applied) -> None:
    """Bring the rows of every record the new operations touched up to date."""
    held_before = replay.held_keys(session)
    by_key: dict[replay.Key, list[Checked]] = defaultdict(list)
    for c in kept:
        by_key[(c.op.entity, c.op.entity_id)].append(c)
    result.touched = set(by_key)
    # The common case, a record met for the first time whose only operation
    # is its create, needs no reading back: its row is the create's row.
    candidates: dict[str, set[str]] = defaultdict(set)
    for (entity, entity_id), cs in by_key.items():
        if len(cs) == 1 and cs[0].row is not None and (entity, entity_id) not in held_before:
            candidates[entity].add(entity_id)
    had_row: set[replay.Key] = set()
    for entity, first_seen in candidates.items():
        had_row |= {(entity, i) for i in replay.existing_ids(session, entity, first_seen)}
    folded = replay.Folded()
    slow: set[replay.Key] = set(held_before)
    for key, cs in by_key.items():
        if key[1] in candidates.get(key[0], ()) and key not in had_row:
            row = cs[0].row
            assert row is not None
            folded.rows[key[0]][key[1]] = row
        else:
            slow.add(key)
    slow_ids: dict[str, list[str]] = defaultdict(list)
    for entity, entity_id in slow:
        slow_ids[entity].append(entity_id)
    for entity, slow_list in slow_ids.items():
        had_row |= {(entity, i) for i in replay.existing_ids(session, entity, slow_list)}
    # A record with no row and nothing held had no operations before this
    # batch: all of them are here, so fold them without reading them back.
    stored = {k for k in slow if k in had_row or k in held_before}
    replay.fold({k: [c.op for c in by_key[k]] for k in slow - stored}, folded)
    replay.fold(replay.load_operations(session, stored), folded)
    placed = replay.place(session, folded, replace=had_row & slow)
    replay.replace_conflicts(session, slow, folded.conflicts)
    replay.set_held(session, held_before, placed.held)
    result.records_created = placed.inserted
    result.records_updated = placed.updated
    result.held = len(placed.held)


def recorded_locally(session: Session, ops: Iterable[Operation]) -> Applied:
    """Apply operations this device just made (erasure, resolution) through the merge path."""
    return apply_operations(session, [check_operation(op, op.wire_json()) for op in ops])
