"""A pad to sign on with a finger, a pen, a mouse or a touchpad.

The drawing is kept as strokes of x, y points only, in a 0–1000 box with y
growing downwards (:data:`canvass.domain.signers.BOX`): no timing and no
pressure, which would make a signature behavioural-biometric data
(reference "petitions and bundles" §7). The box is the pad's signing area,
which always keeps the shape :data:`ASPECT` (three times as wide as high),
so a drawing is printed in a cell of that shape exactly as it was signed.

:class:`SignaturePad` is the drawing surface; :class:`SignatureBox` adds the
"Undo stroke" and "Clear" buttons and a line of help under it.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from canvass.domain.errors import ValidationError
from canvass.domain.signers import BOX, MAX_POINTS, check_strokes
from canvass.ui import theme
from canvass.ui.pages.common import label

#: The signing area's width over its height.
ASPECT = 3.0
#: Space between the widget's edge and the signing area, in pixels.
MARGIN = 10
#: A point closer than this to the one before (in box units) is not kept: it adds nothing.
MIN_STEP = 4
#: Where the line to sign on sits, as a share of the signing area's height.
BASELINE = 0.74
INK = "#1A2A57"

_TOUCH = (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd)


class SignaturePad(QWidget):
    """The surface a signer draws on.

    Press (or touch, or put the pen down), move and lift: one stroke. Points
    are kept in the 0–1000 box, at most :data:`~canvass.domain.signers.MAX_POINTS`
    of them over all strokes; once that many are drawn the pad stops taking
    more and says so.

    Signals:
        changed: The drawing changed (a stroke added, undone or cleared).
        filled: The pad holds as many points as a signature may have.
    """

    changed = Signal()
    filled = Signal()

    def __init__(self, parent: QWidget | None = None, *, read_only: bool = False) -> None:
        super().__init__(parent)
        self._strokes: list[list[int]] = []
        self._drawing = False
        self._full = False
        self.read_only = read_only
        self.hint = "Sign here"
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, not read_only)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMinimumSize(240, 80 + 2 * MARGIN)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        if not read_only:
            self.setCursor(Qt.CursorShape.CrossCursor)
            self.setToolTip("Sign with a finger, a pen, the mouse or the touchpad")
        self.setAccessibleName("Signature pad")

    # -- the drawing ---------------------------------------------------------------------

    def strokes(self) -> list[list[int]]:
        """The drawing: a list of strokes, each ``[x0, y0, x1, y1, …]`` in the 0–1000 box."""
        return [list(stroke) for stroke in self._strokes]

    def set_strokes(self, strokes: object) -> None:
        """Show ``strokes`` (as :meth:`strokes` gives them); anything unreadable shows nothing."""
        try:
            self._strokes = check_strokes(strokes)
        except ValidationError:
            self._strokes = []
        self._drawing = False
        self._full = self.point_count() >= MAX_POINTS
        self.update()
        self.changed.emit()

    def point_count(self) -> int:
        """Points held, over all strokes."""
        return sum(len(stroke) // 2 for stroke in self._strokes)

    def is_empty(self) -> bool:
        """Whether nothing is drawn."""
        return not self._strokes

    @property
    def full(self) -> bool:
        """Whether the pad holds as many points as a signature may have."""
        return self._full

    def clear(self) -> None:
        """Wipe the drawing."""
        if not self._strokes and not self._drawing:
            return
        self._strokes = []
        self._drawing = False
        self._full = False
        self.update()
        self.changed.emit()

    def undo_stroke(self) -> None:
        """Take back the last stroke."""
        if not self._strokes:
            return
        self._strokes.pop()
        self._drawing = False
        self._full = False
        self.update()
        self.changed.emit()

    # -- geometry --------------------------------------------------------------------------

    def box(self) -> QRectF:
        """The signing area in widget pixels: the widest :data:`ASPECT` rectangle that fits."""
        room = QRectF(self.rect()).adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        width = min(room.width(), room.height() * ASPECT)
        height = width / ASPECT
        return QRectF(
            room.left() + (room.width() - width) / 2,
            room.top() + (room.height() - height) / 2,
            width,
            height,
        )

    def to_box(self, pos: QPointF) -> tuple[int, int]:
        """A widget position as a point of the 0–1000 box (outside the area: its edge)."""
        box = self.box()
        if box.width() <= 0 or box.height() <= 0:
            return 0, 0
        x = round((pos.x() - box.left()) * BOX / box.width())
        y = round((pos.y() - box.top()) * BOX / box.height())
        return min(max(x, 0), BOX), min(max(y, 0), BOX)

    def from_box(self, x: int, y: int) -> QPointF:
        """A point of the 0–1000 box in widget pixels."""
        box = self.box()
        return QPointF(box.left() + x * box.width() / BOX, box.top() + y * box.height() / BOX)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """A comfortable size to sign in."""
        return QSize(540, round(540 / ASPECT) + 2 * MARGIN)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        """The pad wants the shape of its signing area."""
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        """The height that gives the signing area its shape at ``width``."""
        return round((width - 2 * MARGIN) / ASPECT) + 2 * MARGIN

    # -- capture -----------------------------------------------------------------------------

    def _begin(self, pos: QPointF) -> None:
        if self.read_only or not self.isEnabled():
            return
        if self.point_count() >= MAX_POINTS:
            self._refuse()
            return
        x, y = self.to_box(pos)
        self._strokes.append([x, y])
        self._drawing = True
        self.update()

    def _extend(self, pos: QPointF) -> None:
        if not self._drawing or not self._strokes:
            return
        x, y = self.to_box(pos)
        stroke = self._strokes[-1]
        if math.hypot(x - stroke[-2], y - stroke[-1]) < MIN_STEP:
            return
        if self.point_count() >= MAX_POINTS:
            self._refuse()
            return
        stroke.extend((x, y))
        self.update()

    def _end(self, pos: QPointF | None = None) -> None:
        if not self._drawing:
            return
        if pos is not None:
            self._extend(pos)
        self._drawing = False
        self.update()
        self.changed.emit()

    def _refuse(self) -> None:
        self._drawing = False
        if not self._full:
            self._full = True
            self.update()
            self.filled.emit()
            self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        """The left button starts a stroke."""
        if event.button() == Qt.MouseButton.LeftButton and not self.read_only:
            self._begin(event.position())
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        """Moving with the button down draws."""
        if self._drawing:
            self._extend(event.position())
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        """Letting go ends the stroke."""
        if event.button() == Qt.MouseButton.LeftButton and self._drawing:
            self._end(event.position())
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802 (Qt override)
        """A pen: its position only (never its pressure or tilt)."""
        if self.read_only:
            event.ignore()
            return
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self._begin(event.position())
        elif kind == QEvent.Type.TabletMove:
            self._extend(event.position())
        elif kind == QEvent.Type.TabletRelease:
            self._end(event.position())
        event.accept()  # no mouse event is made up from it

    def event(self, event: QEvent) -> bool:
        """A touchscreen: the first finger draws."""
        if isinstance(event, QTouchEvent) and not self.read_only:
            if event.type() in _TOUCH:
                points = event.points()
                if points:
                    position = points[0].position()
                    if event.type() == QEvent.Type.TouchBegin:
                        self._begin(position)
                    elif event.type() == QEvent.Type.TouchUpdate:
                        self._extend(position)
                    else:
                        self._end(position)
                event.accept()
                return True
            if event.type() == QEvent.Type.TouchCancel:
                self._end()
                event.accept()
                return True
        return super().event(event)

    # -- painting ----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """The white card, the line to sign on, the hint, then the strokes."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = self.box()
        # The card hugs the signing area, whatever room the layout gives the widget.
        outline = box.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN).intersected(
            QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        )
        painter.setPen(QPen(QColor(theme.LINE if self.read_only else "#B8C4CC"), 1))
        painter.setBrush(QColor(theme.SURFACE if self.isEnabled() else theme.BACKGROUND))
        painter.drawRoundedRect(outline, 8, 8)
        base_y = box.top() + box.height() * BASELINE
        left, right = box.left() + box.width() * 0.05, box.right() - box.width() * 0.05
        if not self.read_only:
            painter.setPen(QPen(QColor("#B8C4CC"), 1.2))
            painter.drawLine(QPointF(left, base_y), QPointF(right, base_y))
            cross = QFont(self.font())
            cross.setPointSizeF(max(9.0, box.height() / 9))
            painter.setFont(cross)
            painter.setPen(QColor(theme.MUTED))
            painter.drawText(
                QRectF(left, base_y - box.height() * 0.22, box.height() * 0.2, box.height() * 0.2),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                "×",
            )
        if not self._strokes and not self._drawing and self.hint:
            font = QFont(self.font())
            font.setPointSizeF(max(9.0, min(16.0, box.height() / 9)))
            font.setItalic(True)
            painter.setFont(font)
            painter.setPen(QColor("#8A96A0"))
            painter.drawText(
                QRectF(box.left(), box.top(), box.width(), base_y - box.top() - 4),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                self.hint,
            )
        pen = QPen(QColor(INK if self.isEnabled() else theme.MUTED))
        pen.setWidthF(max(1.6, box.height() / 80))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for stroke in self._strokes:
            points = [self.from_box(stroke[i], stroke[i + 1]) for i in range(0, len(stroke), 2)]
            if len(points) == 1:
                painter.drawPoint(points[0])
                continue
            path = QPainterPath(points[0])
            for point in points[1:]:
                path.lineTo(point)
            painter.drawPath(path)
        if self._full and not self.read_only:
            small = QFont(self.font())
            small.setPointSizeF(9.0)
            painter.setFont(small)
            painter.setPen(QColor("#A8322A"))
            painter.drawText(
                box.adjusted(8, 4, -8, -4),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                "The pad is full: undo a stroke or clear it",
            )
        painter.end()


class SignatureBox(QWidget):
    """A :class:`SignaturePad` with "Undo stroke" and "Clear" under it.

    Attributes:
        pad: The drawing surface.
        undo_button: Takes back the last stroke.
        clear_button: Wipes the drawing.
    """

    def __init__(self, parent: QWidget | None = None, *, large: bool = False) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        self.pad = SignaturePad()
        column.addWidget(self.pad)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.help = label(
            "Draw with a finger, a pen, the mouse or the touchpad. Only the shape is kept.",
            "padHint",
            wrap=True,
        )
        row.addWidget(self.help, 1)
        self.undo_button = QPushButton("Undo stroke")
        self.clear_button = QPushButton("Clear")
        for button in (self.undo_button, self.clear_button):
            button.setObjectName("secondary")
            button.setEnabled(False)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            if large:
                button.setMinimumHeight(40)
            row.addWidget(button)
        self.undo_button.setToolTip("Take back the last stroke")
        self.clear_button.setToolTip("Wipe the signature and start again")
        self.undo_button.clicked.connect(self.pad.undo_stroke)
        self.clear_button.clicked.connect(self.pad.clear)
        column.addLayout(row)
        self.pad.changed.connect(self._on_changed)

    def _on_changed(self) -> None:
        drawn = not self.pad.is_empty()
        self.undo_button.setEnabled(drawn)
        self.clear_button.setEnabled(drawn)
