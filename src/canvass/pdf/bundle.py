"""The signed petition bundle handed to the councillor, as one PDF.

Cover letter, the exact text with its hash, counts, the method and consent
statement, the numbered signature pages (landscape, drawn signatures, page
subtotals), and appendices with the exclusions and how to check a row.
Everything but the signature pages is an ordinary platypus story; the
signature pages are made from an iterator one page at a time
(:mod:`canvass.pdf.bundle_pages`) and the file is written as it grows
(:mod:`canvass.pdf.bundle_stream`), so a 200,000-signature bundle needs no
more memory than a 20-signature one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, BinaryIO

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
)

from canvass.pdf.bundle_facts import BundleFacts
from canvass.pdf.bundle_pages import BundleRow, SignatureRun, signature_page_count
from canvass.pdf.bundle_sections import appendix_story, front_story
from canvass.pdf.fonts import BODY, BOLD, register_fonts
from canvass.pdf.styles import BRAND, INK, MUTED, RULE, SHADE, styles

MARGIN = 14 * mm
#: Where the visible signature sits on the cover: x1, y1, x2, y2 in points.
STAMP_BOX = (int(MARGIN), int(MARGIN + 4 * mm), int(MARGIN + 100 * mm), int(MARGIN + 30 * mm))
_STAMP_ROOM = 44 * mm  # kept free at the foot of the cover for the stamp and its caption

__all__ = [
    "STAMP_BOX",
    "BundleFacts",
    "BundleRow",
    "build_bundle",
    "stamp_appearance",
]


class _Furniture:
    """Header, footer with the imprint, and "Page x of y" on every page."""

    def __init__(self, facts: BundleFacts, total_pages: int) -> None:
        self.facts = facts
        self.total = total_pages
        register_fonts()
        self._imprint: dict[float, list[str]] = {}

    def _imprint_lines(self, width: float) -> list[str]:
        if width not in self._imprint:
            self._imprint[width] = simpleSplit(self.facts.footer, BODY, 6.8, width)[:3]
        return self._imprint[width]

    def __call__(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        width, height = canvas._pagesize
        canvas.saveState()
        canvas.setFillColor(BRAND)
        canvas.setFont(BOLD, 8.5)
        canvas.drawString(MARGIN, height - MARGIN, self.facts.campaign)
        canvas.setFillColor(MUTED)
        canvas.setFont(BODY, 7.5)
        title = f"Petition bundle · {self.facts.title}"
        if len(title) > 90:
            title = title[:89] + "…"
        canvas.drawRightString(width - MARGIN, height - MARGIN, title)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, height - MARGIN - 2.5 * mm, width - MARGIN, height - MARGIN - 2.5 * mm)
        canvas.line(MARGIN, MARGIN - 1 * mm, width - MARGIN, MARGIN - 1 * mm)
        canvas.setFont(BODY, 6.8)
        y = MARGIN - 4 * mm
        for line in self._imprint_lines(width - 2 * MARGIN - 32 * mm):
            canvas.drawString(MARGIN, y, line)
            y -= 8
        canvas.setFont(BODY, 7.5)
        canvas.drawRightString(
            width - MARGIN, MARGIN - 4 * mm, f"Page {doc.page:,} of {self.total:,}"
        )
        canvas.restoreState()

    def cover(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        self(canvas, doc)
        x1, y1, x2, y2 = STAMP_BOX
        canvas.saveState()
        canvas.setFont(BOLD, 8)
        canvas.setFillColor(INK)
        if self.facts.signing is not None:
            canvas.drawString(x1, y2 + 3 * mm, "Digital signature of the campaign")
            canvas.setFont(BODY, 7)
            canvas.setFillColor(MUTED)
            canvas.drawString(
                x2 + 4 * mm, y1 + 16 * mm, "Certifies every page and the attached manifest;"
            )
            canvas.drawString(
                x2 + 4 * mm, y1 + 12 * mm, "any change shows as an invalid signature."
            )
            canvas.drawString(
                x2 + 4 * mm, y1 + 8 * mm, "How to check it: see “Checking this bundle”."
            )
        else:
            canvas.setStrokeColor(MUTED)
            canvas.setDash(3, 2)
            canvas.rect(x1, y1, x2 - x1, y2 - y1, stroke=1, fill=0)
            canvas.drawString(x1 + 3 * mm, y2 - 6 * mm, "Not signed")
            canvas.setFont(BODY, 7.5)
            canvas.drawString(
                x1 + 3 * mm, y2 - 11 * mm, "A draft made without a signature: not for hand-over."
            )
        canvas.restoreState()


def _templates(furniture: _Furniture) -> list[PageTemplate]:
    portrait, wide = A4, landscape(A4)
    top, bottom = MARGIN + 6 * mm, MARGIN + 7 * mm

    def frame(size: tuple[float, float], name: str, extra_bottom: float = 0) -> Frame:
        return Frame(
            MARGIN,
            bottom + extra_bottom,
            size[0] - 2 * MARGIN,
            size[1] - top - bottom - extra_bottom,
            id=name,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

    return [
        PageTemplate(
            id="cover",
            frames=[frame(portrait, "cover", _STAMP_ROOM)],
            onPage=furniture.cover,
            pagesize=portrait,
            autoNextPageTemplate="page",
        ),
        PageTemplate(
            id="page", frames=[frame(portrait, "page")], onPage=furniture, pagesize=portrait
        ),
        PageTemplate(id="wide", frames=[frame(wide, "wide")], onPage=furniture, pagesize=wide),
    ]


def _doc(out: Any, facts: BundleFacts, furniture: _Furniture) -> BaseDocTemplate:
    doc = BaseDocTemplate(
        out,
        pagesize=A4,
        title=f"Petition: {facts.title}",
        author=facts.campaign,
        subject=f"Petition bundle ({'public' if facts.redacted else 'council'} copy)",
        creator="canvass",
        initialFontName=BODY,
    )
    doc.addPageTemplates(_templates(furniture))
    return doc


class _CountingCanvas(Canvas):  # type: ignore[misc]
    """A canvas that lays pages out and throws them away (to count pages)."""

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._pageNumber += 1
        self._startPage()

    def save(self) -> None:
        """Nothing to keep."""


def _count_pages(story: list[Flowable], facts: BundleFacts, first: str) -> int:
    furniture = _Furniture(facts, 0)
    doc = _doc(None, facts, furniture)
    doc.build(
        [NextPageTemplate(first), *story] if first != "cover" else story,
        canvasmaker=_CountingCanvas,
    )
    return int(doc.page)


def build_bundle(
    out: BinaryIO,
    facts: BundleFacts,
    rows: Iterator[BundleRow],
    *,
    merkle_root: Callable[[], str],
    canvasmaker: type[Canvas] | None = None,
) -> int:
    """Write the bundle's pages to ``out``; returns the number of pages.

    Args:
        out: A file opened for writing bytes.
        facts: Everything but the rows.
        rows: The counted signatures in order; read once, a page at a time.
        merkle_root: Gives the root over the rows' digests once they are all drawn
            (printed in the last appendix).
        canvasmaker: The canvas class (default: the streaming canvas).
    """
    from canvass.pdf.bundle_stream import StreamingCanvas

    styles()
    front_pages = _count_pages(front_story(facts), facts, "cover")
    sample = "0" * 64
    appendix_pages = _count_pages(appendix_story(facts, lambda: sample), facts, "page")
    signature_pages = signature_page_count(facts.counted)
    total = front_pages + signature_pages + appendix_pages
    furniture = _Furniture(facts, total)
    edition = (
        "Public copy: street and house number hidden, postcode district only"
        if facts.redacted
        else "Council copy: full addresses"
    )
    story: list[Flowable] = [*front_story(facts), NextPageTemplate("wide"), PageBreak()]
    if facts.counted:
        story.append(
            SignatureRun(rows, total=facts.counted, edition=edition, redacted=facts.redacted)
        )
    else:
        story.append(Paragraph("No signatures count yet.", styles().body))
    story += [NextPageTemplate("page"), PageBreak(), *appendix_story(facts, merkle_root)]
    maker = canvasmaker or StreamingCanvas
    doc = _doc(out, facts, furniture)
    doc.build(story, canvasmaker=maker)
    return int(doc.page)


def stamp_appearance(lines: Sequence[str], box: tuple[int, int, int, int]) -> bytes:
    """A one-page PDF the size of ``box``: how the visible signature looks."""
    import io

    register_fonts()
    width, height = box[2] - box[0], box[3] - box[1]
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(width, height), initialFontName=BODY)
    c.setFillColor(SHADE)
    c.setStrokeColor(BRAND)
    c.setLineWidth(1)
    c.roundRect(0.5, 0.5, width - 1, height - 1, 4, stroke=1, fill=1)
    c.setFillColor(BRAND)
    c.setFont(BOLD, 8.5)
    y: float = height - 11
    for n, line in enumerate(lines):
        if n == 1:
            c.setFillColor(INK)
            c.setFont(BODY, 7)
        c.drawString(6, y, line)
        y -= 10 if n == 0 else 8.6
    c.showPage()
    c.save()
    return buffer.getvalue()
