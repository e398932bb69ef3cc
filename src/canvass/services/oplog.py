"""Recording changes: every write to shared data becomes an operation.

An :class:`OpWriter` lives inside one write transaction. It stamps each change
with the device's hybrid logical clock and sequence number, writes the
operation row and applies the change to the materialised row, so the log and
the tables can never disagree: they commit or roll back together.
"""

from __future__ import annotations

import datetime as dt
import getpass
import socket
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from canvass.crypto.keys import DeviceKeys
from canvass.domain.errors import DatabaseError, ValidationError
from canvass.domain.values import Value
from canvass.storage import audit, materialise, oplog
from canvass.storage.local import create_local_device, get_local_device
from canvass.storage.tables import SHARED_MODELS, Campaign, ImportedFile
from canvass.sync.hlc import HybridClock, Stamp, WallClock, system_wall_ms
from canvass.sync.merge import field_heads
from canvass.sync.ops import Operation, OpKind, is_canonical_id, new_id

#: Buffered creates are written in batches of this many rows.
FLUSH_EVERY = 5_000
_ENTITY_ORDER = {m.__entity__: i for i, m in enumerate(SHARED_MODELS)}


def stamp_iso(stamp: Stamp) -> str:
    """A clock stamp as an ISO-8601 UTC time with milliseconds, for display fields."""
    moment = dt.datetime.fromtimestamp(stamp.ms / 1000, tz=dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.ms % 1000:03d}Z"


#: Rows by entity, and operation rows: what one flush writes.
Batch = tuple[dict[str, list[tuple[Any, ...]]], list[oplog.OpRow]]


def write_batch(session: Session, batch: Batch) -> None:
    """Insert a batch's rows (parents first) and its operations."""
    rows, ops = batch
    for entity in sorted(rows, key=_ENTITY_ORDER.__getitem__):
        materialise.insert_rows(session, entity, rows[entity])
    oplog.insert_operations(session, ops)


class OpWriter:
    """Records changes for one device as operations plus materialised rows.

    Creates are buffered and written in batches; a set is written at once.

    Args:
        session: The session of the write transaction.
        device_id: The device the operations are attributed to.
        clock: That device's clock.
        seq: The device's last used sequence number.
        ids: Source of new UUIDs (seeded for demo data).
        persist: Called with (seq, stamp) on flush to save the clock; None for
            devices other than this database's own (demo data).
    """

    def __init__(
        self,
        session: Session,
        device_id: str,
        clock: HybridClock,
        seq: int,
        *,
        ids: Callable[[], str] = new_id,
        persist: Callable[[int, Stamp], None] | None = None,
    ) -> None:
        self.session = session
        self.device_id = device_id
        self.clock = clock
        self.seq = seq
        self._ids = ids
        self._persist = persist
        self._ops: list[oplog.OpRow] = []
        self._rows: dict[str, list[tuple[Any, ...]]] = {}
        self._pending = 0
        self.written = 0

    @classmethod
    def local(cls, session: Session, *, wall: WallClock = system_wall_ms) -> OpWriter:
        """A writer for this database's own device, its clock row locked for the transaction."""
        device = get_local_device(session, for_update=True)
        if device is None:
            raise DatabaseError("This database has no device identity; it was not set up fully.")

        def persist(seq: int, stamp: Stamp) -> None:
            device.last_seq = seq
            device.hlc_ms = stamp.ms
            device.hlc_counter = stamp.counter

        clock = HybridClock(Stamp(device.hlc_ms, device.hlc_counter), wall)
        writer = cls(session, device.device_id, clock, device.last_seq, persist=persist)
        new_keys = not device.signing_key
        if new_keys:  # a database made before exchange files had keys
            keys = DeviceKeys.generate()
            device.signing_key, device.age_identity = keys.signing_key, keys.age_identity
        keys = DeviceKeys(device.signing_key, device.age_identity)
        public = {
            "signing_public_key": keys.signing_public_key,
            "age_recipient": keys.age_recipient,
        }
        if device.last_seq == 0:
            # The device's first change registers it, with its public keys, in
            # the shared device list, so others learn it when they merge its file.
            # A database that holds a campaign it did not receive in a file, before
            # its own device made any change, is the campaign's home (the demo):
            # its coordinator. A laptop's campaign always arrives in a file.
            has_campaign = (
                session.scalar(select(Campaign.id).limit(1)) is not None
                and session.scalar(select(ImportedFile.file_id).limit(1)) is None
            )
            writer.create(
                "device",
                {
                    "name": device.name,
                    "registered_at": writer.now(),
                    "role": "coordinator" if has_campaign else "canvasser",
                    **public,
                },
                entity_id=device.device_id,
            )
        elif new_keys:
            for name, value in public.items():
                writer.set("device", device.device_id, name, value)
        return writer

    @property
    def recorded(self) -> int:
        """Operations recorded so far, written or still buffered."""
        return self.written + len(self._ops)

    def now(self) -> str:
        """The current time on this writer's clock, as ISO text (does not tick)."""
        return stamp_iso(Stamp(max(self.clock.last.ms, self.clock.wall()), 0))

    def new_id(self) -> str:
        """A new record id from this writer's id source."""
        return self._ids()

    def _op(
        self,
        kind: OpKind,
        entity: str,
        entity_id: str,
        field: str | None,
        value: Value,
        bases: Iterable[str] = (),
    ) -> Operation:
        self.seq += 1
        op = Operation(
            op_id=self._ids(),
            device_id=self.device_id,
            seq=self.seq,
            stamp=self.clock.now(),
            kind=kind,
            entity=entity,
            entity_id=entity_id,
            field=field,
            value=value,
            bases=tuple(sorted(bases)),
        )
        self._ops.append(oplog.op_to_row(op))
        return op

    def make(
        self,
        kind: OpKind,
        entity: str,
        entity_id: str,
        field: str | None,
        value: Value,
        bases: Iterable[str] = (),
    ) -> Operation:
        """Stamp an operation without recording it.

        For changes that go through :func:`canvass.services.apply.recorded_locally`
        (erasures, resolutions), which must cascade exactly as they will on every
        other replica. ``flush`` afterwards saves the clock.
        """
        op = self._op(kind, entity, entity_id, field, value, bases)
        self._ops.pop()
        return op

    def create(
        self, entity: str, values: Mapping[str, object], *, entity_id: str | None = None
    ) -> str:
        """Record a new record; returns its id. Written at the next flush.

        Raises:
            ValidationError: For unknown or missing fields or values that cannot travel.
        """
        if entity_id is None:
            entity_id = self._ids()
        elif not is_canonical_id(entity_id):
            raise ValidationError(f"'{entity_id}' is not a record id (a lower-case UUID).")
        complete, row = materialise.prepare(entity, entity_id, values)
        self.seq += 1
        self._ops.append(
            oplog.create_row(
                self._ids(), self.device_id, self.seq, self.clock.now(), entity, entity_id, complete
            )
        )
        self._rows.setdefault(entity, []).append(row)
        self._pending += 1
        if self._pending >= FLUSH_EVERY:
            self.flush()
        return entity_id

    def create_many(self, entity: str, records: Iterable[Mapping[str, object]]) -> list[str]:
        """Record many new records of one kind; returns their ids."""
        return [self.create(entity, values) for values in records]

    def set(self, entity: str, entity_id: str, field: str, value: object) -> None:
        """Record a new value for one field of an existing record.

        The operation lists every current head of the field as its base, so it
        replaces all of them: a local edit never leaves a conflict behind.
        """
        # Validate first: nothing is recorded for a value the row cannot hold.
        checked = materialise.check_field(entity, field, value)
        self.flush()
        existing = oplog.operations_for(self.session, entity, entity_id)
        if not any(op.kind is OpKind.CREATE for op in existing):
            raise ValidationError(f"There is no {entity} with id {entity_id}.")
        heads = [op.op_id for op in field_heads(existing, field)]
        op = self._op(OpKind.SET, entity, entity_id, field, checked, heads)
        self.flush()
        materialise.update_field(self.session, entity, entity_id, field, op.value)

    def audit(self, action: str, detail: dict[str, Value]) -> None:
        """Append an audit entry for this device, by the person logged in, now."""
        audit.append(
            self.session,
            at=self.now(),
            device_id=self.device_id,
            actor=getpass.getuser(),
            action=action,
            detail=detail,
        )

    def flush(self) -> None:
        """Write buffered rows and operations, then save the clock."""
        batch: Batch = (self._rows, self._ops)
        self.written += len(self._ops)
        self._rows, self._ops, self._pending = {}, [], 0
        write_batch(self.session, batch)
        if self._persist is not None:
            self._persist(self.seq, self.clock.last)
        self.session.flush()


def default_device_name() -> str:
    """A name for this computer in the shared device list."""
    return socket.gethostname() or "this computer"


def ensure_local_device(session: Session) -> str:
    """Give a new database its device identity; return the device id."""
    device = get_local_device(session)
    if device is not None:
        return device.device_id
    device_id = new_id()
    create_local_device(
        session,
        device_id,
        default_device_name(),
        stamp_iso(Stamp(system_wall_ms(), 0)),
        DeviceKeys.generate(),
    )
    return device_id
