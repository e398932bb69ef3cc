"""The Leaflets screen's tables: planned and saved delivery rounds, and supporters.

They only hold the plain rows they are given; they never read the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from canvass.services.rounds import Round, RoundStreet
from canvass.services.supporters import SupporterInfo
from canvass.ui.pages.leaflets_common import PlainTable
from canvass.ui.table_models import nice_date


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One street (or range of one) of a planned round."""

    round: Round
    street: RoundStreet
    first: bool  # the round's first street: the row that names the round


class PlanModel(PlainTable):
    """The planned rounds, a row per street; a round is named on its first street."""

    HEADERS = (
        ("Round", "The round and its letterboxes in all"),
        ("Street", "Streets in walking order"),
        ("Houses", "The house numbers of the street this round covers"),
        ("Letterboxes", "Letterboxes to deliver to on this street"),
    )
    RIGHT = frozenset({3})

    def set_rounds(self, rounds: Sequence[Round]) -> None:
        """Show ``rounds``."""
        self.set_rows([PlanRow(r, s, n == 0) for r in rounds for n, s in enumerate(r.streets)])

    def cell(self, row: PlanRow, column: int) -> str:
        """What a planned street shows."""
        if column == 0:
            return row.round.name if row.first else ""
        if column == 1:
            return row.street.street
        if column == 2:
            skip = f"; not {', '.join(row.street.skip)}" if row.street.skip else ""
            return row.street.houses + skip
        return f"{row.street.letterboxes:,}"


def delivered_words(r: Round) -> str:
    """When a round was delivered, and by whom ("Not yet")."""
    if r.delivered_on is None:
        return "Not yet"
    by = f" by {r.delivered_by}" if r.delivered_by else ""
    return f"{nice_date(r.delivered_on.isoformat())}{by}"


class SavedRoundsModel(PlainTable):
    """The rounds saved in the campaign, oldest first."""

    HEADERS = (
        ("Round", "The round's name"),
        ("Letterboxes", "Letterboxes to deliver to"),
        ("Delivered", "When it was delivered, and by whom"),
        ("Leaflet", "The leaflet it delivers, if one was chosen"),
    )
    RIGHT = frozenset({1})

    def cell(self, row: Round, column: int) -> str:
        """What a saved round shows."""
        return (row.name, f"{row.letterboxes:,}", delivered_words(row), row.leaflet or "—")[column]


def table(model: PlainTable, stretch: int) -> QTableView:
    """A read-only table of whole rows, column ``stretch`` taking the spare width."""
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(30)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    header = view.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


class SupportersModel(PlainTable):
    """Supporters in the order they were typed in."""

    HEADERS = (
        ("Name", "As written on the slip"),
        ("Postcode", "The supporter's postcode"),
        ("Address", "The address on the slip"),
        ("Email", "Their email, if given"),
        ("Phone", "Their phone number, if given"),
        ("Ticked", "What they ticked on the slip"),
        ("Leaflet", "The leaflet the slip came with"),
        ("Typed in", "When the slip was typed in"),
    )

    def cell(self, row: SupporterInfo, column: int) -> str:
        """What a supporter shows."""
        return (
            row.name,
            row.postcode,
            row.address,
            row.email,
            row.phone,
            ", ".join(t[:1].upper() + t[1:] for t in row.ticks),
            row.leaflet,
            nice_date(row.entered_at[:10]),
        )[column]
