"""Save a small database at the current schema for the migration tests.

Run once per released schema, before the next migration is written:

    .venv/bin/python scripts/make_db_fixture.py

It writes tests/fixtures/db_versions/<revision>.db (a 150-elector demo with a
few edits). tests/test_migrations.py opens every file there with the current
code and checks it migrates to the newest schema with nothing lost.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from sqlalchemy import select

from canvass.domain.progress import run_to_end
from canvass.services.databases import open_db
from canvass.services.demo import create_demo
from canvass.services.oplog import OpWriter
from canvass.storage import migrate
from canvass.storage.tables import Elector

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "db_versions"


def main() -> int:
    revision = migrate.head_revision()
    target = OUT / f"{revision}.db"
    if target.exists():
        print(f"{target} exists already; a released schema's fixture never changes.")
        return 1
    db = open_db(str(target), create=True)
    run_to_end(create_demo(db, 150, 1))
    with db.read() as s:
        first = s.scalars(select(Elector.id).order_by(Elector.id)).first()
    with db.write() as s:
        OpWriter.local(s).set("elector", first, "surname", "Édited-Fixture")
    db.close()
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
    conn.execute("VACUUM")
    conn.close()
    print(f"wrote {target} ({target.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
