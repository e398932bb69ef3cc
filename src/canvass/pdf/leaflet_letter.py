"""A4 letter: letterhead, address for a window envelope, date, body, signatories.

The addressee sits where a window envelope shows it; "Dear ..." and the body
run on to more pages if need be; then the sign-off and signatories.

With mail merge each household gets its own letter ("Dear Ms Jones" or "Dear
resident" and its address); the body is laid out once and reused, so thousands
of letters take seconds. Every page carries the imprint; longer letters
number their pages.
"""

from __future__ import annotations

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from canvass.domain.leaflet_spec import Letter, Recipient
from canvass.pdf.leaflet_kit import Box, Flowed, Kit, PageDraw, Piece, flow, xml
from canvass.pdf.leaflet_media import Picture, draw_imprint, draw_picture, imprint_lines

W, H = 210 * mm, 297 * mm
LEFT, RIGHT = 22 * mm, 20 * mm
TEXT_W = W - LEFT - RIGHT
#: The address sits where a DL or C5 envelope's left window shows it.
WINDOW_TOP = H - 50 * mm
WINDOW_W, WINDOW_H = 88 * mm, 38 * mm
BODY_TOP_FIRST = H - 103 * mm
BODY_TOP_NEXT = H - 28 * mm
MAX_PAGES = 6
SIZE = 10.5


class SignatureBlock(Flowable):  # type: ignore[misc]
    """The sign-off and, side by side, a space to sign, each signatory's name and role."""

    def __init__(self, kit: Kit, letter: Letter) -> None:
        super().__init__()
        self.kit, self.letter = kit, letter
        self.sign_off = Paragraph(xml(letter.sign_off), kit.style(SIZE))
        self.people = [
            (
                Paragraph(xml(s.name), kit.style(SIZE, font=kit.fonts.bold)),
                Paragraph(xml(s.role), kit.style(SIZE * 0.85, colour=kit.inks.muted)),
            )
            for s in letter.signatories
        ]
        self.spaceBefore = SIZE * 0.6

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        """Measure at a width."""
        per_row = 3 if len(self.people) > 2 else max(1, len(self.people))
        self.col = min(aw / per_row, 70 * mm)
        self.rows = [self.people[i : i + per_row] for i in range(0, len(self.people), per_row)]
        self.off_h = self.sign_off.wrap(aw, ah)[1]
        self.row_h = [
            max(n.wrap(self.col - 4 * mm, ah)[1] + r.wrap(self.col - 4 * mm, ah)[1] for n, r in row)
            + 16 * mm
            for row in self.rows
        ]
        self.width, self.height = aw, self.off_h + sum(self.row_h) + 2 * mm
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        """Never split: kept whole."""
        return []

    def draw(self) -> None:
        """Draw at the origin."""
        c = self.canv
        y = self.height - self.off_h
        self.sign_off.drawOn(c, 0, y)
        for row, h in zip(self.rows, self.row_h, strict=True):
            top = y - 14 * mm  # room to sign
            for i, (name, role) in enumerate(row):
                x = i * self.col
                c.setStrokeColor(self.kit.inks.rule)
                c.setLineWidth(0.5)
                c.line(x, top + 1.5 * mm, x + self.col - 8 * mm, top + 1.5 * mm)
                _, nh = name.wrap(self.col - 4 * mm, 50 * mm)
                name.drawOn(c, x, top - nh)
                _, rh = role.wrap(self.col - 4 * mm, 50 * mm)
                role.drawOn(c, x, top - nh - rh)
            y -= h


def _letterhead(kit: Kit, piece: Piece, logo: Picture | None, c: Canvas, first: bool) -> None:
    spec = kit.spec
    page = (W, H)
    kit.fill(c, kit.inks.brand, 0, H - 7 * mm, W, 7 * mm, page)
    name = piece.organisation or piece.campaign
    if not first:
        c.setFont(kit.fonts.bold, 9)
        c.setFillColor(kit.inks.brand)
        c.drawString(LEFT, H - 16 * mm, name)
        return
    top = H - 16 * mm
    logo_w = 0.0
    if logo:
        lh = 16 * mm
        logo_w = min(45 * mm, lh * logo.aspect)
        draw_picture(kit, c, logo, W - RIGHT - logo_w, top - lh, logo_w, lh)
    head = Paragraph(
        xml(name), kit.style(17, font=kit.fonts.display, colour=kit.inks.brand, leading=19)
    )
    width = TEXT_W - logo_w - (6 * mm if logo else 0)
    _, hh = head.wrap(width, 30 * mm)
    head.drawOn(c, LEFT, top - hh)
    if spec.contact.strip():
        contact = kit.text(
            spec.contact, kit.style(8.5, colour=kit.inks.muted, leading=11), "contact"
        )
        _, ch = contact.wrap(width, 30 * mm)
        contact.drawOn(c, LEFT, top - hh - 2 * mm - ch)
    c.setStrokeColor(kit.inks.rule)
    c.setLineWidth(0.6)
    c.line(LEFT, H - 44 * mm, W - RIGHT, H - 44 * mm)


def _footer(kit: Kit, piece: Piece, c: Canvas, number: int, total: int) -> None:
    width = TEXT_W - (22 * mm if total > 1 else 0)
    draw_imprint(kit, c, piece.imprint, LEFT, 10 * mm, width, size=7)
    if total > 1:
        c.setFont(kit.fonts.regular, 8)
        c.setFillColor(kit.inks.muted)
        c.drawRightString(W - RIGHT, 10 * mm, f"Page {number} of {total}")


def _body(kit: Kit, letter: Letter, salutation: Paragraph, foot: float) -> Flowed:
    flowables: list[Flowable] = [salutation, *kit.body(letter.body, SIZE, "letter.body")]
    flowables.append(SignatureBlock(kit, letter))
    boxes = [Box(LEFT, foot, TEXT_W, BODY_TOP_FIRST - foot)]
    boxes += [Box(LEFT, foot, TEXT_W, BODY_TOP_NEXT - foot)] * (MAX_PAGES - 1)
    return flow(flowables, boxes)


def letter(
    piece: Piece, kit: Kit, pics: list[Picture], recipient: Recipient | None
) -> list[PageDraw]:
    """One letter's pages (for one household, with mail merge)."""
    spec = kit.spec
    assert spec.letter is not None
    body = spec.letter
    logo = next((p for p in pics if p.placement == "logo"), None)
    lines = (recipient.name, *recipient.address_lines) if recipient else body.recipient
    lines = tuple(line for line in lines if line.strip())
    greeting = recipient.salutation if recipient else body.salutation
    salutation = Paragraph(
        xml(greeting + ("," if not greeting.endswith(",") else "")),
        kit.style(SIZE, after=SIZE * 0.8),
    )
    foot = 10 * mm + len(imprint_lines(kit, piece.imprint, TEXT_W - 22 * mm, 7)) * 8.75 + 6 * mm
    key = ("letter-body", salutation.wrap(TEXT_W, 100 * mm)[1])
    cache = kit.cache
    if key not in cache:  # the same body for every household of a merge
        cache[key] = _body(kit, body, salutation, foot)
        if not cache[key].fits:
            kit.warn(
                f"{spec.template}: the letter.body is longer than {MAX_PAGES} pages; shorten it."
            )
    flowed = cache[key]
    total = max(1, max((i + 1 for i, b in enumerate(flowed.boxes) if b), default=1))
    address = Paragraph(
        "<br/>".join(xml(line) for line in lines), kit.style(SIZE, leading=SIZE * 1.3)
    )
    _, address_h = address.wrap(WINDOW_W, WINDOW_H)
    if address_h > WINDOW_H or len(lines) > 7:
        kit.warn(
            f"{spec.template}: the address has too many lines for an envelope window (7 at most)."
        )
    date = Paragraph(xml(body.date or piece.printed_on), kit.style(SIZE, align=TA_RIGHT))
    date.wrap(60 * mm, 20 * mm)

    def page(number: int) -> PageDraw:
        def draw(c: Canvas) -> None:
            _letterhead(kit, piece, logo, c, number == 1)
            if number == 1:
                address.drawOn(c, LEFT, WINDOW_TOP - address_h)
                date.drawOn(c, W - RIGHT - 60 * mm, WINDOW_TOP - SIZE * 1.2)
            for p in flowed.boxes[number - 1]:
                p.flowable.drawOn(c, p.x, p.y)
            if number == total and not flowed.fits:
                kit.mark_overflow(c, flowed, Box(LEFT, foot, TEXT_W, 10 * mm))
            _footer(kit, piece, c, number, total)

        return draw

    if recipient is not None:
        # The salutation paragraph in the cached layout is the first household's.
        first = flowed.boxes[0][0] if flowed.boxes and flowed.boxes[0] else None
        if first is not None and first.flowable is not salutation:
            flowed = Flowed([list(b) for b in flowed.boxes], flowed.scale, flowed.leftover)
            flowed.boxes[0][0] = type(first)(salutation, first.x, first.y, first.height)
    return [page(n) for n in range(1, total + 1)]
