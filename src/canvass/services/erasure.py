"""Erasing a person (and what goes with them) and suppressing contact.

An erasure is an operation carrying no personal data: it removes the
record, the records that belong to it (visits, signatures) and every
operation on them, leaves a tombstone, and travels in exchange files so no
replica, and no stale file merged later, brings the person back. A
suppression (do not contact) only ever grows.
"""

from __future__ import annotations

from canvass.domain.errors import ValidationError
from canvass.services.apply import ERASABLE, Applied, recorded_locally
from canvass.services.oplog import OpWriter
from canvass.services.suppressions import create_suppression, key_before_erasing
from canvass.storage import materialise, search_index
from canvass.storage.database import Database
from canvass.sync.ops import OpKind

REASON_CODES = ("subject-request", "retention", "duplicate", "deceased", "other")


def erase(db: Database, entity: str, entity_id: str, reason_code: str) -> Applied:
    """Erase one record and everything that belongs to it.

    Raises:
        ValidationError: For an unknown record, a kind that cannot be erased or a bad reason.
    """
    if entity not in ERASABLE:
        raise ValidationError(f"A {entity.replace('_', ' ')} cannot be erased.")
    if reason_code not in REASON_CODES:
        raise ValidationError(f"The reason must be one of {', '.join(REASON_CODES)}.")
    with db.write() as session:
        model = materialise.model_for(entity)
        if session.get(model, entity_id) is None:
            raise ValidationError(f"There is no {entity} with id {entity_id}.")
        writer = OpWriter.local(session)
        if entity == "elector":  # a do-not-contact must outlive the name it was matched by
            key_before_erasing(session, writer, [entity_id])
        writer.flush()
        op = writer.make(
            OpKind.ERASE,
            entity,
            entity_id,
            None,
            {"reason_code": reason_code, "erased_at": writer.now()},
        )
        applied = recorded_locally(session, [op])
        writer.flush()
        search_index.forget_erased(session)  # the name must not linger in the search index
        writer.audit(
            "erase",
            {
                "entity": entity,
                "id": entity_id,
                "reason": reason_code,
                "records": applied.erased_records,
            },
        )
    db.scrub()  # nothing of the person left in the write-ahead log either
    return applied


def suppress(db: Database, elector_id: str, scope: str = "do-not-contact", reason: str = "") -> str:
    """Record that an elector must not be contacted in some way; returns the suppression's id.

    The suppression holds the person's match key, not their name, so it finds
    them again in a later register and outlives their erasure.

    Raises:
        ValidationError: For an unknown elector or scope, or a bad reason.
    """
    with db.write() as session:
        writer = OpWriter.local(session)
        suppression_id = create_suppression(session, writer, elector_id, scope, reason)
        writer.flush()
        writer.audit("suppress", {"id": suppression_id, "scope": scope.strip().lower()})
    return suppression_id
