"""A ReportLab canvas that writes each finished page to the file at once.

ReportLab keeps every page of a document in memory until ``save()`` and then
joins the whole file in memory again: a 200,000-signature bundle (8,000
pages) would need gigabytes. This canvas formats a page, with its content
stream, as soon as the page is finished, writes it out and forgets it; only
the object numbers and file offsets stay. Everything else (fonts, which
ReportLab subsets at the end, the page tree, the catalogue) is written by
ReportLab's own code at ``save()``, so the output is an ordinary PDF with an
ordinary cross-reference table. Memory stays flat however long the document.

It relies on how ``reportlab.pdfbase.pdfdoc`` numbers and formats objects
(checked against ReportLab 4.1 to 5.1); ``tests/test_bundles.py`` opens its
output with poppler and pyHanko.
"""

from __future__ import annotations

import zlib
from typing import Any, BinaryIO

from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from canvass.pdf.fonts import BODY

#: Pages kept before they are written out (a few keep ReportLab's own
#: bookkeeping, which may still touch the latest page, happy).
_KEEP = 2


class _Deflate:
    """Deflate at level 1: a fifth of the time of zlib's default, files 10 % bigger."""

    pdfname = "FlateDecode"

    def encode(self, text: str | bytes) -> bytes:
        data = text.encode("utf-8") if isinstance(text, str) else text
        return zlib.compress(data, 1)


_DEFLATE = _Deflate()


class _Written(pdfdoc.PDFObject):  # type: ignore[misc]
    """Stands in for an object already written to the file."""

    def format(self, document: Any) -> bytes:  # pragma: no cover - never formatted again
        raise RuntimeError("an object written early was formatted again")


_WRITTEN = _Written()


class StreamingDocument(pdfdoc.PDFDocument):  # type: ignore[misc]
    """A :class:`PDFDocument` that writes pages to ``out`` as they are finished."""

    def __init__(self, out: BinaryIO, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._out = out
        self._offset = 0
        self._written: set[str] = set()
        self._pages_written = 0
        version = "%%PDF-%s.%s" % self._pdfVersion  # noqa: UP031 (ReportLab's header)
        self._emit(
            pdfdoc.pdfdocEnc(version)
            + b"\n%\223\214\213\236 ReportLab Generated PDF document (opensource)\n"
        )

    def _emit(self, data: bytes) -> int:
        at = self._offset
        self._out.write(data)
        self._offset += len(data)
        return at

    def _write_object(self, name: str) -> None:
        obj = self.idToObject[name]
        data = pdfdoc.PDFIndirectObject(name, obj).format(self)
        self.idToOffset[name] = self._emit(pdfdoc.pdfdocEnc(data))
        self.idToObject[name] = _WRITTEN
        self._written.add(name)

    def flush_pages(self, keep: int = _KEEP) -> None:
        """Write every finished page but the last ``keep``, with its content stream."""
        pages = self.Pages.pages
        for index in range(self._pages_written, len(pages) - keep):
            page = pages[index]
            name = page.__InternalName__
            if page.Contents is None and page.stream:
                # Deflate only: ReportLab's default adds ASCII85 on top, which
                # makes files a quarter bigger and takes as long as the drawing.
                stream = pdfdoc.PDFStream(content=page.stream, filters=[_DEFLATE])
                stream.__Comment__ = "page stream"
                page.Contents = stream
            self._write_object(name)
            contents = page.Contents
            if isinstance(contents, pdfdoc.PDFObject) and hasattr(contents, "__InternalName__"):
                self._write_object(contents.__InternalName__)
            # The page tree only needs the reference from now on.
            pages[index] = pdfdoc.PDFObjectReference(name)
            self._pages_written = index + 1

    def SaveToFile(self, filename: Any, canvas: Any) -> None:  # noqa: N802 (ReportLab's name)
        """Write what is left, the cross-reference table and the trailer."""
        self.flush_pages(keep=0)
        for font in self.delayedFonts:
            font.addObjects(self)
        self.info.invariant = self.invariant
        self.info.digest(self.signature)
        self.Reference(self.Catalog)
        self.Reference(self.info)
        self.Outlines.prepare(self, canvas)
        if self.Outlines.ready < 0:
            self.Catalog.Outlines = None
        self._finish()
        self._out.flush()

    def _finish(self) -> None:
        # As PDFDocument.format, skipping what was written already; new
        # objects may still appear while others are formatted.
        self.encrypt.prepare(self)
        catalog, info = self.Catalog, self.info
        self.Reference(catalog)
        self.Reference(info)
        ids: list[str] = []
        counter = 0
        while True:
            counter += 1
            if counter not in self.numberToId:
                break
            name = self.numberToId[counter]
            if name not in self._written:
                self._write_object(name)
            ids.append(name)
        xref = pdfdoc.PDFCrossReferenceTable()
        xref.addsection(0, ids)
        at = self._emit(pdfdoc.pdfdocEnc(xref.format(self)))
        trailer = pdfdoc.PDFTrailer(
            startxref=at,
            Size=len(self.numberToId) + 1,
            Root=self.Reference(catalog),
            Info=self.Reference(info),
            Encrypt=None,
            ID=self.ID(),
        )
        self._emit(pdfdoc.pdfdocEnc(trailer.format(self)))


class StreamingCanvas(Canvas):  # type: ignore[misc]
    """A canvas writing to an open binary file, page by page (see the module notes).

    Args:
        out: A file opened for writing bytes; the caller closes it.
    """

    def __init__(self, out: BinaryIO, **kwargs: Any) -> None:
        # Every page starts in the embedded body font, never Helvetica.
        kwargs["initialFontName"] = kwargs.get("initialFontName") or BODY
        kwargs.pop("pageCompression", None)
        super().__init__(out, pageCompression=1, **kwargs)
        self._doc = StreamingDocument(
            out,
            compression=1,
            invariant=kwargs.get("invariant"),
            pdfVersion=kwargs.get("pdfVersion") or pdfdoc.PDF_VERSION_DEFAULT,
        )
        self._make_preamble()

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        """Finish the page, and write the ones before it out."""
        super().showPage()
        self._doc.flush_pages()
