"""The Browse page: districts, streets, households and electors, read off the GUI thread."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QModelIndex, Qt  # noqa: E402

from canvass.domain.progress import Progress, run_to_end  # noqa: E402
from canvass.paths import Paths  # noqa: E402
from canvass.services.browse import HouseholdRow, district_tree, street_households  # noqa: E402
from canvass.services.campaigns import create_campaign  # noqa: E402
from canvass.services.databases import open_db  # noqa: E402
from canvass.services.oplog import OpWriter  # noqa: E402
from canvass.services.register import import_register  # noqa: E402
from canvass.storage.database import Database  # noqa: E402
from canvass.ui.application import build_main_window  # noqa: E402
from canvass.ui.main_window import MainWindow  # noqa: E402
from canvass.ui.pages.browse import BrowsePage  # noqa: E402
from canvass.ui.table_models import (  # noqa: E402
    DistrictTreeModel,
    FlagKind,
    HouseholdColumn,
    HouseholdTableModel,
)

WAIT = 20_000  # ms: generous, the CI machines are slow and shared
REGISTER = Path(__file__).parent / "fixtures" / "registers" / "xpress.tsv"


# -- fixtures -----------------------------------------------------------------------


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths.under(tmp_path / "home")


@pytest.fixture
def register_path(tmp_path: Path) -> Path:
    """A database holding the xpress.tsv register: districts AA and AB."""
    path = tmp_path / "c.db"
    db = open_db(str(path), create=True)
    try:
        create_campaign(db, "Browse test")
        run_to_end(import_register(db, REGISTER))
    finally:
        db.close()
    return path


def stop_tasks(qtbot, window: MainWindow) -> None:
    """Let a test end without a task or a reading under way."""
    while window.tasks.busy:
        with qtbot.waitSignal(window.tasks.ended, timeout=WAIT):
            window.tasks.cancel()


@pytest.fixture
def window(qtbot, register_path: Path, paths: Paths) -> Iterator[MainWindow]:
    # Closed here rather than by qtbot, which closes its widgets before fixtures end:
    # the pages must stop first, then the tasks, then the window and its database.
    win = build_main_window(open_db(str(register_path)), paths)
    yield win
    stop_tasks(qtbot, win)
    win.close()
    win.deleteLater()


def settle(qtbot, page: BrowsePage) -> None:
    """Wait until the page has read everything it wants."""
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)


def browse_page(qtbot, window: MainWindow) -> BrowsePage:
    """A Browse page for ``window``, hidden and idle before qtbot closes it."""

    def before_close(widget: BrowsePage) -> None:
        widget.hide()  # a hidden page starts no reading
        stop_tasks(qtbot, window)

    browse = BrowsePage(window)
    qtbot.addWidget(browse, before_close_func=before_close)
    browse.resize(1300, 820)
    return browse


@pytest.fixture
def page(qtbot, window: MainWindow) -> BrowsePage:
    browse = browse_page(qtbot, window)
    browse.show()
    settle(qtbot, browse)
    return browse


# -- helpers ------------------------------------------------------------------------


def tree_rows(page: BrowsePage, parent: QModelIndex | None = None) -> list[tuple[str, str, str]]:
    """(name, electors, doors) of the rows the tree shows under ``parent``."""
    proxy, parent = page.proxy, parent or QModelIndex()
    return [
        tuple(proxy.index(row, column, parent).data() for column in range(3))
        for row in range(proxy.rowCount(parent))
    ]


def find(page: BrowsePage, text: str) -> QModelIndex:
    """The tree's visible row whose first column reads ``text``."""
    proxy = page.proxy
    for row in range(proxy.rowCount()):
        district = proxy.index(row, 0)
        if district.data() == text:
            return district
        for child in range(proxy.rowCount(district)):
            street = proxy.index(child, 0, district)
            if street.data() == text:
                return street
    raise AssertionError(f"{text!r} is not in the tree")


def choose(qtbot, page: BrowsePage, text: str) -> None:
    page.tree.setCurrentIndex(find(page, text))
    settle(qtbot, page)


def column(page: BrowsePage, which: HouseholdColumn) -> list[str]:
    model = page.households
    return [model.index(row, which).data() for row in range(model.rowCount())]


def row_of(page: BrowsePage, name: str) -> int:
    return column(page, HouseholdColumn.NAME).index(name)


def elector_id(db: Database, street: str, name: str) -> str:
    for district in district_tree(db):
        for node in district.streets:
            if node.name == street:
                for household in street_households(db, node.id):
                    for elector in household.electors:
                        if elector.name == name:
                            return elector.id
    raise AssertionError(name)


# -- the tree -----------------------------------------------------------------------


def test_the_tree_shows_each_district_and_its_streets_with_counts(page: BrowsePage) -> None:
    assert page.content.currentWidget() is page.splitter
    assert tree_rows(page) == [("AA district", "10", "8"), ("AB district", "3", "2")]
    aa, ab = find(page, "AA district"), find(page, "AB district")
    assert tree_rows(page, aa) == [("High Street", "7", "6"), ("Sample Lane", "2", "2")]
    assert tree_rows(page, ab) == [("Testbed Road", "3", "2")]
    # District rows carry their ward and the electors without an address.
    assert aa.data(DistrictTreeModel.SUBTITLE_ROLE) == "Ward not yet known · 1 without an address"
    assert ab.data(DistrictTreeModel.SUBTITLE_ROLE) == "Ward not yet known"
    assert page.subtitle.text() == ("2 polling districts · 3 streets · 10 households · 13 electors")
    assert page.status.text() == ""


def test_selecting_a_district_shows_its_summary(qtbot, page: BrowsePage) -> None:
    choose(qtbot, page, "AA district")
    assert page.detail.currentIndex() == 0
    assert page.summary_title.text() == "Polling district AA"
    counts = {key: card.number.text() for key, card in page.cards.items()}
    assert counts == {"streets": "2", "households": "8", "electors": "10", "without_address": "1"}


def test_a_street_lists_its_households_in_walking_order(qtbot, page: BrowsePage) -> None:
    choose(qtbot, page, "High Street")
    assert page.detail.currentIndex() == 1
    assert page.street_title.text() == "High Street, Sampleton"
    assert page.street_details.text().startswith("District AA · 6 doors · 7 electors")
    # The door shows on a household's first row only.
    assert column(page, HouseholdColumn.DOOR) == [
        "2",
        "2A",
        "10",
        "14",
        "",
        "Flat 2, 16",
        "Flat 3, 16",
    ]
    names = column(page, HouseholdColumn.NAME)
    assert names[3:5] == ["Siân Testwell", "Rhys Testwell"]
    assert column(page, HouseholdColumn.NUMBER)[:3] == ["AA-7", "AA-5", "AA-6"]
    assert column(page, HouseholdColumn.MARKERS)[5] == "G"
    assert column(page, HouseholdColumn.NOTES)[1] == "18 on 3 Apr 2027"  # an attainer
    model = page.households
    firsts = [model.index(r, 0).data(HouseholdTableModel.FIRST_ROLE) for r in range(7)]
    assert firsts == [True, True, True, True, False, True, True]
    # Every other household is shaded, so the doors stand apart.
    shaded = [model.index(r, 2).data(Qt.ItemDataRole.BackgroundRole) is not None for r in range(7)]
    assert shaded == [False, True, False, True, True, False, True]


def test_the_latest_street_chosen_wins(qtbot, page: BrowsePage) -> None:
    page.tree.setCurrentIndex(find(page, "High Street"))
    page.tree.setCurrentIndex(find(page, "Testbed Road"))  # before High Street has arrived
    settle(qtbot, page)
    assert page.street_title.text() == "Testbed Road, Exampleton"
    assert column(page, HouseholdColumn.NUMBER) == ["AB-1", "AB-2", "AB-4"]


def test_the_filter_narrows_the_streets(qtbot, page: BrowsePage) -> None:
    qtbot.keyClicks(page.filter, "LANE")
    assert tree_rows(page) == [("AA district", "10", "8")]
    assert tree_rows(page, find(page, "AA district")) == [("Sample Lane", "2", "2")]
    page.filter.setText("ab")  # a district's code shows all its streets
    assert [row[0] for row in tree_rows(page)] == ["AB district"]
    assert tree_rows(page, find(page, "AB district")) == [("Testbed Road", "3", "2")]
    page.filter.setText("nowhere")
    assert page.proxy.rowCount() == 0
    assert page.no_match.isVisible() and "nowhere" in page.no_match.text()
    page.filter.clear()
    assert [row[0] for row in tree_rows(page)] == ["AA district", "AB district"]
    assert not page.no_match.isVisible()


def test_return_in_the_filter_opens_the_first_match(qtbot, page: BrowsePage) -> None:
    qtbot.keyClicks(page.filter, "testbed")
    qtbot.keyClick(page.filter, Qt.Key.Key_Return)
    settle(qtbot, page)
    assert page.street_title.text() == "Testbed Road, Exampleton"


def test_removed_and_do_not_contact_electors_are_marked(
    qtbot, page: BrowsePage, window: MainWindow
) -> None:
    choose(qtbot, page, "High Street")
    db = window.db
    alan = elector_id(db, "High Street", "Alan Demoby")
    sian = elector_id(db, "High Street", "Siân Testwell")
    with db.write() as s:
        w = OpWriter.local(s)
        w.set("elector", alan, "removed", True)
        w.create("suppression", {"elector_id": sian, "created_at": w.now()})
        w.flush()
    page.reload()
    settle(qtbot, page)
    model = page.households
    alan_row, sian_row = row_of(page, "Alan Demoby"), row_of(page, "Siân Testwell")
    assert column(page, HouseholdColumn.NOTES)[alan_row] == "Off the register"
    assert column(page, HouseholdColumn.NOTES)[sian_row] == "Do not contact"
    for row in (alan_row, sian_row):
        assert model.index(row, 2).data(HouseholdTableModel.MUTED_ROLE) is True
        assert model.index(row, 2).data(Qt.ItemDataRole.ForegroundRole) is not None
    # The door belongs to the household, not to the person: it stays legible.
    assert model.index(alan_row, HouseholdColumn.DOOR).data(Qt.ItemDataRole.ForegroundRole) is None
    assert (
        model.index(row_of(page, "Rhys Testwell"), 2).data(HouseholdTableModel.MUTED_ROLE) is False
    )
    assert model.index(alan_row, HouseholdColumn.NAME).data(Qt.ItemDataRole.FontRole).strikeOut()
    assert page.street_details.text().startswith(
        "District AA · 6 doors · 6 electors · 1 off the register · 1 do not contact"
    )
    assert tree_rows(page, find(page, "AA district"))[0] == ("High Street", "6", "5")
    assert page.street_title.text() == "High Street, Sampleton"  # still chosen after the reload


def suppress(db: Database, scopes: dict[str, tuple[str, ...]]) -> None:
    """Suppress each High Street elector named in ``scopes`` with the scopes given."""
    with db.write() as s:
        w = OpWriter.local(s)
        for name, theirs in scopes.items():
            who = elector_id(db, "High Street", name)
            for scope in theirs:
                w.create("suppression", {"elector_id": who, "scope": scope, "created_at": w.now()})
        w.flush()


def test_each_suppression_is_named_by_its_scope(
    qtbot, page: BrowsePage, window: MainWindow
) -> None:
    choose(qtbot, page, "High Street")
    suppress(
        window.db,
        {
            "Siân Testwell": ("do-not-leaflet",),
            "Rhys Testwell": ("do-not-knock",),
            "Ada Demoby": ("do-not-contact", "do-not-knock"),  # one label says it all
            "Zoë Mockford": ("do-not-knock", "do-not-leaflet"),
            "Alan Demoby": ("do-not-phone",),  # a newer version's scope: the strictest
        },
    )
    page.reload()
    settle(qtbot, page)
    model, notes = page.households, column(page, HouseholdColumn.NOTES)
    expected = {
        "Siân Testwell": ("No letters", False),
        "Rhys Testwell": ("Do not knock", True),
        "Ada Demoby": ("Do not contact", True),
        "Zoë Mockford": ("Do not knock · No letters · 18 on 3 Apr 2027", True),
        "Alan Demoby": ("Do not contact", True),
        "Minh Nguyễn-Sample": ("", False),
    }
    for name, (label, greyed) in expected.items():
        row = row_of(page, name)
        assert (notes[row], model.index(row, 2).data(HouseholdTableModel.MUTED_ROLE)) == (
            label,
            greyed,
        ), name
        assert (model.index(row, 2).data(Qt.ItemDataRole.ForegroundRole) is not None) is greyed
    # A "no letters" request reads as one: its own colour, and its meaning on hover.
    sian = model.index(row_of(page, "Siân Testwell"), 2)
    (flag,) = sian.data(HouseholdTableModel.FLAGS_ROLE)
    assert flag.kind is FlagKind.NO_LETTERS
    assert "No letters: no addressed mail" in sian.data(Qt.ItemDataRole.ToolTipRole)
    assert page.street_details.text().startswith(
        "District AA · 6 doors · 7 electors · 2 do not contact · 2 do not knock · 2 no letters"
    )


def test_an_empty_database_asks_for_the_register(
    qtbot, page: BrowsePage, window: MainWindow, tmp_path: Path
) -> None:
    empty = open_db(str(tmp_path / "empty.db"), create=True)
    create_campaign(empty, "No register yet")
    window.switch_database(empty)
    page.on_database_changed()
    settle(qtbot, page)
    assert page.content.currentWidget() is page.message_panel
    assert page.message_title.text() == "No electoral register yet"
    assert "Import the electoral register (File › Import register…)" in page.message_text.text()
    assert page.tree_model.rowCount() == 0
    assert page.subtitle.text() == ""


def test_a_database_without_a_campaign_says_so(
    qtbot, page: BrowsePage, window: MainWindow, tmp_path: Path
) -> None:
    window.switch_database(open_db(str(tmp_path / "blank.db"), create=True))
    with qtbot.waitSignal(window.live.updated, timeout=WAIT):
        page.on_database_changed()
    settle(qtbot, page)
    assert page.message_title.text() == "No campaign yet"
    assert "(File › Import register…)" in page.message_text.text()


def test_a_reading_waits_for_the_running_task(qtbot, window: MainWindow) -> None:
    gate = threading.Event()

    def held():
        yield Progress(0, 1, "Holding")
        gate.wait(WAIT / 1000)
        return None

    window.reads.start(held)  # another screen's read is under way
    browse = browse_page(qtbot, window)
    try:
        browse.show()
        assert browse.busy
        assert browse.status.text() == "Waiting for the running task…"
        assert browse.content.currentWidget() is browse.message_panel  # "Loading…"
        assert browse.message_title.text() == "Loading…"
    finally:
        gate.set()
    settle(qtbot, browse)
    assert [row[0] for row in tree_rows(browse)] == ["AA district", "AB district"]


def test_a_hidden_page_reads_nothing(qtbot, window: MainWindow) -> None:
    browse = browse_page(qtbot, window)
    browse.reload()
    assert not window.reads.busy
    assert browse.busy  # waiting to be shown


# -- the models ---------------------------------------------------------------------


def test_the_household_model_passes_the_model_tester(
    qtmodeltester, qtbot, page: BrowsePage, window: MainWindow
) -> None:
    choose(qtbot, page, "High Street")
    qtmodeltester.check(page.households)
    model = HouseholdTableModel()
    qtmodeltester.check(model)
    nobody = HouseholdRow("x", "5", "ZZ1 1AB", "odd", ())
    model.set_rows([page.households.line(0).household, nobody])
    qtmodeltester.check(model)
    assert model.household_count == 2
    assert [model.index(1, c).data() for c in HouseholdColumn] == [
        "5",
        "",
        "(nobody registered here)",
        "",
        "",
    ]
    model.clear()
    assert model.rowCount() == 0


def test_the_tree_and_its_filter_pass_the_model_tester(qtmodeltester, page: BrowsePage) -> None:
    qtmodeltester.check(page.tree_model)
    page.filter.setText("street")
    qtmodeltester.check(page.proxy)
