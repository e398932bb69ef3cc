"""What every leaflet layout uses: fonts, inks, text styles, and fitting text into boxes.

Layouts measure everything first (so a warning names the template and field
that does not fit), then draw. Text that does not fit at full size is shrunk a
little (never below ``MIN_SCALE``); what still does not fit is reported and
marked on the page with a red overflow box, never dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from canvass.domain.leaflet_markup import parse_markup
from canvass.domain.leaflet_spec import LeafletSpec
from canvass.pdf.leaflet_type import family, glyphs, inks

MIN_SCALE = 0.8
#: Draws one page of one copy, in trimmed-page coordinates (points).
PageDraw = Callable[[Canvas], None]
_STEPS = (1.0, 0.95, 0.9, 0.85, MIN_SCALE)
#: Short texts are set a little larger (up to this) rather than float in white space.
MAX_GROW = 1.25


@dataclass(frozen=True, slots=True)
class Piece:
    """What the layouts need: the spec and what the campaign adds to it."""

    spec: LeafletSpec
    campaign: str
    organisation: str
    imprint: str  # printed on every page of every copy
    printed_on: str  # "3 April 2027", for letters
    base_dir: Path | None = None  # image paths are relative to it


# -- text ----------------------------------------------------------------------


def xml(text: str) -> str:
    """Plain text as paragraph markup: escaped, line breaks kept."""
    return escape(text.strip()).replace("\n", "<br/>")


def runs_xml(text: str) -> list[tuple[str, bool]]:
    """The blocks of body markup as paragraph XML, each with whether it is a bullet."""
    out = []
    for block in parse_markup(text):
        parts = []
        for run in block.runs:
            chunk = escape(run.text)
            if run.italic:
                chunk = f"<i>{chunk}</i>"
            if run.bold:
                chunk = f"<b>{chunk}</b>"
            parts.append(chunk)
        out.append(("".join(parts), block.bullet))
    return out


@dataclass(frozen=True, slots=True)
class Placed:
    """A flowable wrapped to its box and where it goes."""

    flowable: Flowable
    x: float
    y: float
    height: float


@dataclass(slots=True)
class Flowed:
    """Text laid into boxes: what goes where, at what scale, and what did not fit."""

    boxes: list[list[Placed]]
    scale: float
    leftover: list[Flowable]
    ends: list[float] = field(default_factory=list)  # the y below the last line, per box

    def draw(self, c: Canvas) -> None:
        """Draw every placed flowable."""
        for box in self.boxes:
            for p in box:
                p.flowable.drawOn(c, p.x, p.y)

    @property
    def fits(self) -> bool:
        """Whether everything fitted."""
        return not self.leftover


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle to flow text into: left, bottom, width, height (points)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def top(self) -> float:
        """The top edge."""
        return self.y + self.h


def flow(flowables: Sequence[Flowable], boxes: Sequence[Box]) -> Flowed:
    """Lay flowables into boxes in order, splitting paragraphs across boxes."""
    queue = list(flowables)
    placed: list[list[Placed]] = []
    ends: list[float] = []
    for box in boxes:
        here: list[Placed] = []
        used = 0.0
        while queue:
            f = queue[0]
            before = f.getSpaceBefore() if here else 0.0
            room = box.h - used - before
            if room <= 0:
                break
            _, h = f.wrap(box.w, room)
            if h <= room + 0.01:
                queue.pop(0)
                used += before
                here.append(Placed(f, box.x, box.top - used - h, h))
                used += h + f.getSpaceAfter()
                continue
            parts = f.split(box.w, room)
            if len(parts) < 2:
                break
            first, rest = parts[0], parts[1:]
            _, h = first.wrap(box.w, room)
            used += before
            here.append(Placed(first, box.x, box.top - used - h, h))
            used += h
            queue[0:1] = rest
            break
        placed.append(here)
        ends.append(box.top - min(used, box.h))
    return Flowed(placed, 1.0, queue, ends)


def plain_words(flowables: Sequence[Flowable]) -> list[str]:
    """The words of flowables that did not fit."""
    words: list[str] = []
    for f in flowables:
        text = f.getPlainText() if isinstance(f, Paragraph) else ""
        words.extend(text.split())
    return words


class Kit:
    """The fonts, inks, styles and warnings of one leaflet being laid out."""

    def __init__(
        self, spec: LeafletSpec, *, cmyk: bool = False, bleed: float = 0.0, max_dpi: int = 300
    ) -> None:
        self.spec = spec
        self.max_dpi = max_dpi
        self.template = spec.template
        self.fonts = family(spec.font)
        self.inks = inks(spec.colour, cmyk=cmyk)
        self.cmyk = cmyk
        self.bleed = bleed
        self.warnings: list[str] = []
        #: Layouts shared by copies (a mail merge's letter body), by the layout's key.
        self.cache: dict[object, Flowed] = {}

    def warn(self, message: str) -> None:
        """Add a warning once."""
        if message not in self.warnings:
            self.warnings.append(message)

    def check_glyphs(self, text: str, what: str) -> None:
        """Warn about characters the chosen font cannot print (emoji, other scripts)."""
        have = glyphs(self.fonts.regular)
        missing = sorted({ch for ch in text if ord(ch) > 32 and ord(ch) not in have})
        if missing:
            self.warn(
                f"{self.template}: '{what}' has characters the {self.spec.font} font cannot "
                f"print ({' '.join(missing[:8])}); they would show as empty boxes. "
                "Remove or replace them."
            )

    def style(
        self,
        size: float,
        *,
        leading: float | None = None,
        font: str | None = None,
        colour: colors.Color | None = None,
        align: int = TA_LEFT,
        after: float = 0.0,
        before: float = 0.0,
    ) -> ParagraphStyle:
        """A paragraph style in this leaflet's family and inks."""
        return ParagraphStyle(
            f"s{size}",
            fontName=font or self.fonts.regular,
            fontSize=size,
            leading=leading or size * 1.3,
            textColor=colour or self.inks.ink,
            alignment=align,
            spaceAfter=after,
            spaceBefore=before,
            bulletFontName=self.fonts.bold,
            bulletColor=self.inks.brand,
        )

    def text(self, text: str, style: ParagraphStyle, what: str) -> Paragraph:
        """One paragraph of plain text (line breaks kept)."""
        self.check_glyphs(text, what)
        return Paragraph(xml(text), style)

    def body(
        self,
        text: str,
        size: float,
        what: str,
        *,
        colour: colors.Color | None = None,
        leading: float = 1.36,
    ) -> list[Flowable]:
        """Body markup as paragraphs and bullet points at ``size`` points."""
        self.check_glyphs(text, what)
        para = self.style(size, leading=size * leading, colour=colour, after=size * 0.55)
        bullet = ParagraphStyle(
            f"b{size}",
            parent=para,
            leftIndent=size * 1.25,
            bulletIndent=size * 0.15,
            spaceAfter=size * 0.3,
        )
        out: list[Flowable] = []
        blocks = runs_xml(text)
        for i, (chunk, is_bullet) in enumerate(blocks):
            if is_bullet:
                last = i + 1 == len(blocks) or not blocks[i + 1][1]
                style = (
                    bullet
                    if not last
                    else ParagraphStyle("bl", parent=bullet, spaceAfter=para.spaceAfter)
                )
                out.append(Paragraph(chunk, style, bulletText="•"))
            else:
                out.append(Paragraph(chunk, para))
        return out

    def fit(
        self,
        make: Callable[[float], Sequence[Flowable]],
        boxes: Sequence[Box],
        what: str,
        *,
        hint: str = "shorten it",
        balance: int = 0,
        grow: int = 0,
    ) -> Flowed:
        """Flow ``make(scale)`` into boxes, shrinking down to MIN_SCALE to fit.

        What still does not fit is left over: warned about (naming the template and
        field) and marked on the page by :meth:`mark_overflow`. With ``grow`` n, a
        short text is set up to MAX_GROW larger if it still fits the first n boxes.
        With ``balance`` n,
        text that fits in the first n boxes (columns side by side) is shared evenly
        between them rather than filling the first and leaving the next empty.
        """
        result = self.fit_together([(make, boxes, what)], hint=hint, grow=grow)[0]
        if balance < 2 or not result.fits or any(result.boxes[balance:]):
            return result
        columns = boxes[:balance]
        low, high = 0.0, min(b.h for b in columns)
        best = result
        for _ in range(12):
            mid = (low + high) / 2
            trial = flow(make(result.scale), [Box(b.x, b.top - mid, b.w, mid) for b in columns])
            if trial.fits:
                high, best = mid, trial
            else:
                low = mid
        best.scale = result.scale
        best.boxes += [[] for _ in boxes[balance:]]
        best.ends += [b.top for b in boxes[balance:]]
        return best

    def fit_together(
        self,
        streams: Sequence[tuple[Callable[[float], Sequence[Flowable]], Sequence[Box], str]],
        *,
        hint: str = "shorten it",
        grow: int = 0,
    ) -> list[Flowed]:
        """Like :meth:`fit` for texts set side by side, which shrink together."""
        results: list[Flowed] = []
        for scale in (MAX_GROW, 1.2, 1.15, 1.1, 1.05) if grow else ():
            # Larger type only if it fits in the first ``grow`` boxes of each stream.
            if all(flow(make(scale), boxes[:grow]).fits for make, boxes, _ in streams):
                results = [flow(make(scale), boxes) for make, boxes, _ in streams]
                for r in results:
                    r.scale = scale
                return results
        for scale in _STEPS:
            results = [flow(make(scale), boxes) for make, boxes, _ in streams]
            for r in results:
                r.scale = scale
            if all(r.fits for r in results):
                break
        for r, (_, _, what) in zip(results, streams, strict=True):
            if not r.fits:
                words = plain_words(r.leftover)
                start = " ".join(words[:6])
                self.warn(
                    f"{self.template}: the {what} does not fit, even in smaller type; "
                    f"{len(words)} words are left over (from “{start}…”). "
                    f"{hint[0].upper()}{hint[1:]}."
                )
        return results

    def headline(
        self,
        text: str,
        width: float,
        height: float,
        sizes: tuple[float, float],
        what: str = "headline",
        *,
        colour: colors.Color | None = None,
        align: int = TA_LEFT,
        font: str | None = None,
        leading: float = 1.06,
        welsh: str = "",
    ) -> tuple[Paragraph, float]:
        """The biggest headline (from ``sizes[0]`` down to ``sizes[1]``) that fits the box.

        A Welsh headline comes first, the English one under it at the same size in
        a paler shade, so each reads as a whole.
        """
        markup = xml(text)
        if welsh.strip():
            markup = f'{xml(welsh)}<br/><font color="{self.inks.second_markup}">{markup}</font>'
            text = f"{welsh}\n{text}"
        self.check_glyphs(text, what)
        big, small = sizes
        size = big
        while True:
            style = self.style(
                size,
                leading=size * leading,
                font=font or self.fonts.display,
                colour=colour or self.inks.on_brand,
                align=align,
            )
            para = Paragraph(markup, style)
            _, h = para.wrap(width, height)
            longest = max(
                (pdfmetrics.stringWidth(w, style.fontName, size) for w in text.split()), default=0
            )
            if (h <= height and longest <= width) or size <= small:
                break
            size = max(small, size - max(1.0, size * 0.06))
        if h > height or longest > width:
            self.warn(
                f"{self.template}: the {what} is too long for its space even at {size:.0f} pt; "
                "shorten it."
            )
        return para, h

    def fill(
        self,
        c: Canvas,
        colour: colors.Color,
        x: float,
        y: float,
        w: float,
        h: float,
        page: tuple[float, float],
    ) -> None:
        """A filled rectangle; edges on the page's edge run on into the bleed."""
        b = self.bleed
        pw, ph = page
        x0 = x - b if x <= 0.01 else x
        y0 = y - b if y <= 0.01 else y
        x1 = x + w + b if x + w >= pw - 0.01 else x + w
        y1 = y + h + b if y + h >= ph - 0.01 else y + h
        c.setFillColor(colour)
        c.rect(x0, y0, x1 - x0, y1 - y0, stroke=0, fill=1)

    def mark_overflow(self, c: Canvas, flowed: Flowed, box: Box) -> None:
        """A red box with a plus at the end of a text that does not fit (as in DTP programs)."""
        if flowed.fits:
            return
        s = 4 * mm
        x, y = box.x + box.w - s, box.y - 1.2 * mm - s / 2
        c.saveState()
        c.setFillColor(self.inks.alert)
        c.rect(x, y, s, s, stroke=0, fill=1)
        c.setStrokeColor(self.inks.paper)
        c.setLineWidth(1.2)
        c.line(x + s / 2, y + 0.8 * mm, x + s / 2, y + s - 0.8 * mm)
        c.line(x + 0.8 * mm, y + s / 2, x + s - 0.8 * mm, y + s / 2)
        c.restoreState()
