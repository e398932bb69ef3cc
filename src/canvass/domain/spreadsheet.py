"""CSV cells that open safely in Excel and LibreOffice.

A cell starting with = + - @ (or a tab, carriage return or line feed) is run
as a formula by spreadsheets: "formula injection" (OWASP). Such cells get a
leading apostrophe, which spreadsheets show as text; every cell is quoted so
separators and quotes inside a value cannot start a new cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

_RISKY = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


def safe_cell(value: object) -> str:
    """The text of a cell, neutralised if a spreadsheet would run it."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return text  # a number is data, even a negative one
    return "'" + text if text.startswith(_RISKY) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A whole CSV document (with a UTF-8 byte-order mark, which Excel needs to read UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return "\ufeff" + out.getvalue()
