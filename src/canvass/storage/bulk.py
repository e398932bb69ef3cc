"""Inserting many rows at the speed of the database driver.

Bulk paths (register import, merge, demo data, rebuild) hand rows to the
driver's own ``executemany`` as tuples. SQLAlchemy's ORM bulk insert and even
Core's per-row parameter processing cost as much again as the insert itself
(DESIGN §6 measured ORM at 13k rows/s, Core 98k, bare sqlite3 173k).
Values must already be what the driver stores: text, integers, booleans,
``datetime.date`` (stored by SQLite as ISO text, as SQLAlchemy's Date does).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy.orm import Session

# The sqlite3 module's built-in date adapter is deprecated (Python 3.12); store
# dates exactly as SQLAlchemy's SQLite Date type does, "YYYY-MM-DD".
sqlite3.register_adapter(dt.date, dt.date.isoformat)


@cache
def _insert_sql(dialect: str, table: str, columns: tuple[str, ...]) -> str:
    mark = "?" if dialect == "sqlite" else "%s"
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(mark for _ in columns)})"


def bulk_insert(
    session: Session, table: str, columns: tuple[str, ...], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert ``rows`` (tuples in ``columns`` order) into ``table`` in one executemany."""
    if not rows:
        return
    conn = session.connection()
    # In key order: random UUID keys otherwise scatter inserts across the
    # primary-key index; sorted, each batch fills pages nearly in sequence.
    conn.exec_driver_sql(_insert_sql(conn.dialect.name, table, columns), sorted(rows))
