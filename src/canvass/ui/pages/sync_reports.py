"""The report of a merge, one row per file: its words and its table model.

Used by the Sync screen's Merge tab (:mod:`canvass.ui.pages.sync_merge`).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from canvass.services.merge_files import MergeReport
from canvass.ui import theme
from canvass.ui.pages.sync_common import ERROR_COLOUR, plural

AnyIndex = QModelIndex | QPersistentModelIndex
#: The Merge tab's option for passphrase files, as messages name it.
PASSPHRASE_OPTION = "Protected by a passphrase"


class ReportColumn(IntEnum):
    """The columns of :class:`MergeReportModel`."""

    FILE = 0
    RESULT = 1
    NEW = 2
    ALREADY = 3
    ADDED = 4
    UPDATED = 5
    CONFLICTS = 6
    ERASED = 7
    SUPPRESSED = 8
    CLOCK = 9


_HEADERS = {
    ReportColumn.FILE: ("File", "The exchange file, and who made it"),
    ReportColumn.RESULT: ("Result", "Merged, already merged before, or refused (and why)"),
    ReportColumn.NEW: ("New", "Changes this laptop did not have yet"),
    ReportColumn.ALREADY: ("Already\nhad", "Changes this laptop had already: they change nothing"),
    ReportColumn.ADDED: ("Added", "Records added: people, doors, visits, signatures…"),
    ReportColumn.UPDATED: ("Updated", "Records that changed"),
    ReportColumn.CONFLICTS: (
        "Conflicts",
        "Conflicts open after this file: choose what to keep on the Conflicts tab",
    ),
    ReportColumn.ERASED: ("Dropped:\nerased", "Changes about people who were erased: left out"),
    ReportColumn.SUPPRESSED: (
        "Dropped: do\nnot contact",
        "Changes about people who must not be contacted: left out",
    ),
    ReportColumn.CLOCK: (
        "Clock\nwarnings",
        "Changes dated in the future or before 2020: the sending laptop's clock was wrong",
    ),
}
_COUNTS = {
    ReportColumn.NEW: "new",
    ReportColumn.ALREADY: "already_had",
    ReportColumn.ADDED: "records_created",
    ReportColumn.UPDATED: "records_updated",
    ReportColumn.CONFLICTS: "conflicts",
    ReportColumn.ERASED: "dropped_erased",
    ReportColumn.SUPPRESSED: "dropped_suppressed",
    ReportColumn.CLOCK: "clock_warnings",
}
RESULTS = {
    "merged": "Merged",
    "would merge": "Would merge",
    "already imported": "Already merged",
    "refused": "Refused",
}
_NUMBER = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def counted(report: MergeReport) -> bool:
    """Whether the file was opened and counted (merged, or would be)."""
    return report.status in ("merged", "would merge")


def plain_message(report: MergeReport) -> str:
    """Why a file was not merged, in the Sync screen's words (the service names CLI options)."""
    if report.reason == "needs-passphrase":
        return (
            f"This file is protected by a passphrase. Tick “{PASSPHRASE_OPTION}”, type "
            "the campaign's passphrase and merge the file again."
        )
    if report.reason == "clock":
        return (
            f"{plural(report.clock_warnings, 'change')} in this file "
            f"{'carries' if report.clock_warnings == 1 else 'carry'} an impossible date: "
            "the clock of the laptop that made it is wrong. Best: set that laptop's clock right "
            "and export again. Or choose “Merge anyway”: its edits still show as conflicts "
            "where they clash with others, they never win silently."
        )
    return report.message


def describe(report: MergeReport) -> str:
    """What merging a file did (or would do), in a few plain sentences."""
    if report.status == "already imported":
        return f"{report.file} was merged before: merging it again changes nothing."
    if not counted(report):
        return f"{report.file} was refused. {plain_message(report)}"
    scope = "everything it holds" if report.scope == "full" else report.scope
    did = "Merged" if report.status == "merged" else "Would merge"
    parts = [
        f"{did} {report.file} from {report.sender or 'an unnamed device'} ({scope}): "
        f"{plural(report.new, 'new change')}, {report.already_had:,} already here; "
        f"{plural(report.records_created, 'record')} added, {report.records_updated:,} updated."
    ]
    if report.dropped_erased:
        parts.append(f"{plural(report.dropped_erased, 'change')} about erased people left out.")
    if report.dropped_suppressed:
        parts.append(
            f"{plural(report.dropped_suppressed, 'change')} about people who must not be "
            "contacted left out."
        )
    if report.held:
        waits = (
            "waits for a record it refers" if report.held == 1 else "wait for a record they refer"
        )
        parts.append(f"{plural(report.held, 'change')} {waits} to.")
    if report.clock_warnings:
        parts.append(f"{plural(report.clock_warnings, 'change')} had an impossible date.")
    if report.conflicts:
        parts.append(
            f"There {'is' if report.conflicts == 1 else 'are'} now "
            f"{plural(report.conflicts, 'open conflict')}: choose what to keep on the "
            "Conflicts tab."
        )
    if report.status == "would merge":
        parts.append("Nothing was changed (check only).")
    return " ".join(parts)


class MergeReportModel(QAbstractTableModel):
    """One row per merged file: its result and what it brought.

    :attr:`PATH_ROLE` on any cell gives the file's :class:`~pathlib.Path`.
    """

    PATH_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[Path, MergeReport]] = []
        self._bold = QFont()
        self._bold.setBold(True)
        self._muted = QBrush(QColor(theme.MUTED))
        self._colours = {
            "merged": QBrush(QColor(theme.BRAND_DARK)),
            "would merge": QBrush(QColor(theme.BRAND_DARK)),
            "already imported": self._muted,
            "refused": QBrush(QColor(ERROR_COLOUR)),
        }

    def set_reports(self, paths: Sequence[Path], reports: Sequence[MergeReport]) -> None:
        """Show one row per file (``reports[n]`` is about ``paths[n]``)."""
        self.beginResetModel()
        self._rows = list(zip(paths, reports, strict=True))
        self.endResetModel()

    def replace(self, row: int, report: MergeReport) -> None:
        """Show a new report for the file on ``row`` (it was merged again)."""
        self._rows[row] = (self._rows[row][0], report)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(ReportColumn) - 1))

    def report(self, row: int) -> MergeReport:
        """The report shown on ``row``."""
        return self._rows[row][1]

    def path(self, row: int) -> Path:
        """The file shown on ``row``."""
        return self._rows[row][0]

    def reports(self) -> list[MergeReport]:
        """Every report, in row order."""
        return [report for _path, report in self._rows]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt)
        """A row per file at the top, nothing below."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt)
        """Columns under ``parent``."""
        return 0 if parent.isValid() else len(ReportColumn)

    def headerData(  # noqa: N802 (Qt)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles, their tooltips and alignment."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(ReportColumn):
            return None
        column = ReportColumn(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[column][0]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _HEADERS[column][1]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _COUNTS:
            return _NUMBER
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """What a cell shows for ``role``."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        path, report = self._rows[index.row()]
        column = ReportColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if column == ReportColumn.FILE:
                return report.file
            if column == ReportColumn.RESULT:
                return RESULTS.get(report.status, report.status)
            return f"{getattr(report, _COUNTS[column]):,}" if counted(report) else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return describe(report)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _COUNTS:
            return _NUMBER
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == ReportColumn.RESULT:
                return self._colours.get(report.status)
            if column in _COUNTS and not getattr(report, _COUNTS[column]):
                return self._muted
            return None
        if role == Qt.ItemDataRole.FontRole and column == ReportColumn.RESULT:
            return self._bold
        if role == self.PATH_ROLE:
            return path
        return None
