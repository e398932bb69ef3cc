"""Large buttons for the Canvass screen that show their key, and a label that never widens.

Every button shows its keyboard key in a small key cap on its left, so a
canvasser learns the keys by using the mouse or a finger. None of them takes
the keyboard focus: the keys belong to the entry pad.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QWidget

from canvass.ui import theme

#: Height of an outcome button and of the smaller code buttons, in pixels.
BIG_HEIGHT = 50
SMALL_HEIGHT = 34
SCORE_SIZE = QSize(34, 32)
_CAP = 24  # the key cap's side


class KeyButton(QPushButton):
    """A button with its key in a cap on the left: "[S]  Spoke".

    Attributes:
        code: The code the button stands for (or an action's name).
        key: The key shown ("" for none).
        label_text: The button's words in full (its text may be cut short).
    """

    def __init__(
        self,
        code: str,
        text: str,
        key: str,
        *,
        big: bool = False,
        checkable: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(text, parent)
        self.code = code
        self.key = key
        self.label_text = text
        self.setObjectName("key")
        self.setCheckable(checkable)
        self.toggled.connect(lambda _on: self._elide())
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumHeight(BIG_HEIGHT if big else SMALL_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        if big:
            self.setStyleSheet("QPushButton#key { font-size: 12pt; padding-left: 44px; }")
        else:
            self.setStyleSheet("QPushButton#key { padding-left: 36px; font-size: 10pt; }")
        shown = key if key else "—"
        self.setToolTip(f"{text}: press {key}" if key else f"{text} (no key: click it)")
        self.setAccessibleName(f"{text}, key {shown}")

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Wide enough for the cap, the text and some air; short labels stay compact."""
        hint = super().sizeHint()
        return QSize(min(hint.width(), 220), max(hint.height(), self.minimumHeight()))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Narrow windows may squeeze the text (it is elided), never the cap."""
        return QSize(_CAP + 40, self.minimumHeight())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """Cut the text short with "…" when the button is too narrow for it."""
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = self.width() - (58 if self.minimumHeight() >= BIG_HEIGHT else 48)
        font = QFont(self.font())
        font.setBold(self.isChecked())  # a chosen button's text is bold, so wider
        metrics = QFontMetrics(font)
        self.setText(metrics.elidedText(self.label_text, Qt.TextElideMode.ElideRight, room))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """The styled button, then the key cap on its left."""
        super().paintEvent(event)
        if not self.key:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        left = 12 if self.minimumHeight() >= BIG_HEIGHT else 8
        cap = QRect(left, (self.height() - _CAP) // 2, _CAP, _CAP)
        on = self.isChecked()
        enabled = self.isEnabled()
        painter.setPen(QColor(theme.BRAND if on else "#B8C4CC"))
        painter.setBrush(QColor(theme.BRAND if on else "#F4F6F8"))
        painter.drawRoundedRect(cap, 5, 5)
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(max(8.0, font.pointSizeF() - 1))
        painter.setFont(font)
        ink = "white" if on else (theme.INK if enabled else "#9AA5AF")
        painter.setPen(QColor(ink))
        painter.drawText(cap, Qt.AlignmentFlag.AlignCenter, self.key)
        painter.end()


class ScoreButton(QPushButton):
    """A digit button for support or likelihood (1–5)."""

    def __init__(self, value: int, parent: QWidget | None = None) -> None:
        super().__init__(str(value), parent)
        self.value = value
        self.setObjectName("score")
        self.setCheckable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFixedSize(SCORE_SIZE)


class ElidedLabel(QLabel):
    """A one-line label that cuts its text short with "…" rather than widen its column.

    Attributes:
        full_text: The text in full (also its tooltip when it is cut short).
    """

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.full_text = ""

    def set_text(self, text: str) -> None:
        """Show ``text``, cut short to the label's width."""
        self.full_text = text
        self._elide()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Any width will do; one line high."""
        return QSize(10, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """Cut the text again for the new width."""
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(
            self.full_text, Qt.TextElideMode.ElideRight, max(10, self.width())
        )
        self.setText(shown)
        self.setToolTip(self.full_text if shown != self.full_text else "")
