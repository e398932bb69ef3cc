"""Pictures, QR codes, panels and the imprint, for every leaflet layout.

Pictures are checked when loaded (a broken file or one over 40 megapixels is
refused with a message saying what to do), turned upright as the camera meant,
scaled without distortion, and embedded at print resolution: downsampled to
300 dpi at their printed size, with a warning under 200 dpi.
"""

from __future__ import annotations

import io
import itertools
import warnings as py_warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from canvass.domain.errors import ValidationError
from canvass.domain.leaflet_spec import LeafletImage
from canvass.pdf.leaflet_kit import Kit, xml

MAX_MEGAPIXELS = 40
MIN_DPI = 200
PRINT_DPI = 300


@dataclass(slots=True)
class Picture:
    """A checked image, upright, ready to place."""

    label: str  # "photo.jpg (images[1])"
    image: Image.Image
    caption: str
    placement: str
    _readers: dict[tuple[int, int], ImageReader] = field(default_factory=dict)

    @property
    def aspect(self) -> float:
        """Width over height."""
        return float(self.image.width) / float(self.image.height)

    def reader(self, w_px: int, h_px: int) -> ImageReader:
        """The image at (at most) this many pixels, as ReportLab embeds it."""
        key = (w_px, h_px)
        if key not in self._readers:
            image = self.image
            if w_px < image.width:
                image = image.resize((w_px, h_px), Image.Resampling.LANCZOS)
            if image.mode in ("RGBA", "LA"):
                self._readers[key] = ImageReader(image)
            else:  # photos as JPEG: a tenth of the size of Flate, no visible loss at q 92
                buffer = io.BytesIO()
                image.save(buffer, format="JPEG", quality=92, subsampling=0)
                buffer.seek(0)
                self._readers[key] = ImageReader(buffer)
        return self._readers[key]


def _unsupported_kind(path: Path) -> str:
    """The phone-camera format ("an AVIF", "a HEIC") a build may lack, else ""."""
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError:
        return ""
    if head[4:8] != b"ftyp":  # the ISO media box both formats start with
        return ""
    brand = head[8:12]
    if brand in (b"avif", b"avis"):
        return "an AVIF"
    if brand in (b"heic", b"heix", b"mif1", b"msf1", b"hevc"):
        return "a HEIC"
    return ""


def load_picture(spec: LeafletImage, index: int, base_dir: Path | None) -> Picture:
    """Open and check one of a spec's images.

    Raises:
        ValidationError: The file is missing, is not a picture or is damaged, or is huge.
    """
    where = f"images[{index}].path"
    path = Path(spec.path)
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    label = f"'{Path(spec.path).name}' ({where})"
    if not path.is_file():
        raise ValidationError(
            f"The image {label} was not found at {path}; check the file name in the spec."
        )
    with py_warnings.catch_warnings():
        py_warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        # Pillow warns on the console about a format it knows but was built without.
        py_warnings.simplefilter("ignore", UserWarning)
        try:
            image = Image.open(path)
            width, height = image.size
        except Image.DecompressionBombError:
            raise ValidationError(
                f"The image {label} is far over {MAX_MEGAPIXELS} megapixels, the most leaflets "
                "take. Save a smaller copy (4,000 pixels across is more than enough, even for A3)."
            ) from None
        except (UnidentifiedImageError, OSError, ValueError):
            kind = _unsupported_kind(path)
            if kind:
                raise ValidationError(
                    f"The image {label} is {kind} picture, which this copy of canvass cannot "
                    "read. Open it in a photo editor and save it as JPEG or PNG."
                ) from None
            raise ValidationError(
                f"The image {label} cannot be read: it is not a JPEG, PNG or other picture "
                "file, or it is damaged. Open it in a photo editor and save it again as JPEG "
                "or PNG."
            ) from None
        megapixels = width * height / 1e6
        if megapixels > MAX_MEGAPIXELS:
            raise ValidationError(
                f"The image {label} is {megapixels:,.0f} megapixels ({width:,} × {height:,} "
                f"pixels); leaflets take images up to {MAX_MEGAPIXELS} megapixels. Save a "
                "smaller copy (4,000 pixels across is more than enough, even for A3)."
            )
        try:
            image.load()
            upright: Image.Image = ImageOps.exif_transpose(image)
        except (OSError, ValueError, SyntaxError):
            raise ValidationError(
                f"The image {label} is damaged (the file is cut short or corrupt). Open it "
                "in a photo editor and save it again, or choose another picture."
            ) from None
    if upright.mode not in ("RGB", "L", "RGBA", "LA"):
        alpha = upright.mode in ("P", "PA") and "transparency" in upright.info
        upright = upright.convert("RGBA" if alpha or upright.mode == "PA" else "RGB")
    return Picture(label, upright, spec.caption, spec.placement)


def pictures(kit: Kit, base_dir: Path | None) -> list[Picture]:
    """Every image of the spec, loaded and checked."""
    return [load_picture(img, i, base_dir) for i, img in enumerate(kit.spec.images, 1)]


def fit_size(aspect: float, w: float, h: float) -> tuple[float, float]:
    """The largest width and height of that aspect inside a w × h box."""
    if w / h > aspect:
        return h * aspect, h
    return w, w / aspect


def draw_picture(
    kit: Kit, c: Canvas, pic: Picture, x: float, y: float, w: float, h: float
) -> tuple[float, float]:
    """Draw a picture as large as fits the box (centred), undistorted; returns its size."""
    dw, dh = fit_size(pic.aspect, w, h)
    dpi = pic.image.width / (dw / 72)
    if dpi < MIN_DPI:
        need = int(dw / 72 * 250)
        kit.warn(
            f"{kit.template}: the image {pic.label} prints at only {dpi:.0f} dpi at its size "
            f"and may look blurred; use a larger original (about {need:,} pixels across)."
        )
    w_px = min(pic.image.width, max(1, round(dw / 72 * kit.max_dpi)))
    h_px = max(1, round(w_px / pic.aspect))
    mask = "auto" if pic.image.mode in ("RGBA", "LA") else None
    c.drawImage(pic.reader(w_px, h_px), x + (w - dw) / 2, y + (h - dh) / 2, dw, dh, mask=mask)
    return dw, dh


class PictureFlowable(Flowable):  # type: ignore[misc]
    """A picture in running text: full column width (or less, to keep its shape) and caption."""

    def __init__(self, kit: Kit, pic: Picture, max_h: float, size: float) -> None:
        super().__init__()
        self.kit, self.pic, self.max_h = kit, pic, max_h
        self.caption = (
            kit.text(
                pic.caption,
                kit.style(size * 0.82, colour=kit.inks.muted, font=kit.fonts.italic),
                "caption",
            )
            if pic.caption
            else None
        )
        self.spaceAfter = size * 0.8
        self.spaceBefore = size * 0.3

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        """Measure at a width."""
        self.box_w = aw
        self.img_w, self.img_h = fit_size(self.pic.aspect, aw, self.max_h)
        self.cap_h = self.caption.wrap(aw, ah)[1] + 1.5 * mm if self.caption else 0.0
        self.width, self.height = aw, self.img_h + self.cap_h
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        """Never split: kept whole."""
        return []

    def draw(self) -> None:
        """Draw at the origin."""
        draw_picture(self.kit, self.canv, self.pic, 0, self.cap_h, self.box_w, self.img_h)
        if self.caption:
            self.caption.drawOn(self.canv, (self.box_w - self.img_w) / 2, 0)


class Panel(Flowable):  # type: ignore[misc]
    """Flowables on a tinted, rounded panel (an event's details, contact details)."""

    def __init__(
        self,
        content: Sequence[Flowable],
        fill: colors.Color,
        pad: float,
        *,
        radius: float = 2 * mm,
        after: float = 0.0,
    ) -> None:
        super().__init__()
        self.content, self.fill, self.pad, self.radius = list(content), fill, pad, radius
        self.spaceAfter = after

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        """Measure at a width."""
        inner = aw - 2 * self.pad
        self.sizes = [f.wrap(inner, ah) for f in self.content]
        gaps = sum(f.getSpaceAfter() for f in self.content[:-1])
        self.width = aw
        self.height = sum(h for _, h in self.sizes) + gaps + 2 * self.pad
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        """Never split: kept whole."""
        return []

    def draw(self) -> None:
        """Draw at the origin."""
        c = self.canv
        c.setFillColor(self.fill)
        c.roundRect(0, 0, self.width, self.height, self.radius, stroke=0, fill=1)
        y = self.height - self.pad
        for f, (_, h) in zip(self.content, self.sizes, strict=True):
            y -= h
            f.drawOn(c, self.pad, y)
            y -= f.getSpaceAfter()


def draw_qr(kit: Kit, c: Canvas, data: str, x: float, y: float, size: float) -> None:
    """A QR code (error correction M) on a white tile; ``size`` includes a 3-module margin.

    Modules are drawn as one filled path of runs, in black ink only.
    """
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(data)
    code.make()
    count = code.getModuleCount()
    border = 3
    box = size / (count + 2 * border)
    c.saveState()
    c.setFillColor(kit.inks.paper)
    c.roundRect(x, y, size, size, 1.2 * mm, stroke=0, fill=1)
    c.setFillColor(kit.inks.ink if not kit.cmyk else colors.CMYKColor(0, 0, 0, 1))
    path = c.beginPath()
    for r, row in enumerate(code.modules):
        col = 0
        for dark, run in itertools.groupby(bool(v) for v in row):
            length = len(list(run))
            if dark:
                top = y + size - (r + border) * box
                path.rect(x + (col + border) * box, top - box, length * box, box)
            col += length
    c.drawPath(path, stroke=0, fill=1)
    c.restoreState()
    if box < 0.45 * mm:
        kit.warn(
            f"{kit.template}: the QR code holds {len(data)} characters and prints as dots "
            "too fine for many phones; use a shorter web address."
        )


def imprint_lines(kit: Kit, text: str, width: float, size: float) -> list[str]:
    """The imprint wrapped to a width."""
    return simpleSplit(text, kit.fonts.regular, size, width) if text else []


def draw_imprint(
    kit: Kit,
    c: Canvas,
    text: str,
    x: float,
    y: float,
    width: float,
    *,
    size: float = 6.5,
    colour: colors.Color | None = None,
    centre: bool = False,
) -> float:
    """The imprint, its last line's baseline at ``y``; returns the height it takes."""
    lines = imprint_lines(kit, text, width, size)
    lead = size * 1.25
    c.saveState()
    c.setFont(kit.fonts.regular, size)
    c.setFillColor(colour or kit.inks.muted)
    for i, line in enumerate(lines):
        yy = y + (len(lines) - 1 - i) * lead
        if centre:
            c.drawCentredString(x + width / 2, yy, line)
        else:
            c.drawString(x, yy, line)
    c.restoreState()
    return len(lines) * lead


def contact_flowables(
    kit: Kit, size: float, *, label: bool = True, colour: colors.Color | None = None
) -> list[Flowable]:
    """The label "Get in touch" and the contact lines (bilingual for Welsh leaflets)."""
    spec = kit.spec
    out: list[Flowable] = []
    if label:
        words = "Cysylltwch â ni · Get in touch" if spec.bilingual_welsh else "Get in touch"
        out.append(
            Paragraph(
                words,
                kit.style(
                    size * 1.05,
                    font=kit.fonts.bold,
                    colour=colour or kit.inks.brand,
                    after=size * 0.3,
                ),
            )
        )
    if spec.contact.strip():
        style = kit.style(size, leading=size * 1.3, colour=colour)
        out.append(kit.text(spec.contact, style, "contact"))
    return out


def event_flowables(kit: Kit, size: float) -> list[Flowable]:
    """An event's what, when, where and speakers, for a panel on a flyer."""
    event = kit.spec.event
    if event is None:
        return []
    welsh = kit.spec.bilingual_welsh is not None
    label = kit.style(size * 0.78, font=kit.fonts.bold, colour=kit.inks.brand)
    value = kit.style(size * 1.05, font=kit.fonts.bold, after=size * 0.45)
    out: list[Flowable] = [
        Paragraph(
            f"<b>{xml(event.what)}</b>",
            kit.style(size * 1.25, font=kit.fonts.bold, colour=kit.inks.brand, after=size * 0.35),
        )
    ]
    for cy, en, text in (("Pryd", "When", event.when), ("Ble", "Where", event.where)):
        out.append(Paragraph(f"{cy} · {en}" if welsh else en.upper(), label))
        out.append(kit.text(text, value, f"event.{en.lower()}"))
    if event.speakers:
        out.append(Paragraph("Siaradwyr · Speakers" if welsh else "SPEAKERS", label))
        speakers = "<br/>".join(xml(s) for s in event.speakers)
        out.append(Paragraph(speakers, kit.style(size, after=size * 0.45)))
    if event.admission:
        out.append(kit.text(event.admission, kit.style(size, font=kit.fonts.italic), "admission"))
    return out
