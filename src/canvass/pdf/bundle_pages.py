"""The bundle's signature pages: 25 numbered rows a page with the drawn signatures.

Rows are drawn straight on the canvas (no Table: one table of 100,000 rows
takes minutes, DESIGN §6), from an iterator, one page at a time, so a
200,000-signature bundle never holds more than a page of rows. Drawn
signatures are vector paths. Each row is wrapped in a marked-content
sequence carrying its number and salted digest (``/CanvassRow``), and each
page's subtotal in one carrying the figures (``/CanvassPage``), so
``canvass verify`` can count the rows actually printed and recompute the
manifest's Merkle root from the pages themselves.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.platypus import Flowable

from canvass.pdf.fonts import BODY, BOLD
from canvass.pdf.styles import BRAND, INK, MUTED, RULE, SHADE

#: The signature pad's shape, width over height (canvass.ui.signature_pad.ASPECT).
SIGNATURE_ASPECT = 3
ROWS_PER_PAGE = 25
ROW_HEIGHT = 17.0
_HEAD = 13.0  # the column headings' band
_TOP = 14.0  # the page's title line
_FOOT = 16.0  # the subtotal line
PAGE_HEIGHT = _TOP + _HEAD + ROWS_PER_PAGE * ROW_HEIGHT + _FOOT
_SIZE = 7.5
_SMALL = 6.8  # an address on two lines
_LEADING = 7.4
#: Line width of drawn signatures, in points.
PEN_WIDTH = 0.5


@dataclass(frozen=True, slots=True)
class BundleRow:
    """One counted signature as printed."""

    number: int  # 1..N through the bundle
    row_id: str  # the signature's id, shortened
    name: str
    address: str  # already shortened in the public edition
    postcode: str
    signed_on: str  # "3 Oct 2026"
    method: str  # "doorstep", "stall", "paper 12/5"
    collector: str
    strokes: Sequence[Sequence[int]]  # 0–1000 box, y down
    digest: str  # salted SHA-256 of the row (hex), as in the manifest


# Column title and width in points; the widths fill landscape A4 between margins.
_COLUMNS: tuple[tuple[str, float], ...] = (
    ("No.", 34),
    ("Name", 150),
    ("Address", 190),
    ("Postcode", 48),
    ("Signed", 50),
    ("How", 56),
    ("Collector", 108),
    ("Signature", 82),
    ("Row id", 44),
)
TABLE_WIDTH = sum(w for _, w in _COLUMNS)
_X = [0.0]
for _, _w in _COLUMNS:
    _X.append(_X[-1] + _w)
_TX = [f"{x + 2.5:.1f}" for x in _X]  # where each column's text starts
_W = [w - 5 for _, w in _COLUMNS]  # the room for text in each column


def _rg(color: Color) -> str:
    return f"{color.red:.3f} {color.green:.3f} {color.blue:.3f} rg"


_INK_RG, _MUTED_RG = _rg(INK), _rg(MUTED)


class _Shower:
    """PDF operators showing a text in an embedded font, remembered once made.

    Dates, methods, collectors and postcodes repeat from row to row. The
    font's subsets belong to one document, so a shower belongs to one canvas.
    """

    def __init__(self, canv: Any) -> None:
        self.doc = canv._doc
        self.escape = canv._escape
        self.made: dict[tuple[str, float, str], str] = {}

    @classmethod
    def of(cls, canv: Any) -> _Shower:
        """The canvas's shower (made on first use)."""
        shower = getattr(canv, "_canvass_shower", None)
        if shower is None or shower.doc is not canv._doc:
            shower = cls(canv)
            canv._canvass_shower = shower
        return shower

    def __call__(self, text: str, font: str, size: float) -> str:
        key = (font, size, text)
        made = self.made.get(key)
        if made is None:
            face = getFont(font)
            made = " ".join(
                f"{face.getSubsetInternalName(subset, self.doc)} {size} Tf "
                f"({self.escape(chunk)}) Tj"
                for subset, chunk in face.splitString(text, self.doc)
            )
            if len(self.made) > 50_000:
                self.made.clear()
            self.made[key] = made
        return made


def _fit(text: str, width: float, font: str = BODY, size: float = _SIZE) -> str:
    """``text`` cut with an ellipsis to fit ``width``."""
    # No glyph is wider than the font size: short texts need no measuring.
    if len(text) * size <= width or stringWidth(text, font, size) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if stringWidth(text[:mid] + "…", font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"


def _address_lines(text: str, width: float) -> tuple[float, list[str]]:
    """The font size and one or two lines for an address."""
    if len(text) * _SIZE <= width or stringWidth(text, BODY, _SIZE) <= width:
        return _SIZE, [text]
    lines = simpleSplit(text, BODY, _SMALL, width)
    if len(lines) <= 2:
        return _SMALL, list(lines)
    return _SMALL, [lines[0], _fit(" ".join(lines[1:]), width, BODY, _SMALL)]


def _pdf_string(text: str) -> str:
    """A PDF literal string for ASCII ``text`` (ids and hex digests)."""
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def stroke_ops(strokes: Sequence[Sequence[int]], x: float, y: float, height: float) -> str:
    """PDF operators drawing ``strokes`` in a box of ``height`` at (x, y), bottom left.

    Strokes are x, y pairs in a 0–1000 box whose y grows downwards, on a pad
    :data:`SIGNATURE_ASPECT` times as wide as high. One uniform scale keeps
    the pen round: x is multiplied by the aspect, and the flip of y is the
    matrix's negative d.
    """
    if not strokes:
        return ""
    scale = height / 1000
    pen = PEN_WIDTH / scale
    out = [f"q 1 J 1 j {scale:.6f} 0 0 {-scale:.6f} {x:.2f} {y + height:.2f} cm {pen:.1f} w"]
    aspect = SIGNATURE_ASPECT
    for stroke in strokes:
        n = len(stroke) // 2
        if n == 0:
            continue
        points = list(stroke[: 2 * n])
        points[0::2] = [aspect * v for v in points[0::2]]
        if n == 1:  # a dot: a zero-length line with round caps
            points += points
            n = 2
        out.append(("%d %d m " + "%d %d l " * (n - 1)) % tuple(points))
    out.append("S Q")
    return "\n".join(out)


class SignaturePage(Flowable):  # type: ignore[misc]
    """One page of rows, with headings and the page's subtotal."""

    def __init__(
        self,
        rows: Sequence[BundleRow],
        *,
        page: int,
        pages: int,
        running: int,
        total: int,
        edition: str,
        redacted: bool = False,
    ) -> None:
        super().__init__()
        self.redacted = redacted
        self.rows = rows
        self.page, self.pages = page, pages
        self.running, self.total = running, total
        self.edition = edition

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Always a whole page."""
        return TABLE_WIDTH, PAGE_HEIGHT

    def draw(self) -> None:
        """Draw the page: the canvas origin is the flowable's bottom left."""
        c = self.canv
        top = PAGE_HEIGHT
        c.setFont(BOLD, 9)
        c.setFillColor(BRAND)
        c.drawString(0, top - 10, f"Signatures — page {self.page:,} of {self.pages:,}")
        c.setFont(BODY, 7.5)
        c.setFillColor(MUTED)
        c.drawRightString(TABLE_WIDTH, top - 10, self.edition)
        head_top = top - _TOP
        c.setFillColor(SHADE)
        c.rect(0, head_top - _HEAD, TABLE_WIDTH, _HEAD, stroke=0, fill=1)
        c.setFillColor(INK)
        c.setFont(BOLD, 7.5)
        for (title, _), x in zip(_COLUMNS, _X, strict=False):
            if title == "Address" and self.redacted:
                title = "Town (street and number hidden)"
            c.drawString(x + 2.5, head_top - 9.3, title)
        rows_top = head_top - _HEAD
        bottom = rows_top - ROW_HEIGHT * len(self.rows)
        self._grid(rows_top, bottom)
        for i, row in enumerate(self.rows):
            self._row(row, rows_top - ROW_HEIGHT * (i + 1))
        self._subtotal(rows_top - ROW_HEIGHT * ROWS_PER_PAGE)

    def _grid(self, top: float, bottom: float) -> None:
        c = self.canv
        c.setStrokeColor(RULE)
        c.setLineWidth(0.4)
        ys = [top - ROW_HEIGHT * i for i in range(len(self.rows) + 1)]
        lines: list[tuple[float, float, float, float]] = [(0, y, TABLE_WIDTH, y) for y in ys]
        lines += [(x, top + _HEAD, x, bottom) for x in _X[1:-1]]
        c.lines(lines)

    def _row(self, row: BundleRow, y: float) -> None:
        # Written as PDF operators: the text object API costs three times as
        # much a cell, and a 200,000-signature bundle has 1.6 million cells.
        show = _Shower.of(self.canv)
        base = y + ROW_HEIGHT / 2 - 2.6  # one line, centred in the row
        b = f"{base:.2f}"
        parts = [
            f"/CanvassRow <</N {row.number} /D {_pdf_string(row.digest)}>> BDC BT {_INK_RG}",
            f"1 0 0 1 {_TX[0]} {b} Tm {show(f'{row.number:,}', BODY, _SIZE)}",
            f"1 0 0 1 {_TX[1]} {b} Tm {show(_fit(row.name, _W[1], BOLD), BOLD, _SIZE)}",
            f"1 0 0 1 {_TX[3]} {b} Tm {show(row.postcode, BODY, _SIZE)}",
            f"1 0 0 1 {_TX[4]} {b} Tm {show(row.signed_on, BODY, _SIZE)}",
            f"1 0 0 1 {_TX[5]} {b} Tm {show(_fit(row.method, _W[5]), BODY, _SIZE)}",
            f"1 0 0 1 {_TX[6]} {b} Tm {show(_fit(row.collector, _W[6]), BODY, _SIZE)}",
        ]
        size, address = _address_lines(row.address, _W[2])
        top = base + (_LEADING / 2 + 0.4 if len(address) == 2 else 0)
        for n, line in enumerate(address):
            parts.append(f"1 0 0 1 {_TX[2]} {top - n * _LEADING:.2f} Tm {show(line, BODY, size)}")
        parts.append(f"{_MUTED_RG} 1 0 0 1 {_TX[8]} {b} Tm {show(row.row_id, BODY, 6.3)}")
        ops = ""
        if row.strokes:
            box_h = ROW_HEIGHT - 2.5
            box_x = _X[7] + (_COLUMNS[7][1] - box_h * SIGNATURE_ASPECT) / 2
            ops = stroke_ops(row.strokes, box_x, y + 1.25, box_h)
        if not ops:  # signed on paper, or at the door without the pad
            note = "on the paper sheet" if row.method.startswith("paper") else "not drawn"
            parts.append(f"1 0 0 1 {_TX[7]} {b} Tm {show(note, BODY, 6.3)}")
        parts.append("ET")
        if ops:
            parts.append(f"{_INK_RG.upper()} {ops}")
        parts.append("EMC")
        self.canv.addLiteral("\n".join(parts))

    def _subtotal(self, y: float) -> None:
        c = self.canv
        n = len(self.rows)
        c.addLiteral(f"/CanvassPage <</Rows {n} /Total {self.running}>> BDC")
        c.setFont(BOLD, 8.5)
        c.setFillColor(INK)
        c.drawRightString(
            TABLE_WIDTH,
            y - 11,
            f"This page {n:,} · running total {self.running:,} of {self.total:,}",
        )
        c.addLiteral("EMC")


class SignatureRun(Flowable):  # type: ignore[misc]
    """All the signature pages, made one at a time from an iterator of rows.

    Platypus asks it to split at each page: it hands over the next page and
    itself as the rest, so the story never holds more than one page of rows.
    """

    def __init__(
        self, rows: Iterator[BundleRow], *, total: int, edition: str, redacted: bool = False
    ) -> None:
        super().__init__()
        self._redacted = redacted
        self._rows = rows
        self._total = total
        self._edition = edition
        self._page = 0
        self._running = 0
        self._pages = max(1, -(-total // ROWS_PER_PAGE))
        self._next: list[BundleRow] = list(islice(rows, ROWS_PER_PAGE))

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Nothing left: no height; else more than a page, so that platypus splits it."""
        if not self._next:
            return avail_width, 0
        return avail_width, avail_height + PAGE_HEIGHT

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        """The next page and the rest, or nothing on a page already begun."""
        if not self._next or avail_height < PAGE_HEIGHT:
            return []
        # Platypus marks a flowable it moved to a new page and refuses to move
        # it twice; this one moves at every page by design.
        self.__dict__.pop("_postponed", None)
        rows, self._next = self._next, list(islice(self._rows, ROWS_PER_PAGE))
        self._page += 1
        self._running += len(rows)
        page = SignaturePage(
            rows,
            page=self._page,
            pages=self._pages,
            running=self._running,
            total=self._total,
            edition=self._edition,
            redacted=self._redacted,
        )
        return [page, self] if self._next else [page]

    def draw(self) -> None:
        """Nothing to draw once the rows are used up."""

    @property
    def pages(self) -> int:
        """How many pages the rows take."""
        return self._pages


def signature_page_count(rows: int) -> int:
    """Pages ``rows`` signatures take (one page even for none)."""
    return max(1, -(-rows // ROWS_PER_PAGE))
