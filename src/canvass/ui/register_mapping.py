"""What the import wizard knows about columns, without any widgets.

The names people see for each canonical field, first guesses for the columns
of a file canvass does not recognise, a check that a choice of columns is
enough to read electors, and a preview of the first rows read with that
choice. The preview uses the register reader itself, so what the wizard shows
is what the import will do.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from canvass.domain.errors import CanvassError
from canvass.registers.layouts import ALIASES, MAX_ADDRESS_LINES, Layout, detect_layout, squash
from canvass.registers.reader import row_reader

#: The wizard's pages, in order.
FILE_PAGE, MAPPING_PAGE, PREVIEW_PAGE, DONE_PAGE = range(4)

#: Each canonical field as the coordinator reads it, with an example of its content.
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "number": ("Elector number", "123, or AB-123/1 with the district"),
    "district": ("Polling district", "the letters before the number, e.g. AB"),
    "suffix": ("Suffix", "the /1 after some numbers"),
    "markers": ("Markers", "letters such as E, F, G, K, M"),
    "title": ("Title", "Mr, Ms, Dr"),
    "forenames": ("First names", ""),
    "initials": ("Middle names / initials", ""),
    "surname": ("Surname", ""),
    "full_name": ("Full name", "surname first: SMITH, John"),
    "dob": ("Date of birth", "day/month/year"),
    "attainment": ("Attainment date", "the date they turn 18"),
    "opt_out": ("Open register opt-out", ""),
    "postcode": ("Postcode", ""),
    "flat": ("Flat", ""),
    "house_number": ("House number", ""),
    "house_name": ("House name", ""),
    "street": ("Street", ""),
    "locality": ("Locality / town", ""),
    "uprn": ("UPRN", "the property's reference number"),
}

#: The fields in the order the mapping page shows them, in two columns.
WHO_FIELDS = (
    "number",
    "district",
    "suffix",
    "markers",
    "title",
    "forenames",
    "initials",
    "surname",
    "full_name",
    "dob",
    "attainment",
    "opt_out",
)
WHERE_FIELDS = ("postcode", "flat", "house_number", "house_name", "street", "locality", "uprn")
#: Address-line boxes shown at least; more when the file has more address columns.
ADDRESS_LINES = 6

# Words that, inside a header, suggest a field; tried after the exact spellings.
_HINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("surname", ("surname", "lastname", "family")),
    ("forenames", ("forename", "firstname", "given", "christian")),
    ("full_name", ("name",)),
    ("postcode", ("postcode", "postalcode", "zip")),
    ("district", ("district", "prefix")),
    ("number", ("electornumber", "number", "ref", "eno", "elno")),
    ("dob", ("birth", "dob")),
    ("attainment", ("attain",)),
    ("markers", ("marker", "franchise")),
    ("street", ("street", "road")),
)
_ADDRESS_HINTS = ("addr", "where", "location", "property", "residence")
_LINE_NUMBER = re.compile(r"([0-9])$")
_CLI_ADVICE = re.compile(r"\s*Give a mapping file with --mapping.*$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Choice:
    """Which column (by index in the header row) holds each field, and the address lines."""

    columns: dict[str, int]
    address: tuple[int, ...]

    def by_header(self, headers: Sequence[str]) -> tuple[dict[str, str], list[str]]:
        """The same choice by header text, as a mapping file names columns."""
        return (
            {field: headers[i] for field, i in self.columns.items()},
            [headers[i] for i in self.address],
        )


@dataclass(frozen=True, slots=True)
class PreviewRow:
    """How one row of the file reads with a choice of columns."""

    line: int
    number: str
    name: str
    address: str
    problem: str = ""


def gui_problem(problem: str) -> str:
    """A layout problem without the command-line advice that ends it."""
    text = _CLI_ADVICE.sub("", problem).strip()
    return text or problem


def recognised(headers: Sequence[str]) -> Choice | None:
    """The columns of a layout canvass recognises, or None."""
    try:
        layout = detect_layout(headers)
    except CanvassError:
        return None
    return Choice(dict(layout.columns), layout.address_columns)


def guess(headers: Sequence[str]) -> Choice:
    """First guesses for a file's columns: the recognised layout, else header words."""
    known = recognised(headers)
    if known is not None:
        return known
    squashed = [squash(h) if h.strip() else "" for h in headers]
    columns: dict[str, int] = {}
    used: set[int] = set()
    for index, name in enumerate(squashed):
        for field, aliases in ALIASES.items():
            if name and name in aliases and field not in columns:
                columns[field] = index
                used.add(index)
                break
    for field, words in _HINTS:
        if field in columns:
            continue
        for index, name in enumerate(squashed):
            if index not in used and name and any(word in name for word in words):
                columns[field] = index
                used.add(index)
                break
    address = [
        index
        for index, name in enumerate(squashed)
        if index not in used and name and any(word in name for word in _ADDRESS_HINTS)
    ]
    # "Address 1", "Address 2"... in their own order, whatever order the file has them in.
    address.sort(key=lambda i: int(m.group(1)) if (m := _LINE_NUMBER.search(squashed[i])) else 0)
    return Choice(columns, tuple(address[:MAX_ADDRESS_LINES]))


def missing(choice: Choice) -> list[str]:
    """What the choice lacks to read electors, in words ("the elector number")."""
    out = []
    if "number" not in choice.columns:
        out.append("the elector number")
    if "surname" not in choice.columns and "full_name" not in choice.columns:
        out.append("the surname (or the full name)")
    if not (choice.address or "street" in choice.columns or "postcode" in choice.columns):
        out.append("an address line, the street or the postcode")
    return out


def preview(
    rows: Sequence[Sequence[str]], choice: Choice, headers: int | None = None
) -> list[PreviewRow]:
    """The first rows of the file as the import will read them with ``choice``."""
    layout = Layout("mapping", dict(choice.columns), tuple(choice.address))
    width = headers if headers is not None else max((len(r) for r in rows), default=0)
    read = row_reader(layout, width)
    out: list[PreviewRow] = []
    for offset, row in enumerate(rows):
        line = offset + 2  # the header is line 1
        cells = list(row)
        if not any(cell.strip() for cell in cells):
            continue
        try:
            entry = read(line, cells)
        except CanvassError as exc:
            out.append(PreviewRow(line, "", "", "", str(exc).rstrip(".")))
            continue
        except Exception as exc:  # a preview must never take the wizard down
            out.append(PreviewRow(line, "", "", "", f"cannot be read ({exc})"))
            continue
        name = " ".join(p for p in (entry.title, entry.forenames, entry.surname) if p)
        address = entry.address.one_line() if entry.address else "no address (other elector)"
        out.append(PreviewRow(line, str(entry.number), name, address))
    return out


def mapping_folder(config_dir: Path) -> Path:
    """Where saved mappings live."""
    return config_dir / "mappings"


def mapping_file(folder: Path, name: str) -> Path:
    """The file a mapping called ``name`` is saved in."""
    stem = re.sub(r"[^\w\- ]+", "", name, flags=re.UNICODE).strip().replace(" ", "-")
    return folder / f"{stem or 'mapping'}.json"


def saved_mappings(folder: Path) -> list[Path]:
    """The saved mapping files, by name (this reads the folder: run it off the GUI thread)."""
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.json"), key=lambda p: p.stem.casefold())


def describe_encoding(encoding: str) -> str:
    """An encoding as people know it."""
    return {
        "utf-8": "UTF-8",
        "utf-8-sig": "UTF-8 (with byte-order mark)",
        "cp1252": "Windows-1252",
        "latin-1": "ISO-8859-1 (Latin-1)",
    }.get(encoding, encoding)


def describe_separator(delimiter: str) -> str:
    """A separator as people know it."""
    return {"\t": "tab", ",": "comma", ";": "semicolon"}.get(delimiter, repr(delimiter))
