"""Icons: the application icon and the small line icons of the navigation bar.

The navigation icons are drawn here as 24-unit SVG paths, so they share one
stroke weight and the brand colour on every platform instead of depending on
whatever icon theme the desktop has.
"""

from __future__ import annotations

from importlib.resources import files

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from canvass.ui import theme

#: SVG path data on a 24×24 grid, keyed by icon name.
_SHAPES = {
    "overview": (
        '<rect x="3.5" y="3.5" width="7" height="7" rx="1.5"/>'
        '<rect x="13.5" y="3.5" width="7" height="7" rx="1.5"/>'
        '<rect x="3.5" y="13.5" width="7" height="7" rx="1.5"/>'
        '<rect x="13.5" y="13.5" width="7" height="7" rx="1.5"/>'
    ),
    "browse": (
        '<rect x="3" y="3" width="8" height="5" rx="1.2"/>'
        '<path d="M7 8v11h4M7 12.5h4"/>'
        '<rect x="11" y="10.5" width="10" height="4" rx="1.2"/>'
        '<rect x="11" y="17" width="10" height="4" rx="1.2"/>'
    ),
    "canvass": (
        '<path d="M3 11 12 3.8 21 11"/><path d="M5.5 9.2V20h13V9.2"/><path d="M10 20v-6h4v6"/>'
    ),
    "petitions": (
        '<rect x="5" y="4.5" width="14" height="16.5" rx="2"/>'
        '<path d="M9 3h6v3H9z"/>'
        '<path d="M8.5 11h7M8.5 14.5h7M8.5 18h4"/>'
    ),
    "leaflets": (
        '<path d="M5 3.5h10.5L19 7v13.5H5z"/>'
        '<path d="M15.5 3.5V7H19"/>'
        '<path d="M8 8h5"/>'
        '<rect x="8" y="11" width="8" height="4.5" rx="0.8"/>'
        '<path d="M8 18h6"/>'
    ),
    "print": (
        '<path d="M7 9V3.5h10V9"/>'
        '<rect x="3" y="9" width="18" height="8" rx="2"/>'
        '<path d="M7 14h10v6.5H7z"/>'
    ),
    "sync": (
        '<path d="M19.5 10A7.5 7.5 0 0 0 6 6.5L4.5 8"/>'
        '<path d="M4.5 3.5V8H9"/>'
        '<path d="M4.5 14A7.5 7.5 0 0 0 18 17.5l1.5-1.5"/>'
        '<path d="M19.5 20.5V16H15"/>'
    ),
    "reports": ('<path d="M4 20.5h16"/><path d="M7 17v-5M12 17V6.5M17 17v-8"/>'),
    "settings": (
        '<path d="M4 7h9M17 7h3M4 17h3M11 17h9"/>'
        '<circle cx="15" cy="7" r="2"/>'
        '<circle cx="9" cy="17" r="2"/>'
    ),
}


def _svg(shape: str, colour: str) -> bytes:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" '
        f'stroke="{colour}" stroke-width="1.8" stroke-linecap="round" '
        f'stroke-linejoin="round">{shape}</svg>'
    ).encode()


def _render(svg: bytes, size: int) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(svg))
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return QPixmap.fromImage(image)


def nav_icon(name: str) -> QIcon:
    """A navigation icon: grey normally, the brand colour when selected.

    Args:
        name: One of ``overview``, ``canvass``, ``petitions``, ``leaflets``,
            ``print``, ``sync``, ``reports`` or ``settings``.
    """
    icon = QIcon()
    for mode, colour in ((QIcon.Mode.Normal, theme.MUTED), (QIcon.Mode.Selected, theme.BRAND)):
        svg = _svg(_SHAPES[name], colour)
        for size in (20, 24, 40, 48):
            icon.addPixmap(_render(svg, size), mode)
    return icon


def app_icon() -> QIcon:
    """The canvass rosette, from the packaged resources."""
    svg = (files("canvass.resources") / "icons/canvass.svg").read_bytes()
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        icon.addPixmap(_render(svg, size))
    return icon


def app_pixmap(size: int) -> QPixmap:
    """The application icon as a pixmap of ``size`` pixels square."""
    return app_icon().pixmap(size, size)
