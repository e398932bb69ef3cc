"""Render the application icon for the desktop builds from its one source, the SVG.

The rosette is drawn once, in resources/icons/canvass.svg (the window icon at run
time comes from the same file). Windows wants an .ico and macOS an .icns for the
executable and the bundle, Linux menus take the SVG itself, and a PNG is handy for
release pages: all are written to the folder given, from PySide6's SVG renderer
(already installed, as the app needs it) and Pillow (a ReportLab dependency).

Usage: python packaging/make_icons.py OUT_DIR
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PIL import Image

SOURCE = Path(__file__).resolve().parent.parent / "resources" / "icons" / "canvass.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)


def render(svg: bytes, size: int) -> Image.Image:
    """The SVG drawn on a transparent ``size``-pixel square."""
    from PIL import Image
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {SOURCE} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_RGBA8888_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    pixels = bytes(image.constBits())
    return Image.frombuffer("RGBA", (size, size), pixels, "raw", "RGBA", image.bytesPerLine(), 1)


def main(out_dir: str) -> None:
    """Write canvass.png, canvass.ico and canvass.icns into ``out_dir``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    svg = SOURCE.read_bytes()
    images = {size: render(svg, size) for size in SIZES}
    images[256].save(out / "canvass.png")
    # Each size rendered from the vector, not scaled down from the largest one,
    # so the 16-pixel taskbar icon stays sharp.
    ico_sizes = [s for s in SIZES if s <= 256]
    images[256].save(
        out / "canvass.ico",
        sizes=[(s, s) for s in ico_sizes],
        append_images=[images[s] for s in ico_sizes if s != 256],
    )
    images[1024].save(out / "canvass.icns", append_images=[images[s] for s in SIZES[:-1]])
    print(f"make_icons: wrote canvass.png, .ico and .icns to {out}")  # noqa: T201


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python packaging/make_icons.py OUT_DIR")
    main(sys.argv[1])
