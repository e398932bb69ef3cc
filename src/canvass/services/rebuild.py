"""Rebuilding every shared row from the operation log alone.

The tables are a materialised view of the operations (DESIGN §4). This is the
proof: throw the rows away, replay the log, and the same rows come back. It
also repairs a database whose rows were damaged by hand.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import delete, func, select

from canvass.domain.progress import Progress, Task
from canvass.storage import materialise, oplog, replay
from canvass.storage.database import Database
from canvass.storage.tables import Conflict, HeldRecord, OperationRow
from canvass.sync.ops import Operation


def rebuild_from_operations(db: Database) -> Task[int]:
    """Replace every shared row with one rebuilt from the log; returns records rebuilt.

    Erasure tombstones stay as they are: the operations of what they stand
    for are gone, which is the point of them.
    """
    with db.write() as session:
        total = int(session.scalar(select(func.count()).select_from(OperationRow)) or 0)
        yield Progress(0, total, "Reading the change log")
        by_record: dict[replay.Key, list[Operation]] = defaultdict(list)
        for n, op in enumerate(oplog.iter_operations(session), start=1):
            by_record[(op.entity, op.entity_id)].append(op)
            if n % 20_000 == 0:
                yield Progress(n, total, "Reading the change log")
        materialise.clear_shared_rows(session, keep=("erasure",))
        session.execute(delete(Conflict))
        session.execute(delete(HeldRecord))
        folded = replay.fold(by_record)
        yield Progress(total, total, "Writing rebuilt records")
        placed = replay.place(session, folded)
        replay.replace_conflicts(session, (), folded.conflicts)
        replay.set_held(session, (), placed.held)
    return placed.inserted
