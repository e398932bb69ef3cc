"""Reading a bundle's pages back: the rows printed, the subtotals and the petition text.

The bundle marks what it prints (marked-content sequences, see
:mod:`canvass.pdf.bundle_pages`): each row with its number and digest, each
page's subtotal, and the petition text. ``canvass verify`` compares what is
found here with the attached manifest, so a manifest that does not describe
the pages it travels with is caught even in an unsigned copy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

_ROW = re.compile(rb"/CanvassRow <</N (\d+) /D \(([0-9a-f]{64})\)>> BDC")
_PAGE = re.compile(rb"/CanvassPage <</Rows (\d+) /Total (\d+)>> BDC")
_TEXT = re.compile(rb"/CanvassText <</Part (\d+)>> BDC")
_HEX_PAIR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_DELIMS = b"()<>[]{}/% \t\r\n\f\x00"
_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}


@dataclass(slots=True)
class PageScan:
    """What the pages of a bundle show."""

    pages: int = 0
    rows: list[tuple[int, str]] = field(default_factory=list)  # number, digest
    subtotals: list[tuple[int, int]] = field(default_factory=list)  # rows, running total
    text: str = ""


def _pages(node: Any) -> Iterator[Any]:
    node = node.get_object()
    if str(node.get("/Type", "")) == "/Pages" or "/Kids" in node:
        for kid in node["/Kids"]:
            yield from _pages(kid)
    else:
        yield node


def _content(page: Any) -> bytes:
    contents = page.get("/Contents")
    if contents is None:
        return b""
    contents = contents.get_object()
    if isinstance(contents, list):
        return b"\n".join(bytes(c.get_object().data) for c in contents)
    return bytes(contents.data)


def _literal(data: bytes, at: int) -> tuple[bytes, int]:
    """A literal string starting after its ``(``; returns it and the index after ``)``."""
    out = bytearray()
    depth = 1
    i = at
    while i < len(data):
        ch = data[i]
        if ch == 0x5C:  # backslash
            nxt = data[i + 1] if i + 1 < len(data) else 0
            if nxt in _ESCAPES:
                out += _ESCAPES[nxt]
                i += 2
            elif 0x30 <= nxt <= 0x37:
                digits = data[i + 1 : i + 4]
                n = 0
                while n < len(digits) and 0x30 <= digits[n] <= 0x37:
                    n += 1
                out.append(int(digits[:n], 8) & 0xFF)
                i += 1 + n
            elif nxt in (0x0A, 0x0D):
                i += 2
            else:
                out.append(nxt)
                i += 2
            continue
        if ch == 0x28:
            depth += 1
        elif ch == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out), i + 1
        out.append(ch)
        i += 1
    return bytes(out), i


def _tokens(data: bytes, at: int) -> Iterator[tuple[str, bytes]]:
    """PDF content tokens from ``at``: ("str", bytes), ("name", b"/X"), ("op", b"Tj"), ..."""
    i, n = at, len(data)
    while i < n:
        ch = data[i]
        if ch in b" \t\r\n\f\x00":
            i += 1
        elif ch == 0x28:
            text, i = _literal(data, i + 1)
            yield "str", text
        elif data.startswith(b"<<", i) or data.startswith(b">>", i):
            yield "dict", data[i : i + 2]
            i += 2
        elif ch == 0x3C:
            end = data.index(b">", i)
            yield "str", bytes.fromhex(data[i + 1 : end].decode("ascii"))
            i = end + 1
        elif ch in b"[]":
            yield "array", data[i : i + 1]
            i += 1
        elif ch == 0x25:  # comment
            end = data.find(b"\n", i)
            i = n if end < 0 else end + 1
        else:
            start = i
            i += 1
            while i < n and data[i] not in _DELIMS:
                i += 1
            word = data[start:i]
            if ch == 0x2F:
                yield "name", word
            elif word[:1].isdigit() or word[:1] in (b"-", b"+", b"."):
                yield "num", word
            else:
                yield "op", word


def _to_unicode(font: Any) -> dict[int, str]:
    cmap = font.get("/ToUnicode")
    if cmap is None:
        return {}
    data = bytes(cmap.get_object().data)
    table: dict[int, str] = {}
    for section in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, uni in _HEX_PAIR.findall(section):
            table[int(code, 16)] = bytes.fromhex(uni.decode()).decode("utf-16-be", "replace")
    for section in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, start in _RANGE.findall(section):
            first = int(start, 16)
            for k, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                table[code] = chr(first + k)
    return table


def _marked_text(data: bytes, at: int, fonts: Any, cache: dict[str, dict[int, str]]) -> str:
    out: list[str] = []
    table: dict[int, str] = {}
    operands: list[tuple[str, bytes]] = []
    for kind, value in _tokens(data, at):
        if kind != "op":
            operands.append((kind, value))
            continue
        if value == b"EMC":
            break
        if value == b"Tf" and len(operands) >= 2 and operands[-2][0] == "name":
            name = operands[-2][1].decode("latin-1")
            if name not in cache:
                font = fonts.get(name) if fonts is not None else None
                cache[name] = _to_unicode(font.get_object()) if font is not None else {}
            table = cache[name]
        elif value in (b"Tj", b"TJ", b"'", b'"'):
            for k, text in operands:
                if k == "str":
                    out.append("".join(table.get(b, chr(b)) for b in text))
        operands = []
    return "".join(out)


def scan_bundle(source: BinaryIO) -> PageScan:
    """Read the marked rows, subtotals and petition text from every page."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(source, strict=False)
    scan = PageScan()
    texts: list[tuple[int, str]] = []
    for page in _pages(reader.root["/Pages"]):
        scan.pages += 1
        data = _content(page)
        if b"/Canvass" not in data:
            continue
        scan.rows += [(int(n), d.decode()) for n, d in _ROW.findall(data)]
        scan.subtotals += [(int(r), int(t)) for r, t in _PAGE.findall(data)]
        if b"/CanvassText" in data:
            resources = page.get("/Resources")
            fonts = resources.get_object().get("/Font") if resources is not None else None
            fonts = fonts.get_object() if fonts is not None else None
            cache: dict[str, dict[int, str]] = {}
            for match in _TEXT.finditer(data):
                part = int(match.group(1))
                texts.append((part, _marked_text(data, match.end(), fonts, cache)))
    scan.text = "".join(t for _, t in texts)
    return scan
