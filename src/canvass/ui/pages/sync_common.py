"""What the Sync screen's tabs share: the data they show, its reading, words and styles.

The page reads everything in one go on the window's reads runner
(:func:`read_sync_data`) and hands the plain result to each tab; the tabs never
read the database themselves.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from canvass.services.browse import district_tree
from canvass.services.conflicts import ConflictInfo, list_conflicts
from canvass.services.exchange import ExportResult
from canvass.services.keys import DeviceInfo, list_devices
from canvass.services.walk_lists import WalkListSummary, walk_lists
from canvass.storage.database import Database
from canvass.ui import theme

_CHECKED = Qt.CheckState.Checked
_ID = Qt.ItemDataRole.UserRole

#: Text that tells the person something went wrong (as on the Print page).
ERROR_COLOUR = "#A8322A"
GOOD_COLOUR = theme.BRAND_DARK
EXCHANGE_FILTER = "canvass exchange files (*.canvass);;All files (*)"
ENROLMENT_FILTER = "Enrolment files (*.json);;All files (*)"

#: Vertical padding and spacing of a checklist's row (its style sheet), in pixels.
CHECKLIST_ROW = 12

STYLE = f"""
QTabWidget#syncTabs::pane {{ border: none; border-top: 1px solid {theme.LINE}; top: -1px; }}
QTabWidget#syncTabs > QWidget {{ background: {theme.BACKGROUND}; }}
QTabBar#syncTabBar {{ background: transparent; }}
QTabBar#syncTabBar::tab {{
    background: transparent; color: {theme.MUTED}; border: none;
    border-bottom: 3px solid transparent; padding: 8px 18px 9px 18px; margin-right: 6px;
    font-size: 11pt;
}}
QTabBar#syncTabBar::tab:hover {{ color: {theme.INK}; }}
QTabBar#syncTabBar::tab:selected {{
    color: {theme.BRAND_DARK}; border-bottom-color: {theme.BRAND}; font-weight: 600;
}}
QWidget#syncTab, QScrollArea#syncScroll, QWidget#syncScrollBody {{
    background: {theme.BACKGROUND};
}}
QLabel#countBadge {{
    background: {ERROR_COLOUR}; color: white; border-radius: 10px;
    min-width: 20px; max-height: 20px; min-height: 20px; padding: 0 4px;
    font-size: 9pt; font-weight: 700;
}}
QLabel#fingerprint {{ color: {theme.INK}; font-size: 20pt; font-weight: 600; }}
QLabel#bigFingerprint {{
    color: {theme.INK}; background: {theme.BRAND_TINT}; border-radius: 8px;
    padding: 14px 18px; font-size: 24pt; font-weight: 600;
}}
QLabel#roleBadge {{
    background: {theme.BRAND_TINT}; color: {theme.BRAND_DARK}; border-radius: 9px;
    padding: 2px 9px; font-size: 9pt; font-weight: 600;
}}
QLabel#error {{ color: {ERROR_COLOUR}; font-size: 10pt; }}
QLabel#good {{ color: {GOOD_COLOUR}; font-size: 11pt; font-weight: 600; }}
QFrame#dropZone {{
    background: #F8FAFB; border: 2px dashed #B8C4CC; border-radius: 10px;
}}
QFrame#dropZone[active="true"] {{ background: {theme.BRAND_TINT}; border-color: {theme.BRAND}; }}
QFrame#dropZone QLabel {{ background: transparent; border: none; }}
QFrame#panel QTableView, QFrame#panel QListWidget {{
    border: 1px solid {theme.LINE}; border-radius: 6px; background: {theme.SURFACE}; outline: 0;
    selection-background-color: {theme.BRAND_TINT}; selection-color: {theme.INK};
}}
QFrame#panel QListWidget::item {{
    padding: 8px 10px; border-bottom: 1px solid {theme.LINE}; color: {theme.INK};
}}
QFrame#panel QListWidget#checklist::item {{ padding: 3px 6px; border: none; }}
QFrame#panel QListWidget::item:selected {{ background: {theme.BRAND_TINT}; }}
QFrame#panel QHeaderView::section {{
    background: {theme.SURFACE}; color: {theme.MUTED}; border: none;
    border-bottom: 1px solid {theme.LINE}; padding: 6px 8px; font-weight: 600;
}}
QFrame#panel QTableView::item {{ padding: 0 8px; }}
QFrame#panel QTableView#reportTable::item {{ padding: 0 5px; }}
QFrame#panel QTableView#reportTable QHeaderView::section {{ padding: 6px 5px; }}
QFrame#rule {{ background: {theme.LINE}; border: none; max-height: 1px; min-height: 1px; }}
"""


@dataclass(frozen=True, slots=True)
class SyncData:
    """Everything the Sync screen shows, read in one go.

    ``registered`` is False while this database's own device has made no
    change: it is not in the shared device list yet, and ``me`` only stands in
    for it until the page has registered it (a write, on the task runner).
    """

    me: DeviceInfo
    devices: list[DeviceInfo]
    conflicts: list[ConflictInfo]
    lists: list[WalkListSummary] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    registered: bool = True

    def device_name(self, device_id: str) -> str:
        """A device's name by id (its id's start when unknown)."""
        found = next((d for d in self.devices if d.id == device_id), None)
        return found.name if found else device_id[:8]

    @property
    def others(self) -> list[DeviceInfo]:
        """Devices files can be made for: enrolled, not revoked, not this one."""
        return [d for d in self.devices if d.enrolled and not d.revoked and not d.is_this_device]

    @property
    def coordinators(self) -> list[DeviceInfo]:
        """The enrolled coordinators other than this device (the default recipients)."""
        return [d for d in self.others if d.role == "coordinator"]


#: Stands in for this device until it is registered.
UNREGISTERED = DeviceInfo(
    id="",
    name="This laptop",
    role="",
    fingerprint="…",
    enrolled=False,
    revoked=False,
    is_this_device=True,
    registered_at="",
)


def read_sync_data(db: Database) -> tuple[Database, SyncData]:
    """Read what the Sync screen shows (runs on a reads runner's thread; never writes)."""
    devices = list_devices(db)
    me = next((d for d in devices if d.is_this_device), None)
    data = SyncData(
        me=me or UNREGISTERED,
        devices=devices,
        conflicts=list_conflicts(db),
        lists=walk_lists(db),
        districts=[node.code for node in district_tree(db)],
        registered=me is not None,
    )
    return db, data


# -- words ------------------------------------------------------------------------------


def plural(count: int, word: str, many: str | None = None) -> str:
    """``"1 file"``, ``"2 files"``, with thousands separators."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def role_text(role: str) -> str:
    """``"coordinator"`` as ``"Coordinator"``; an unset role reads as a canvasser."""
    return (role or "canvasser").capitalize()


def value_text(value: Any) -> str:
    """A field's value as a person reads it: quoted text, Yes/No, "(empty)"."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str):
        return f"“{value}”"
    if isinstance(value, int | float):
        return f"{value}"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def field_text(name: str) -> str:
    """A field's column name in words: ``postal_vote`` as ``postal vote``."""
    return name.replace("_", " ")


def when_text(at: str) -> str:
    """``2026-11-22 10:01`` (UTC) as ``22 Nov 2026, 10:01 UTC``; anything else unchanged."""
    try:
        moment = dt.datetime.strptime(at, "%Y-%m-%d %H:%M")
    except ValueError:
        return at
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


def export_words(result: ExportResult, data: SyncData | None) -> str:
    """What an exchange file holds and who can open it, in a line."""
    me = data.me.id if data else ""
    who = []
    for item in result.recipients:
        if item == me:
            continue  # always there, so the file can be read back and checked
        if item == "passphrase":
            who.append("anyone with the passphrase")
        elif item.startswith("age1"):
            who.append("the campaign's recovery key")
        else:
            who.append(data.device_name(item) if data else item[:8])
    scope = "everything on this laptop" if result.scope == "full" else result.scope
    return (
        f"{plural(result.operations, 'change')}, {size_text(result.size)}: {scope}. "
        f"Can be opened by {', '.join(who) or 'this laptop only'}. Read back and checked."
    )


def size_text(size: int) -> str:
    """A file size in KB or MB."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):,.1f} MB"
    return f"{max(1, round(size / 1024)):,} KB"


def slug(text: str) -> str:
    """A file-name-friendly version of ``text``."""
    return re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-").lower() or "device"


# -- widgets ----------------------------------------------------------------------------


def mono_font(point_size: float = 0) -> QFont:
    """The system's fixed-width font (for fingerprints, which are read aloud)."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.TypeWriter)
    if point_size:
        font.setPointSizeF(point_size)
    return font


def tab_body(*, scrolling: bool = False) -> tuple[QWidget, QVBoxLayout]:
    """A tab's page and the layout to fill; ``scrolling`` when it may be taller than the window."""
    inner = QWidget()
    inner.setObjectName("syncScrollBody" if scrolling else "syncTab")
    layout = QVBoxLayout(inner)
    layout.setContentsMargins(0, 14, 0, 2)
    layout.setSpacing(16)
    if not scrolling:
        return inner, layout
    scroll = QScrollArea()
    scroll.setObjectName("syncScroll")
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(inner)
    return scroll, layout


def rule() -> QFrame:
    """A thin line between two parts of a panel."""
    line = QFrame()
    line.setObjectName("rule")
    return line


def button_row(*widgets: QWidget, stretch_first: bool = False) -> QHBoxLayout:
    """Widgets in a row, pushed to the left (or right, with ``stretch_first``)."""
    row = QHBoxLayout()
    row.setSpacing(10)
    if stretch_first:
        row.addStretch(1)
    for widget in widgets:
        row.addWidget(widget)
    if not stretch_first:
        row.addStretch(1)
    return row


def table_view() -> QTableView:
    """A read-only table with whole-row selection, styled like the Browse page's."""
    view = QTableView()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(False)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(32)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    )
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


def checklist() -> QListWidget:
    """A short list of rows with tick boxes."""
    widget = QListWidget()
    widget.setObjectName("checklist")
    return widget


def ticked(widget: QListWidget) -> list[str]:
    """The keys of the rows ticked in a :func:`checklist`."""
    items = (widget.item(n) for n in range(widget.count()))
    return [str(item.data(_ID)) for item in items if item.checkState() == _CHECKED]


def fill_checklist(widget: QListWidget, rows: list[tuple[str, str]]) -> None:
    """Show ``(key, text)`` rows with tick boxes, keeping the ticks of keys still there."""
    keep = set(ticked(widget))
    widget.clear()
    for key, text in rows:
        item = QListWidgetItem(text)
        item.setData(_ID, key)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(_CHECKED if key in keep else Qt.CheckState.Unchecked)
        widget.addItem(item)
    # The style sheet's padding (CHECKLIST_ROW) is not known to sizeHintForRow before
    # the list is first shown, so the height is worked out from the font.
    row = widget.fontMetrics().height() + CHECKLIST_ROW
    widget.setFixedHeight(row * min(max(len(rows), 1), 5) + 2 * widget.frameWidth() + 2)
