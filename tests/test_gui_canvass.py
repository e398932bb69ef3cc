"""The Canvass screen: recording at the door by keyboard, typing in paper sheets, search.

A small synthetic demo campaign (made-up names in the non-existent ZZ
postcode area) and the real main window: keys go where a person's keys would
go (the widget with the keyboard focus), and the database is checked
afterwards, down to the operations the records made.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from sqlalchemy import select  # noqa: E402

from canvass.paths import Paths  # noqa: E402
from canvass.services import canvassing  # noqa: E402
from canvass.services.browse import district_tree  # noqa: E402
from canvass.services.canvassing import Door, DoorElector, Entry  # noqa: E402
from canvass.services.databases import open_db  # noqa: E402
from canvass.services.search import ElectorHit  # noqa: E402
from canvass.services.walk_lists import create_walk_list  # noqa: E402
from canvass.storage.database import Database  # noqa: E402
from canvass.storage.tables import OperationRow, Visit  # noqa: E402
from canvass.ui.application import build_main_window  # noqa: E402
from canvass.ui.main_window import MainWindow  # noqa: E402
from canvass.ui.pages.canvass_common import KeyMap, assign_keys, recordable  # noqa: E402
from canvass.ui.pages.canvass_models import DoorModel, ElectorModel, HistoryModel  # noqa: E402
from canvass.ui.pages.canvass_page import CanvassPage  # noqa: E402
from canvass.ui.pages.canvass_search import SearchModel  # noqa: E402
from canvass.ui.pages.canvass_sheet_model import SheetModel, SheetRow  # noqa: E402
from tests.helpers import close_when_idle, demo_db  # noqa: E402

WAIT = 20_000  # ms: generous, the CI machines are slow and shared
LIST = "Synthetic Saturday"


# -- set-up -----------------------------------------------------------------------------------


@pytest.fixture
def campaign(tmp_path: Path) -> Iterator[Database]:
    """A 300-elector demo campaign (two districts) with one walk list over its first street."""
    db = demo_db(str(tmp_path / "campaign.db"), electors=300)
    first = district_tree(db)[0]
    create_walk_list(db, LIST, streets=[first.streets[0].name], canvasser="Ada Example")
    yield db
    db.close()  # closing twice is harmless; the window closes the one it shows


def idle(qtbot, win: MainWindow) -> None:
    page = win.canvass_page
    qtbot.waitUntil(
        lambda: not page.busy and not win.tasks.busy and not win.reads.busy, timeout=WAIT
    )


@pytest.fixture
def open_canvass(qtbot, tmp_path: Path) -> Iterator:
    """Opens the main window on a database, on the Canvass screen; stops its work afterwards."""
    windows: list[MainWindow] = []

    def show(db: Database) -> MainWindow:
        win = build_main_window(db, Paths.under(tmp_path / "home"))
        close_when_idle(qtbot, win, also=lambda: not win.canvass_page.busy)
        win.resize(1366, 768)
        with qtbot.waitSignal(win.live.updated, timeout=WAIT):
            win.show()
        names = [win.nav.item(row).text() for row in range(win.nav.count())]
        with qtbot.waitSignal(win.canvass_page.loaded, timeout=WAIT):
            win.nav.setCurrentRow(names.index("Canvass"))
        win.activateWindow()
        qtbot.waitUntil(win.isActiveWindow, timeout=WAIT)
        idle(qtbot, win)
        windows.append(win)
        return win

    yield show  # each window closes itself once idle: see close_when_idle


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(qtbot, *keys: str | Qt.Key) -> int:
    """Press keys one at a time where the focus is; returns how many keystrokes that was."""
    for key in keys:
        if isinstance(key, str) and len(key) > 1:
            raise ValueError(key)
        qtbot.keyClick(focused(), key)
    return len(keys)


def chord(qtbot, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> int:
    qtbot.keyClick(focused(), key, modifiers)
    return 1


def visits_of(db: Database, elector_ids: list[str]) -> dict[str, list[Visit]]:
    with db.read() as session:
        rows = session.scalars(
            select(Visit).where(Visit.elector_id.in_(elector_ids)).order_by(Visit.visited_at)
        ).all()
        for row in rows:
            session.expunge(row)
    out: dict[str, list[Visit]] = {i: [] for i in elector_ids}
    for row in rows:
        out[row.elector_id or ""].append(row)
    return out


def operation_ids(db: Database) -> set[str]:
    with db.read() as session:
        return set(session.scalars(select(OperationRow.op_id)))


def operations_since(
    db: Database, before: set[str]
) -> list[tuple[str, str, str, str | None, object]]:
    """The operations not in ``before``, in the order they were made (one device: by seq)."""
    with db.read() as session:
        rows = session.scalars(select(OperationRow).order_by(OperationRow.seq)).all()
        return [
            (r.kind, r.entity, r.entity_id, r.field, json.loads(r.value))
            for r in rows
            if r.op_id not in before
        ]


def fresh_door(doors: list[Door], *, at_least: int = 2) -> int:
    """The first door whose electors can all be called on and have no record yet."""
    for n, door in enumerate(doors):
        people = door.electors
        if len(people) >= at_least and all(recordable(e) and not e.visits for e in people):
            return n
    raise AssertionError("the demo has no such door")


# -- at the door ------------------------------------------------------------------------------


def test_canvass_replaces_its_coming_soon_page(qtbot, campaign, open_canvass) -> None:
    win = open_canvass(campaign)
    names = [win.nav.item(row).text() for row in range(win.nav.count())]
    assert names[names.index("Browse") + 1] == "Canvass"
    assert win.stack.widget(names.index("Canvass")) is win.canvass_page
    page = win.canvass_page
    assert [page.tabs.tabText(n) for n in range(page.tabs.count())] == [
        "At the door",
        "Paper sheets",
    ]
    assert page.door.message.title.text() == "Choose where to canvass"


def test_the_keyboard_flow_at_the_door(qtbot, campaign, open_canvass) -> None:
    win = open_canvass(campaign)
    page: CanvassPage = win.canvass_page
    door_mode = page.door
    assert door_mode.picker.choose("list", LIST)
    qtbot.waitUntil(lambda: door_mode.doors_model.rowCount() > 0, timeout=WAIT)
    idle(qtbot, win)
    assert door_mode.canvasser.text() == "Ada Example"  # the list's canvasser
    doors = canvassing.doors(campaign, walk_list=LIST)
    target = fresh_door(doors)
    for _ in range(target):
        press(qtbot, Qt.Key.Key_BracketRight)  # ] : the next door
    assert door_mode.place.door == target
    assert focused() is door_mode.pad
    household = doors[target].electors
    before = operation_ids(campaign)

    # Spoke, intention "Supporter", support 2, wants a poster, Enter.
    keys = press(qtbot, "S", "S", "2", "P", Qt.Key.Key_Return)
    assert keys <= 6
    assert door_mode.pad.last_keystrokes == keys == 5
    assert door_mode.place == type(door_mode.place)(target, 1)  # moved on to the next elector
    # "Not in" for the rest of the household: one key each, and on it goes.
    for n in range(1, len(household)):
        assert door_mode.elector is not None and door_mode.elector.id == household[n].id
        assert press(qtbot, "N") == 1
        assert door_mode.pad.last_keystrokes == 1
    assert door_mode.place.door == target + 1  # the next door, after the household
    idle(qtbot, win)
    assert "Not in" in door_mode.status.text()

    chord(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    idle(qtbot, win)
    assert door_mode.status.text().startswith("Undone")
    assert door_mode.elector is not None and door_mode.elector.id == household[-1].id
    chord(
        qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    idle(qtbot, win)
    assert door_mode.status.text().startswith("Redone")
    press(qtbot, Qt.Key.Key_PageDown)  # move on
    assert door_mode.place.door == target + 1

    ids = [e.id for e in household]
    visits = visits_of(campaign, ids)
    first = visits[ids[0]]
    assert [
        (v.outcome, v.intention, v.support, v.likelihood, v.flags, v.method) for v in first
    ] == [("SPK", "S", 2, None, "P", "doorstep")]
    assert first[0].canvasser == "Ada Example" and not first[0].voided
    for elector_id in ids[1:]:
        assert [(v.outcome, v.voided, v.method) for v in visits[elector_id]] == [
            ("NI", False, "doorstep")
        ]
    # Exactly these operations: one create per record, then the undo and the redo of the last.
    made = [visits[i][0].id for i in ids]
    ops = operations_since(campaign, before)
    assert [(kind, entity, entity_id) for kind, entity, entity_id, _f, _v in ops[: len(ids)]] == [
        ("create", "visit", visit_id) for visit_id in made
    ]
    assert [(k, e, i, f, v) for k, e, i, f, v in ops[len(ids) :]] == [
        ("set", "visit", made[-1], "voided", True),
        ("set", "visit", made[-1], "voided", False),
    ]
    # What the screen shows agrees.
    shown = door_mode.doors_model.doors[target]
    assert [e.latest.outcome if e.latest else None for e in shown.electors] == [
        "SPK",
        *["NI"] * (len(ids) - 1),
    ]


def test_a_greyed_elector_cannot_be_recorded_by_a_key(qtbot, campaign, open_canvass) -> None:
    doors = canvassing.doors(campaign, walk_list=LIST)
    target = fresh_door(doors)
    moved, other = doors[target].electors[0], doors[target].electors[1]
    canvassing.record(campaign, moved.id, Entry("MV"))
    win = open_canvass(campaign)
    door_mode = win.canvass_page.door
    assert door_mode.picker.choose("list", LIST)
    qtbot.waitUntil(lambda: door_mode.doors_model.rowCount() > 0, timeout=WAIT)
    idle(qtbot, win)
    for _ in range(target):
        press(qtbot, "]")
    # The door opens on the elector who can be called on; ↑ goes to the one who moved.
    assert door_mode.elector is not None and door_mode.elector.id == other.id
    press(qtbot, Qt.Key.Key_Up)
    assert door_mode.elector is not None and door_mode.elector.id == moved.id
    assert door_mode.electors_model.data(door_mode.electors_model.index(0), ElectorModel.MUTED_ROLE)
    before = operation_ids(campaign)
    press(qtbot, "S", "S", Qt.Key.Key_Return, "N")
    idle(qtbot, win)
    assert "moved away" in door_mode.pad.message.text()
    assert door_mode.pad.message.isVisible()
    assert operations_since(campaign, before) == []
    assert door_mode.elector is not None and door_mode.elector.id == moved.id  # still there


def test_whole_household_not_in_and_changing_an_earlier_record(
    qtbot, campaign, open_canvass
) -> None:
    win = open_canvass(campaign)
    door_mode = win.canvass_page.door
    assert door_mode.picker.choose("list", LIST)
    qtbot.waitUntil(lambda: door_mode.doors_model.rowCount() > 0, timeout=WAIT)
    idle(qtbot, win)
    doors = canvassing.doors(campaign, walk_list=LIST)
    target = fresh_door(doors)
    for _ in range(target):
        press(qtbot, "]")
    assert press(qtbot, "H") == 1
    assert door_mode.place.door > target
    idle(qtbot, win)
    ids = [e.id for e in doors[target].electors]
    assert [[v.outcome for v in vs] for vs in visits_of(campaign, ids).values()] == [["NI"]] * len(
        ids
    )
    shown = door_mode.doors_model.doors[target]
    assert all(e.latest is not None and e.latest.outcome == "NI" for e in shown.electors)
    # Back to that door: the first elector's record was wrong, they did answer.
    press(qtbot, "[")
    assert door_mode.place.door == target
    chord(qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: door_mode.pad.editing is not None, timeout=WAIT)
    before = operation_ids(campaign)
    press(qtbot, Qt.Key.Key_Escape)  # from the "not in" details back to the outcomes
    press(qtbot, "S", "U", "3", "4", "O", Qt.Key.Key_Return)
    idle(qtbot, win)
    assert door_mode.status.text().startswith("Changed")
    visit = visits_of(campaign, ids[:1])[ids[0]]
    assert [(v.outcome, v.intention, v.support, v.likelihood, v.flags) for v in visit] == [
        ("SPK", "U", 3, 4, "VOL")
    ]
    fields = {f for kind, _e, entity_id, f, _v in operations_since(campaign, before)}
    assert fields == {"outcome", "intention", "support", "likelihood", "flags"}
    assert door_mode.history_model.visits[0].intention == "U"
    # Undo takes back the household's records, all at once.
    chord(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    idle(qtbot, win)
    assert all(v.voided for vs in visits_of(campaign, ids).values() for v in vs)


def test_changing_a_record_keeps_its_survey_answers(qtbot, campaign, open_canvass) -> None:
    doors = canvassing.doors(campaign, walk_list=LIST)
    target = fresh_door(doors)
    elector = doors[target].electors[0]
    visit_id = canvassing.record(
        campaign, elector.id, Entry("SPK", intention="S", answers={"LIB": "weekly"})
    )
    win = open_canvass(campaign)
    door_mode = win.canvass_page.door
    assert door_mode.picker.choose("list", LIST)
    qtbot.waitUntil(lambda: door_mode.doors_model.rowCount() > 0, timeout=WAIT)
    idle(qtbot, win)
    for _ in range(target):
        press(qtbot, "]")
    chord(qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: door_mode.pad.editing is not None, timeout=WAIT)
    assert door_mode.pad.questions["LIB"].currentData() == "weekly"
    press(qtbot, "P", Qt.Key.Key_Return)
    idle(qtbot, win)
    with campaign.read() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        assert (visit.flags, json.loads(visit.survey_answers)) == ("P", {"LIB": "weekly"})


def test_search_finds_an_elector_and_goes_to_their_door(qtbot, campaign, open_canvass) -> None:
    districts = district_tree(campaign)
    far = canvassing.doors(campaign, district=districts[-1].code)[-1]
    wanted = far.electors[0]
    win = open_canvass(campaign)
    door_mode = win.canvass_page.door
    chord(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert focused() is door_mode.search.box
    surname = wanted.name.split()[-1]
    with qtbot.waitSignal(door_mode.search.searched, timeout=WAIT):
        qtbot.keyClicks(focused(), f"{surname} {far.postcode}")
    assert door_mode.body.currentIndex() == 2  # the results
    hits: list[ElectorHit] = door_mode.search.model.hits
    assert wanted.id in [h.elector_id for h in hits]
    while (
        door_mode.search.model.hits[
            door_mode.search.view.selectionModel().selectedRows()[0].row()
        ].elector_id
        != wanted.id
    ):
        press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: door_mode.elector is not None and door_mode.elector.id == wanted.id, timeout=WAIT
    )
    assert door_mode.door is not None and door_mode.door.address_id == far.address_id
    assert door_mode.source is not None and door_mode.source.key == districts[-1].code
    assert door_mode.body.currentIndex() == 1
    assert focused() is door_mode.pad
    assert door_mode.search.box.text() == ""


# -- paper sheets -----------------------------------------------------------------------------


def sheet_electors(db: Database, district: str) -> list[DoorElector]:
    return [e for d in canvassing.doors(db, district=district) for e in d.electors if recordable(e)]


def open_sheet(qtbot, win: MainWindow, district: str):
    page = win.canvass_page
    page.tabs.setCurrentWidget(page.sheet)
    assert page.sheet.picker.choose("district", district)
    qtbot.waitUntil(lambda: page.sheet.sheet is not None, timeout=WAIT)
    idle(qtbot, win)
    assert focused() is page.sheet.number
    return page.sheet


def test_a_forty_row_sheet_typed_in_by_keyboard(qtbot, campaign, open_canvass) -> None:
    district = district_tree(campaign)[0].code
    rows = sheet_electors(campaign, district)[:40]
    skipped = rows.pop(17)
    win = open_canvass(campaign)
    sheet = open_sheet(qtbot, win, district)
    count = 0
    for n, elector in enumerate(rows):
        number = elector.number.split("-", 1)[1]  # "124/1": the sheet's district is assumed
        assert focused() is sheet.number
        count += press(qtbot, *number)
        if n % 3 == 0:
            count += press(qtbot, "N")  # straight after the number: not in, saved at once
        elif n % 3 == 1:
            count += press(qtbot, Qt.Key.Key_Return, "S", "A", "5", "1", Qt.Key.Key_Return)
        else:
            count += press(qtbot, "R", Qt.Key.Key_Return)
        assert sheet.model.rowCount() == n + 1
    idle(qtbot, win)
    assert count < 40 * 10
    with campaign.read() as session:
        paper = session.scalars(select(Visit).where(Visit.method == "paper")).all()
        assert len(paper) == 39
        assert {v.elector_id for v in paper} == {e.id for e in rows}
        assert {v.outcome for v in paper} == {"NI", "SPK", "R"}
    assert all(row.state == "saved" for row in sheet.model.rows)
    assert sheet.skipped.isVisible()
    assert skipped.number in sheet.skipped.text()
    expected = len(sheet_electors(campaign, district))
    assert sheet.count.text() == (
        f"39 of {expected} rows entered · {expected - 39} to go · 1 skipped"
    )
    # Typing the skipped row in clears the warning; undoing that row brings it back.
    press(qtbot, *skipped.number, "N")
    idle(qtbot, win)
    assert not sheet.skipped.isVisible()
    assert focused() is sheet.number
    chord(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    idle(qtbot, win)
    assert sheet.model.rows[-1].state == "undone"
    assert sheet.skipped.isVisible() and skipped.number in sheet.skipped.text()
    with campaign.read() as session:
        assert session.scalars(
            select(Visit.voided).where(Visit.elector_id == skipped.id)
        ).all() == [True]


def test_bad_input_on_a_sheet_saves_nothing(qtbot, campaign, open_canvass) -> None:
    district = district_tree(campaign)[0].code
    electors = sheet_electors(campaign, district)
    moved, unwanted, fine = electors[0], electors[1], electors[2]
    canvassing.record(campaign, moved.id, Entry("MV"))
    canvassing.record(campaign, unwanted.id, Entry("DNC"))
    win = open_canvass(campaign)
    sheet = open_sheet(qtbot, win, district)
    before = operation_ids(campaign)

    press(qtbot, *"9999", Qt.Key.Key_Return)  # nobody has that number
    qtbot.waitUntil(lambda: "There is no elector" in sheet.number_error.text(), timeout=WAIT)
    assert f"{district}-9999" in sheet.number_error.text()
    assert focused() is sheet.number

    press(qtbot, *"12/", Qt.Key.Key_Return)  # not a number at all
    assert "not an elector number" in sheet.number_error.text()
    assert sheet.number_error.isVisible()

    sheet.number.clear()
    press(qtbot, *moved.number, Qt.Key.Key_Return)
    assert "moved away" in sheet.number_error.text()
    sheet.number.clear()
    press(qtbot, *unwanted.number, "S")
    assert "asked not to be contacted" in sheet.number_error.text()

    sheet.number.clear()
    press(qtbot, *fine.number, Qt.Key.Key_Return)
    assert focused() is sheet.pad and not sheet.number_error.isVisible()
    press(qtbot, "Q")  # not a code in this campaign's set
    assert "“Q” is not an outcome key" in sheet.pad.message.text()
    press(qtbot, "S", "Z")
    assert "“Z” is not a code here" in sheet.pad.message.text()
    press(qtbot, "7")
    assert "7 is not a score" in sheet.pad.message.text()
    press(qtbot, Qt.Key.Key_Escape, Qt.Key.Key_Return)
    assert "Choose an outcome first" in sheet.pad.message.text()
    press(qtbot, Qt.Key.Key_Escape)  # back to the number
    assert focused() is sheet.number
    idle(qtbot, win)
    assert operations_since(campaign, before) == []
    assert sheet.model.rowCount() == 0


# -- empty states, keys and models ------------------------------------------------------------


def test_an_empty_database_says_what_to_do(qtbot, tmp_path, open_canvass) -> None:
    db = open_db(str(tmp_path / "empty.db"), create=True)
    win = open_canvass(db)
    page = win.canvass_page
    assert page.door.message.title.text() == "Nothing to canvass yet"
    assert page.door.message.button.isVisible()
    assert page.sheet.message.title.text() == "No sheets to type in yet"
    with qtbot.waitSignal(page.import_requested, timeout=WAIT):
        page.door.message.button.click()
    for child in win.findChildren(QWidget):
        if child.windowTitle().startswith("Import") and child.isVisible():
            child.close()


def test_keys_are_distinct_in_each_layer() -> None:
    book = canvassing.CodeBook(
        canvassing.codes.OUTCOMES, canvassing.codes.INTENTIONS, canvassing.codes.FLAGS
    )
    keys = KeyMap.of(book)
    assert keys.outcomes == {
        "NI": "N",
        "SPK": "S",
        "R": "R",
        "CB": "C",
        "MV": "M",
        "DEC": "D",
        "INACC": "I",
        "DNC": "X",
    }
    assert "H" not in keys.outcomes.values()  # the whole household's key
    assert set(keys.intentions.values()) == {"S", "L", "U", "A", "W", "X"}
    details = [*keys.intentions.values(), *keys.flags.values()]
    assert len(details) == len(set(details)) and all(details)
    # A campaign's own codes still get a key each, from their words.
    own = assign_keys([("LAB", "Labour"), ("LD", "Lib Dem"), ("LL", "Lab leaning")], "intentions")
    assert len(set(own.values())) == 3 and all(own.values())


def test_the_models_pass_qtmodeltester(qtmodeltester, campaign) -> None:
    book = canvassing.code_book(campaign)
    doors = canvassing.doors(campaign, walk_list=LIST)
    door_model = DoorModel()
    door_model.set_doors(doors)
    qtmodeltester.check(door_model)
    electors = ElectorModel()
    visited = next(d for d in doors if any(e.visits for e in d.electors))
    electors.set_electors(book, visited.electors)
    qtmodeltester.check(electors)
    history = HistoryModel()
    history.set_visits(book, next(e for e in visited.electors if e.visits).visits)
    qtmodeltester.check(history)
    search = SearchModel()
    search.set_hits(
        [
            ElectorHit(
                "e1", "ZA-1/0", "Ann Testwell", "1 Sample Road", "ZZ1 1AA", "a1", False, False
            ),
            ElectorHit("e2", "ZA-2/0", "Bo Sample", "", "", None, True, True),
        ]
    )
    qtmodeltester.check(search)
    sheet = SheetModel()
    elector = doors[0].electors[0]
    sheet.set_rows([SheetRow(elector, doors[0].address_id, "1 Sample Road", "Not in")])
    sheet.append(SheetRow(elector, doors[0].address_id, "1 Sample Road", "Spoke", state="failed"))
    qtmodeltester.check(sheet)
