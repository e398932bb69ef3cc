"""Recording electors through the service layer vs a bare sqlite3.executemany.

The service side writes each elector's row *and* its operation (canonical
JSON, content hash, clock stamp, sequence number) in one transaction, through
SQLAlchemy, with the same indexes the app uses. The baseline inserts the same
rows into a table of the same shape with the sqlite3 module and nothing else.
Target (issue 2): ratio <= 4.
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy.schema import CreateIndex, CreateTable

from canvass.domain import demo_data as dd
from canvass.domain.progress import run_to_end
from canvass.services.databases import open_db
from canvass.services.electors import NewElector, add_electors
from canvass.services.oplog import OpWriter
from canvass.storage.tables import Elector


def make_electors(n: int, district_id: str) -> list[NewElector]:
    rng = random.Random(1)
    return [
        NewElector(
            polling_district_id=district_id,
            address_id=None,
            elector_number=i + 1,
            elector_suffix=0,
            markers="",
            title=rng.choice(dd.TITLES),
            forenames=dd.forenames(rng),
            surname=dd.surname(rng),
            attainment_date=None,
            register_edition="2026-12",
        )
        for i in range(n)
    ]


def _service(folder: Path, n: int) -> float:
    db = open_db(str(folder / "service.db"), create=True)
    with db.write() as s:
        w = OpWriter.local(s)
        campaign = w.create("campaign", {"name": "Bench", "created_at": w.now()})
        ward = w.create("ward", {"campaign_id": campaign, "name": "Ward"})
        district = w.create("polling_district", {"ward_id": ward, "code": "AA"})
        w.flush()
    electors = make_electors(n, district)
    start = time.perf_counter()
    run_to_end(add_electors(db, electors))
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed


def _baseline(folder: Path, n: int) -> float:
    # Random version-4 ids like the app's: sequential ids would flatter the
    # baseline, since they append to the primary-key index instead of scattering.
    rng = random.Random(2)
    rows: list[dict[str, Any]] = [
        {**asdict(e), "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "removed": False}
        for e in make_electors(n, "d" * 36)
    ]
    conn = sqlite3.connect(folder / "bare.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    table = Elector.__table__
    # The app's own DDL and indexes; the foreign keys are inert here (the
    # sqlite3 module leaves enforcement off), so the bare side is one table.
    conn.execute(str(CreateTable(table).compile(dialect=sqlite3_dialect())))
    for index in table.indexes:
        conn.execute(str(CreateIndex(index).compile(dialect=sqlite3_dialect())))
    columns = ", ".join(c.name for c in table.columns)
    marks = ", ".join(f":{c.name}" for c in table.columns)
    start = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO electors ({columns}) VALUES ({marks})", rows)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def sqlite3_dialect() -> Any:
    from sqlalchemy.dialects import sqlite

    return sqlite.dialect()


def run(electors: int, repeat: int) -> dict[str, Any]:
    service, bare = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="canvass-bench-") as folder:
            bare.append(_baseline(Path(folder), electors))
            service.append(_service(Path(folder), electors))
    best_service, best_bare = min(service), min(bare)
    return {
        "electors": electors,
        "service_s": round(best_service, 3),
        "baseline_sqlite3_executemany_s": round(best_bare, 3),
        "ratio": round(best_service / best_bare, 2),
        "target_ratio": 4.0,
        "operations_written": electors,
    }
