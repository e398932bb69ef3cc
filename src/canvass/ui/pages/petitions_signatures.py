"""A petition's signatures: the counts, every signature judged, and a person's decisions.

The counts (against the threshold, by way of signing, ward and collector)
sit above a table of every signature in the order they were taken, with
whether each counts and why not. Duplicates are only ever shown here, never
where signatures are taken. A selected signature shows its details and drawn
signature beside the table, with what a person may do about it: withdraw it
(at the signer's request), count a flagged one anyway, exclude one with a
reason, or leave it to the rules again.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from canvass.services.petitions import decide, withdraw
from canvass.storage.database import Database
from canvass.ui.pages.canvass_common import when
from canvass.ui.pages.canvass_view import MessagePanel, table
from canvass.ui.pages.common import label, panel
from canvass.ui.pages.petitions_common import (
    METHOD_WORDS,
    SignatureFigures,
    SignatureRow,
    counts_line,
    progress_words,
)
from canvass.ui.pages.petitions_models import FILTERS, SignatureColumn, SignatureModel, keeps
from canvass.ui.signature_pad import SignaturePad

if TYPE_CHECKING:
    from canvass.ui.pages.petitions_workspace import Workspace


def versions_line(row: SignatureRow) -> str:
    """The petition text and consent wording versions the signer saw: "Text version 2 · ..."."""
    words = f"Text version {row.text_version}"
    if row.consent_version:
        words += f" · consent wording version {row.consent_version}"
    return words


EMPTY_TEXT = (
    "Take signatures at a stall, at the door or from paper sheets (the other tab), or merge "
    "the files canvassers send back (Sync screen)."
)


class SignaturesView(QWidget):
    """The Signatures tab of a petition.

    Signals:
        changed: A withdrawal or decision was saved (the figures are read again).
    """

    changed = Signal()

    def __init__(self, work: Workspace) -> None:
        super().__init__()
        self.work = work
        self.figures: SignatureFigures | None = None
        self.setObjectName("canvassTab")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 10, 0, 0)
        column.setSpacing(10)
        column.addWidget(self._build_figures())
        self.stack = QStackedWidget()
        self.message = MessagePanel()
        self.message.show_message("No signatures yet", EMPTY_TEXT)
        self.stack.addWidget(self.message)
        self.stack.addWidget(self._build_table())
        column.addWidget(self.stack, 1)

    # -- layout ---------------------------------------------------------------------------------

    def _build_figures(self) -> QWidget:
        frame, box = panel()
        box.setContentsMargins(20, 12, 20, 12)
        box.setSpacing(6)
        top = QHBoxLayout()
        top.setSpacing(14)
        self.progress_text = label("", "cardFigure")
        top.addWidget(self.progress_text)
        self.progress = QProgressBar()
        self.progress.setObjectName("petitionProgress")
        self.progress.setTextVisible(False)
        top.addWidget(self.progress, 1)
        self.excluded_text = label("", "cardMeta")
        top.addWidget(self.excluded_text)
        box.addLayout(top)
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(2)
        self.by: dict[str, QLabel] = {}
        for n, (key, title) in enumerate(
            (("method", "By way of signing"), ("ward", "By ward"), ("collector", "By collector"))
        ):
            grid.addWidget(label(title, "fieldLabel"), 0, n)
            value = label("", "cardMeta", wrap=True)
            grid.addWidget(value, 1, n, Qt.AlignmentFlag.AlignTop)
            grid.setColumnStretch(n, 1)
            self.by[key] = value
        box.addLayout(grid)
        return frame

    def _build_table(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        filters = QHBoxLayout()
        filters.setSpacing(6)
        self.filter_group = QButtonGroup(self)
        self.filter_group.setExclusive(True)
        self.filter_buttons: dict[str, QPushButton] = {}
        for key, text, tip in FILTERS:
            button = QPushButton(text)
            button.setObjectName("filterChip")
            button.setCheckable(True)
            button.setMinimumHeight(32)
            button.setToolTip(tip)
            self.filter_group.addButton(button)
            self.filter_buttons[key] = button
            filters.addWidget(button)
            button.clicked.connect(self._on_filter)
        self.filter_buttons["all"].setChecked(True)
        filters.addStretch(1)
        self.search_box = QLineEdit()
        self.search_box.setObjectName("search")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setPlaceholderText("Find a name or postcode")
        self.search_box.setMinimumWidth(240)
        self.search_box.textChanged.connect(self._on_filter)
        filters.addWidget(self.search_box)
        column.addLayout(filters)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.setHandleWidth(10)
        table_frame, table_box = panel()
        table_box.setContentsMargins(6, 6, 6, 6)
        self.model = SignatureModel(self)
        self.view = table(self.model, row_height=30)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.view.horizontalHeader()
        for col, width in (
            (SignatureColumn.NUMBER, 42),
            (SignatureColumn.NAME, 170),
            (SignatureColumn.POSTCODE, 78),
            (SignatureColumn.HOW, 78),
            (SignatureColumn.COLLECTOR, 120),
            (SignatureColumn.WHEN, 96),
            (SignatureColumn.STATUS, 96),
        ):
            header.resizeSection(col, width)
        header.setStretchLastSection(True)
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        table_box.addWidget(self.view)
        self.shown_count = label("", "padHint")
        table_box.addWidget(self.shown_count)
        splitter.addWidget(table_frame)
        splitter.addWidget(self._build_detail())
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setSizes([840, 270])
        column.addWidget(splitter, 1)
        return page

    def _build_detail(self) -> QWidget:
        frame, box = panel()
        frame.setMinimumWidth(270)
        frame.setMaximumWidth(340)
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(6)
        # The details scroll when the window is short; the buttons stay in view below them.
        details = QWidget()
        details_box = QVBoxLayout(details)
        details_box.setContentsMargins(0, 0, 4, 0)
        details_box.setSpacing(4)
        self.detail_title = label("Choose a signature", "doorTitle", wrap=True)
        details_box.addWidget(self.detail_title)
        self.detail_text = label("", "cardMeta", wrap=True, selectable=True)
        details_box.addWidget(self.detail_text)
        self.pad = SignaturePad(read_only=True)
        self.pad.setMinimumSize(200, 70)
        self.pad.setMaximumHeight(100)
        self.pad.hint = ""
        details_box.addWidget(self.pad)
        self.judgement = label("", "hint", wrap=True)
        details_box.addWidget(self.judgement)
        details_box.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("padScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(details)
        box.addWidget(scroll, 1)
        self.count_button = QPushButton("Count it anyway")
        self.count_button.setToolTip("A person decides this one counts, whatever the rules found")
        self.exclude_button = QPushButton("Exclude…")
        self.exclude_button.setToolTip("A person decides this one does not count, with a reason")
        self.rules_button = QPushButton("Leave it to the rules")
        self.rules_button.setToolTip("Forget the decision: the duplicate rules decide again")
        self.withdraw_button = QPushButton("Withdraw…")
        self.withdraw_button.setToolTip(
            "The signer asked to withdraw: it stays on record but never counts"
        )
        for button in (
            self.count_button,
            self.exclude_button,
            self.rules_button,
            self.withdraw_button,
        ):
            button.setObjectName("secondary")
            button.setEnabled(False)
            box.addWidget(button)
        self.count_button.clicked.connect(self.count_anyway)
        self.exclude_button.clicked.connect(self.ask_exclude)
        self.rules_button.clicked.connect(self.back_to_rules)
        self.withdraw_button.clicked.connect(self.ask_withdraw)
        return frame

    # -- showing ------------------------------------------------------------------------------

    def show_figures(self, figures: SignatureFigures) -> None:
        """Show a petition's counts and signatures, keeping the selection and filter."""
        keep = self.selected()
        self.figures = figures
        threshold = figures.threshold
        counted = figures.counted + figures.saved_counted  # the purge's saved count too
        self.progress_text.setText(progress_words(counted, threshold))
        self.progress.setVisible(bool(threshold))
        self.progress.setRange(0, max(1, threshold or 1))
        self.progress.setValue(min(counted, threshold or 0))
        excluded = sum(figures.excluded.values())
        parts = [f"{excluded:,} excluded ({counts_line(figures.excluded)})" if excluded else ""]
        if figures.flagged:
            parts.append(f"{figures.flagged:,} flagged for a person to check")
        if figures.saved_note:
            parts.append(figures.saved_note)
        self.excluded_text.setText(" · ".join(p for p in parts if p) or "none excluded")
        self.by["method"].setText(counts_line(figures.by_method, METHOD_WORDS))
        self.by["ward"].setText(counts_line(figures.by_ward))
        self.by["collector"].setText(counts_line(figures.by_collector))
        for key, text, _tip in FILTERS:
            n = sum(1 for row in figures.rows if keeps(row, key))
            self.filter_buttons[key].setText(f"{text}  {n:,}")
        self.model.set_rows(figures.rows)
        self.stack.setCurrentIndex(1 if figures.rows else 0)
        self._show_count()
        self.select(keep.id if keep else "")

    def clear(self) -> None:
        """Nothing shown (another petition is being read)."""
        self.figures = None
        self.model.set_rows(())
        self.search_box.clear()
        self.filter_buttons["all"].setChecked(True)
        self.model.set_filter("all", "")
        self._show_detail(None)

    def _show_count(self) -> None:
        total = len(self.model.rows)
        shown = self.model.rowCount()
        self.shown_count.setText(
            f"{shown:,} of {total:,} signatures shown"
            if shown != total
            else f"{total:,} signatures"
        )

    @Slot()
    def _on_filter(self) -> None:
        keep = self.selected()
        mode = next(k for k, b in self.filter_buttons.items() if b.isChecked())
        self.model.set_filter(mode, self.search_box.text())
        self._show_count()
        self.select(keep.id if keep else "")

    def set_filter(self, mode: str) -> None:
        """Show only the signatures ``mode`` keeps (all, counted, excluded, flagged)."""
        self.filter_buttons[mode].setChecked(True)
        self._on_filter()

    def selected(self) -> SignatureRow | None:
        """The signature chosen in the table."""
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return self.model.row_at(rows[0].row()) if rows else None

    def select(self, signature_id: str) -> bool:
        """Choose the row of ``signature_id``; False (and nothing chosen) if it is not shown."""
        row = self.model.find(signature_id) if signature_id else -1
        if row < 0:
            self.view.clearSelection()
            self._show_detail(None)
            return False
        self.view.selectRow(row)
        self._show_detail(self.model.row_at(row))
        return True

    @Slot(QItemSelection, QItemSelection)
    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_detail(self.selected())

    def _show_detail(self, row: SignatureRow | None) -> None:
        for button in (
            self.count_button,
            self.exclude_button,
            self.rules_button,
            self.withdraw_button,
        ):
            button.setEnabled(False)
        if row is None:
            self.detail_title.setText("Choose a signature")
            self.detail_text.setText("Its details, drawn signature and what you can do show here.")
            self.pad.set_strokes([])
            self.pad.setVisible(False)
            self.judgement.setText("")
            return
        self.detail_title.setText(f"{row.number}. {row.name}")
        lines = [row.address, row.postcode]
        if row.email:
            lines.append(row.email)
        if row.phone:
            lines.append(row.phone)
        lines.append(
            f"{row.how} · {row.collector or 'collector not named'} · {when(row.signed_at)}"
        )
        lines.append(
            f"{versions_line(row)} · ward: {row.ward} · "
            + ("wants to hear about the campaign" if row.contact_ok else "sign only")
        )
        self.detail_text.setText("\n".join(line for line in lines if line))
        self.pad.setVisible(True)
        self.pad.set_strokes(row.strokes)
        self.pad.hint = "" if row.strokes else "No drawn signature"
        self.pad.update()
        why = "; ".join(row.reasons)
        self.judgement.setText(f"{row.status}" + (f": {why}" if why else ""))
        if row.withdrawn:
            return
        self.withdraw_button.setEnabled(True)
        self.count_button.setEnabled(not row.counted)
        self.exclude_button.setEnabled(row.counted)
        self.rules_button.setEnabled(bool(row.decision))

    # -- a person's decisions ---------------------------------------------------------------------

    def _write(self, make: Callable[[Database], object], done: str) -> None:
        db = self.work.db
        self.work.writes.submit(
            lambda: functools.partial(make, db),
            on_finished=lambda _r: self._on_written(done),
            on_failed=functools.partial(self.work.show_error, "Could not save that"),
        )

    def _on_written(self, done: str) -> None:
        self.work.page.main.statusBar().showMessage(done, 8000)
        self.changed.emit()

    @Slot()
    def count_anyway(self) -> None:
        """The selected signature counts, whatever the duplicate rules found."""
        row = self.selected()
        if row is None or row.withdrawn:
            return
        self._write(
            lambda db: decide(db, row.id, "count", "counted by a person"),
            f"{row.name}'s signature now counts.",
        )

    @Slot()
    def ask_exclude(self) -> None:
        """Ask why, then exclude the selected signature."""
        row = self.selected()
        if row is None or row.withdrawn:
            return
        reason, ok = QInputDialog.getText(
            self,
            "Exclude this signature",
            f"Why does {row.name}'s signature not count?\n"
            "For example: lives outside the area, signed twice under another spelling.",
        )
        if not ok:
            return
        if not reason.strip():
            self.work.show_error("Nothing was changed", "An exclusion needs a reason.")
            return
        self._write(
            lambda db: decide(db, row.id, "exclude", reason),
            f"{row.name}'s signature is excluded.",
        )

    @Slot()
    def back_to_rules(self) -> None:
        """Forget the decision on the selected signature."""
        row = self.selected()
        if row is None or not row.decision:
            return
        self._write(lambda db: decide(db, row.id, ""), "The rules decide that signature again.")

    @Slot()
    def ask_withdraw(self) -> None:
        """Ask to be sure, then withdraw the selected signature."""
        row = self.selected()
        if row is None or row.withdrawn:
            return
        answer = QMessageBox.question(
            self,
            "Withdraw this signature?",
            f"Withdraw {row.name}'s signature at their request?\n\n"
            "It stays on record, marked withdrawn, and never counts again. This cannot be "
            "undone here.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._write(lambda db: withdraw(db, row.id), f"{row.name}'s signature is withdrawn.")
