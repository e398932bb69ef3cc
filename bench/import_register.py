"""Importing a 100,000-elector register vs a bare csv read + sqlite3.executemany.

The register is a made-up file in the prefix/number/suffix layout, about
two electors a household. The service side detects the encoding and layout,
parses names and addresses, groups households and streets, works out the
walking order and records every row with its operation in one transaction.
The baseline reads the same file with the csv module and inserts its raw
rows into one table. Target (issue 3): ratio <= 3.
"""

from __future__ import annotations

import csv
import random
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from canvass.domain import demo_data as dd
from canvass.domain.progress import run_to_end
from canvass.services.campaigns import create_campaign
from canvass.services.databases import open_db
from canvass.services.register import import_register

HEADER = [
    "Elector Number Prefix",
    "Elector Number",
    "Elector Number Suffix",
    "Elector Markers",
    "Elector DOB",
    "Elector Surname",
    "Elector Forename",
    "PostCode",
    "Address1",
    "Address2",
    "Address3",
    "Address4",
    "Address5",
    "Address6",
]


def write_register(path: Path, electors: int) -> None:
    rng = random.Random(3)
    streets = dd.street_names(rng, max(1, electors // 150))
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, delimiter="\t")
        out.writerow(HEADER)
        made, house, street, number = 0, 0, 0, 0
        district = "AA"
        while made < electors:
            house += 1
            if house > 75:
                house, street = 1, (street + 1) % len(streets)
                if street % 8 == 0:
                    district, number = f"{chr(65 + street // 8 % 26)}{chr(65 + street % 26)}", 0
            family = dd.surname(rng)
            postcode = f"ZZ{street % 90 + 1} {house % 9 + 1}AB"
            for _ in range(min(electors - made, rng.choice((1, 2, 2, 3)))):
                number += 1
                made += 1
                out.writerow(
                    [
                        district,
                        number,
                        "",
                        "",
                        "",
                        family,
                        dd.forenames(rng),
                        postcode,
                        f"{house} {streets[street]}",
                        dd.TOWN,
                        "",
                        "",
                        "",
                        "",
                    ]
                )


def _service(folder: Path, register: Path) -> float:
    db = open_db(str(folder / "service.db"), create=True)
    create_campaign(db, "Bench")
    start = time.perf_counter()
    run_to_end(import_register(db, register))
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed


def _baseline(folder: Path, register: Path) -> float:
    conn = sqlite3.connect(folder / "bare.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(f"CREATE TABLE register ({', '.join(f'c{i} TEXT' for i in range(14))})")
    marks = ", ".join("?" for _ in range(14))
    start = time.perf_counter()
    with register.open(encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh, delimiter="\t")
        next(rows)
        conn.execute("BEGIN")
        conn.executemany(f"INSERT INTO register VALUES ({marks})", rows)
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


_WRITTEN = ("streets", "addresses", "electors", "operations")


def _same_rows(folder: Path) -> float:
    """Bare executemany of exactly the rows the import wrote, into an empty canvass schema.

    This isolates canvass's own work (parsing, planning, validating, encoding)
    from what any design with an operation per record must write.
    """
    source = sqlite3.connect(folder / "service.db")
    tables = {t: source.execute(f"SELECT * FROM {t}").fetchall() for t in _WRITTEN}
    columns = {t: [r[1] for r in source.execute(f"PRAGMA table_info({t})")] for t in _WRITTEN}
    source.close()
    open_db(str(folder / "same.db"), create=True).close()
    conn = sqlite3.connect(folder / "same.db", isolation_level=None)
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = OFF")
    start = time.perf_counter()
    conn.execute("BEGIN")
    for table in _WRITTEN:
        marks = ", ".join("?" for _ in columns[table])
        conn.executemany(f"INSERT INTO {table} VALUES ({marks})", tables[table])
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def run(electors: int, repeat: int) -> dict[str, Any]:
    service, bare, same = [], [], []
    with tempfile.TemporaryDirectory(prefix="canvass-bench-") as folder:
        register = Path(folder) / "register.tsv"
        write_register(register, electors)
        for n in range(repeat):
            run_dir = Path(folder) / f"run{n}"
            run_dir.mkdir()
            bare.append(_baseline(run_dir, register))
            service.append(_service(run_dir, register))
            same.append(_same_rows(run_dir))
    best_service, best_bare, best_same = min(service), min(bare), min(same)
    return {
        "electors": electors,
        "service_s": round(best_service, 3),
        "baseline_csv_sqlite3_executemany_s": round(best_bare, 3),
        "ratio": round(best_service / best_bare, 2),
        "target_ratio": 3.0,
        # The rows and operations the import writes, inserted bare: the floor
        # for any design that records an operation per record (DESIGN §4).
        "same_rows_bare_executemany_s": round(best_same, 3),
        "floor_ratio": round(best_same / best_bare, 2),
        "ratio_to_floor": round(best_service / best_same, 2),
    }
