"""The audit trail: append-only, each entry chained to the one before by its hash."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from canvass.domain.values import Value, canonical_json
from canvass.storage.tables_log import AuditEvent


def entry_hash(
    prev_hash: str, at: str, device_id: str, actor: str, action: str, detail: str
) -> str:
    """SHA-256 binding an entry to its content and to the previous entry."""
    text = canonical_json([prev_hash, at, device_id, actor, action, detail])
    return hashlib.sha256(text.encode()).hexdigest()


def append(
    session: Session, *, at: str, device_id: str, actor: str, action: str, detail: dict[str, Value]
) -> None:
    """Add one entry at the end of the chain."""
    last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).first()
    prev = last.hash if last is not None else ""
    detail_json = canonical_json(detail)
    session.add(
        AuditEvent(
            at=at,
            device_id=device_id,
            actor=actor,
            action=action,
            detail=detail_json,
            prev_hash=prev,
            hash=entry_hash(prev, at, device_id, actor, action, detail_json),
        )
    )
