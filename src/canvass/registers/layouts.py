"""The column layouts councils' register files come in, and mapping files.

Each canonical field has the header spellings seen in the layouts of
shared/reference/uk-registers-and-codes.md §2. Headers are compared after
lower-casing and dropping everything but letters and digits, so "Elector
Number Prefix", "ELECTOR_NUMBER_PREFIX" and "electornumberprefix" are one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from canvass.domain.errors import ValidationError

#: Canonical field -> header spellings (already squashed).
ALIASES: dict[str, tuple[str, ...]] = {
    "district": (
        "electornumberprefix",
        "pd",
        "district",
        "pollingdistrict",
        "prefix",
        "pdcode",
        "electorprefix",
    ),
    "number": (
        "electornumber",
        "eno",
        "elno",
        "electorno",
        "number",
        "ero",
        "eronumber",
        "electoralregisterreferencenumber",
        "registernumber",
    ),
    "suffix": ("electornumbersuffix", "suffix", "electorsuffix"),
    "markers": (
        "electormarkers",
        "markers",
        "marker",
        "markersregistertext",
        "franchiseflag",
        "franchise",
        "qualification",
        "franchisemarker",
    ),
    "dob": ("electordob", "dob", "dateofbirth", "electordateofbirth"),
    "attainment": ("dateofattainment", "attainmentdate", "attaindate", "do18", "attainment"),
    "title": ("title", "electortitle"),
    "forenames": (
        "electorforename",
        "electorforenames",
        "forename",
        "forenames",
        "firstname",
        "firstnames",
        "givenname",
        "givennames",
    ),
    "initials": ("initials", "middlenameorinitial", "middlename", "middlenames"),
    "surname": ("electorsurname", "surname", "lastname", "familyname"),
    "full_name": ("electorname", "name", "fullname"),
    "opt_out": ("optout", "openregisteroptout", "editedregisteroptout"),
    "postcode": ("postcode", "pcode", "propertypostcode", "electorpostcode", "postalcode"),
    "flat": ("flat", "flatno", "flatnumber", "subbuilding"),
    "house_number": ("housenumber", "houseno", "buildingnumber"),
    "house_name": ("housename", "buildingname"),
    "street": ("streetname", "street", "thoroughfare"),
    "locality": ("substreetname", "locality", "dependentlocality", "town", "posttown"),
    "uprn": ("uprn",),
}
_ADDRESS_LINE = re.compile(
    r"^(?:elector|property|registered)?(?:address|addr|streetadd|addressline)(?:line)?([0-9])$"
)
MAX_ADDRESS_LINES = 9


def squash(header: str) -> str:
    """A header reduced to lower-case letters and digits."""
    return re.sub(r"[^a-z0-9]", "", (header or "").casefold())


@dataclass(frozen=True)
class Layout:
    """Which column holds each field.

    Attributes:
        name: A description for reports ("prefix/number/suffix", "mapping file"...).
        columns: Canonical field -> column index.
        address_columns: Indexes of the free-text address lines, in order.
    """

    name: str
    columns: dict[str, int]
    address_columns: tuple[int, ...]

    def has(self, field: str) -> bool:
        """Whether the file has a column for ``field``."""
        return field in self.columns


def detect_layout(headers: Sequence[str]) -> Layout:
    """Recognise a register layout from its header row.

    Raises:
        ValidationError: If the columns needed to read electors are not there.
    """
    squashed = [squash(h) for h in headers]
    columns: dict[str, int] = {}
    lines: dict[int, int] = {}
    for index, name in enumerate(squashed):
        line = _ADDRESS_LINE.match(name)
        if line:
            lines.setdefault(int(line.group(1)), index)
            continue
        for field, aliases in ALIASES.items():
            if name in aliases and field not in columns:
                columns[field] = index
                break
    layout = Layout(_describe(columns, lines), columns, tuple(lines[k] for k in sorted(lines)))
    _check_usable(layout, headers)
    return layout


def _describe(columns: dict[str, int], lines: dict[int, int]) -> str:
    if "district" in columns:
        kind = "polling district / number / suffix"
    elif "number" in columns:
        kind = "combined elector number"
    else:
        kind = "unknown"
    who = (
        "single name column"
        if "full_name" in columns and "surname" not in columns
        else ("surname and forenames")
    )
    where = f"{len(lines)} address lines" if lines else "address in parts"
    return f"{kind}, {who}, {where}"


def _check_usable(layout: Layout, headers: Sequence[str]) -> None:
    missing = []
    if not layout.has("number"):
        missing.append("the elector number")
    if not (layout.has("surname") or layout.has("full_name")):
        missing.append("the elector's name")
    if not (layout.address_columns or layout.has("street") or layout.has("postcode")):
        missing.append("the address")
    if missing:
        shown = ", ".join(f"'{h}'" for h in list(headers)[:8])
        raise ValidationError(
            f"The columns of this file ({shown}{', ...' if len(headers) > 8 else ''}) do not "
            f"show {' or '.join(missing)}. Give a mapping file with --mapping that names the "
            "column for each field."
        )


def save_mapping(path: Path, columns: dict[str, str], address: Sequence[str]) -> None:
    """Write a mapping file that :func:`load_mapping` reads back.

    Args:
        path: Where to write it (JSON).
        columns: Canonical field -> the file's column header.
        address: The free-text address columns, in order.

    Raises:
        ValidationError: For a field canvass does not know.
    """
    unknown = sorted(set(columns) - set(ALIASES))
    if unknown:
        raise ValidationError(f"Unknown field(s) in a mapping: {', '.join(unknown)}.")
    data: dict[str, object] = dict(sorted(columns.items()))
    if address:
        data["address"] = list(address)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def load_mapping(path: Path, headers: Sequence[str]) -> Layout:
    """A layout from a mapping file: JSON ``{"surname": "Last name", ...}``.

    Fields are those of :data:`ALIASES` plus ``address`` (a list of column
    names, in order). Columns are matched by header text, ignoring case,
    spacing and punctuation.

    Raises:
        ValidationError: If the file is not a mapping or names a missing column.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))  # editors may add a BOM
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(f"Cannot read the mapping file {path}: {exc}") from exc
    if isinstance(data, dict) and "fields" in data:
        data = data["fields"]
    if not isinstance(data, dict):
        raise ValidationError(
            f"The mapping file {path} must hold a JSON object like "
            '{"surname": "Last name", "address": ["Address 1", "Address 2"]}.'
        )
    by_name = {squash(h): i for i, h in enumerate(headers)}

    def find(column: object) -> int:
        if not isinstance(column, str) or squash(column) not in by_name:
            raise ValidationError(
                f"The mapping file names the column {column!r}, which this file does not have."
            )
        return by_name[squash(column)]

    columns: dict[str, int] = {}
    address: list[int] = []
    for field, column in data.items():
        if field == "address":
            if not isinstance(column, list):
                raise ValidationError("In a mapping file, address is a list of column names.")
            address = [find(c) for c in column]
        elif field in ALIASES:
            columns[field] = find(column)
        else:
            raise ValidationError(
                f"The mapping file names an unknown field {field!r}; known fields are "
                f"{', '.join(sorted([*ALIASES, 'address']))}."
            )
    used: dict[int, str] = {}
    for field, index in [*columns.items(), *(("address", i) for i in address)]:
        if index in used and not (
            field == "address" and used[index] == "address" and address.count(index) == 1
        ):
            raise ValidationError(
                f"The mapping file gives the column '{headers[index]}' for both "
                f"{used[index]} and {field}; each column can hold one field."
            )
        used[index] = field
    layout = Layout("mapping file", columns, tuple(address))
    _check_usable(layout, headers)
    return layout
