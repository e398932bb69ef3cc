"""Reading a council's register file into plain entries, row by row.

Nothing here touches the database: the result is a list of entries and a
list of rows that could not be read, each with its line number and reason.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from canvass.domain.address_lines import ParsedAddress, parse_address_lines, tidy
from canvass.domain.electors import ElectorNumber, parse_elector_number, parse_suffix
from canvass.domain.errors import ValidationError
from canvass.domain.progress import Progress, Task
from canvass.domain.values import clean_string
from canvass.registers.layouts import Layout, detect_layout, load_mapping

#: No field in a register is anywhere near this long; a longer one means the
#: file is not a register (or is damaged), and reading on would waste memory.
MAX_FIELD = 4096
_CHUNK = 1 << 20
_OTHER_ELECTORS = re.compile(r"^\s*other\s+electors?\s*$", re.IGNORECASE)
_Z_PREFIX = re.compile(r"^\(\s*z\s*\)\s*", re.IGNORECASE)
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y")


class RegisterFileError(ValidationError):
    """The file as a whole cannot be read as a register; nothing was imported."""


@dataclass(frozen=True, slots=True)
class Rejection:
    """A row that was not imported."""

    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class RegisterEntry:
    """One elector as read from the file."""

    line: int
    number: ElectorNumber
    title: str
    forenames: str
    surname: str
    markers: str
    attainment_date: str | None  # YYYY-MM-DD
    address: ParsedAddress | None  # None for "other electors"


@dataclass
class RegisterFile:
    """Everything read from one file."""

    entries: list[RegisterEntry] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    layout: str = ""
    encoding: str = ""
    delimiter: str = ""
    rows: int = 0


def detect_encoding(path: Path) -> str:
    """The file's encoding: UTF-16 by its BOM, else the first of UTF-8, cp1252, latin-1 that fits.

    Raises:
        RegisterFileError: For an empty file or one with binary content.
    """
    size = path.stat().st_size
    if size == 0:
        raise RegisterFileError(f"{path.name} is empty. Export the register again.")
    with path.open("rb") as fh:
        head = fh.read(65536)
    # Excel's "Unicode Text" export: UTF-16 with a byte-order mark (and NUL
    # bytes everywhere, so this comes before the binary check).
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        _check_decodes(path, "utf-16")
        return "utf-16"
    if b"\x00" in head:
        raise RegisterFileError(
            f"{path.name} is not a text file (it holds binary data). Export the register "
            "from the council's file as CSV or tab-separated text."
        )
    bom = head.startswith(codecs.BOM_UTF8)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        return "utf-8-sig" if bom else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                chunk.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def _check_decodes(path: Path, encoding: str) -> None:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise RegisterFileError(
            f"{path.name} is damaged: it says it is {encoding.upper()} text but byte "
            f"{exc.start:,} is not. Export the register again."
        ) from None


def detect_delimiter(header_line: str) -> str:
    """The separator of the header line: tab, comma or semicolon, whichever is most used."""
    counts = {d: header_line.count(d) for d in ("\t", ",", ";")}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0:
        raise RegisterFileError(
            "The first line has no commas, tabs or semicolons, so it is not a table of columns."
        )
    return best


def _date(text: str, what: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise ValidationError(f"{what} '{text}' is not a date (day/month/year)")


def _eighteenth_birthday(dob: str) -> str:
    born = dt.date.fromisoformat(dob)
    try:
        return born.replace(year=born.year + 18).isoformat()
    except ValueError:  # born on 29 February
        return born.replace(year=born.year + 18, day=28).isoformat()


class _RowReader:
    """Turns one row of cells into a :class:`RegisterEntry`."""

    def __init__(self, layout: Layout, headers: int) -> None:
        self.layout = layout
        self.headers = headers
        self.cols = layout.columns
        self.width = max([*layout.columns.values(), *layout.address_columns, 0]) + 1
        self._parsed: dict[tuple[str, ...], ParsedAddress] = {}

    def cell(self, row: list[str], field_name: str) -> str:
        index = self.cols.get(field_name)
        if index is None or index >= len(row):
            return ""
        text = row[index].strip()
        return clean_string(text, field=field_name.replace("_", " ")) if text else ""

    @staticmethod
    def _at(row: list[str], index: int) -> str:
        text = row[index].strip() if index < len(row) else ""
        return clean_string(text, field="address") if text else ""

    def read(self, line: int, row: list[str]) -> RegisterEntry:
        number = self._number(row)
        surname, forenames = self._names(row)
        if not surname and not forenames:
            raise ValidationError("the elector has no name")
        markers = "".join(c for c in self.cell(row, "markers").upper() if c.isalpha())
        attainment = _date(self.cell(row, "attainment"), "the attainment date")
        dob = _date(self.cell(row, "dob"), "the date of birth")
        if attainment is None and dob is not None:
            # Only attainers have an attainment date; an adult's date of birth is not one.
            eighteen = _eighteenth_birthday(dob)
            if eighteen > dt.date.today().isoformat():
                attainment = eighteen
        address = self._address(row)
        if address is None and len(row) < self.headers and not self._says_other(row):
            raise ValidationError(
                f"the row has {len(row)} of the {self.headers} columns and no address; "
                "it looks cut off"
            )
        entry = RegisterEntry(
            line=line,
            number=number,
            title=tidy(self.cell(row, "title")).rstrip("."),
            forenames=forenames,
            surname=surname,
            markers=markers[:16],
            attainment_date=attainment,
            address=address,
        )
        _check_lengths(entry)
        return entry

    def _says_other(self, row: list[str]) -> bool:
        return bool(_OTHER_ELECTORS.match(self.cell(row, "postcode")))

    def _number(self, row: list[str]) -> ElectorNumber:
        raw = self.cell(row, "number")
        district = self.cell(row, "district")
        if not raw:
            raise ValidationError("the elector number is missing")
        if raw.isdigit():
            if not district:
                raise ValidationError(
                    f"elector number {raw} has no polling district (no district column)"
                )
            parsed = ElectorNumber(
                district.upper(), int(raw), parse_suffix(self.cell(row, "suffix"))
            )
        else:
            parsed = parse_elector_number(raw, district=district or None)
            if district and parsed.district != district.upper():
                raise ValidationError(
                    f"the elector number {raw} does not belong to polling district "
                    f"{district.upper()} given on the same row"
                )
            suffix = self.cell(row, "suffix")
            if suffix and not parsed.suffix:
                parsed = ElectorNumber(parsed.district, parsed.number, parse_suffix(suffix))
        return parsed

    def _names(self, row: list[str]) -> tuple[str, str]:
        surname = _Z_PREFIX.sub("", self.cell(row, "surname"))
        forenames = self.cell(row, "forenames")
        if not surname and self.layout.has("full_name"):
            # "Elector Name" is surname first: "TESTWELL, Ada Mary" or "TESTWELL Ada Mary".
            full = _Z_PREFIX.sub("", self.cell(row, "full_name"))
            if "," in full:
                surname, _, forenames = (p.strip() for p in full.partition(","))
            else:
                surname, forenames = _split_surname_first(full)
        initials = self.cell(row, "initials")
        if initials and initials.replace(".", "").replace(" ", "") not in forenames.replace(
            " ", ""
        ):
            forenames = f"{forenames} {initials}".strip()
        return tidy(surname), tidy(forenames)

    def _address(self, row: list[str]) -> ParsedAddress | None:
        postcode = self.cell(row, "postcode")
        if _OTHER_ELECTORS.match(postcode):
            return None
        lines = [self._at(row, i) for i in self.layout.address_columns]
        if any(self.layout.has(f) for f in ("street", "house_number", "house_name", "flat")):
            number = self.cell(row, "house_number")
            street = self.cell(row, "street")
            first = " ".join(p for p in (number, street) if p)
            parts = [
                self.cell(row, "flat"),
                self.cell(row, "house_name"),
                first,
                self.cell(row, "locality"),
                *lines,
            ]
            flat = self.cell(row, "flat")
            if flat and not re.match(r"(?i)^(flat|apartment|apt|unit)\b", flat):
                parts[0] = f"Flat {flat}"
            lines = [p for p in parts if p]
        lines = [line for line in lines if line and not _OTHER_ELECTORS.match(line)]
        if not lines and not postcode:
            return None
        # Everyone in a household has the same address lines: parse them once.
        key = (*lines, postcode)
        address = self._parsed.get(key)
        if address is None:
            address = self._parsed[key] = parse_address_lines(lines, postcode)
        if not address.street and not address.house_name:
            return None
        return address


def _rows(path: Path, encoding: str) -> Iterator[tuple[int, list[str], str]]:
    """(line number, cells, delimiter) for each row; the header first."""
    csv.field_size_limit(MAX_FIELD)
    with path.open(encoding=encoding, newline="") as fh:
        header_line = fh.readline(MAX_FIELD * 4)
        try:
            delimiter = detect_delimiter(header_line)
        except RegisterFileError as exc:
            raise RegisterFileError(f"{path.name}: {exc}") from None
        fh.seek(0)
        reader = csv.reader(fh, delimiter=delimiter)
        start = 1
        try:
            for row in reader:
                # A quoted cell may run over several lines: report where the record starts.
                yield start, row, delimiter
                start = reader.line_num + 1
        except csv.Error as exc:
            raise RegisterFileError(
                f"Line {start} cannot be read ({exc}); a field longer than "
                f"{MAX_FIELD:,} characters means this is not a register file. "
                "Nothing was imported."
            ) from exc


@dataclass(frozen=True)
class Peek:
    """The start of a file, for a preview or a column-mapping screen."""

    encoding: str
    delimiter: str
    headers: list[str]
    rows: list[list[str]]
    layout: str  # the recognised layout, or "" when it needs a mapping
    problem: str  # why the layout is not recognised, or ""


def peek(path: Path, rows: int = 8) -> Peek:
    """Read the header and first rows of a register file without importing it.

    Raises:
        RegisterFileError: If the file is empty, binary or not a table.
    """
    if not path.is_file():
        raise RegisterFileError(f"There is no file at {path}.")
    encoding = detect_encoding(path)
    it = _rows(path, encoding)
    try:
        _, headers, delimiter = next(it)
    except StopIteration:
        raise RegisterFileError(f"{path.name} has no rows.") from None
    headers = [h.strip().lstrip("\ufeff") for h in headers]
    first: list[list[str]] = []
    for _, row, _ in it:
        if len(first) >= rows:
            break
        first.append(row)
    try:
        layout, problem = detect_layout(headers).name, ""
    except ValidationError as exc:
        layout, problem = "", str(exc)
    return Peek(encoding, delimiter, headers, first, layout, problem)


def row_reader(layout: Layout, headers: int) -> Callable[[int, list[str]], RegisterEntry]:
    """A function reading one row exactly as an import does (for previews).

    Args:
        layout: Which column holds which field.
        headers: How many columns the header row has.

    Returns:
        ``read(line, cells)``, which raises ValidationError for an unreadable row.
    """
    return _RowReader(layout, headers).read


#: Longest value of each kind the database keeps (storage/tables_*.py).
_LIMITS = (("title", 32), ("forenames", 200), ("surname", 200))
_ADDRESS_LIMITS = (("flat", 64), ("house_name", 200), ("street", 200), ("town", 200))


def _check_lengths(entry: RegisterEntry) -> None:
    for name, limit in _LIMITS:
        if len(getattr(entry, name)) > limit:
            raise ValidationError(f"the {name} is longer than {limit} characters")
    if entry.address is not None:
        for name, limit in _ADDRESS_LIMITS:
            if len(getattr(entry.address, name)) > limit:
                raise ValidationError(
                    f"the {name.replace('_', ' ')} is longer than {limit} characters"
                )


def _split_surname_first(full: str) -> tuple[str, str]:
    """Split a surname-first name: "VAN DER BERG Anna" gives ("VAN DER BERG", "Anna").

    Registers write the surname in capitals before the forenames: the leading
    run of all-capital words is the surname (at least the first word).
    """
    words = full.split()
    cut = 1
    while cut < len(words) and words[cut].isupper() and any(c.isalpha() for c in words[cut]):
        cut += 1
    if cut == len(words):  # all capitals: only the first word can be taken as the surname
        cut = 1
    return " ".join(words[:cut]), " ".join(words[cut:])


def read_register(
    path: Path, mapping: Path | None = None, *, every: int = 5000
) -> Task[RegisterFile]:
    """Read a register file; yields progress, returns entries and rejected rows.

    Raises:
        RegisterFileError: If the file as a whole is unusable (empty, binary,
            no recognisable columns, an absurdly long field).
    """
    if not path.is_file():
        raise RegisterFileError(f"There is no file at {path}.")
    encoding = detect_encoding(path)
    result = RegisterFile(encoding=encoding)
    rows = _rows(path, encoding)
    try:
        _, headers, result.delimiter = next(rows)
    except StopIteration:
        raise RegisterFileError(f"{path.name} has no rows.") from None
    headers = [h.strip().lstrip("\ufeff") for h in headers]
    layout = load_mapping(mapping, headers) if mapping else detect_layout(headers)
    result.layout = layout.name
    reader = _RowReader(layout, len(headers))
    for line, row, _ in rows:
        if not any(cell.strip() for cell in row):
            continue
        result.rows += 1
        try:
            result.entries.append(reader.read(line, row))
        except ValidationError as exc:
            result.rejected.append(Rejection(line, str(exc).rstrip(".")))
        if result.rows % every == 0:
            yield Progress(result.rows, 0, "Reading the register")
    if result.rows == 0:
        raise RegisterFileError(f"{path.name} has a header row but no electors.")
    if not result.entries and result.rejected:
        first = result.rejected[0]
        raise RegisterFileError(
            f"No row of {path.name} could be read; line {first.line}: {first.reason}. "
            "Check the file, or give a mapping file with --mapping."
        )
    return result
