"""The type and colours leaflets are printed in: embedded font families and inks."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

import font_roboto
import font_source_sans_pro
import font_source_serif_pro
from reportlab.lib import colors
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from canvass.domain.leaflet_spec import PALETTE

# -- fonts ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Family:
    """Registered font names of one family (all embedded as subsets)."""

    regular: str
    bold: str
    italic: str
    bold_italic: str
    display: str  # headlines


def _files(key: str) -> tuple[str, str, str, str, str]:
    if key == "roboto":
        d = os.path.dirname(font_roboto.Roboto)
        names = (
            "Roboto-Regular",
            "Roboto-Bold",
            "Roboto-Italic",
            "Roboto-BoldItalic",
            "Roboto-Black",
        )
    elif key == "source-sans":
        d = font_source_sans_pro.font_directory
        names = (
            "SourceSansPro-Regular",
            "SourceSansPro-Bold",
            "SourceSansPro-It",
            "SourceSansPro-BoldIt",
            "SourceSansPro-Black",
        )
    else:
        d = font_source_serif_pro.font_directory
        names = (
            "SourceSerifPro-Regular",
            "SourceSerifPro-Bold",
            "SourceSerifPro-It",
            "SourceSerifPro-BoldIt",
            "SourceSerifPro-Black",
        )
    a, b, c, e, f = (os.path.join(d, n + ".ttf") for n in names)
    return a, b, c, e, f


@cache
def family(key: str) -> Family:
    """Register the font family ``key`` (one of FONTS) once; returns its names."""
    base = f"Leaflet-{key}"
    fam = Family(base, f"{base}-Bold", f"{base}-Italic", f"{base}-BoldItalic", f"{base}-Display")
    for name, path in zip(
        (fam.regular, fam.bold, fam.italic, fam.bold_italic, fam.display), _files(key), strict=True
    ):
        pdfmetrics.registerFont(TTFont(name, path))
    addMapping(fam.regular, 0, 0, fam.regular)
    addMapping(fam.regular, 1, 0, fam.bold)
    addMapping(fam.regular, 0, 1, fam.italic)
    addMapping(fam.regular, 1, 1, fam.bold_italic)
    addMapping(fam.display, 0, 0, fam.display)
    addMapping(fam.display, 1, 0, fam.display)
    addMapping(fam.display, 0, 1, fam.display)
    addMapping(fam.display, 1, 1, fam.display)
    return fam


@cache
def glyphs(font_name: str) -> frozenset[int]:
    """The characters a registered font has glyphs for."""
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph)


# -- inks ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Inks:
    """The colours of one leaflet, as RGB or (for print shops) CMYK."""

    brand: colors.Color
    on_brand: colors.Color  # text on the brand colour
    tint: colors.Color  # a pale brand colour for panels
    ink: colors.Color  # body text
    muted: colors.Color
    rule: colors.Color
    paper: colors.Color
    alert: colors.Color  # the overflow mark
    registration: colors.Color  # crop marks
    second_markup: str  # the English headline under a Welsh one, for paragraph markup


def inks(colour: str, *, cmyk: bool) -> Inks:
    """The inks of a palette colour. CMYK text is black ink only (no registration blur)."""
    c = PALETTE[colour]
    if cmyk:
        tint = tuple(v * 0.12 for v in c.cmyk)
        return Inks(
            brand=colors.CMYKColor(*c.cmyk),
            on_brand=colors.CMYKColor(*c.on_cmyk),
            tint=colors.CMYKColor(*tint),
            ink=colors.CMYKColor(0, 0, 0, 0.92),
            muted=colors.CMYKColor(0, 0, 0, 0.68),
            rule=colors.CMYKColor(0, 0, 0, 0.25),
            paper=colors.CMYKColor(0, 0, 0, 0),
            alert=colors.CMYKColor(0, 1, 1, 0),
            registration=colors.CMYKColor(1, 1, 1, 1),
            second_markup="cmyk({},{},{},{})".format(
                *(round(a + (b - a) * 0.3, 3) for a, b in zip(c.on_cmyk, c.cmyk, strict=True))
            ),
        )
    brand = colors.HexColor(c.hex)
    white = colors.white
    return Inks(
        brand=brand,
        on_brand=colors.HexColor(c.on_hex),
        tint=colors.linearlyInterpolatedColor(white, brand, 0, 1, 0.12),
        ink=colors.HexColor("#1F2933"),
        muted=colors.HexColor("#56606B"),
        rule=colors.HexColor("#C9D1D8"),
        paper=white,
        alert=colors.HexColor("#E00000"),
        registration=colors.black,
        second_markup=colors.linearlyInterpolatedColor(colors.HexColor(c.on_hex), brand, 0, 1, 0.3)
        .hexval()
        .replace("0x", "#"),
    )
