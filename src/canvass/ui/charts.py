"""Small charts drawn with QPainter: bars, columns, a per-day chart and an inline bar.

QtCharts is not part of PySide6 Essentials, and the reports need only a few
plain shapes, so these widgets paint them directly in the theme's colours.
Each chart shows what it is given (``set_*``) and never reads the database;
it says so in words when there is nothing to draw, and every bar has a
tooltip with its full label and count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QApplication,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from canvass.ui import theme

AnyIndex = QModelIndex | QPersistentModelIndex

#: The unfilled part of a bar.
TRACK = "#EEF2F5"
#: Colours for codes that have none of their own, in turn.
PALETTE = ("#0E7C86", "#2F5597", "#D9822B", "#7B61A8", "#3E8E41", "#B04A6F", "#55616B")
#: Role a model gives a cell to draw with :class:`RateBarDelegate`: a share from 0 to 1.
RATE_ROLE = Qt.ItemDataRole.UserRole + 40

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTRE = Qt.AlignmentFlag.AlignCenter


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: what it counts, how many, and its colour (the chart's own if empty)."""

    label: str
    value: int
    colour: str = ""
    note: str = ""  # a second, muted label under a column ("strongly for")


def percent(part: int, whole: int) -> str:
    """``part`` of ``whole`` as a whole percentage ("54%"), or "–" of nothing."""
    return f"{round(100 * part / whole)}%" if whole else "–"


def short_day(iso: str) -> str:
    """``2026-09-01`` as ``1 Sep``; anything unreadable unchanged."""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day:%b}"


def _small(font: QFont) -> QFont:
    small = QFont(font)
    small.setPointSizeF(max(7.0, font.pointSizeF() - 1))
    return small


class _Chart(QWidget):
    """What the charts share: the empty text, the hover tooltips, a fixed height."""

    def __init__(self, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.empty_text = empty_text
        self._tips: list[tuple[QRect, str]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def _fix_height(self, height: int) -> None:
        self.setFixedHeight(height)
        self.updateGeometry()
        self.update()

    def _paint_empty(self, painter: QPainter) -> None:
        painter.setPen(QColor(theme.MUTED))
        painter.drawText(self.rect(), _CENTRE, self.empty_text)

    def event(self, event: QEvent) -> bool:
        """Show the bar under the pointer's full label and count."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            found = next((tip for rect, tip in self._tips if rect.contains(event.pos())), "")
            if found:
                QToolTip.showText(event.globalPos(), found, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def tooltips(self) -> list[str]:
        """The tooltips of what was last painted, in order (for tests and screen readers)."""
        return [tip for _rect, tip in self._tips]


class BarChart(_Chart):
    """Horizontal bars, one row each: the label, the bar, the count and its share.

    Bars are scaled to the largest; the share is of ``whole`` (the records, or
    the people spoken to), given with the bars.
    """

    ROW = 30

    def __init__(
        self,
        colour: str = theme.BRAND,
        empty_text: str = "Nothing recorded yet",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(empty_text, parent)
        self.colour = colour
        self.bars: list[Bar] = []
        self.whole = 0
        self._fix_height(self.ROW * 2)

    def set_bars(self, bars: Sequence[Bar], whole: int) -> None:
        """Show ``bars`` (in the order given); shares are of ``whole``."""
        self.bars = list(bars)
        self.whole = whole
        self._fix_height(self.ROW * max(2, len(self.bars)) + 4)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Wide enough for labels and bars; as tall as its rows."""
        return QSize(360, self.height())

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Draw the rows."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._tips = []
        if not self.bars:
            self._paint_empty(painter)
            return
        metrics = QFontMetrics(self.font())
        width = self.width()
        label_width = min(
            max(metrics.horizontalAdvance(b.label) for b in self.bars) + 20, int(width * 0.42)
        )
        value_text = [f"{b.value:,}  ·  {percent(b.value, self.whole)}" for b in self.bars]
        value_width = max(metrics.horizontalAdvance(t) for t in value_text) + 12
        bar_left = label_width
        bar_room = max(20, width - label_width - value_width)
        top_value = max(b.value for b in self.bars) or 1
        for row, (bar, text) in enumerate(zip(self.bars, value_text, strict=True)):
            y = row * self.ROW + 2
            line = QRect(0, y, width, self.ROW)
            painter.setPen(QColor(theme.INK))
            name = metrics.elidedText(bar.label, _ELIDE, label_width - 10)
            painter.drawText(QRect(0, y, label_width - 10, self.ROW), _LEFT, name)
            track = QRectF(bar_left, y + self.ROW / 2 - 7, bar_room, 14)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(TRACK))
            painter.drawRoundedRect(track, 4, 4)
            if bar.value:
                filled = QRectF(track)
                filled.setWidth(max(4.0, bar_room * bar.value / top_value))
                painter.setBrush(QColor(bar.colour or self.colour))
                painter.drawRoundedRect(filled, 4, 4)
            painter.setPen(QColor(theme.MUTED))
            painter.drawText(QRect(width - value_width, y, value_width, self.ROW), _RIGHT, text)
            self._tips.append((line, f"{bar.label}: {text}"))
        painter.end()


class ColumnChart(_Chart):
    """Upright columns side by side (the support scale 1–5), each labelled beneath."""

    HEIGHT = 190

    def __init__(
        self,
        colour: str = theme.BRAND,
        empty_text: str = "Nothing recorded yet",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(empty_text, parent)
        self.colour = colour
        self.bars: list[Bar] = []
        self.whole = 0
        self._fix_height(self.HEIGHT)

    def set_bars(self, bars: Sequence[Bar], whole: int) -> None:
        """Show ``bars``; shares are of ``whole``. All zero shows the empty text."""
        self.bars = list(bars) if any(b.value for b in bars) else []
        self.whole = whole
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """A comfortable width; a fixed height."""
        return QSize(360, self.HEIGHT)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Draw the columns, their counts above and labels below."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._tips = []
        if not self.bars:
            self._paint_empty(painter)
            return
        metrics = QFontMetrics(self.font())
        small = _small(self.font())
        line = metrics.height()
        below = line + QFontMetrics(small).height() + 8
        plot = QRect(0, line + 6, self.width(), self.height() - below - line - 6)
        slot = plot.width() / len(self.bars)
        column = min(64.0, slot * 0.6)
        top_value = max(b.value for b in self.bars) or 1
        painter.setPen(QColor(theme.LINE))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        for n, bar in enumerate(self.bars):
            x = plot.left() + n * slot + (slot - column) / 2
            height = plot.height() * bar.value / top_value
            rect = QRectF(x, plot.bottom() - height, column, height)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(bar.colour or self.colour))
            if bar.value:
                painter.drawRoundedRect(rect.adjusted(0, 0, 0, 3), 4, 4)
                painter.fillRect(QRectF(x, plot.bottom() - 2, column, 3), painter.brush())
            text = f"{bar.value:,}  ·  {percent(bar.value, self.whole)}"
            area = QRect(int(plot.left() + n * slot), 0, int(slot), self.height())
            painter.setPen(QColor(theme.MUTED))
            painter.setFont(self.font())
            counts = QRect(area.left(), int(rect.top()) - line - 4, area.width(), line)
            painter.drawText(counts, _CENTRE, metrics.elidedText(text, _ELIDE, area.width()))
            painter.setPen(QColor(theme.INK))
            names = QRect(area.left(), plot.bottom() + 4, area.width(), line)
            painter.drawText(names, _CENTRE, metrics.elidedText(bar.label, _ELIDE, area.width()))
            if bar.note:
                painter.setFont(small)
                painter.setPen(QColor(theme.MUTED))
                notes = QRect(area.left(), names.bottom() + 2, area.width(), below - line)
                painter.drawText(notes, Qt.AlignmentFlag.AlignHCenter, bar.note)
            self._tips.append((area, f"{bar.label}{f' ({bar.note})' if bar.note else ''}: {text}"))
        painter.end()


_ELIDE = Qt.TextElideMode.ElideRight


class DayChart(_Chart):
    """Records and people spoken to on each day: a pair of columns per day, with a legend.

    Days without records between the first and the last are left out, so a
    campaign that canvasses at weekends shows its weekends side by side.
    """

    HEIGHT = 220
    LEGEND = (("Records", "#9CC7CB"), ("Spoke to", theme.BRAND_DARK))

    def __init__(self, empty_text: str = "No records yet", parent: QWidget | None = None) -> None:
        super().__init__(empty_text, parent)
        self.days: list[tuple[str, int, int]] = []
        self._fix_height(self.HEIGHT)

    def set_days(self, days: dict[str, dict[str, int]]) -> None:
        """Show ``{"YYYY-MM-DD": {"visits": n, "spoke": n}}`` in date order."""
        self.days = [
            (day, counts.get("visits", 0), counts.get("spoke", 0))
            for day, counts in sorted(days.items())
        ]
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """A wide chart of fixed height."""
        return QSize(600, self.HEIGHT)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Draw the legend, the scale, the columns and the dates."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._tips = []
        if not self.days:
            self._paint_empty(painter)
            return
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        top_value = max(max(v, s) for _d, v, s in self.days) or 1
        scale_width = metrics.horizontalAdvance(f"{top_value:,}") + 10
        plot = QRect(scale_width, line + 14, self.width() - scale_width, 0)
        plot.setBottom(self.height() - line - 10)
        self._legend(painter, metrics)
        painter.setPen(QColor(theme.LINE))
        for step in (0, 0.5, 1):
            y = int(plot.bottom() - plot.height() * step)
            painter.drawLine(plot.left(), y, plot.right(), y)
            painter.setPen(QColor(theme.MUTED))
            tick = f"{round(top_value * step):,}"
            painter.drawText(QRect(0, y - line // 2, scale_width - 8, line), _RIGHT, tick)
            painter.setPen(QColor(theme.LINE))
        # A few days stand at the left at a readable width, not spread across the chart.
        slot = min(plot.width() / len(self.days), 110.0)
        pair = min(56.0, slot * 0.7)
        every = max(1, int((metrics.horizontalAdvance("30 Sep") + 12) // max(slot, 1)) + 1)
        painter.setPen(Qt.PenStyle.NoPen)
        for n, (day, visits, spoke) in enumerate(self.days):
            left = plot.left() + n * slot + (slot - pair) / 2
            for part, (value, (_name, colour)) in enumerate(
                zip((visits, spoke), self.LEGEND, strict=True)
            ):
                height = plot.height() * value / top_value
                rect = QRectF(left + part * pair / 2, plot.bottom() - height, pair / 2, height)
                painter.fillRect(rect, QColor(colour))
            area = QRect(int(plot.left() + n * slot), plot.top(), max(1, int(slot)), plot.height())
            self._tips.append(
                (area, f"{short_day(day)}: {visits:,} records, spoke to {spoke:,} people")
            )
            if n % every == 0:
                painter.setPen(QColor(theme.INK))
                label_rect = QRect(int(left + pair / 2) - 40, plot.bottom() + 4, 80, line)
                painter.drawText(label_rect, _CENTRE, short_day(day))
                painter.setPen(Qt.PenStyle.NoPen)
        painter.end()

    def _legend(self, painter: QPainter, metrics: QFontMetrics) -> None:
        x = self.width()
        for name, colour in reversed(self.LEGEND):
            text_width = metrics.horizontalAdvance(name)
            x -= text_width
            painter.setPen(QColor(theme.INK))
            painter.drawText(QRect(x, 0, text_width, metrics.height()), _LEFT, name)
            x -= 18
            painter.fillRect(QRect(x, metrics.height() // 2 - 6, 12, 12), QColor(colour))
            x -= 18


class RateBarDelegate(QStyledItemDelegate):
    """A table cell showing a share as a percentage and a small bar (its :data:`RATE_ROLE`)."""

    BAR = 64

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:  # noqa: N802
        """Room for the text, the bar and some space between (other cells as usual)."""
        size = super().sizeHint(option, index)
        if not isinstance(index.data(RATE_ROLE), float):
            return size
        return QSize(size.width() + self.BAR + 16, size.height())

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        """The cell's background and text, then the bar to its right."""
        share = index.data(RATE_ROLE)
        if not isinstance(share, float):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = opt.rect.adjusted(8, 0, -8, 0)
        text_width = max(1, rect.width() - self.BAR - 10)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor(theme.INK))
        painter.drawText(QRect(rect.left(), rect.top(), text_width, rect.height()), _RIGHT, text)
        track = QRectF(rect.right() - self.BAR, rect.center().y() - 4, self.BAR, 8)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(TRACK))
        painter.drawRoundedRect(track, 3, 3)
        if share > 0:
            filled = QRectF(track)
            filled.setWidth(max(3.0, self.BAR * min(share, 1.0)))
            painter.setBrush(QColor(theme.BRAND))
            painter.drawRoundedRect(filled, 3, 3)
        painter.restore()


def colour_for(code: str, colours: dict[str, str], position: int) -> str:
    """The colour of ``code``: its own in ``colours``, else the palette's in turn."""
    return colours.get(code) or PALETTE[position % len(PALETTE)]
