"""What the Reports screen shows, as words, bars and table models (no widgets).

The screen reads a :class:`~canvass.services.reports.Report` on the reads
runner; the functions here turn it into the bars each chart draws, and the
table models hold the per-group and per-canvasser rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from canvass.services.reports import Figures, Report
from canvass.ui.charts import RATE_ROLE, Bar, colour_for

AnyIndex = QModelIndex | QPersistentModelIndex
_NUMBER = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

#: The "Split by" choices: the service's grouping, and how the screen names it.
SPLITS: tuple[tuple[str | None, str], ...] = (
    (None, "No split"),
    ("district", "Polling district"),
    ("ward", "Ward"),
    ("street", "Street"),
)
EMPTY_TEXT = (
    "No doorstep records yet: record visits on the Canvass screen or merge canvassers' files "
    "(Sync screen)."
)
#: Under the title of the figures a retention purge saved (the title is ``Retained.heading``).
RETAINED_NOTE = (
    "Anonymous totals, kept at the end of the retention period. They are shown apart from "
    "the live figures and never added into them."
)
#: Voting intentions in campaign colours (a campaign's own codes take the palette's).
INTENTION_COLOURS = {
    "S": "#1B7F4C",
    "L": "#6DBE8C",
    "U": "#C9A227",
    "A": "#C0392B",
    "W": "#8A96A0",
    "X": "#55616B",
}
#: The support scale from strongly for (1) to strongly against (5).
SUPPORT_COLOURS = ("#1B7F4C", "#6DBE8C", "#B8C4CC", "#E59866", "#C0392B")
SUPPORT_NOTES = {1: "strongly for", 3: "neither", 5: "strongly against"}
OUTCOME_COLOUR = "#0E7C86"
FLAG_COLOUR = "#2F5597"
ISSUE_COLOUR = "#7B61A8"
#: The issues chart shows this many; the rest are summed up in its caption.
TOP_ISSUES = 10


def rate_text(share: float) -> str:
    """A share from 0 to 1 as a percentage with one decimal ("18.0%")."""
    return f"{100 * share:.1f}%"


# -- bars -------------------------------------------------------------------------------


def coded_bars(
    counts: dict[str, int], labels: dict[str, str], colours: dict[str, str] | None = None
) -> list[Bar]:
    """One bar per code, in the code set's order, then codes no longer in the set.

    Codes of the set that nobody recorded are left out; a code recorded under
    an older code set keeps its code as its label.
    """
    order = [c for c in labels if counts.get(c)] + sorted(c for c in counts if c not in labels)
    return [
        Bar(
            labels.get(code, code),
            counts[code],
            colour_for(code, colours, n) if colours is not None else "",
        )
        for n, code in enumerate(order)
    ]


def support_bars(figures: Figures) -> list[Bar]:
    """The support scale 1–5, every point shown (a zero is news too)."""
    return [
        Bar(str(point), figures.support.get(point, 0), colour, SUPPORT_NOTES.get(point, ""))
        for point, colour in zip(range(1, 6), SUPPORT_COLOURS, strict=True)
    ]


def issue_bars(figures: Figures) -> tuple[list[Bar], int]:
    """The most-raised issues, and how many other issues there were."""
    common = figures.issues.most_common()
    return [Bar(issue, n) for issue, n in common[:TOP_ISSUES]], max(0, len(common) - TOP_ISSUES)


@dataclass(frozen=True, slots=True)
class Tile:
    """A headline figure: its number and the line under it."""

    number: str
    caption: str


def tiles(figures: Figures) -> dict[str, Tile]:
    """The headline figures of the campaign (or a group)."""
    knocked_share = figures.doors_knocked / figures.doors if figures.doors else 0.0
    return {
        "electors": Tile(f"{figures.electors:,}", "on the register"),
        "doors": Tile(
            f"{figures.doors_knocked:,}",
            f"of {figures.doors:,} doors ({rate_text(knocked_share)})",
        ),
        "spoken": Tile(
            f"{figures.electors_spoken_to:,}",
            f"people, from {figures.visits:,} doorstep record{'s' * (figures.visits != 1)}",
        ),
        "rate": Tile(rate_text(figures.contact_rate), "of electors spoken to"),
    }


def saved_tiles(figures: Figures) -> dict[str, Tile]:
    """The headline figures a retention purge saved (the register as it was then)."""
    shown = tiles(figures)
    shown["electors"] = Tile(shown["electors"].number, "on the register at the purge")
    return shown


def since_purge_words(report: Report) -> str:
    """What is live when nothing was recorded since a retention purge, and what to do next."""
    total = report.total
    saved_on = report.retained.saved_on if report.retained else ""
    register = (
        f"The register now holds {total.electors:,} electors at {total.doors:,} doors."
        if total.electors
        else "To canvass again, import the council's register (File › Import register…)."
    )
    return f"No doorstep records since the retention purge of {saved_on}. {register}"


# -- tables -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a :class:`FiguresTableModel`: its title, tooltip, text and sort key."""

    title: str
    tip: str
    text: Callable[[Any], str]
    key: Callable[[Any], Any]
    numeric: bool = True
    rate: Callable[[Any], float] | None = None


GroupRow = tuple[str, Figures]
CanvasserRow = tuple[str, dict[str, int]]


def _spoke_share(row: CanvasserRow) -> float:
    counts = row[1]
    return counts.get("spoke", 0) / counts["visits"] if counts.get("visits") else 0.0


GROUP_COLUMNS = (
    Column("Area", "The polling district, ward or street", lambda r: r[0], lambda r: r[0], False),
    Column(
        "Electors",
        "Electors on the register",
        lambda r: f"{r[1].electors:,}",
        lambda r: r[1].electors,
    ),
    Column(
        "Doors knocked",
        "Doors with at least one record, of the doors with electors",
        lambda r: f"{r[1].doors_knocked:,} of {r[1].doors:,}",
        lambda r: r[1].doors_knocked,
    ),
    Column(
        "Spoken to",
        "Electors someone spoke to",
        lambda r: f"{r[1].electors_spoken_to:,}",
        lambda r: r[1].electors_spoken_to,
    ),
    Column(
        "Contact rate",
        "Share of the electors spoken to",
        lambda r: rate_text(r[1].contact_rate),
        lambda r: r[1].contact_rate,
        rate=lambda r: float(r[1].contact_rate),
    ),
)
CANVASSER_COLUMNS = (
    Column("Canvasser", "Who recorded the visits", lambda r: r[0], lambda r: r[0], False),
    Column(
        "Records",
        "Doorstep records, not counting any undone",
        lambda r: f"{r[1].get('visits', 0):,}",
        lambda r: r[1].get("visits", 0),
    ),
    Column(
        "Spoke to",
        "Records where they spoke to the elector",
        lambda r: f"{r[1].get('spoke', 0):,}",
        lambda r: r[1].get("spoke", 0),
    ),
    Column(
        "Share",
        "Share of their records where they spoke to someone",
        lambda r: rate_text(_spoke_share(r)),
        _spoke_share,
        rate=_spoke_share,
    ),
)


class FiguresTableModel(QAbstractTableModel):
    """Read-only rows of figures with the given columns, sortable by any column.

    A cell of a column with a ``rate`` also gives its share (0 to 1) under
    :data:`~canvass.ui.charts.RATE_ROLE`, for the inline bar.
    """

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []
        self.first_title = self.columns[0].title

    def set_rows(self, rows: Sequence[Any], first_title: str | None = None) -> None:
        """Show ``rows`` instead of what was shown; ``first_title`` renames the first column."""
        self.beginResetModel()
        self.rows = list(rows)
        self.first_title = first_title or self.columns[0].title
        self.endResetModel()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 0)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt)
        """Rows under ``parent``: every row at the top, nothing below."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt)
        """Columns under ``parent``."""
        return 0 if parent.isValid() else len(self.columns)

    def headerData(  # noqa: N802 (Qt)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles, their tooltips and alignment."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.first_title if section == 0 else column.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tip
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_NUMBER if column.numeric else Qt.AlignmentFlag.AlignLeft)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """What a cell shows for ``role``."""
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        column, row = self.columns[index.column()], self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_NUMBER if column.numeric else _LEFT)
        if role == RATE_ROLE and column.rate is not None:
            return float(column.rate(row))
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by ``column``."""
        if not 0 <= column < len(self.columns):
            return
        self.beginResetModel()  # a few hundred rows at most: cheap, and no stale indexes
        key = self.columns[column].key
        self.rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        self.endResetModel()


_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def group_rows(report: Report) -> list[GroupRow]:
    """The report's groups, in the service's order."""
    return list(report.groups.items())


def canvasser_rows(report: Report) -> list[CanvasserRow]:
    """Each canvasser and their counts, most records first."""
    return sorted(report.by_canvasser.items(), key=lambda r: (-r[1].get("visits", 0), r[0]))


def retained_group_rows(report: Report) -> list[GroupRow] | None:
    """The saved groups for the report's split; None with no purge or a split it did not save."""
    if report.retained is None:
        return None
    groups = report.retained.groups_by(report.by)
    return None if groups is None else list(groups.items())
