"""Pieces both Canvass modes show: the picker of what to canvass, elector cards, message panels."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from canvass.services.browse import DistrictNode
from canvass.services.walk_lists import WalkListSummary
from canvass.ui import theme
from canvass.ui.pages.canvass_common import Source, district_source, list_source, plural
from canvass.ui.pages.canvass_models import ElectorModel
from canvass.ui.pages.common import label, panel
from canvass.ui.table_models import FLAG_COLOURS, Flag

AnyIndex = QModelIndex | QPersistentModelIndex
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.TextElideMode.ElideRight


def _key(kind: str, key: str) -> str:
    """A source as combo-box data (Qt compares strings, not tuples)."""
    return f"{kind}\x1f{key}"


class Picker(QWidget):
    """Choose a walk list or a polling district (and, optionally, one of its streets).

    Signals:
        chosen: The :class:`Source` chosen, or None for nothing.
    """

    chosen = Signal(object)

    def __init__(self, *, streets: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.districts: list[DistrictNode] = []
        self.sources: list[Source] = []
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self.combo = QComboBox()
        self.combo.setObjectName("picker")
        self.combo.setMinimumContentsLength(26)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setToolTip("A saved walk list, or a whole polling district")
        self.combo.currentIndexChanged.connect(self._on_choice)
        row.addWidget(self.combo, 2)
        self.street_combo = QComboBox()
        self.street_combo.setObjectName("picker")
        self.street_combo.setMinimumContentsLength(16)
        self.street_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.street_combo.setToolTip("Canvass the whole district, or just one of its streets")
        self.street_combo.currentIndexChanged.connect(self._on_street)
        self.street_combo.setVisible(False)  # shown when a district is chosen
        self.street_combo.setEnabled(False)
        row.addWidget(self.street_combo, 1)
        self._streets = streets

    def fill(self, lists: Sequence[WalkListSummary], districts: Sequence[DistrictNode]) -> None:
        """Offer ``lists`` and ``districts``, keeping the current choice if it is still there."""
        keep = self.current()
        self.districts = list(districts)
        self.sources = [list_source(s) for s in lists] + [district_source(d) for d in districts]
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem("Choose a walk list or a polling district…", None)
        for summary in lists:
            who = f" — {summary.canvasser}" if summary.canvasser else ""
            self.combo.addItem(
                f"Walk list: {summary.name}{who} · {plural(summary.doors, 'door')}",
                _key("list", summary.name),
            )
        for node in districts:
            self.combo.addItem(
                f"{node.code} district · {plural(node.electors, 'elector')}",
                _key("district", node.code),
            )
        found = (
            self.combo.findData(_key(keep.kind, keep.key)) if keep and keep.kind != "street" else -1
        )
        self.combo.setCurrentIndex(max(found, 0))
        self.combo.blockSignals(False)
        self._fill_streets()

    def _source_at(self, data: object) -> Source | None:
        return next((s for s in self.sources if _key(s.kind, s.key) == data), None)

    def current(self) -> Source | None:
        """What is chosen now (a street, when one is)."""
        base = self._source_at(self.combo.currentData())
        street_id = self.street_combo.currentData() if self.street_combo.isEnabled() else None
        if base is not None and street_id:
            name = self.street_combo.currentText().split(" · ")[0]
            return Source("street", str(street_id), f"{name} ({base.key})", base.district)
        return base

    def choose(self, kind: str, key: str) -> bool:
        """Choose a walk list or district by its key; False if there is none."""
        found = self.combo.findData(_key(kind, key))
        if found < 0:
            return False
        self.combo.setCurrentIndex(found)
        return True

    def choose_street(self, street_id: str) -> bool:
        """Choose one street of the district chosen; False if it has none such."""
        found = self.street_combo.findData(street_id)
        if found < 0:
            return False
        self.street_combo.setCurrentIndex(found)
        return True

    def _fill_streets(self) -> None:
        base = self._source_at(self.combo.currentData())
        self.street_combo.blockSignals(True)
        self.street_combo.clear()
        self.street_combo.addItem("All its streets", "")
        node = next((d for d in self.districts if base and d.code == base.key), None)
        if node is not None and base is not None and base.kind == "district":
            for street in node.streets:
                self.street_combo.addItem(
                    f"{street.name} · {plural(street.households, 'door')}", street.id
                )
        self.street_combo.setEnabled(self.street_combo.count() > 1)
        self.street_combo.setVisible(self._streets and self.street_combo.isEnabled())
        self.street_combo.blockSignals(False)

    def _on_choice(self, _index: int) -> None:
        self._fill_streets()
        self.chosen.emit(self.current())

    def _on_street(self, _index: int) -> None:
        self.chosen.emit(self.current())


class ElectorDelegate(QStyledItemDelegate):
    """An elector as a card: name and number, badges, then the latest record."""

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:  # noqa: N802
        """Two lines and room to tap."""
        height = option.fontMetrics.height()
        return QSize(200, max(52, 2 * height + 22))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        """The card."""
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(2, 2, -2, -2)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        muted = bool(index.data(ElectorModel.MUTED_ROLE))
        painter.setPen(QColor(theme.BRAND if selected else theme.LINE))
        painter.setBrush(
            QColor(theme.BRAND_TINT if selected else ("#F7F8F9" if muted else theme.SURFACE))
        )
        painter.drawRoundedRect(rect, 7, 7)
        if selected:
            painter.fillRect(
                QRect(rect.left(), rect.top() + 6, 4, rect.height() - 12), QColor(theme.BRAND)
            )
        inner = rect.adjusted(14, 6, -10, -6)
        half = inner.height() // 2
        name_font = QFont(option.font)
        name_font.setBold(True)
        name_font.setPointSizeF(option.font.pointSizeF() + 1)
        painter.setFont(name_font)
        ink = QColor("#8A96A0" if muted else theme.INK)
        painter.setPen(ink)
        name = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        number = str(index.data(ElectorModel.NUMBER_ROLE) or "")
        metrics = QFontMetrics(name_font)
        flags: tuple[Flag, ...] = index.data(ElectorModel.BADGES_ROLE) or ()
        small = QFont(option.font)
        small_metrics = QFontMetrics(small)
        # The name and number on the first line; the latest record and the badges below.
        top = QRect(inner.left(), inner.top(), inner.width(), half)
        number_width = small_metrics.horizontalAdvance(number) + 10
        shown = metrics.elidedText(name, _RIGHT, max(40, top.width() - number_width))
        painter.drawText(top, _LEFT, shown)
        painter.setFont(small)
        painter.setPen(QColor(theme.MUTED))
        painter.drawText(
            top.adjusted(metrics.horizontalAdvance(shown) + 10, 0, 0, 0), _LEFT, number
        )
        bottom = QRect(inner.left(), inner.top() + half, inner.width(), inner.height() - half)
        badge_width = min(self._badges_width(option.font, flags), bottom.width() // 2)
        self._badges(
            painter,
            small,
            flags,
            QRect(bottom.right() - badge_width, bottom.top(), badge_width, bottom.height()),
        )
        history = str(index.data(ElectorModel.HISTORY_ROLE) or "")
        painter.setFont(small)
        painter.setPen(QColor("#8A96A0" if muted else theme.MUTED))
        room = bottom.width() - badge_width - (8 if flags else 0)
        painter.drawText(bottom, _LEFT, small_metrics.elidedText(history, _RIGHT, room))
        painter.restore()

    @staticmethod
    def _badges_width(font: QFont, flags: Sequence[Flag]) -> int:
        metrics = QFontMetrics(_small(font))
        return sum(metrics.horizontalAdvance(f.text) + 20 for f in flags)

    @staticmethod
    def _badges(painter: QPainter, font: QFont, flags: Sequence[Flag], rect: QRect) -> None:
        small = _small(font)
        painter.setFont(small)
        metrics = QFontMetrics(small)
        height = metrics.height() + 4
        x = rect.left()
        y = rect.top() + (rect.height() - height) // 2
        for flag in flags:
            fill, ink = FLAG_COLOURS[flag.kind]
            width = metrics.horizontalAdvance(flag.text) + 14
            if x + width > rect.right() + 1:
                break
            pill = QRect(x, y, width, height)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(fill))
            painter.drawRoundedRect(pill, height / 2, height / 2)
            painter.setPen(QColor(ink))
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, flag.text)
            x += width + 6


def _small(font: QFont) -> QFont:
    small = QFont(font)
    small.setPointSizeF(max(7.0, font.pointSizeF() - 1))
    return small


def table(model: object, *, row_height: int = 34) -> QTableView:
    """A plain, row-selecting table that never takes the keyboard from the entry pad."""
    view = QTableView()
    view.setModel(model)  # type: ignore[arg-type]
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(row_height)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setDefaultAlignment(_LEFT)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


class MessagePanel(QWidget):
    """A calm panel for an empty state: a title, a sentence or two, maybe a button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        frame, layout = panel()
        frame.setMaximumWidth(720)
        layout.setContentsMargins(28, 24, 28, 24)
        self.title = label("", "sectionTitle", wrap=True)
        self.text = label("", "hint", wrap=True)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        self.button = QPushButton()
        self.button.setObjectName("primary")
        self.button.hide()
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addStretch(1)
        layout.addLayout(row)
        outer.addWidget(frame, 0, Qt.AlignmentFlag.AlignTop)
        outer.addStretch(1)

    def show_message(self, title: str, text: str, button: str = "") -> None:
        """Show ``title`` and ``text``, and a button labelled ``button`` if given."""
        self.title.setText(title)
        self.text.setText(text)
        self.button.setText(button)
        self.button.setVisible(bool(button))
