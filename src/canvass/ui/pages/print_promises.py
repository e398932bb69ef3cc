"""The knock-up list's "Who counts as a promise" panel: intention codes and support.

An elector is on the knock-up list when their latest conversation gave one of
the intentions ticked here, or support at least as strong as the number set
(1 is strongly for). The panel only says what is chosen; the knock-up section
counts.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
)

from canvass.services.polling_day import DEFAULT_INTENTIONS, DEFAULT_MAX_SUPPORT
from canvass.ui.pages.common import label

if TYPE_CHECKING:
    from canvass.domain.codes import Code

#: Intention checkboxes per row.
COLUMNS = 3


class PromisesPanel(QFrame):
    """Checkboxes for the campaign's intention codes, and "also count support of N".

    Signals:
        changed: What counts as a promise changed.
    """

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("panel")  # the look of common.panel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        self.codes: tuple[Code, ...] = ()
        self.intention_boxes: dict[str, QCheckBox] = {}
        self._ticked = set(DEFAULT_INTENTIONS)
        layout.addWidget(label("Who counts as a promise", "sectionTitle"))
        layout.addWidget(
            label(
                "What each elector said the last time a canvasser spoke to them. "
                "People who have moved or asked not to be contacted are never listed.",
                "footnote",
                wrap=True,
            )
        )
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(24)
        self.grid.setVerticalSpacing(8)
        layout.addLayout(self.grid)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.support_on = QCheckBox("Also count support of")
        self.support_on.setChecked(DEFAULT_MAX_SUPPORT is not None)
        self.support = QSpinBox()
        self.support.setRange(1, 5)
        self.support.setValue(DEFAULT_MAX_SUPPORT or 2)
        self.support.setEnabled(self.support_on.isChecked())
        self.support_on.toggled.connect(self.support.setEnabled)
        self.support_on.toggled.connect(self.changed)
        self.support.valueChanged.connect(self.changed)
        row.addWidget(self.support_on)
        row.addWidget(self.support)
        row.addWidget(QLabel("or stronger"))
        row.addSpacing(6)
        row.addWidget(label("(1 is strongly for, 5 strongly against)", "footnote"))
        row.addStretch(1)
        layout.addSpacing(4)
        layout.addLayout(row)

    def set_codes(self, intentions: tuple[Code, ...]) -> None:
        """Offer the campaign's intention codes (keeping what was ticked)."""
        if intentions == self.codes:
            return
        for box in self.intention_boxes.values():
            self.grid.removeWidget(box)
            box.deleteLater()
        self.codes = intentions
        self.intention_boxes = {}
        for n, (code, name) in enumerate(intentions):
            box = QCheckBox(f"{name} ({code})" if name != code else code)
            box.setChecked(code in self._ticked)
            box.toggled.connect(functools.partial(self._on_tick, code))
            self.grid.addWidget(box, n // COLUMNS, n % COLUMNS)
            self.intention_boxes[code] = box
        for column in range(COLUMNS):
            self.grid.setColumnStretch(column, 1)

    def _on_tick(self, code: str, ticked: bool) -> None:
        if ticked:
            self._ticked.add(code)
        else:
            self._ticked.discard(code)
        self.changed.emit()

    def intentions(self) -> tuple[str, ...]:
        """The intention codes ticked, in the code book's order."""
        return tuple(code for code, _name in self.codes if code in self._ticked)

    def max_support(self) -> int | None:
        """The weakest support that counts (1 strongest), or None when support does not count."""
        return self.support.value() if self.support_on.isChecked() else None
