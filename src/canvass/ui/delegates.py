"""How the Browse screen draws its rows: the area tree and the household labels."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from canvass.ui import theme
from canvass.ui.table_models import (
    FLAG_COLOURS,
    DistrictTreeModel,
    Flag,
    FlagKind,
    HouseholdColumn,
    HouseholdTableModel,
)

AnyIndex = QModelIndex | QPersistentModelIndex


class AreaDelegate(QStyledItemDelegate):
    """Draws a district on two lines: its name, then its ward and unaddressed electors."""

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:  # noqa: N802
        """Room for two lines on district rows, a comfortable single line on streets."""
        size = super().sizeHint(option, index)
        lines = 2 if index.data(DistrictTreeModel.SUBTITLE_ROLE) else 1
        return QSize(size.width(), option.fontMetrics.height() * lines + 10 + 4 * lines)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        """The standard item, with a muted second line on district rows."""
        subtitle = index.data(DistrictTreeModel.SUBTITLE_ROLE)
        if not subtitle:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        title, opt.text = opt.text, ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        rect = rect.adjusted(4, 5, -4, -5)
        half = rect.height() // 2
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(QColor(theme.INK))
        top = QRect(rect.left(), rect.top(), rect.width(), half)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(top, flags, opt.fontMetrics.elidedText(title, _RIGHT, top.width()))
        small = QFont(option.font)
        painter.setFont(small)
        painter.setPen(QColor(theme.MUTED))
        bottom = QRect(rect.left(), rect.top() + half, rect.width(), rect.height() - half)
        metrics = QFontMetrics(small)
        painter.drawText(bottom, flags, metrics.elidedText(subtitle, _RIGHT, bottom.width()))
        painter.restore()


_RIGHT = Qt.TextElideMode.ElideRight


_PILL_PAD = 14  # a label's text plus this is its width


def _pill_font(font: QFont) -> QFont:
    small = QFont(font)
    small.setPointSizeF(max(7.0, font.pointSizeF() - 1))
    return small


class HouseholdDelegate(QStyledItemDelegate):
    """Draws a thin line above each household and the notes as coloured labels."""

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:  # noqa: N802
        """The notes column is as wide as its labels; other cells as usual."""
        size = super().sizeHint(option, index)
        if index.column() != HouseholdColumn.NOTES:
            return size
        metrics = QFontMetrics(_pill_font(option.font))
        flags = index.data(HouseholdTableModel.FLAGS_ROLE) or ()
        width = sum(metrics.horizontalAdvance(flag.text) + _PILL_PAD + 6 for flag in flags) + 10
        return QSize(width, size.height())

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        """The standard cell; notes as pills; a divider above a household's first row."""
        if index.column() == HouseholdColumn.NOTES:
            opt = QStyleOptionViewItem(option)
            self.initStyleOption(opt, index)
            opt.text = ""
            widget = opt.widget
            style = widget.style() if widget is not None else QApplication.style()
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
            self._pills(painter, opt.rect, index.data(HouseholdTableModel.FLAGS_ROLE) or ())
        else:
            super().paint(painter, option, index)
        if index.row() > 0 and index.data(HouseholdTableModel.FIRST_ROLE):
            painter.save()
            painter.setPen(QPen(QColor(theme.LINE), 1))
            painter.drawLine(option.rect.topLeft(), option.rect.topRight())
            painter.restore()

    @staticmethod
    def _pills(painter: QPainter, rect: QRect, flags: Sequence[Flag]) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = _pill_font(painter.font())
        painter.setFont(font)
        metrics = QFontMetrics(font)
        height = metrics.height() + 4
        x = rect.left() + 6
        y = rect.top() + (rect.height() - height) // 2
        for number, flag in enumerate(flags):
            text, (fill, ink) = flag.text, FLAG_COLOURS[flag.kind]
            width = metrics.horizontalAdvance(text) + _PILL_PAD
            rest = f"+{len(flags) - number}"
            room = rect.right() - 4 - x
            if number < len(flags) - 1:  # keep room for a "+N" after this one
                room -= metrics.horizontalAdvance(rest) + _PILL_PAD + 6
            if width > room:  # what does not fit is summed up; the tooltip has it all
                text, (fill, ink) = rest, FLAG_COLOURS[FlagKind.REMOVED]
                width = metrics.horizontalAdvance(text) + _PILL_PAD
            pill = QRect(x, y, width, height)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(fill))
            painter.drawRoundedRect(pill, height / 2, height / 2)
            painter.setPen(QColor(ink))
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
            if text == rest:
                break
            x += width + 6
        painter.restore()
