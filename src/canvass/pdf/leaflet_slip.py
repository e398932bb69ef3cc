"""An A4 leaflet with a reply slip to cut off and send back.

The top two-thirds is the leaflet: colour band with the headline, picture,
subheading and the body in two columns (Welsh and English side by side, when
asked), contact details and QR code, and the imprint. Then a dashed cut line
with scissors, and the slip: name, address, postcode, phone, email, tick
boxes ("Keep me informed", "I can help"), the consent line and where to return
it. The slip carries the imprint too, so both parts do once cut apart.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from canvass.domain.leaflet_spec import SLIP_INTRO, Recipient, ReplySlip
from canvass.pdf.leaflet_flyers import Look, stream, welsh_headline, welsh_stream
from canvass.pdf.leaflet_kit import Box, Flowed, Kit, PageDraw, Piece, xml
from canvass.pdf.leaflet_media import (
    Picture,
    contact_flowables,
    draw_imprint,
    draw_picture,
    draw_qr,
    imprint_lines,
)

W, H = 210 * mm, 297 * mm
M = 12 * mm
INNER = W - 2 * M
LOOK = Look(
    W, H, M, (36, 24), 13.5, 10.5, (55 * mm, 55 * mm), 40 * mm, 24 * mm, 12 * mm, False, True
)
SLIP_H = 104 * mm  # the cut line's height above the bottom edge
LINE_GAP = 8.6 * mm


def scissors(c: Canvas, x: float, y: float, size: float) -> None:
    """A pair of open scissors pointing right along a cut line at (x, y)."""
    r = size * 0.2
    c.saveState()
    c.setLineWidth(size * 0.07)
    c.circle(x + r, y + size * 0.28, r, stroke=1, fill=0)
    c.circle(x + r, y - size * 0.28, r, stroke=1, fill=0)
    c.setLineWidth(size * 0.09)
    c.line(x + r * 1.8, y + size * 0.2, x + size, y - size * 0.12)
    c.line(x + r * 1.8, y - size * 0.2, x + size, y + size * 0.12)
    c.restoreState()


def _labels(welsh: bool) -> dict[str, str]:
    if welsh:
        return {
            "name": "Enw · Name",
            "address": "Cyfeiriad · Address",
            "postcode": "Cod post · Postcode",
            "phone": "Ffôn · Phone",
            "email": "E-bost · Email",
            "cut": "Torrwch yma · Cut here",
        }
    return {
        "name": "Name",
        "address": "Address",
        "postcode": "Postcode",
        "phone": "Phone",
        "email": "Email",
        "cut": "Cut along the line and return this slip",
    }


def _tick(kit: Kit, c: Canvas, x: float, y: float, text: str, size: float) -> float:
    """A tick box with its words, baseline at y; returns the width used."""
    box = size * 1.25
    c.setStrokeColor(kit.inks.ink)
    c.setLineWidth(0.8)
    c.rect(x, y - box * 0.18, box, box, stroke=1, fill=0)
    c.setFont(kit.fonts.regular, size)
    c.setFillColor(kit.inks.ink)
    c.drawString(x + box + 2 * mm, y, text)
    return float(box + 2 * mm + c.stringWidth(text, kit.fonts.regular, size) + 8 * mm)


def _draw_slip(
    kit: Kit,
    piece: Piece,
    slip: ReplySlip,
    c: Canvas,
    top: float,
    intro: Paragraph,
    intro_h: float,
    consent: Paragraph,
    consent_h: float,
    ret: Paragraph | None,
    ret_h: float,
) -> None:
    labels = _labels(kit.spec.bilingual_welsh is not None)
    y = top - 9 * mm
    c.setFont(kit.fonts.bold, 12)
    c.setFillColor(kit.inks.brand)
    c.drawString(M, y, "Ffurflen ateb · Reply slip" if kit.spec.bilingual_welsh else "Reply slip")
    y -= 3 * mm + intro_h
    intro.drawOn(c, M, y)
    y -= 2 * mm
    c.setLineWidth(0.5)
    label_w = 32 * mm if kit.spec.bilingual_welsh else 20 * mm

    def field(label: str, x: float, width: float, yy: float) -> None:
        c.setFont(kit.fonts.bold, 8.5)
        c.setFillColor(kit.inks.ink)
        c.drawString(x, yy + 1.2 * mm, label)
        c.setStrokeColor(kit.inks.muted)
        c.line(x + label_w, yy, x + width, yy)

    y -= LINE_GAP
    field(labels["name"], M, INNER, y)
    y -= LINE_GAP
    field(labels["address"], M, INNER, y)
    y -= LINE_GAP
    field("", M, INNER * 0.62, y)
    field(labels["postcode"], M + INNER * 0.62 + 4 * mm, INNER * 0.38 - 4 * mm, y)
    y -= LINE_GAP
    field(labels["phone"], M, INNER * 0.4, y)
    field(labels["email"], M + INNER * 0.4 + 4 * mm, INNER * 0.6 - 4 * mm, y)
    y -= LINE_GAP + 1 * mm
    x = M
    for tick in slip.ticks:
        used = _tick(kit, c, x, y, tick, 9.5)
        if x + used > M + INNER and x > M:
            y -= 6.5 * mm
            x = M
            used = _tick(kit, c, x, y, tick, 9.5)
        x += used
    y -= 5 * mm
    box = 9.5 * 1.25
    c.rect(M, y - consent_h + box * 0.6, box, box, stroke=1, fill=0)
    consent.drawOn(c, M + box + 2 * mm, y - consent_h + 2)
    y -= consent_h + 2.5 * mm
    if ret is not None:
        ret.drawOn(c, M, y - ret_h)
    draw_imprint(kit, c, piece.imprint, M, 5 * mm, INNER, size=6)


def reply_slip(
    piece: Piece, kit: Kit, pics: list[Picture], recipient: Recipient | None
) -> list[PageDraw]:
    """The page of a leaflet with a reply slip."""
    spec = kit.spec
    page = (W, H)
    slip = spec.reply_slip or ReplySlip()
    logo = next((p for p in pics if p.placement == "logo"), None)
    hero = next((p for p in pics if p.placement == "hero"), None)
    rest = [p for p in pics if p.placement == "body"]

    # The slip's measured parts (it is always all there; it is a form).
    intro = kit.text(
        slip.intro or SLIP_INTRO, kit.style(10, font=kit.fonts.bold), "reply_slip.intro"
    )
    intro_h = intro.wrap(INNER, 20 * mm)[1]
    who = piece.organisation or piece.campaign or "the campaign"
    consent_text = slip.consent or (
        f"I agree that {who} may keep these details and contact me about this campaign. "
        "I can ask for them to be deleted at any time."
    )
    consent = kit.text(consent_text, kit.style(8, leading=10), "reply_slip.consent")
    consent_h = consent.wrap(INNER - 8 * mm, 20 * mm)[1]
    ret = None
    ret_h = 0.0
    if slip.return_to.strip():
        ret = Paragraph(f"<b>Return to:</b> {xml(slip.return_to)}", kit.style(8.5, leading=11))
        ret_h = ret.wrap(INNER, 20 * mm)[1]
    need = 9 * mm + 3 * mm + intro_h + 2 * mm + 5 * LINE_GAP + 1 * mm + 5 * mm + consent_h
    need += 2.5 * mm + ret_h + 5 * mm + 3 * 7.5 + 4 * mm
    if len(slip.ticks) > 3:
        need += 6.5 * mm
    slip_h = max(SLIP_H, need)
    if need > SLIP_H + 12 * mm:
        kit.warn(
            f"{spec.template}: the reply slip's intro, consent and return address are "
            "long and make the slip tall; shorten them."
        )

    # The leaflet part: band, picture, columns, contact row.
    head, head_h = kit.headline(
        spec.headline,
        INNER - (40 * mm if logo else 0),
        55 * mm,
        LOOK.headline,
        welsh=welsh_headline(kit),
    )
    band_h = 10 * mm + head_h + 9 * mm
    imp_h = len(imprint_lines(kit, piece.imprint, INNER, 6.5)) * 6.5 * 1.25
    qr = 24 * mm if spec.qr else 0.0
    text_w = INNER - (qr + 6 * mm if qr else 0)
    contact = contact_flowables(kit, 9.5)
    contact_h = sum(f.wrap(text_w, 60 * mm)[1] + f.getSpaceAfter() for f in contact)
    cap = (
        kit.text(spec.qr.caption, kit.style(7, font=kit.fonts.bold, align=1), "qr.caption")
        if spec.qr and spec.qr.caption
        else None
    )
    cap_h = cap.wrap(qr + 6 * mm, 20 * mm)[1] + 1 * mm if cap else 0.0
    row_h = max(contact_h if spec.contact.strip() else 0.0, qr + cap_h)
    cut_y = slip_h
    imprint_y = cut_y + 7 * mm
    row_bottom = imprint_y + imp_h + 3 * mm
    y = H - band_h - 7 * mm
    hero_h = 0.0
    if hero:
        hero_h = min(LOOK.hero_h[0], INNER / hero.aspect)
        y -= hero_h + 6 * mm
    gap = 8 * mm
    col = (INNER - gap) / 2
    bottom = row_bottom + (row_h + 5 * mm if row_h else 0)
    left, right = Box(M, bottom, col, y - bottom), Box(M + col + gap, bottom, col, y - bottom)
    welsh = spec.bilingual_welsh
    flows: list[Flowed]
    hint = "shorten the text, or use an A4 folded leaflet"
    if welsh is not None and welsh.layout == "side-by-side":
        cy = stream(
            kit,
            LOOK,
            [],
            sub=welsh.subheading,
            body=welsh.body,
            what="Welsh body (bilingual_welsh.body)",
            event=False,
        )
        en = stream(kit, LOOK, rest, sub=spec.subheading, body=spec.body, what="body", event=True)
        flows = kit.fit_together(
            [(cy, [left], "Welsh body (bilingual_welsh.body)"), (en, [right], "body")],
            hint=hint,
            grow=1,
        )
    else:
        make = (
            welsh_stream(kit, LOOK, rest)
            if welsh is not None
            else stream(
                kit, LOOK, rest, sub=spec.subheading, body=spec.body, what="body", event=True
            )
        )
        flows = [kit.fit(make, [left, right], "body", hint=hint, balance=2, grow=2)]

    def draw(c: Canvas) -> None:
        kit.fill(c, kit.inks.brand, 0, H - band_h, W, band_h, page)
        head.drawOn(c, M, H - 10 * mm - head_h)
        if logo:
            lh = 14 * mm
            lw = min(34 * mm, lh * logo.aspect)
            c.setFillColor(kit.inks.paper)
            c.roundRect(
                W - M - lw - 2 * mm,
                H - 10 * mm - lh - 2 * mm,
                lw + 4 * mm,
                lh + 4 * mm,
                1.5 * mm,
                stroke=0,
                fill=1,
            )
            draw_picture(kit, c, logo, W - M - lw, H - 10 * mm - lh, lw, lh)
        if hero:
            draw_picture(kit, c, hero, M, H - band_h - 7 * mm - hero_h, INNER, hero_h)
        for f in flows:
            f.draw(c)
        kit.mark_overflow(c, flows[-1], right)
        if row_h:
            yy = row_bottom + row_h
            for f in contact:
                _, fh = f.wrap(text_w, 60 * mm)
                yy -= fh
                f.drawOn(c, M, yy)
                yy -= f.getSpaceAfter()
            if spec.qr:
                x = M + INNER - qr
                draw_qr(kit, c, spec.qr.data, x, row_bottom + row_h - qr, qr)
                if cap is not None:
                    _, ch = cap.wrap(qr + 6 * mm, 20 * mm)
                    cap.drawOn(c, x - 3 * mm, row_bottom + row_h - qr - 1 * mm - ch)
        draw_imprint(kit, c, piece.imprint, M, imprint_y, INNER)
        # The cut line, edge to edge, with scissors and a label.
        c.saveState()
        c.setStrokeColor(kit.inks.ink)
        c.setLineWidth(0.7)
        c.setDash(3, 2.5)
        c.line(-kit.bleed, cut_y, W + kit.bleed, cut_y)
        c.restoreState()
        c.setFillColor(kit.inks.paper)
        c.rect(M - 1 * mm, cut_y - 3 * mm, 9 * mm, 6 * mm, stroke=0, fill=1)
        c.setStrokeColor(kit.inks.ink)
        scissors(c, M, cut_y, 6.5 * mm)
        label = _labels(welsh is not None)["cut"]
        c.setFont(kit.fonts.italic, 7.5)
        lw = c.stringWidth(label, kit.fonts.italic, 7.5)
        c.setFillColor(kit.inks.paper)
        c.rect(W - M - lw - 2 * mm, cut_y - 2 * mm, lw + 4 * mm, 4 * mm, stroke=0, fill=1)
        c.setFillColor(kit.inks.muted)
        c.drawRightString(W - M, cut_y - 1 * mm, label)
        _draw_slip(kit, piece, slip, c, cut_y, intro, intro_h, consent, consent_h, ret, ret_h)

    return [draw]
