"""A fingerprint of a database's logical content, the same on every engine."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from canvass.domain.values import canonical_json
from canvass.storage.tables import SHARED_MODELS
from canvass.storage.tables_log import OperationRow


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise TypeError("shared tables store timestamps as text, not datetimes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def table_digest(session: Session, table: Table) -> tuple[int, str]:
    """Row count and order-independent SHA-256 of one table's rows."""
    names = sorted(c.name for c in table.columns)
    cols = [table.c[n] for n in names]
    lines = sorted(
        canonical_json([_plain(v) for v in row]) for row in session.execute(select(*cols))
    )
    digest = hashlib.sha256()
    digest.update(canonical_json(names).encode())
    for line in lines:
        digest.update(line.encode())
        digest.update(b"\n")
    return len(lines), digest.hexdigest()


def state_digest(session: Session) -> str:
    """SHA-256 over every shared table and the operation log.

    Independent of row order, insertion order and database engine, and blind
    to local bookkeeping (this device's identity, audit trail, imported-file
    list), so two databases holding the same data give the same digest.
    """
    tables = [cast(Table, m.__table__) for m in SHARED_MODELS]
    tables.append(cast(Table, OperationRow.__table__))
    digest = hashlib.sha256()
    for table in sorted(tables, key=lambda t: t.name):
        count, table_hash = table_digest(session, table)
        digest.update(f"{table.name}:{count}:{table_hash}\n".encode())
    return digest.hexdigest()
