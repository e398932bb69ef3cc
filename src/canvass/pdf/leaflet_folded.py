"""A4 folded to A5: four panels on the two sides of one landscape A4 sheet.

Panel order for a single fold (print double-sided, flip on the short edge):

    outside (page 1):  [ 4: back cover | 1: front cover ]
    inside  (page 2):  [ 2: inside left | 3: inside right ]

Opening the cover shows panel 2 behind it, and panel 3 beside it, backed by
the back cover. The body runs from panel 2 to panel 3 and, if it must, onto
the top of the back cover above the contact details. With Welsh side by side,
panel 2 is Welsh and panel 3 English. Both sides carry the imprint.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from canvass.domain.leaflet_spec import Recipient
from canvass.pdf.leaflet_flyers import Look, stream, welsh_headline, welsh_stream
from canvass.pdf.leaflet_kit import Box, Flowed, Kit, PageDraw, Piece
from canvass.pdf.leaflet_media import (
    Panel,
    Picture,
    contact_flowables,
    draw_imprint,
    draw_picture,
    draw_qr,
    event_flowables,
    imprint_lines,
)

SHEET_W, SHEET_H = 297 * mm, 210 * mm
PANEL = SHEET_W / 2
OUTER = 11 * mm  # margin at the sheet's edges
FOLD = 12 * mm  # margin each side of the fold
#: Inside panels read like an A5 book page.
INSIDE = Look(
    PANEL,
    SHEET_H,
    OUTER,
    (36, 24),
    13,
    10.5,
    (60 * mm, 60 * mm),
    48 * mm,
    34 * mm,
    14 * mm,
    False,
    True,
)
QR = 34 * mm


def _panel_box(left: bool, top: float, bottom: float) -> Box:
    """The text area of a panel: outer margin at the sheet's edge, gutter at the fold."""
    x = OUTER if left else PANEL + FOLD
    return Box(x, bottom, PANEL - OUTER - FOLD, top - bottom)


def folded(
    piece: Piece, kit: Kit, pics: list[Picture], recipient: Recipient | None
) -> list[PageDraw]:
    """The two sheet sides of an A4 leaflet folded to A5."""
    spec = kit.spec
    page = (SHEET_W, SHEET_H)
    logo = next((p for p in pics if p.placement == "logo"), None)
    hero = next((p for p in pics if p.placement == "hero"), None)
    rest = [p for p in pics if p.placement == "body"]
    cover_w = PANEL - OUTER - FOLD
    cover_x = PANEL + FOLD

    # Front cover (panel 1): headline and subheading on the brand colour, picture below.
    head, head_h = kit.headline(
        spec.headline, cover_w, 90 * mm, INSIDE.headline, welsh=welsh_headline(kit)
    )
    sub_text = "\n".join(
        t
        for t in (
            (spec.bilingual_welsh.subheading if spec.bilingual_welsh else ""),
            spec.subheading,
        )
        if t.strip()
    )
    sub = None
    sub_h = 0.0
    if sub_text:
        sub = kit.text(
            sub_text,
            kit.style(14, font=kit.fonts.bold, colour=kit.inks.on_brand, leading=17.5),
            "subheading",
        )
        sub_h = sub.wrap(cover_w, 60 * mm)[1]

    # Back cover (panel 4): contact details and QR code at the foot, imprint under them.
    contact = contact_flowables(kit, 11)
    contact_h = sum(f.wrap(cover_w, 100 * mm)[1] + f.getSpaceAfter() for f in contact)
    imprint_h = len(imprint_lines(kit, piece.imprint, cover_w, 6.5)) * 6.5 * 1.25
    qr_caption: Flowable | None = None
    qr_block = 0.0
    if spec.qr:
        qr_block = QR
        if spec.qr.caption:
            qr_caption = kit.text(
                spec.qr.caption, kit.style(9, font=kit.fonts.bold, align=1), "qr.caption"
            )
            qr_block += qr_caption.wrap(cover_w, 30 * mm)[1] + 2 * mm
    back_foot = 7 * mm + imprint_h + 6 * mm
    contact_top = back_foot + (contact_h if spec.contact.strip() else 0) + 6 * mm
    qr_top = contact_top + qr_block + (4 * mm if spec.qr else 0)
    # An event's details go on the back cover too, above the QR code.
    event_panel = None
    event_top = qr_top
    if spec.event is not None:
        event_panel = Panel(event_flowables(kit, 10.5), kit.inks.tint, 4 * mm)
        event_top = qr_top + event_panel.wrap(cover_w, 120 * mm)[1] + 4 * mm

    # Inside (panels 2 and 3), and the back cover above the contact if need be.
    top = SHEET_H - OUTER - 6 * mm
    inside_imprint = len(imprint_lines(kit, piece.imprint, cover_w, 6.5)) * 6.5 * 1.25
    left = _panel_box(True, top, OUTER)
    right = _panel_box(False, top, OUTER + inside_imprint + 3 * mm)
    back = _panel_box(True, SHEET_H - OUTER - 8 * mm, event_top + 6 * mm)
    welsh = spec.bilingual_welsh
    look = INSIDE
    event = False
    hint = "shorten the text, or use two A5 flyers"
    flows: list[Flowed]
    if welsh is not None and welsh.layout == "side-by-side":
        cy = stream(
            kit,
            look,
            [],
            sub="",
            body=welsh.body,
            what="Welsh body (bilingual_welsh.body)",
            event=False,
        )
        en = stream(kit, look, rest, sub="", body=spec.body, what="body", event=event)
        flows = kit.fit_together(
            [(cy, [left], "Welsh body (bilingual_welsh.body)"), (en, [right, back], "body")],
            hint=hint,
            grow=1,
        )
        ends = [left, back]
        on_inside = [(flows[0], 0), (flows[1], 0)]
        on_back = [(flows[1], 1)]
    else:
        make = (
            welsh_stream(kit, look, rest, subs=False, event=False)
            if welsh is not None
            else stream(kit, look, rest, sub="", body=spec.body, what="body", event=event)
        )
        flows = [kit.fit(make, [left, right, back], "body", hint=hint, balance=2, grow=2)]
        ends = [back]
        on_inside = [(flows[0], 0), (flows[0], 1)]
        on_back = [(flows[0], 2)]

    def outside(c: Canvas) -> None:
        # Panel 1, the front cover: the brand colour from the fold to the edge.
        kit.fill(c, kit.inks.brand, PANEL, 0, PANEL, SHEET_H, page)
        y = SHEET_H - OUTER - 4 * mm
        if logo:
            lh = INSIDE.logo_h
            lw = min(cover_w, lh * logo.aspect)
            c.setFillColor(kit.inks.paper)
            c.roundRect(
                cover_x - 2 * mm,
                y - lh - 2 * mm,
                lw + 4 * mm,
                lh + 4 * mm,
                1.5 * mm,
                stroke=0,
                fill=1,
            )
            draw_picture(kit, c, logo, cover_x, y - lh, lw, lh)
            y -= lh + 8 * mm
        head.drawOn(c, cover_x, y - head_h)
        y -= head_h + 6 * mm
        if sub is not None:
            sub.drawOn(c, cover_x, y - sub_h)
            y -= sub_h + 8 * mm
        if hero:
            room = y - OUTER - 4 * mm
            if room > 25 * mm:
                draw_picture(kit, c, hero, cover_x, OUTER, cover_w, room)
            else:
                kit.warn(
                    f"{spec.template}: no room left for the cover picture under the "
                    "headline and subheading; shorten them."
                )
        # Panel 4, the back cover.
        kit.fill(c, kit.inks.brand, 0, SHEET_H - 6 * mm, PANEL, 6 * mm, page)
        for f, i in on_back:
            for p in f.boxes[i]:
                p.flowable.drawOn(c, p.x, p.y)
        for f, box in zip(flows, ends, strict=True):
            if box is back:
                kit.mark_overflow(c, f, box)
        if event_panel is not None:
            event_panel.drawOn(c, OUTER, qr_top + 4 * mm)
        if spec.qr:
            x = OUTER + (cover_w - QR) / 2
            draw_qr(kit, c, spec.qr.data, x, qr_top - QR, QR)
            if qr_caption is not None:
                _, h = qr_caption.wrap(cover_w, 30 * mm)
                qr_caption.drawOn(c, OUTER, qr_top - QR - 2 * mm - h)
        if spec.contact.strip():
            y = contact_top
            for f in contact:
                _, h = f.wrap(cover_w, 100 * mm)
                y -= h
                f.drawOn(c, OUTER, y)
                y -= f.getSpaceAfter()
        c.setStrokeColor(kit.inks.rule)
        c.setLineWidth(0.5)
        c.line(OUTER, back_foot - 3 * mm, OUTER + cover_w, back_foot - 3 * mm)
        draw_imprint(kit, c, piece.imprint, OUTER, 7 * mm, cover_w)

    def inside(c: Canvas) -> None:
        kit.fill(c, kit.inks.brand, 0, SHEET_H - 5 * mm, SHEET_W, 5 * mm, page)
        for f, i in on_inside:
            for p in f.boxes[i]:
                p.flowable.drawOn(c, p.x, p.y)
        for f, box in zip(flows, ends, strict=True):
            if box is left:
                kit.mark_overflow(c, f, box)
        draw_imprint(kit, c, piece.imprint, PANEL + FOLD, OUTER, cover_w)

    return [outside, inside]
