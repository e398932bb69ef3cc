"""Small helpers shared by the tests."""

from __future__ import annotations

import hashlib
from pathlib import Path

from canvass.domain.progress import run_to_end
from canvass.services.databases import open_db
from canvass.services.demo import create_demo
from canvass.storage.database import Database
from canvass.storage.digest import table_digest
from canvass.storage.tables import SHARED_MODELS


def demo_db(url: str, electors: int = 300, seed: int = 3) -> Database:
    """A new database filled with a small demo campaign."""
    db = open_db(url, create=True)
    run_to_end(create_demo(db, electors, seed))
    return db


def shared_table_digests(db: Database) -> dict[str, tuple[int, str]]:
    """Count and order-independent hash of every shared table."""
    with db.read() as session:
        return {m.__tablename__: table_digest(session, m.__table__) for m in SHARED_MODELS}


def file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
