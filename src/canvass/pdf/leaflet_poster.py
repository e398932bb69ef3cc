"""The public-meeting poster, A4 or A3: read from across a room.

A colour band with what it is ("PUBLIC MEETING") and the headline in big
type; then when and where, large; who speaks; a short body; and a strip with
contact details, a QR code and the imprint. Sizes are set for A4 and scaled
for A3 (√2 larger), so an A3 poster is an A4 one enlarged, as posters are.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from canvass.domain.leaflet_spec import Recipient
from canvass.pdf.leaflet_flyers import welsh_headline
from canvass.pdf.leaflet_kit import Box, Kit, PageDraw, Piece, xml
from canvass.pdf.leaflet_media import (
    Picture,
    contact_flowables,
    draw_imprint,
    draw_picture,
    draw_qr,
    imprint_lines,
)


def poster(
    piece: Piece, kit: Kit, pics: list[Picture], recipient: Recipient | None
) -> list[PageDraw]:
    """The one page of a meeting poster."""
    spec = kit.spec
    event = spec.event
    assert event is not None
    w, h = (v * mm for v in spec.layout.size_mm)
    s = w / (210 * mm)  # 1 for A4, √2 for A3
    m = 14 * mm * s
    inner = w - 2 * m
    page = (w, h)
    welsh = spec.bilingual_welsh
    logo = next((p for p in pics if p.placement == "logo"), None)
    hero = next((p for p in pics if p.placement == "hero"), None)
    body_pics = [p for p in pics if p.placement == "body"]
    if body_pics:
        kit.warn(
            f"{spec.template}: a poster has room for one picture (placement 'hero') "
            "and a logo; the others are left out."
        )

    # The band: kicker, headline, logo at the right.
    logo_w = min(50 * mm * s, 18 * mm * s * logo.aspect) if logo else 0.0
    kicker = Paragraph(
        xml(event.what.upper()),
        kit.style(15 * s, font=kit.fonts.bold, colour=kit.inks.on_brand, leading=18 * s),
    )
    kick_w = inner - (logo_w + 6 * mm if logo else 0)
    kick_h = kicker.wrap(kick_w, 40 * mm * s)[1]
    head, head_h = kit.headline(
        spec.headline, inner, 78 * mm * s, (64 * s, 34 * s), welsh=welsh_headline(kit)
    )
    band_h = (
        12 * mm * s + max(kick_h, 18 * mm * s if logo else 0) + 6 * mm * s + head_h + 12 * mm * s
    )

    # The strip at the foot: contact, QR and imprint.
    qr = 34 * mm * s if spec.qr else 0.0
    text_w = inner - (qr + 8 * mm * s if qr else 0)
    contact = contact_flowables(kit, 11.5 * s)
    contact_h = sum(f.wrap(text_w, 100 * mm * s)[1] + f.getSpaceAfter() for f in contact)
    caption = None
    if spec.qr and spec.qr.caption:
        caption = kit.text(
            spec.qr.caption, kit.style(10 * s, font=kit.fonts.bold, align=1), "qr.caption"
        )
    cap_h = caption.wrap(qr + 10 * mm * s, 30 * mm)[1] + 2 * mm if caption else 0.0
    imp_size = 7.5 * s
    imp_h = len(imprint_lines(kit, piece.imprint, inner, imp_size)) * imp_size * 1.25
    content = max(contact_h if spec.contact.strip() else 0.0, qr + cap_h)
    strip_h = (8 * mm * s + content + 6 * mm * s if content else 0.0) + imp_h + 8 * mm * s

    # The middle: subheading, when, where, speakers, admission, body.
    top = h - band_h - 9 * mm * s
    bottom = strip_h + 8 * mm * s
    labels = (
        ("Pryd · When", "Ble · Where", "Siaradwyr · Speakers")
        if welsh
        else ("When", "Where", "Speakers")
    )

    def make(scale: float) -> list[Flowable]:
        k = s * scale
        out: list[Flowable] = []
        subs = [t for t in ((welsh.subheading if welsh else ""), spec.subheading) if t.strip()]
        for sub in subs:
            out.append(
                kit.text(
                    sub,
                    kit.style(
                        19 * k,
                        font=kit.fonts.bold,
                        colour=kit.inks.brand,
                        leading=23 * k,
                        after=6 * k,
                    ),
                    "subheading",
                )
            )
        label = kit.style(11 * k, font=kit.fonts.bold, colour=kit.inks.brand, leading=14 * k)
        rows = [
            [
                Paragraph(labels[0].upper(), label),
                kit.text(
                    event.when, kit.style(25 * k, font=kit.fonts.bold, leading=29 * k), "event.when"
                ),
            ],
            [
                Paragraph(labels[1].upper(), label),
                kit.text(
                    event.where,
                    kit.style(19 * k, font=kit.fonts.bold, leading=23 * k),
                    "event.where",
                ),
            ],
        ]
        if event.speakers:
            names = "<br/>".join(xml(n) for n in event.speakers)
            rows.append(
                [
                    Paragraph(labels[2].upper(), label),
                    Paragraph(names, kit.style(15 * k, leading=19.5 * k)),
                ]
            )
        table = Table(rows, colWidths=[34 * mm * k, None])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONTNAME", (0, 0), (-1, -1), kit.fonts.regular),
                    ("TEXTCOLOR", (0, 0), (-1, -1), kit.inks.ink),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 4 * k),
                    ("TOPPADDING", (0, 0), (0, -1), 7 * k),
                    ("TOPPADDING", (1, 0), (1, -1), 3 * k),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 7 * k),
                    ("LINEBELOW", (0, 0), (-1, -2), 0.6, kit.inks.rule),
                ]
            )
        )
        table.spaceAfter = 6 * k
        out.append(table)
        if event.admission:
            out.append(
                kit.text(
                    event.admission,
                    kit.style(
                        15 * k,
                        font=kit.fonts.bold_italic,
                        colour=kit.inks.brand,
                        leading=19 * k,
                        after=8 * k,
                    ),
                    "event.admission",
                )
            )
        if welsh and welsh.body.strip():
            out.extend(kit.body(welsh.body, 13 * k, "Welsh body (bilingual_welsh.body)"))
        out.extend(kit.body(spec.body, 13 * k, "body"))
        return out

    # The picture takes what room the text leaves (within limits).
    hero_h = 0.0
    if hero:
        need = sum(f.wrap(inner, h)[1] + f.getSpaceAfter() for f in make(1.0))
        room = top - bottom - need - 8 * mm * s
        if room < 40 * mm * s:
            kit.warn(
                f"{spec.template}: no room for the picture {hero.label} beside this much "
                "text, so it is left out; shorten the text or use the A3 poster."
            )
            hero = None
        else:
            hero_h = min(70 * mm * s, inner / hero.aspect, room)
            top -= hero_h + 8 * mm * s
    middle = Box(m, bottom, inner, top - bottom)
    flowed = kit.fit(
        make,
        [middle],
        "event details and body",
        hint="shorten 'body' or the speakers list, or use the A3 poster",
        grow=1,
    )

    def draw(c: Canvas) -> None:
        kit.fill(c, kit.inks.brand, 0, h - band_h, w, band_h, page)
        y = h - 12 * mm * s
        if logo:
            lh = 18 * mm * s
            c.setFillColor(kit.inks.paper)
            c.roundRect(
                w - m - logo_w - 2 * mm,
                y - lh - 2 * mm,
                logo_w + 4 * mm,
                lh + 4 * mm,
                2 * mm,
                stroke=0,
                fill=1,
            )
            draw_picture(kit, c, logo, w - m - logo_w, y - lh, logo_w, lh)
        kicker.drawOn(c, m, y - kick_h)
        y -= max(kick_h, 18 * mm * s if logo else 0) + 6 * mm * s
        c.setStrokeColor(kit.inks.on_brand)
        c.setLineWidth(1.5 * s)
        c.line(m, y + 2.5 * mm * s, m + 30 * mm * s, y + 2.5 * mm * s)
        head.drawOn(c, m, y - head_h)
        if hero:
            draw_picture(kit, c, hero, m, h - band_h - 8 * mm * s - hero_h, inner, hero_h)
        flowed.draw(c)
        kit.mark_overflow(c, flowed, middle)
        if content:
            kit.fill(c, kit.inks.tint, 0, 0, w, strip_h, page)
        top = strip_h - 8 * mm * s
        yy = top
        if spec.contact.strip():
            for f in contact:
                _, fh = f.wrap(text_w, 100 * mm * s)
                yy -= fh
                f.drawOn(c, m, yy)
                yy -= f.getSpaceAfter()
        if spec.qr:
            x = w - m - qr
            draw_qr(kit, c, spec.qr.data, x, top - qr, qr)
            if caption is not None:
                cw = qr + 10 * mm * s
                _, ch = caption.wrap(cw, 30 * mm)
                caption.drawOn(c, x - 5 * mm * s, top - qr - 2 * mm - ch)
        draw_imprint(kit, c, piece.imprint, m, 7 * mm * s, inner, size=imp_size)

    return [draw]
