"""Page furniture: margins, header, footer with the imprint, and "page x of y"."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from canvass.pdf.fonts import BODY, BOLD
from canvass.pdf.styles import BRAND, MUTED, RULE, styles

MARGIN = 14 * mm


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """A canvas that knows the page count when it draws each footer.

    Pages are kept until the document is saved, then each is finished with
    "page x of y". Fine for walk sheets (tens of pages); the petition bundle
    will stream instead.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Otherwise every page starts in Helvetica, a font that is not embedded.
        # (The doc template passes initialFontName=None explicitly.)
        kwargs["initialFontName"] = kwargs.get("initialFontName") or BODY
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, page in enumerate(self._pages, start=1):
            self.__dict__.update(page)
            self._page_of(number, total)
            super().showPage()
        super().save()

    def _page_of(self, number: int, total: int) -> None:
        self.setFont(BODY, 7.5)
        self.setFillColor(MUTED)
        width = self._pagesize[0]
        self.drawRightString(width - MARGIN, MARGIN - 7 * mm, f"Page {number} of {total}")


def build_document(
    path: Path,
    story: Sequence[Flowable],
    *,
    title: str,
    campaign: str,
    footer: str,
    author: str = "canvass",
) -> int:
    """Lay out ``story`` on A4 pages with the header and footer, into ``path``.

    Returns:
        The number of pages.
    """
    doc = BaseDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 8 * mm,
        bottomMargin=MARGIN + 6 * mm,
        title=title,
        author=author,
        subject=campaign,
        creator="canvass",
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )

    def furniture(canvas: Canvas, document: BaseDocTemplate) -> None:
        width, height = document.pagesize
        canvas.saveState()
        canvas.setFillColor(BRAND)
        canvas.setFont(BOLD, 9)
        canvas.drawString(MARGIN, height - MARGIN, campaign)
        canvas.setFillColor(MUTED)
        canvas.setFont(BODY, 8)
        canvas.drawRightString(width - MARGIN, height - MARGIN, title)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, height - MARGIN - 2.5 * mm, width - MARGIN, height - MARGIN - 2.5 * mm)
        canvas.line(MARGIN, MARGIN - 2 * mm, width - MARGIN, MARGIN - 2 * mm)
        # The imprint can be long: wrap it in the width left of "Page x of y".
        text = Paragraph(escape(footer), styles().footer)
        _, height_used = text.wrap(width - 2 * MARGIN - 28 * mm, 20 * mm)
        text.drawOn(canvas, MARGIN, MARGIN - 4 * mm - height_used)
        canvas.restoreState()

    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=furniture)])
    doc.build(list(story), canvasmaker=_NumberedCanvas)
    return int(doc.page)
