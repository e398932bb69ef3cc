"""What the Canvass screen's two modes share: keys, words, what is being canvassed, queues.

The keys are derived from the campaign's code book (:class:`KeyMap`), so a
campaign that edits its codes still gets one key per code, shown on the
buttons. Writes go through the window's task runner and reads through its
reads runner, each via a :class:`RunnerQueue` so that a canvasser who types
faster than the database answers never has a key refused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from canvass.services.browse import DistrictNode, district_tree
from canvass.services.canvassing import (
    CodeBook,
    Door,
    DoorElector,
    VisitInfo,
    code_book,
    doors,
)
from canvass.services.walk_lists import WalkListSummary, walk_lists
from canvass.storage.database import Database
from canvass.storage.tables import Visit
from canvass.ui import theme
from canvass.ui.tasks import TaskRunner, TaskSource

ERROR_COLOUR = "#A8322A"
WARNING_COLOUR = "#8A5A00"

#: The key that records "not in" for a whole household (on the outcome layer).
HOUSEHOLD_KEY = "H"

#: The keys of the default codes: mnemonic, and distinct within each layer.
PREFERRED_KEYS: Mapping[str, Mapping[str, str]] = {
    "outcomes": {
        "NI": "N",
        "SPK": "S",
        "R": "R",
        "CB": "C",
        "MV": "M",
        "DEC": "D",
        "INACC": "I",
        "DNC": "X",
    },
    "intentions": {},
    "flags": {"P": "P", "PV": "H", "WPV": "V", "LIFT": "F", "VOL": "O"},
}


def _candidates(code: str, text: str, preferred: str | None) -> Iterable[str]:
    if preferred:
        yield preferred
    if len(code) == 1:
        yield code
    yield from (word[0] for word in text.split() if word)
    yield from code
    yield from text


def assign_keys(
    codes: Sequence[tuple[str, str]], kind: str, reserved: Iterable[str] = ()
) -> dict[str, str]:
    """One letter key per code, distinct from each other and from ``reserved``.

    A code whose letters are all taken gets no key ("") and is keyed by its button.
    """
    taken = {key.upper() for key in reserved}
    preferred = PREFERRED_KEYS.get(kind, {})
    out: dict[str, str] = {}
    for code, text in codes:
        out[code] = ""
        for candidate in _candidates(code, text, preferred.get(code)):
            key = candidate.upper()
            if "A" <= key <= "Z" and key not in taken:
                out[code] = key
                taken.add(key)
                break
    return out


@dataclass(frozen=True, slots=True)
class KeyMap:
    """Which key stands for which code, layer by layer.

    The outcome layer (nothing chosen yet) has one key per outcome and
    :data:`HOUSEHOLD_KEY`; once an outcome is chosen, letters are intentions
    (after "spoke") and flags, and the digits 1–5 are support then likelihood.
    """

    outcomes: dict[str, str] = field(default_factory=dict)
    intentions: dict[str, str] = field(default_factory=dict)
    flags: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, book: CodeBook) -> KeyMap:
        """The keys for ``book``."""
        intentions = assign_keys(book.intentions, "intentions")
        return cls(
            assign_keys(book.outcomes, "outcomes", reserved=(HOUSEHOLD_KEY,)),
            intentions,
            assign_keys(book.flags, "flags", reserved=intentions.values()),
        )

    @staticmethod
    def code_for(keys: Mapping[str, str], key: str) -> str | None:
        """The code whose key is ``key`` (a letter), if any."""
        return next((code for code, k in keys.items() if k and k == key.upper()), None)

    @staticmethod
    def listed(keys: Mapping[str, str]) -> str:
        """The keys of a layer, for messages: "N, S, R"."""
        return ", ".join(k for k in keys.values() if k)


# -- words ------------------------------------------------------------------------------


def plural(count: int, word: str, many: str | None = None) -> str:
    """``"1 door"``, ``"2 doors"``."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def describe(
    book: CodeBook,
    outcome: str,
    intention: str = "",
    support: int | None = None,
    likelihood: int | None = None,
    flags: Iterable[str] = (),
    issues: Iterable[str] = (),
    notes: str = "",
) -> str:
    """A record in words: "Spoke · Supporter · support 2 · Poster"."""
    parts = [book.label("outcomes", outcome)] if outcome else []
    if intention:
        parts.append(book.label("intentions", intention))
    if support is not None:
        parts.append(f"support {support}")
    if likelihood is not None:
        parts.append(f"likely {likelihood}")
    named = [book.label("flags", f) for f in flags]
    if named:
        parts.append(", ".join(named))
    tags = [t for t in issues if t]
    if tags:
        parts.append("issues: " + ", ".join(tags))
    if notes.strip():
        parts.append(f"“{notes.strip()}”")
    return " · ".join(parts)


def describe_visit(book: CodeBook, visit: VisitInfo) -> str:
    """An earlier record in words."""
    return describe(
        book,
        visit.outcome,
        visit.intention,
        visit.support,
        visit.likelihood,
        visit.flags,
        visit.issues,
        visit.notes,
    )


def now_iso() -> str:
    """Now, as the services stamp a record (UTC, milliseconds)."""
    moment = dt.datetime.now(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def when(iso: str) -> str:
    """A record's time for people: "14:05" today, else "3 Apr 2027"."""
    try:
        moment = dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return iso[:10]
    if moment.date() == dt.date.today():
        return f"today {moment:%H:%M}"
    return f"{moment.day} {moment:%b %Y}"


def is_today(iso: str) -> bool:
    """Whether a record was made today (by this computer's calendar)."""
    try:
        moment = dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return False
    return moment.date() == dt.date.today()


def why_not(elector: DoorElector) -> str:
    """Why nothing can be recorded for ``elector`` by a key press ("" when it can)."""
    if elector.removed:
        return f"{elector.name} is off the register: there is nothing to record."
    if elector.do_not_contact:
        return f"{elector.name} asked not to be contacted: there is nothing to record."
    if elector.moved:
        return (
            f"{elector.name} was recorded as moved away. If they are back, undo that record "
            "in their history first."
        )
    return ""


def recordable(elector: DoorElector) -> bool:
    """Whether a key press may record something for ``elector``."""
    return elector.can_record and not elector.moved


def with_visit(elector: DoorElector, visit: VisitInfo) -> DoorElector:
    """``elector`` with one more record in their history."""
    return dataclasses.replace(elector, visits=(*elector.visits, visit))


def with_visits_changed(
    elector: DoorElector, change: Callable[[VisitInfo], VisitInfo]
) -> DoorElector:
    """``elector`` with ``change`` applied to each of their records."""
    return dataclasses.replace(elector, visits=tuple(change(v) for v in elector.visits))


# -- what is being canvassed ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Source:
    """A walk list, a polling district or one street: what a canvasser works through."""

    kind: str  # "list", "district" or "street"
    key: str  # the list's name, the district's code or the street's id
    title: str
    district: str = ""  # the district code numbers are typed in ("" for several)
    canvasser: str = ""

    def read(self, db: Database) -> list[Door]:
        """The households of this source, in walking order (runs on a reads runner)."""
        if self.kind == "list":
            return doors(db, walk_list=self.key)
        if self.kind == "district":
            return doors(db, district=self.key)
        return doors(db, street_id=self.key)


@dataclass(frozen=True, slots=True)
class Setup:
    """What the screen needs before anything is chosen."""

    db: Database
    book: CodeBook
    lists: list[WalkListSummary]
    districts: list[DistrictNode]

    @property
    def electors(self) -> int:
        """Electors on the register."""
        return sum(d.electors for d in self.districts)


def read_setup(db: Database) -> Setup:
    """The code book, walk lists and districts (runs on the reads runner)."""
    return Setup(db, code_book(db), walk_lists(db), district_tree(db))


def read_answers(db: Database, visit_id: str) -> dict[str, str]:
    """A record's survey answers, to change it without losing them (runs on the reads runner).

    :class:`~canvass.services.canvassing.VisitInfo` does not carry them, and
    :func:`~canvass.services.canvassing.edit` sets every field it is given.
    """
    with db.read() as session:
        visit = session.get(Visit, visit_id)
        stored = json.loads(visit.survey_answers or "{}") if visit is not None else {}
    return {str(k): str(v) for k, v in stored.items()}


def list_source(summary: WalkListSummary) -> Source:
    """A walk list as a :class:`Source`."""
    district = summary.districts[0] if len(summary.districts) == 1 else ""
    return Source("list", summary.name, summary.name, district, summary.canvasser)


def district_source(node: DistrictNode) -> Source:
    """A polling district as a :class:`Source`."""
    return Source("district", node.code, f"{node.code} district", node.code)


# -- queues -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Job:
    """What a queued item's function may return: the task and its own callbacks."""

    source: TaskSource
    on_finished: Callable[[Any], object] | None = None
    on_failed: Callable[[str], object] | None = None


@dataclass(slots=True)
class _Item:
    make: Callable[[], TaskSource | Job | None]
    on_finished: Callable[[Any], object] | None
    on_failed: Callable[[str], object] | None
    key: str | None


class RunnerQueue(QObject):
    """Hands work to a shared :class:`TaskRunner` one item at a time, in order.

    Each item is a function called on the GUI thread when its turn comes, that
    returns what the runner runs, or a :class:`Job` with its own callbacks (or
    None to skip it): so an undo typed while
    the record before it is still being saved undoes that record. An item
    submitted with a ``key`` replaces one with the same key that has not
    started (the latest search wins).

    Signals:
        idle: Nothing of this queue is waiting or running any more.
    """

    idle = Signal()

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._items: deque[_Item] = deque()
        self._running = False
        runner.ended.connect(self.pump)

    @property
    def busy(self) -> bool:
        """Whether something of this queue is waiting or running."""
        return self._running or bool(self._items)

    def submit(
        self,
        make: Callable[[], TaskSource | Job | None],
        *,
        on_finished: Callable[[Any], object] | None = None,
        on_failed: Callable[[str], object] | None = None,
        key: str | None = None,
    ) -> None:
        """Run ``make()``'s task once everything submitted before has run."""
        if key is not None:
            self._items = deque(item for item in self._items if item.key != key)
        self._items.append(_Item(make, on_finished, on_failed, key))
        self.pump()

    def clear(self) -> None:
        """Forget what has not started yet."""
        self._items.clear()

    @Slot()
    def pump(self) -> None:
        """Start the next item when the runner is free."""
        while self._items and not self.runner.busy and not self._running:
            item = self._items.popleft()
            made = item.make()
            if made is None:
                continue
            job = made if isinstance(made, Job) else Job(made, item.on_finished, item.on_failed)
            self._running = True
            try:
                self.runner.start(
                    job.source,
                    on_finished=functools.partial(self._end, job.on_finished),
                    on_failed=functools.partial(self._end, job.on_failed),
                    on_cancelled=functools.partial(self._end, None, None),
                )
            except RuntimeError:  # another page started a task first; try again when it ends
                self._running = False
                self._items.appendleft(item)
                return
        if not self.busy:
            self.idle.emit()

    def _end(self, callback: Callable[[Any], object] | None, value: object) -> None:
        self._running = False
        if callback is not None:
            callback(value)


# -- style ------------------------------------------------------------------------------

STYLE = f"""
QTabWidget#canvassTabs::pane {{ border: none; border-top: 1px solid {theme.LINE}; top: -1px; }}
QTabWidget#canvassTabs > QWidget {{ background: {theme.BACKGROUND}; }}
QTabBar#canvassTabBar {{ background: transparent; }}
QTabBar#canvassTabBar::tab {{
    background: transparent; color: {theme.MUTED}; border: none;
    border-bottom: 3px solid transparent; padding: 7px 18px 8px 18px; margin-right: 6px;
    font-size: 11pt;
}}
QTabBar#canvassTabBar::tab:hover {{ color: {theme.INK}; }}
QTabBar#canvassTabBar::tab:selected {{
    color: {theme.BRAND_DARK}; border-bottom-color: {theme.BRAND}; font-weight: 600;
}}
QWidget#canvassTab, QScrollArea#canvassScroll, QScrollArea#canvassScroll > QWidget > QWidget {{
    background: {theme.BACKGROUND};
}}
QScrollArea#padScroll, QScrollArea#padScroll > QWidget > QWidget {{ background: transparent; }}
QFrame#panel QTableView, QFrame#panel QListView {{
    border: none; background: {theme.SURFACE}; outline: 0;
    selection-background-color: {theme.BRAND_TINT}; selection-color: {theme.INK};
}}
QFrame#panel QHeaderView::section {{
    background: {theme.SURFACE}; color: {theme.MUTED}; border: none;
    border-bottom: 1px solid {theme.LINE}; padding: 5px 6px; font-weight: 600;
}}
QFrame#panel QTableView::item {{ padding: 0 6px; }}
QLineEdit#search, QLineEdit#field, QLineEdit#numberField {{
    border: 1px solid #C5CED6; border-radius: 6px; padding: 5px 9px; background: {theme.SURFACE};
}}
QLineEdit#numberField {{ font-size: 15pt; font-weight: 600; padding: 6px 10px; }}
QLineEdit#search:focus, QLineEdit#field:focus, QLineEdit#numberField:focus {{
    border-color: {theme.BRAND};
}}
QPushButton#key {{
    background: {theme.SURFACE}; color: {theme.INK}; border: 1px solid #C5CED6;
    border-radius: 8px; padding: 4px 10px; text-align: left; font-size: 11pt;
}}
QPushButton#key:hover {{ background: #EEF2F5; }}
QPushButton#key:checked {{
    background: {theme.BRAND_TINT}; border: 2px solid {theme.BRAND}; color: {theme.BRAND_DARK};
    font-weight: 600;
}}
QPushButton#key:disabled {{ color: #9AA5AF; background: #F4F6F8; }}
QPushButton#score {{
    background: {theme.SURFACE}; color: {theme.INK}; border: 1px solid #C5CED6;
    border-radius: 8px; font-size: 12pt; font-weight: 600;
}}
QPushButton#score:checked {{
    background: {theme.BRAND}; color: white; border-color: {theme.BRAND_DARK};
}}
QLabel#padTitle {{ color: {theme.INK}; font-size: 13pt; font-weight: 600; }}
QLabel#padDraft {{ color: {theme.BRAND_DARK}; font-size: 11pt; font-weight: 600; }}
QLabel#padHint {{ color: {theme.MUTED}; font-size: 9pt; }}
QLabel#padLabel {{ color: {theme.MUTED}; font-size: 9pt; font-weight: 600; }}
QLabel#inlineError {{
    color: {ERROR_COLOUR}; background: #FBE5E3; border-radius: 6px; padding: 6px 10px;
    font-size: 10pt;
}}
QLabel#inlineWarning {{
    color: {WARNING_COLOUR}; background: #FFF4D6; border-radius: 6px; padding: 6px 10px;
    font-size: 10pt;
}}
QLabel#saved {{ color: {theme.BRAND_DARK}; font-size: 10pt; }}
QLabel#savedError {{ color: {ERROR_COLOUR}; font-size: 10pt; font-weight: 600; }}
QLabel#doorTitle {{ color: {theme.INK}; font-size: 13pt; font-weight: 600; }}
QLabel#sheetCount {{ color: {theme.INK}; font-size: 12pt; font-weight: 600; }}
QComboBox#picker {{ min-height: 26px; }}
"""
