"""Search-as-you-type over 100,000 electors: median time per keystroke.

Types a few realistic queries one character at a time through the service
(FTS5 query, then fetching and shaping the matching rows for the table) on a
100,000-elector demo campaign. Target (issue 5): median <= 30 ms. The bare
FTS5 query with the sqlite3 module is reported beside it.
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from canvass.domain.progress import run_to_end
from canvass.services.databases import open_db
from canvass.services.demo import create_demo
from canvass.services.search import ensure_index, search_electors
from canvass.storage import search_index

QUERIES = ("Testwell", "Sample Street 12", "NA-1234", "ZZ1 2", "Siân Mock")


def run(electors: int, repeat: int) -> dict[str, Any]:
    """``electors`` sets the campaign's size (default 100,000)."""
    with tempfile.TemporaryDirectory(prefix="canvass-bench-search-") as name:
        path = Path(name) / "search.db"
        db = open_db(str(path), create=True)
        run_to_end(create_demo(db, electors, 7))
        start = time.perf_counter()
        ensure_index(db)
        index_s = time.perf_counter() - start
        service: list[float] = []
        bare: list[float] = []
        conn = sqlite3.connect(path)
        for _ in range(repeat):
            for query in QUERIES:
                for n in range(1, len(query) + 1):
                    typed = query[:n]
                    start = time.perf_counter()
                    search_electors(db, typed, refresh=False)
                    service.append(time.perf_counter() - start)
                    words = search_index.tokens(typed)
                    if words:
                        match = " ".join(f'"{w}"*' for w in words)
                        start = time.perf_counter()
                        conn.execute(
                            "SELECT elector_id FROM elector_search WHERE elector_search MATCH ? "
                            "ORDER BY rank LIMIT 200",
                            (match,),
                        ).fetchall()
                        bare.append(time.perf_counter() - start)
        conn.close()
        db.close()
    return {
        "electors": electors,
        "keystrokes": len(service),
        "index_build_s": round(index_s, 3),
        "median_ms": round(1000 * statistics.median(service), 2),
        "p90_ms": round(1000 * statistics.quantiles(service, n=10)[-1], 2),
        "max_ms": round(1000 * max(service), 2),
        "target_median_ms": 30.0,
        "bare_fts5_median_ms": round(1000 * statistics.median(bare), 2),
    }
