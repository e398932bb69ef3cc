"""What the Leaflets screen's tabs share: what they read, words, small widgets and styles.

Reads run on the window's reads runner and hand back plain dataclasses; writes
go through its task runner. The screen never touches a session itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QPlainTextEdit

from canvass.domain.errors import ValidationError
from canvass.domain.leaflet_spec import TEMPLATES, LeafletSpec, Template, parse_spec
from canvass.services.browse import DistrictNode, district_tree
from canvass.services.campaigns import current_campaign
from canvass.services.leaflets import LeafletSummary, list_leaflets
from canvass.services.rounds import Round, list_rounds
from canvass.services.walk_lists import WalkListSummary, walk_lists
from canvass.storage.database import Database
from canvass.ui import theme
from canvass.ui.pages.canvass_common import ERROR_COLOUR
from canvass.ui.pages.petitions_common import STYLE as PETITIONS_STYLE
from canvass.ui.table_models import AnyIndex

_DISPLAY = Qt.ItemDataRole.DisplayRole
_TIP = Qt.ItemDataRole.ToolTipRole

TOML_FILTER = "Leaflet files (*.toml *.json)"
PICTURE_FILTER = "Pictures (*.png *.jpg *.jpeg *.gif *.webp *.tif *.tiff *.bmp)"


# -- reading -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LeafletsSetup:
    """What the screen's choices come from: the campaign, saved designs, districts, lists."""

    db: Database
    campaign: str
    leaflets: list[LeafletSummary]
    districts: list[DistrictNode]
    lists: list[WalkListSummary]
    rounds: list[Round]


def read_setup(db: Database) -> LeafletsSetup:
    """Everything the screen's pickers need (runs on the reads runner)."""
    with db.read() as session:
        campaign = current_campaign(session)
        name = campaign.name if campaign is not None else ""
    if not name:
        return LeafletsSetup(db, "", [], [], [], [])
    districts = [d for d in district_tree(db) if d.households]
    return LeafletsSetup(db, name, list_leaflets(db), districts, walk_lists(db), list_rounds(db))


@dataclass(frozen=True, slots=True)
class Example:
    """A leaflet shipped with canvass to start from."""

    name: str  # the file's name
    about: str  # its first comment line
    spec: LeafletSpec


def shipped_examples() -> list[Example]:
    """The example leaflets in ``resources/examples`` (small files: read when asked)."""
    out = []
    folder = files("canvass.resources") / "examples"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        text = entry.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        about = first.lstrip("# ").strip() if first.startswith("#") else ""
        try:
            spec = parse_spec(text)
        except ValidationError:
            continue  # a broken example is left out rather than break the screen
        out.append(Example(entry.name, about, spec))
    return out


# -- words -------------------------------------------------------------------------------

#: Paper sizes by their millimetres (portrait and landscape), for "A5 (148 × 210 mm)".
_PAPERS = {(148, 210): "A5", (210, 297): "A4", (297, 420): "A3", (99, 210): "DL"}


def paper_words(size_mm: tuple[float, float]) -> str:
    """A page size in words: "A5 (148 × 210 mm)", "A4 landscape", "A5 with bleed"."""
    w, h = round(size_mm[0]), round(size_mm[1])
    exact = f"{w} × {h} mm"
    for bleed, suffix in ((0, ""), (6, " with 3 mm bleed")):
        for (pw, ph), name in _PAPERS.items():
            if (w - bleed, h - bleed) == (pw, ph):
                return f"{name}{suffix} ({exact})"
            if (w - bleed, h - bleed) == (ph, pw):
                return f"{name} landscape{suffix} ({exact})"
    return exact


def template_words(template: Template) -> str:
    """What a template is for, and its page size."""
    w, h = round(template.width_mm), round(template.height_mm)
    if template.name == "a4-folded":
        size = f"A4 sheet {w} × {h} mm, folded to A5"
    else:
        size = f"{template.paper}, {w} × {h} mm"
    return f"{template.about} ({size})"


_FIELD_REF = re.compile(r" ?\((?:images|letter|event|reply_slip|bilingual_welsh|qr)[\w.\[\]]*\)")


def plain_warning(text: str) -> str:
    """A renderer's warning in the editor's words: no template prefix or field paths."""
    for name in TEMPLATES:
        if text.startswith(f"{name}: "):
            text = text[len(name) + 2 :]
            break
    text = _FIELD_REF.sub("", text)
    text = text.replace("choose sides = 2", "choose two sides")
    return text[:1].upper() + text[1:]


def plural(count: int, one: str, many: str | None = None) -> str:
    """``"1 page"``, ``"3 pages"``."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def spec_problem(message: str) -> str:
    """A spec's check as the editor shows it (it already names every field)."""
    return message.replace("The leaflet spec has problems: ", "Please fix: ")


# -- widgets -----------------------------------------------------------------------------


def text_box(placeholder: str, lines: int = 3) -> QPlainTextEdit:
    """A multi-line field about ``lines`` lines high."""
    edit = QPlainTextEdit()
    edit.setObjectName("textField")
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    height = edit.fontMetrics().lineSpacing() * lines + 22
    edit.setMinimumHeight(height)
    edit.setMaximumHeight(height)
    return edit


def lines_of(text: str) -> tuple[str, ...]:
    """The non-empty lines of ``text``, trimmed."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


class PlainTable(QAbstractTableModel):
    """A read-only table of plain rows: headers with tooltips, no children.

    Subclasses set :attr:`HEADERS` and implement :meth:`cell`.
    """

    HEADERS: tuple[tuple[str, str], ...] = ()
    RIGHT: frozenset[int] = frozenset()  # columns of numbers

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Hold ``rows`` instead."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        """The row object on ``row`` (None outside)."""
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def cell(self, row: Any, column: int) -> str:
        """What ``row`` shows in ``column``."""
        raise NotImplementedError

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt)
        """Rows at the top level; nothing below."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt)
        """Columns at the top level; nothing below."""
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802 (Qt)
        self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY
    ) -> Any:
        """Column titles and what each holds."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == _DISPLAY:
            return self.HEADERS[section][0]
        if role == _TIP:
            return self.HEADERS[section][1]
        return None

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        """What a cell shows for ``role``."""
        if not (
            index.isValid()
            and index.model() is self
            and 0 <= index.row() < len(self.rows)
            and 0 <= index.column() < len(self.HEADERS)
        ):
            return None
        if role in (_DISPLAY, _TIP):
            return self.cell(self.rows[index.row()], index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            right = index.column() in self.RIGHT
            side = Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        return None


# -- style -------------------------------------------------------------------------------

STYLE = (
    PETITIONS_STYLE
    + f"""
QLabel#helpLine {{ color: {theme.MUTED}; font-size: 9pt; }}
QLabel#formSection {{ color: {theme.INK}; font-size: 11pt; font-weight: 600; padding-top: 6px; }}
QLabel#templateAbout {{ color: {theme.MUTED}; font-size: 9pt; }}
QLabel#previewWarning {{
    color: #8A5A00; background: #FFF4D6; border-radius: 6px; padding: 5px 9px; font-size: 9pt;
}}
QLabel#refusal {{
    color: {ERROR_COLOUR}; background: #FBE5E3; border: 1px solid #E8B4AE; border-radius: 6px;
    padding: 7px 10px; font-size: 10pt;
}}
QLabel#savedState {{ color: {theme.MUTED}; font-size: 9pt; }}
QLabel#pageCount {{ color: {theme.INK}; font-size: 10pt; }}
QScrollArea#previewScroll {{ background: #D9DEE3; border: 1px solid {theme.LINE}; }}
QScrollArea#previewScroll > QWidget > QWidget {{ background: #D9DEE3; }}
QScrollArea#formScroll, QScrollArea#formScroll > QWidget > QWidget {{
    background: {theme.BACKGROUND};
}}
QPlainTextEdit#textField:focus {{ border-color: {theme.BRAND}; }}
QToolButton#zoom {{
    background: {theme.SURFACE}; border: 1px solid #C5CED6; border-radius: 6px;
    padding: 3px 9px; min-width: 18px;
}}
QToolButton#zoom:hover {{ background: #EEF2F5; }}
QToolButton#zoom:checked {{
    background: {theme.BRAND_TINT}; color: {theme.BRAND_DARK}; border-color: {theme.BRAND};
}}
QToolButton#zoom:disabled {{ color: #9AA5AF; }}
"""
)
