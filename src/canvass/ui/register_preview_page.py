"""The import wizard's last two pages: the preview (a dry run) and the outcome."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from canvass.services.register import ImportReport
from canvass.ui.register_file_page import read_only_table
from canvass.ui.register_mapping import describe_encoding

if TYPE_CHECKING:
    from canvass.ui.register_wizard import RegisterImportWizard

#: Changes listed on the preview; the counts above them cover all.
DETAIL_ROWS = 100
_CHANGE_WORDS = {"added": "New", "changed": "Changed", "removed": "Off the register"}


def plural(n: int, one: str, many: str | None = None) -> str:
    """A count and its noun: 1 elector, 2 electors."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


class StatCard(QFrame):
    """A small white card: a number and what it counts."""

    def __init__(self, title: str, caption: str = "") -> None:
        super().__init__()
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(2)
        self.title = QLabel(title.upper())
        self.title.setObjectName("cardTitle")
        self.number = QLabel("–")
        self.number.setObjectName("cardNumber")
        self.number.setStyleSheet("font-size: 18pt;")
        self.caption = QLabel(caption)
        self.caption.setObjectName("cardCaption")
        self.caption.setWordWrap(True)
        for widget in (self.title, self.number, self.caption):
            layout.addWidget(widget)

    def show_value(self, value: int) -> None:
        """Show ``value`` with thousands separators."""
        self.number.setText(f"{value:,}")


def _section(text: str) -> QLabel:
    title = QLabel(text)
    title.setStyleSheet("font-size: 11pt; font-weight: 600; margin-top: 6px;")
    title.setWordWrap(True)
    return title


def _cards(specs: tuple[tuple[str, str, str], ...]) -> tuple[QGridLayout, dict[str, StatCard]]:
    grid = QGridLayout()
    grid.setHorizontalSpacing(10)
    grid.setVerticalSpacing(10)
    cards = {}
    for n, (key, title, caption) in enumerate(specs):
        cards[key] = StatCard(title, caption)
        grid.addWidget(cards[key], n // 3, n % 3)
    for column in range(3):
        grid.setColumnStretch(column, 1)
    return grid, cards


class PreviewPage(QWizardPage):
    """What the import will do, from a dry run; the Import button applies it."""

    def __init__(self, wizard: RegisterImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.report: ImportReport | None = None
        self.applied: ImportReport | None = None
        self._importing = False
        self.setTitle("Check before importing")
        self.setSubTitle("What canvass found in the file and what the import will do.")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Import")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(2, 0, 8, 0)
        layout.setSpacing(10)
        scroll.setWidget(content)

        self.banner = QLabel("Nothing has been written yet. Press Import to apply it.")
        self.banner.setObjectName("badge")
        self.banner.setWordWrap(True)
        layout.addWidget(self.banner)
        self.read_as = QLabel()
        self.read_as.setWordWrap(True)
        self.read_as.setStyleSheet("color: #5F6B76;")
        layout.addWidget(self.read_as)

        grid, self.cards = _cards(
            (
                ("electors", "Electors", "to import"),
                ("households", "Households", "doors to call at"),
                ("streets", "Streets", "in walking order"),
                ("polling_districts", "Polling districts", "in the file"),
                ("without_address", "Without address", "other electors, not on walk sheets"),
                ("rejected", "Rows left out", "cannot be read"),
            )
        )
        layout.addLayout(grid)

        self.diff_title = _section("Compared with the register already in this campaign")
        diff_grid, self.diff_cards = _cards(
            (
                ("added", "New", "electors to add"),
                ("changed", "Changed", "number, address or markers"),
                ("removed", "Off the register", "kept, with their visits"),
            )
        )
        self.diff_box = QWidget()
        diff_layout = QVBoxLayout(self.diff_box)
        diff_layout.setContentsMargins(0, 0, 0, 0)
        diff_layout.setSpacing(8)
        diff_layout.addWidget(self.diff_title)
        diff_layout.addLayout(diff_grid)
        self.unchanged = QLabel()
        diff_layout.addWidget(self.unchanged)
        # Electors missing from the file are not taken off the register when the
        # file looks incomplete: say so, in the amber of a warning.
        self.held = QLabel()
        self.held.setWordWrap(True)
        self.held.setTextFormat(Qt.TextFormat.PlainText)
        self.held.setStyleSheet(
            "background: #FFF4DE; border: 1px solid #E8C77A; border-radius: 6px; padding: 8px;"
        )
        self.held.hide()
        diff_layout.addWidget(self.held)
        self.details = read_only_table()
        self.details.setColumnCount(4)
        self.details.setHorizontalHeaderLabels(["Change", "Elector", "Name", "What"])
        self.details.setMinimumHeight(170)
        diff_layout.addWidget(self.details)
        layout.addWidget(self.diff_box)

        self.rejected_title = _section("")
        self.rejected_list = QListWidget()
        self.rejected_list.setStyleSheet("QListWidget::item { padding: 2px 4px; }")
        self.rejected_note = QLabel(
            "These rows are left out; the rest of the file is imported. Correct them in the "
            "council's file and import it again to add them."
        )
        self.rejected_note.setWordWrap(True)
        self.rejected_note.setStyleSheet("color: #5F6B76;")
        for widget in (self.rejected_title, self.rejected_list, self.rejected_note):
            layout.addWidget(widget)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.retry = QPushButton("Run the preview again")
        self.retry.setObjectName("secondary")
        self.retry.clicked.connect(self.start_preview)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.retry, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)
        layout.addStretch(1)
        self._show(None)

    # -- the dry run ------------------------------------------------------------------------

    def initializePage(self) -> None:  # noqa: N802 (Qt override)
        """Run the dry run each time the page is reached."""
        self.applied = None
        self.start_preview()

    @Slot()
    def start_preview(self) -> None:
        """Read the file and compare it with the database, writing nothing."""
        self._show(None)
        self._say("Reading the file and comparing it with the database…", "#5F6B76")
        self.retry.hide()
        self.owner.run(
            lambda: self.owner.import_task(dry_run=True),
            "Preparing the preview",
            self._on_preview,
            on_failed=self._on_preview_failed,
            on_cancelled=self._on_preview_cancelled,
        )

    def _on_preview(self, report: ImportReport) -> None:
        self._show(report)
        self._say("", "")
        self.owner.preview_ready.emit(report)

    def _on_preview_failed(self, message: str) -> None:
        self._say(f"The preview could not be made.\n{message}", "#8A1F1F")
        self.retry.show()
        self.owner.preview_ready.emit(None)

    def _on_preview_cancelled(self) -> None:
        self._say("The preview was cancelled.", "#8A5A00")
        self.retry.show()
        self.owner.preview_ready.emit(None)

    def _say(self, text: str, colour: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {colour};")
        self.message.setVisible(bool(text))

    def _show(self, report: ImportReport | None) -> None:
        self.report = report
        shown = report is not None
        for widget in (self.banner, self.read_as):
            widget.setVisible(shown)
        for card in self.cards.values():
            card.setVisible(shown)
        self.diff_box.setVisible(shown and report is not None and not report.first_import)
        has_rejected = shown and report is not None and bool(report.rejected)
        self.rejected_list.setVisible(has_rejected)
        for label in (self.rejected_title, self.rejected_note):
            label.setVisible(has_rejected)
        self.completeChanged.emit()
        if report is None:
            return
        self.read_as.setText(
            f"Edition “{report.edition}”, read as: {report.layout} "
            f"({describe_encoding(report.encoding)}, separated by {report.delimiter})."
        )
        for key, card in self.cards.items():
            value = getattr(report, key)
            card.show_value(len(value) if isinstance(value, list) else value)
        button = (
            f"Import {plural(report.electors, 'elector')}"
            if report.first_import
            else "Apply these changes"
        )
        self.cards["electors"].caption.setText(
            "to import" if report.first_import else "in this edition"
        )
        self.banner.setText(
            f"This is a preview: nothing has been written yet. Press “{button}” when the "
            "figures look right."
        )
        self._show_diff(report)
        self.rejected_title.setText(
            f"{plural(len(report.rejected), 'row')} cannot be read and will be left out"
        )
        self.rejected_list.clear()
        for row in report.rejected:
            self.rejected_list.addItem(f"Line {row['line']}:  {row['reason']}")
        self.rejected_list.setFixedHeight(
            min(150, 10 + self.rejected_list.sizeHintForRow(0) * len(report.rejected))
        )
        self.setButtonText(QWizard.WizardButton.CommitButton, button)

    def _show_diff(self, report: ImportReport) -> None:
        for key, card in self.diff_cards.items():
            card.show_value(getattr(report, key))
        self.held.setText(report.held_removals)
        self.held.setVisible(bool(report.held_removals))
        self.unchanged.setText(f"{plural(report.unchanged, 'elector')} unchanged.")
        shown = report.details[:DETAIL_ROWS]
        self.details.setRowCount(len(shown))
        for r, detail in enumerate(shown):
            cells = (
                _CHANGE_WORDS.get(detail.get("change", ""), detail.get("change", "")),
                detail.get("elector", ""),
                detail.get("name", ""),
                detail.get("what", ""),
            )
            for c, text in enumerate(cells):
                self.details.setItem(r, c, QTableWidgetItem(text))
        self.details.setVisible(bool(shown))
        self.details.resizeColumnsToContents()
        for column, least in ((0, 130), (1, 90), (2, 200)):
            self.details.setColumnWidth(column, max(least, self.details.columnWidth(column) + 12))

    def isComplete(self) -> bool:  # noqa: N802 (Qt override)
        """Import is available once the preview is on screen."""
        return self.report is not None and not self._importing

    # -- the import -------------------------------------------------------------------------

    def validatePage(self) -> bool:  # noqa: N802 (Qt override)
        """Import for real; the wizard moves on when the import has succeeded."""
        if self.applied is not None:
            return True
        if self.report is None or self._importing:
            return False
        self._importing = True
        self._say("Importing…", "#5F6B76")
        self.completeChanged.emit()
        self.owner.run(
            lambda: self.owner.import_task(dry_run=False),
            "Importing the register",
            self._on_imported,
            on_failed=self._on_import_failed,
            on_cancelled=self._on_import_cancelled,
        )
        return False

    def _on_imported(self, report: ImportReport) -> None:
        self._importing = False
        self.applied = report
        self.owner.done_page.show_report(report)
        self.owner.main.statusBar().showMessage(
            f"Imported the register “{report.edition}”: {plural(report.electors, 'elector')} "
            f"in {plural(report.households, 'household')}.",
            15000,
        )
        self.owner.imported.emit(report)
        self.owner.next()

    def _on_import_failed(self, message: str) -> None:
        self._importing = False
        self._say("The import failed; nothing was changed.", "#8A1F1F")
        self.completeChanged.emit()
        self.owner.show_message("The register could not be imported", message)

    def _on_import_cancelled(self) -> None:
        self._importing = False
        self._say("The import was cancelled; nothing was changed.", "#8A5A00")
        self.owner.main.statusBar().showMessage(
            "Register import cancelled; nothing was changed.", 10000
        )
        self.completeChanged.emit()


class DonePage(QWizardPage):
    """What the import did."""

    def __init__(self, wizard: RegisterImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("The register is imported")
        self.setSubTitle("Walk lists and walk sheets can use it now (see Print).")
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setStyleSheet("font-size: 11pt;")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        layout.addStretch(1)

    def show_report(self, report: ImportReport) -> None:
        """Describe an applied import in a few sentences."""
        lines = [
            f"Edition “{report.edition}”: {plural(report.electors, 'elector')} in "
            f"{plural(report.households, 'household')}, {plural(report.streets, 'street')} "
            f"and {plural(report.polling_districts, 'polling district')}."
        ]
        if not report.first_import:
            lines.append(
                f"{plural(report.added, 'elector')} added, {report.changed:,} changed, "
                f"{report.removed:,} marked as off the register (their visits and signatures "
                f"are kept), {report.unchanged:,} unchanged."
            )
        if report.without_address:
            lines.append(
                f"{plural(report.without_address, 'elector')} without an address "
                "(other electors) will not appear on walk sheets."
            )
        if suppressions := report.suppression_words():
            lines.append(suppressions)  # do-not-contact requests carried, or to check by hand
        if report.rejected:
            numbers = ", ".join(str(r["line"]) for r in report.rejected[:12])
            more = "…" if len(report.rejected) > 12 else ""
            lines.append(
                f"{plural(len(report.rejected), 'row')} could not be read and "
                f"{'was' if len(report.rejected) == 1 else 'were'} left out "
                f"(line {numbers}{more})."
            )
        self.summary.setText("\n\n".join(lines))
