"""Flyers: A5 (one or two sides) and DL (a third of A4, tall and narrow).

Front: a full-bleed colour band with the headline (Welsh first when bilingual)
and a logo, the main picture, then the subheading, an event's details and the
body. The body runs on to the back of a two-sided flyer. The last side ends
in a contact strip with the QR code; every side carries the imprint.

The A5 flyer sets Welsh and English side by side in two columns when asked;
a DL flyer is too narrow for that and always puts the Welsh first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from canvass.domain.leaflet_spec import Recipient
from canvass.pdf.leaflet_kit import Box, Flowed, Kit, PageDraw, Piece
from canvass.pdf.leaflet_media import (
    Panel,
    Picture,
    PictureFlowable,
    contact_flowables,
    draw_imprint,
    draw_picture,
    draw_qr,
    event_flowables,
    imprint_lines,
)

RULE_TEXT = "—"
Make = Callable[[float], list[Flowable]]


@dataclass(frozen=True, slots=True)
class Look:
    """The measurements that make a flyer an A5 flyer or a DL flyer."""

    width: float
    height: float
    margin: float
    headline: tuple[float, float]  # largest, smallest (pt)
    sub: float
    body: float
    hero_h: tuple[float, float]  # most height for the picture: one side, two sides
    body_pic_h: float
    qr: float
    logo_h: float
    strip_on_brand: bool  # the contact strip in the brand colour (DL) or a tint (A5)
    columns: bool  # may set Welsh and English side by side


A5 = Look(
    148 * mm,
    210 * mm,
    10 * mm,
    (34, 20),
    13,
    10.5,
    (52 * mm, 62 * mm),
    45 * mm,
    24 * mm,
    11 * mm,
    False,
    True,
)
DL = Look(
    99 * mm,
    210 * mm,
    7 * mm,
    (27, 16),
    11.5,
    9.5,
    (46 * mm, 66 * mm),
    34 * mm,
    21 * mm,
    9 * mm,
    True,
    False,
)


def _find(pics: list[Picture], placement: str) -> list[Picture]:
    return [p for p in pics if p.placement == placement]


def welsh_headline(kit: Kit) -> str:
    """The Welsh headline of a bilingual leaflet ("" if none)."""
    welsh = kit.spec.bilingual_welsh
    return welsh.headline if welsh else ""


def stream(
    kit: Kit, look: Look, pics: list[Picture], *, sub: str, body: str, what: str, event: bool
) -> Make:
    """A function giving the subheading, event panel and body at a scale."""

    def make(scale: float) -> list[Flowable]:
        out: list[Flowable] = []
        if sub.strip():
            style = kit.style(
                look.sub * scale,
                font=kit.fonts.bold,
                colour=kit.inks.brand,
                leading=look.sub * scale * 1.22,
                after=look.body * scale * 0.7,
            )
            out.append(kit.text(sub, style, what.replace("body", "subheading")))
        if event:
            inner = event_flowables(kit, look.body * scale)
            if inner:
                out.append(Panel(inner, kit.inks.tint, 3 * mm, after=look.body * scale * 0.8))
        paras = kit.body(body, look.body * scale, what)
        for pic in _find(pics, "body"):
            at = 1 if paras else 0
            paras.insert(at, PictureFlowable(kit, pic, look.body_pic_h, look.body * scale))
        out.extend(paras)
        return out

    return make


def welsh_stream(
    kit: Kit, look: Look, pics: list[Picture], *, subs: bool = True, event: bool = True
) -> Make:
    """Welsh then English in one stream (the "Welsh first" layout)."""
    welsh = kit.spec.bilingual_welsh
    assert welsh is not None
    cy = stream(
        kit,
        look,
        [],
        sub=welsh.subheading if subs else "",
        body=welsh.body,
        what="Welsh body (bilingual_welsh.body)",
        event=False,
    )
    en = stream(
        kit,
        look,
        pics,
        sub=kit.spec.subheading if subs else "",
        body=kit.spec.body,
        what="body",
        event=event,
    )

    def make(scale: float) -> list[Flowable]:
        rule = Paragraph(
            RULE_TEXT * 3,
            kit.style(look.body * scale, colour=kit.inks.rule, after=look.body * scale * 0.5),
        )
        return [*cy(scale), rule, *en(scale)]

    return make


@dataclass(slots=True)
class Strip:
    """The contact strip at the foot of the last side."""

    height: float
    contact: list[Flowable]
    contact_h: float
    qr_caption: Paragraph | None


def _strip(kit: Kit, look: Look, imprint: str) -> Strip:
    spec = kit.spec
    inner = look.width - 2 * look.margin
    text_w = inner - (look.qr + 4 * mm if spec.qr else 0)
    colour = kit.inks.on_brand if look.strip_on_brand else None
    contact = contact_flowables(kit, look.body * 0.92, colour=colour)
    contact_h = sum(f.wrap(text_w, 200 * mm)[1] + f.getSpaceAfter() for f in contact)
    caption = None
    qr_h = 0.0
    if spec.qr:
        qr_h = look.qr
        if spec.qr.caption:
            caption = kit.text(
                spec.qr.caption,
                kit.style(6.5, font=kit.fonts.bold, colour=colour, align=1, leading=7.5),
                "qr.caption",
            )
            qr_h += caption.wrap(look.qr + 4 * mm, 30 * mm)[1] + 1 * mm
    imprint_h = len(imprint_lines(kit, imprint, inner, 6.5)) * 6.5 * 1.25
    content = max(contact_h if spec.contact.strip() else 0.0, qr_h)
    pad = 5 * mm if content else 0.0
    return Strip(
        pad + content + (3 * mm if content else 0) + imprint_h + 4 * mm, contact, contact_h, caption
    )


def _draw_strip(kit: Kit, look: Look, c: Canvas, strip: Strip, imprint: str) -> None:
    spec = kit.spec
    page = (look.width, look.height)
    m = look.margin
    inner = look.width - 2 * m
    on = kit.inks.on_brand if look.strip_on_brand else None
    if spec.contact.strip() or spec.qr:
        fill = kit.inks.brand if look.strip_on_brand else kit.inks.tint
        kit.fill(c, fill, 0, 0, look.width, strip.height, page)
    top = strip.height - 5 * mm
    y = top
    if spec.contact.strip():
        text_w = inner - (look.qr + 4 * mm if spec.qr else 0)
        for f in strip.contact:
            _, h = f.wrap(text_w, 200 * mm)
            y -= h
            f.drawOn(c, m, y)
            y -= f.getSpaceAfter()
    if spec.qr:
        x = m + inner - look.qr
        draw_qr(kit, c, spec.qr.data, x, top - look.qr, look.qr)
        if strip.qr_caption is not None:
            w = look.qr + 4 * mm
            _, h = strip.qr_caption.wrap(w, 30 * mm)
            strip.qr_caption.drawOn(c, x - 2 * mm, top - look.qr - 1 * mm - h)
    draw_imprint(kit, c, imprint, m, 4 * mm + 1.5, inner, colour=on)


def _band(kit: Kit, look: Look, logo: Picture | None) -> tuple[Paragraph, float, float]:
    """The headline paragraph, its height and the band's height."""
    inner = look.width - 2 * look.margin
    para, h = kit.headline(
        kit.spec.headline, inner, 75 * mm, look.headline, welsh=welsh_headline(kit)
    )
    logo_room = look.logo_h + 4 * mm if logo else 0.0
    return para, h, 9 * mm + logo_room + h + 8 * mm


def _flyer(piece: Piece, kit: Kit, pics: list[Picture], look: Look) -> list[PageDraw]:
    spec = kit.spec
    two = spec.sides == 2
    m = look.margin
    inner = look.width - 2 * m
    page = (look.width, look.height)
    logo = next(iter(_find(pics, "logo")), None)
    hero = next(iter(_find(pics, "hero")), None)
    head, head_h, band_h = _band(kit, look, logo)
    strip = _strip(kit, look, piece.imprint)
    front_foot = (
        len(imprint_lines(kit, piece.imprint, inner, 6.5)) * 6.5 * 1.25 + 7 * mm
        if two
        else strip.height + 5 * mm
    )
    y = look.height - band_h - 6 * mm
    hero_box = None
    if hero:
        cap = 5 * mm if hero.caption else 0.0
        most = look.hero_h[1 if two else 0]
        _, hh = (inner, min(most, inner / hero.aspect))
        hero_box = Box(m, y - hh, inner, hh)
        y -= hh + cap + 5 * mm
    back_top = look.height - 14 * mm
    welsh = spec.bilingual_welsh
    side_by_side = welsh is not None and welsh.layout == "side-by-side" and look.columns
    if welsh is not None and welsh.layout == "side-by-side" and not look.columns:
        kit.warn(
            f"{spec.template}: too narrow for Welsh and English side by side; the Welsh "
            "is printed first, above the English."
        )
    hint = "shorten the text" + (
        "" if two or spec.template not in ("a5-flyer", "dl") else ", or choose sides = 2"
    )
    front = Box(m, front_foot, inner, y - front_foot)
    back = Box(m, strip.height + 5 * mm, inner, back_top - strip.height - 5 * mm)
    flows: list[Flowed]
    if side_by_side:
        assert welsh is not None
        gap = 6 * mm
        col = (inner - gap) / 2

        def cols(box: Box, right: bool) -> Box:
            return Box(box.x + (col + gap if right else 0), box.y, col, box.h)

        cy_boxes = [cols(front, False)] + ([cols(back, False)] if two else [])
        en_boxes = [cols(front, True)] + ([cols(back, True)] if two else [])
        cy = stream(
            kit,
            look,
            [],
            sub=welsh.subheading,
            body=welsh.body,
            what="Welsh body (bilingual_welsh.body)",
            event=False,
        )
        en = stream(kit, look, pics, sub=spec.subheading, body=spec.body, what="body", event=True)
        flows = kit.fit_together(
            [(cy, cy_boxes, "Welsh body (bilingual_welsh.body)"), (en, en_boxes, "body")],
            hint=hint,
            grow=len(cy_boxes),
        )
        last_boxes = [cy_boxes[-1], en_boxes[-1]]
    else:
        make = (
            welsh_stream(kit, look, pics)
            if welsh is not None
            else stream(
                kit, look, pics, sub=spec.subheading, body=spec.body, what="body", event=True
            )
        )
        boxes = [front] + ([back] if two else [])
        flows = [kit.fit(make, boxes, "body", hint=hint, grow=len(boxes))]
        last_boxes = [boxes[-1]]

    def draw_front(c: Canvas) -> None:
        kit.fill(c, kit.inks.brand, 0, look.height - band_h, look.width, band_h, page)
        top = look.height - 9 * mm
        if logo:
            lw = min(40 * mm, look.logo_h * logo.aspect)
            c.setFillColor(kit.inks.paper)
            c.roundRect(
                m - 1.5 * mm,
                top - look.logo_h - 1.5 * mm,
                lw + 3 * mm,
                look.logo_h + 3 * mm,
                1.5 * mm,
                stroke=0,
                fill=1,
            )
            draw_picture(kit, c, logo, m, top - look.logo_h, lw, look.logo_h)
            top -= look.logo_h + 4 * mm
        head.drawOn(c, m, top - head_h)
        if hero and hero_box:
            draw_picture(kit, c, hero, hero_box.x, hero_box.y, hero_box.w, hero_box.h)
            if hero.caption:
                c.setFont(kit.fonts.italic, 7.5)
                c.setFillColor(kit.inks.muted)
                c.drawCentredString(look.width / 2, hero_box.y - 4 * mm, hero.caption[:120])
        for f in flows:
            for p in f.boxes[0]:
                p.flowable.drawOn(c, p.x, p.y)
        if two:
            draw_imprint(kit, c, piece.imprint, m, 5 * mm, inner)
        else:
            _draw_strip(kit, look, c, strip, piece.imprint)
            for f, box in zip(flows, last_boxes, strict=True):
                kit.mark_overflow(c, f, box)

    def draw_back(c: Canvas) -> None:
        kit.fill(c, kit.inks.brand, 0, look.height - 6 * mm, look.width, 6 * mm, page)
        for f in flows:
            for p in f.boxes[1]:
                p.flowable.drawOn(c, p.x, p.y)
        _draw_strip(kit, look, c, strip, piece.imprint)
        for f, box in zip(flows, last_boxes, strict=True):
            kit.mark_overflow(c, f, box)

    return [draw_front, draw_back] if two else [draw_front]


def a5_flyer(
    piece: Piece, kit: Kit, pics: list[Picture], recipient: Recipient | None
) -> list[PageDraw]:
    """An A5 flyer, one or two sides."""
    return _flyer(piece, kit, pics, A5)


def dl_flyer(
    piece: Piece, kit: Kit, pics: list[Picture], recipient: Recipient | None
) -> list[PageDraw]:
    """A DL flyer (99 × 210 mm), one or two sides."""
    return _flyer(piece, kit, pics, DL)
