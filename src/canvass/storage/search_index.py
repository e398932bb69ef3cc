"""The elector search index: SQLite FTS5, or PostgreSQL full-text search.

Filtering 100,000 electors in Python as someone types costs about a second a
keystroke (DESIGN §6); the database's own full-text index answers in
milliseconds. The index is derived data: rebuilt whenever the operation log
has changed since it was last built, so no code path that changes electors
(import, merge, erasure, rebuild) needs to remember it.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import text
from sqlalchemy.orm import Session

# Every change adds an operation; an erasure also deletes some, so count the
# tombstones too. SQLite's max(rowid) is one index probe; a count over a
# million operations would cost more than a keystroke may.
_MARKER_SQL = {
    "sqlite": "SELECT (SELECT coalesce(max(rowid), 0) FROM operations), "
    "(SELECT count(*) FROM erasures), 0",
    "postgresql": "SELECT count(*), coalesce(max(hlc_ms), 0), (SELECT count(*) FROM erasures) "
    "FROM operations",
}

# One document per elector: name, elector number, and the address they live at.
_SOURCE = """
SELECT e.id AS elector_id,
       trim(e.forenames || ' ' || e.surname) AS name,
       pd.code || ' ' || pd.code || '-' || e.elector_number || '/' || e.elector_suffix
         || ' ' || e.elector_number || '/' || e.elector_suffix AS number,
       trim(coalesce(a.flat, '') || ' ' || coalesce(a.house_name, '') || ' '
         || coalesce(CAST(a.house_number AS TEXT), '') || coalesce(a.house_suffix, '') || ' '
         || coalesce(s.name, '') || ' ' || coalesce(a.postcode, '') || ' '
         || replace(coalesce(a.postcode, ''), ' ', '')) AS address
FROM electors e
JOIN polling_districts pd ON pd.id = e.polling_district_id
LEFT JOIN addresses a ON a.id = e.address_id
LEFT JOIN streets s ON s.id = a.street_id
"""


def marker(session: Session) -> str:
    """A value that changes whenever the operation log changes."""
    dialect = session.get_bind().dialect.name
    a, b, c = session.execute(text(_MARKER_SQL.get(dialect, _MARKER_SQL["postgresql"]))).one()
    return f"{a}:{b}:{c}"


def is_fresh(session: Session) -> bool:
    """Whether the index was built from the log as it is now."""
    built = session.execute(
        text("SELECT marker FROM search_state WHERE name = 'electors'")
    ).scalar()
    return built == marker(session)


def forget_erased(session: Session) -> None:
    """Rebuild the index so that no erased name survives in it (inside a write transaction).

    A plain :func:`rebuild` deletes the old rows, but SQLite's FTS5 keeps the
    deleted words in its index segments until they happen to be merged; its
    own 'rebuild' command writes the whole index anew, and secure_delete then
    overwrites the freed pages. Costlier than a plain rebuild, so only after
    an erasure or a purge.
    """
    rebuild(session)
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("INSERT INTO elector_search(elector_search) VALUES ('rebuild')"))


def rebuild(session: Session) -> None:
    """Build the index afresh (inside a write transaction)."""
    dialect = session.get_bind().dialect.name
    session.execute(text("DELETE FROM elector_search"))
    if dialect == "sqlite":
        session.execute(
            text(f"INSERT INTO elector_search (elector_id, name, number, address) {_SOURCE}")
        )
    else:
        session.execute(
            text(
                "INSERT INTO elector_search (elector_id, doc) "
                f"SELECT elector_id, name || ' ' || number || ' ' || address FROM ({_SOURCE}) src"
            )
        )
    session.execute(text("DELETE FROM search_state WHERE name = 'electors'"))
    session.execute(
        text("INSERT INTO search_state (name, marker) VALUES ('electors', :m)"),
        {"m": marker(session)},
    )


_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(query: str, *, strip_accents: bool = True) -> list[str]:
    """The words of a query, folded as the index folds them (case; accents on SQLite)."""
    folded = unicodedata.normalize("NFKD" if strip_accents else "NFC", query.casefold())
    if strip_accents:
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _TOKEN.findall(folded)[:8]


def matching_ids(session: Session, query: str, limit: int) -> list[str]:
    """Ids of electors whose name, number or address has every word as a prefix."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    # PostgreSQL's built-in "simple" configuration keeps accents (unaccent is an
    # extension a shared server may not have), so only SQLite folds them.
    words = tokens(query, strip_accents=sqlite)
    if not words:
        return []
    if sqlite:
        match = " ".join(f'"{w}"*' for w in words)
        rows = session.execute(
            text(
                "SELECT elector_id FROM elector_search WHERE elector_search MATCH :m "
                "ORDER BY rank LIMIT :n"
            ),
            {"m": match, "n": limit},
        )
    else:
        tsquery = " & ".join(f"{w}:*" for w in words)
        rows = session.execute(
            text(
                "SELECT elector_id FROM elector_search "
                "WHERE to_tsvector('simple', doc) @@ to_tsquery('simple', :q) LIMIT :n"
            ),
            {"q": tsquery, "n": limit},
        )
    return [r[0] for r in rows]
