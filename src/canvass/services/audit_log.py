"""Reading and checking the audit trail (append-only, hash-chained)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from canvass.domain.values import Value
from canvass.services.oplog import OpWriter
from canvass.storage.audit import entry_hash
from canvass.storage.database import Database
from canvass.storage.tables import AuditEvent


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One entry, as a viewer shows it."""

    id: int
    at: str
    actor: str
    action: str
    detail: str


@dataclass(frozen=True, slots=True)
class ChainCheck:
    """The result of checking the chain."""

    entries: int
    broken_at: int | None  # the id of the first entry that does not check out
    reason: str = ""

    @property
    def ok(self) -> bool:
        """Whether every entry checks out."""
        return self.broken_at is None


def record(db: Database, action: str, detail: dict[str, Value]) -> None:
    """Append one entry in its own short transaction: for reads worth accounting for.

    Printing or exporting personal data changes nothing in the database, but
    the controller must be able to show who took what out of it and when.
    ``detail`` says what (counts, file names, ids), never the personal data.
    """
    with db.write() as session:
        OpWriter.local(session).audit(action, detail)


def entries(db: Database, *, limit: int = 500) -> list[AuditEntry]:
    """The latest entries, newest first."""
    with db.read() as session:
        rows = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit))
        return [AuditEntry(r.id, r.at, r.actor, r.action, r.detail) for r in rows]


def verify_chain(db: Database) -> ChainCheck:
    """Recompute every entry's hash from its content and the previous hash.

    An entry changed, removed or inserted by hand breaks the chain at that point.
    """
    previous = ""
    count = 0
    with db.read() as session:
        for row in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
            count += 1
            if row.prev_hash != previous:
                return ChainCheck(count, row.id, "it does not follow the entry before it")
            expected = entry_hash(
                row.prev_hash, row.at, row.device_id, row.actor, row.action, row.detail
            )
            if row.hash != expected:
                return ChainCheck(count, row.id, "its content was changed after it was written")
            previous = row.hash
    return ChainCheck(count, None)
