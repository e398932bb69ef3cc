"""The Print page: walk sheets for districts or a walk list, and new walk lists."""

from __future__ import annotations

import os
import subprocess

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QDesktopServices  # noqa: E402
from PySide6.QtWidgets import QDialog, QFileDialog  # noqa: E402

from canvass.domain.errors import ValidationError  # noqa: E402
from canvass.domain.progress import run_to_end  # noqa: E402
from canvass.paths import Paths  # noqa: E402
from canvass.services.campaigns import create_campaign  # noqa: E402
from canvass.services.databases import open_db  # noqa: E402
from canvass.services.polling_day import knock_up_sheet  # noqa: E402
from canvass.services.printing import PrintReport  # noqa: E402
from canvass.services.register import import_register  # noqa: E402
from canvass.services.walk_lists import create_walk_list, walk_lists  # noqa: E402
from canvass.ui.application import build_main_window  # noqa: E402
from canvass.ui.main_window import MainWindow  # noqa: E402
from canvass.ui.pages import print_knock_up  # noqa: E402
from canvass.ui.pages.print_knock_up import NOBODY_YET, sheet_counts  # noqa: E402
from canvass.ui.pages.print_page import PrintPage, result_text  # noqa: E402
from tests.helpers import demo_db  # noqa: E402

WAIT = 20_000  # ms: generous, the CI machines are slow and shared
FIXTURES = Path(__file__).parent / "fixtures" / "registers"


def build(qtbot, tmp_path: Path, *, register: bool, walk_list: bool = False) -> MainWindow:
    db = open_db(str(tmp_path / "c.db"), create=True)
    create_campaign(db, "X")
    if register:
        run_to_end(import_register(db, FIXTURES / "xpress.tsv"))
    if walk_list:
        create_walk_list(db, "High Street", streets=["High Street"], canvasser="Priya")
    win = build_main_window(db, Paths.under(tmp_path / "home"))
    # pytest-qt closes the window before fixtures are torn down: let its work end first
    qtbot.addWidget(win, before_close_func=lambda w: finish(qtbot, w))
    with qtbot.waitSignal(win.live.updated, timeout=WAIT):
        win.show()
    return win


def shown_page(qtbot, win: MainWindow) -> PrintPage:
    page = PrintPage(win)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.show()
    return page


def finish(qtbot, win: MainWindow) -> None:
    qtbot.waitUntil(lambda: not win.tasks.busy, timeout=WAIT)
    win.live.shutdown()


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:
    return build(qtbot, tmp_path, register=True, walk_list=True)  # idle before it closes


@pytest.fixture
def page(qtbot, window: MainWindow) -> PrintPage:
    return shown_page(qtbot, window)


def print_now(qtbot, page: PrintPage):
    with qtbot.waitSignal(page.printed, timeout=WAIT) as blocker:
        page.walk.create_button.click()
    return blocker.args[0]


# -- what the page offers -------------------------------------------------------------


def test_the_page_lists_districts_with_counts_and_walk_lists(page: PrintPage) -> None:
    assert page.NAV_TITLE == "Print" and page.NAV_ICON == "print"
    assert page.content.isVisibleTo(page)
    assert not page.empty_panel.isVisibleTo(page)
    rows = [page.walk.district_list.item(n).text() for n in range(page.walk.district_list.count())]
    assert len(rows) == 2
    assert rows[0].startswith("AA") and "10 electors, 8 households" in rows[0]
    assert rows[1].startswith("AB")
    assert "2 districts" in page.walk.all_caption.text()
    assert page.walk.list_combo.count() == 1
    assert page.walk.list_combo.itemText(0).startswith("High Street")
    assert "Priya" in page.walk.list_combo.itemText(0)
    assert "doors" in page.walk.list_combo.itemText(0)
    assert not page.walk.district_list.isVisibleTo(page)  # only with "Some polling districts"
    page.walk.some_radio.setChecked(True)
    assert page.walk.district_list.isVisibleTo(page)


def test_an_empty_state_when_no_register_is_imported(qtbot, tmp_path: Path) -> None:
    win = build(qtbot, tmp_path, register=False)
    page = shown_page(qtbot, win)
    assert page.empty_panel.isVisibleTo(page)
    assert not page.content.isVisibleTo(page)
    assert "nothing to print yet" in page.empty_text.text()
    assert page.import_button.isVisibleTo(page)
    with qtbot.waitSignal(page.import_requested, timeout=WAIT):
        page.import_button.click()
    finish(qtbot, win)


def test_the_page_follows_a_database_change(qtbot, tmp_path: Path) -> None:
    win = build(qtbot, tmp_path, register=False)
    page = shown_page(qtbot, win)
    assert page.empty_panel.isVisibleTo(page)
    run_to_end(import_register(win.db, FIXTURES / "xpress.tsv"))
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.on_database_changed()
    assert page.content.isVisibleTo(page)
    assert page.walk.district_list.count() == 2
    finish(qtbot, win)


# -- printing -----------------------------------------------------------------------


def test_printing_district_aa_writes_a_pdf_and_says_so(qtbot, page, tmp_path) -> None:
    page.walk.some_radio.setChecked(True)
    page.walk.tick_district("AA")
    assert page.walk.out_edit.text().endswith("walk-sheets-AA.pdf")
    out = tmp_path / "walk-sheets-AA.pdf"
    page.walk.out_edit.setText(str(out))
    report = print_now(qtbot, page)
    assert out.read_bytes().startswith(b"%PDF")
    assert report.path == str(out)
    assert report.electors == 9  # AA's 10, less the one without an address
    text = page.walk.result.text()
    assert text.startswith("Wrote walk-sheets-AA.pdf:")
    assert f"{report.pages} page" in text and "doors" in text
    assert "Not listed: 1 without an address." in text
    assert page.walk.result_panel.isVisibleTo(page)
    assert page.walk.open_button.isVisibleTo(page)


def test_printing_all_districts_with_sides_grouped(qtbot, page, tmp_path) -> None:
    page.walk.by_side.setChecked(True)
    assert page.walk.out_edit.text().endswith("walk-sheets-all-districts.pdf")
    out = tmp_path / "all.pdf"
    page.walk.out_edit.setText(str(out))
    report = print_now(qtbot, page)
    assert out.read_bytes().startswith(b"%PDF")
    assert report.electors == 12  # 13 less the one without an address
    assert report.streets == 3


def test_choosing_a_walk_list_prints_it(qtbot, page, tmp_path, monkeypatch) -> None:
    page.walk.list_combo.activated.emit(0)  # picking the list chooses "A saved walk list"
    assert page.walk.list_radio.isChecked()
    chosen = tmp_path / "priya"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(chosen), "PDF files (*.pdf)")
    )
    page.walk.browse_button.click()
    assert page.walk.out_edit.text() == str(chosen) + ".pdf"
    report = print_now(qtbot, page)
    assert Path(report.path).read_bytes().startswith(b"%PDF")
    assert report.path == str(chosen) + ".pdf"
    assert report.streets == 1  # only High Street
    assert report.electors == 7


def test_open_pdf_hands_the_file_to_the_desktop(qtbot, page, tmp_path, monkeypatch) -> None:
    page.walk.out_edit.setText(str(tmp_path / "open-me.pdf"))
    report = print_now(qtbot, page)
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    page.walk.open_button.click()
    assert opened == [report.path]


def test_nothing_ticked_is_explained_not_printed(qtbot, page, tmp_path) -> None:
    page.walk.some_radio.setChecked(True)
    page.walk.out_edit.setText(str(tmp_path / "none.pdf"))
    page.walk.create_button.click()
    assert "Tick at least one polling district" in page.walk.message.text()
    assert not page.main.tasks.busy
    assert not (tmp_path / "none.pdf").exists()


def test_a_missing_folder_is_reported(qtbot, page, tmp_path) -> None:
    page.walk.out_edit.setText(str(tmp_path / "no" / "such" / "folder" / "x.pdf"))
    with qtbot.waitSignal(page.main.tasks.failed, timeout=WAIT) as blocker:
        page.walk.create_button.click()
    assert "does not exist" in blocker.args[0]
    assert not page.walk.result_panel.isVisibleTo(page)


def test_result_text_names_who_was_left_off() -> None:
    report = PrintReport(
        "/x/walk.pdf", 12, 4, 340, 610, {"off the register": 2, "do not contact": 0}
    )
    assert result_text(report) == (
        "Wrote walk.pdf: 12 pages, 4 streets, 340 doors, 610 electors. "
        "Not listed: 2 off the register."
    )


# -- new walk lists -------------------------------------------------------------------------


def test_creating_a_walk_list_adds_it_to_the_combo(qtbot, page, window, tmp_path) -> None:
    dialog = page.walk.ask_new_walk_list()
    dialog.name.setText("Sample Lane odds")
    dialog.canvasser.setText("Sam")
    dialog.tree.expandAll()
    dialog.item("AA", "Sample Lane").setCheckState(0, Qt.CheckState.Checked)
    assert dialog.item("AA").checkState(0) == Qt.CheckState.PartiallyChecked
    assert dialog.scope() == (["AA"], ["Sample Lane"], None)
    closed: list[int] = []
    dialog.finished.connect(closed.append)
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        dialog.create_button.click()
    assert closed == [QDialog.DialogCode.Accepted]
    texts = [page.walk.list_combo.itemText(n) for n in range(page.walk.list_combo.count())]
    assert len(texts) == 2
    assert page.walk.list_combo.currentText().startswith("Sample Lane odds")
    assert "Sam" in page.walk.list_combo.currentText()
    assert page.walk.list_radio.isChecked()
    assert page.walk.out_edit.text().endswith("walk-sheets-sample-lane-odds.pdf")
    assert [s.name for s in walk_lists(window.db)] == ["High Street", "Sample Lane odds"]
    page.walk.out_edit.setText(str(tmp_path / "lane.pdf"))
    report = print_now(qtbot, page)
    assert report.streets == 1 and report.electors == 2


def test_whole_districts_and_a_range_of_numbers(qtbot, page) -> None:
    dialog = page.walk.ask_new_walk_list()
    dialog.item("AB").setCheckState(0, Qt.CheckState.Checked)
    assert dialog.scope() == (["AB"], [], None)
    dialog.only_numbers.setChecked(True)
    dialog.low.setValue(1)
    dialog.high.setValue(3)
    assert dialog.scope() == (["AB"], ["Testbed Road"], (1, 3))
    dialog.reject()


def test_a_walk_list_error_is_shown_in_the_dialog(qtbot, page, window) -> None:
    dialog = page.walk.ask_new_walk_list()
    dialog.name.setText("High Street")  # already taken
    dialog.item("AA").setCheckState(0, Qt.CheckState.Checked)
    with qtbot.waitSignal(window.tasks.failed, timeout=WAIT):
        dialog.create_button.click()
    assert dialog.isVisible()
    assert dialog.error.isVisibleTo(dialog)
    assert "already a walk list called 'High Street'" in dialog.error.text()
    assert dialog.create_button.isEnabled()
    dialog.reject()


# -- knock-up list (polling day) ------------------------------------------------------------


@pytest.fixture
def demo_window(qtbot, tmp_path: Path) -> MainWindow:
    db = demo_db(str(tmp_path / "demo.db"), 300)
    create_walk_list(db, "Sample Road, Sunday", districts=["NB"], canvasser="Ada")
    win = build_main_window(db, Paths.under(tmp_path / "home"))
    qtbot.addWidget(win, before_close_func=lambda w: finish(qtbot, w))
    with qtbot.waitSignal(win.live.updated, timeout=WAIT):
        win.show()
    return win


def knock_up_page(qtbot, win: MainWindow) -> PrintPage:
    """The Print page on its knock-up tab, once the first count is in."""
    page = shown_page(qtbot, win)
    with qtbot.waitSignal(page.knock_up.counted, timeout=WAIT):
        page.show_knock_up()
    return page


def counted(qtbot, page: PrintPage, change) -> None:
    """Make a change on the knock-up tab and wait for the count that answers it."""
    with qtbot.waitSignal(page.knock_up.counted, timeout=WAIT):
        change()
    qtbot.waitUntil(lambda: not page.main.reads.busy, timeout=WAIT)


def service_text(db, **kwargs) -> str:
    people, doors, _streets = sheet_counts(knock_up_sheet(db, **kwargs))
    return f"{people:,} supporters at {doors:,} doors"


def test_the_knock_up_tab_replaces_the_walk_sheets(qtbot, demo_window) -> None:
    page = shown_page(qtbot, demo_window)
    assert page.walk.isVisibleTo(page) and not page.knock_up.isVisibleTo(page)
    assert page.tabs.tabText(1) == "Knock-up list (polling day)"
    with qtbot.waitSignal(page.knock_up.counted, timeout=WAIT):
        page.tabs.setCurrentIndex(1)
    assert page.knock_up.isVisibleTo(page) and not page.walk.isVisibleTo(page)
    assert "knock-up list" in page.subtitle.text()
    ku = page.knock_up
    boxes = ku.promises.intention_boxes
    assert list(boxes) == ["S", "L", "U", "A", "W", "X"]
    assert [code for code, box in boxes.items() if box.isChecked()] == ["S"]
    assert boxes["L"].text() == "Leaning our way (L)"
    assert ku.promises.support_on.isChecked() and ku.promises.support.value() == 2
    assert (ku.promises.support.minimum(), ku.promises.support.maximum()) == (1, 5)
    assert ku.district_combo.count() == 2 and ku.district_combo.currentData() == "NA"
    assert ku.list_combo.currentData() == "Sample Road, Sunday"
    assert not ku.list_combo.isEnabled()  # until "A walk list" is chosen


def test_choosing_a_district_shows_the_services_count(qtbot, demo_window) -> None:
    page = knock_up_page(qtbot, demo_window)
    ku, db = page.knock_up, demo_window.db
    assert ku.count_label.text() == service_text(db, district="NA")
    counted(qtbot, page, lambda: ku.choose_district("NB"))
    expected = service_text(db, district="NB")
    assert ku.count_label.text() == expected
    assert not expected.startswith("0 ")  # the demo has supporters in NB
    assert "polling district NB" in ku.count_detail.text()
    assert ku.save_button.isEnabled()


def test_an_intention_checkbox_changes_the_count(qtbot, demo_window) -> None:
    page = knock_up_page(qtbot, demo_window)
    ku, db = page.knock_up, demo_window.db
    before = ku.count_label.text()
    counted(qtbot, page, lambda: ku.promises.intention_boxes["L"].setChecked(True))
    after = service_text(db, district="NA", intentions=("S", "L"), max_support=2)
    assert ku.count_label.text() == after != before
    counted(qtbot, page, lambda: ku.promises.support_on.setChecked(False))
    assert not ku.promises.support.isEnabled()
    assert ku.count_label.text() == service_text(
        db, district="NA", intentions=("S", "L"), max_support=None
    )
    counted(qtbot, page, lambda: ku.promises.intention_boxes["S"].setChecked(False))
    counted(qtbot, page, lambda: ku.promises.intention_boxes["L"].setChecked(False))
    assert ku.count_label.text() == "Nothing to count yet"
    assert "Tick at least one intention" in ku.count_detail.text()
    assert not ku.save_button.isEnabled()


def test_a_walk_list_is_counted_and_named(qtbot, demo_window, tmp_path, monkeypatch) -> None:
    page = knock_up_page(qtbot, demo_window)
    ku = page.knock_up
    counted(qtbot, page, lambda: ku.list_combo.activated.emit(0))
    assert ku.list_radio.isChecked() and ku.list_combo.isEnabled()
    assert not ku.district_combo.isEnabled()
    expected = service_text(demo_window.db, walk_list="Sample Road, Sunday")
    assert ku.count_label.text() == expected
    offered: list[str] = []

    def cancel(_parent, _title, default, _filter):
        offered.append(default)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", cancel)
    ku.save_button.click()
    assert Path(offered[0]).name == "knock-up-sample-road-sunday.pdf"
    assert not demo_window.tasks.busy  # cancelling the dialog writes nothing


def test_saving_writes_the_knock_up_pdf(qtbot, demo_window, tmp_path, monkeypatch) -> None:
    page = knock_up_page(qtbot, demo_window)
    ku = page.knock_up
    offered: list[str] = []

    def choose(_parent, _title, default, _filter):
        offered.append(default)
        return str(tmp_path / "polling-day"), "PDF files (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    with qtbot.waitSignal(page.printed, timeout=WAIT) as blocker:
        ku.save_button.click()
    assert Path(offered[0]).name == "knock-up-NA.pdf"
    report = blocker.args[0]
    out = tmp_path / "polling-day.pdf"
    assert report.path == str(out)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "Knock-up list" in text
    people, doors, _streets = sheet_counts(knock_up_sheet(demo_window.db, district="NA"))
    assert (report.electors, report.doors) == (people, doors)
    said = ku.result_panel.result.text()
    assert said.startswith("Wrote polling-day.pdf:")
    assert f"{report.pages} page" in said and f"{people} supporters at {doors} doors" in said
    assert ku.result_panel.isVisibleTo(page)
    assert "Knock-up list saved to" in demo_window.statusBar().currentMessage()
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    ku.open_button.click()
    assert opened == [str(out)]


def test_nobody_promised_yet_is_explained(qtbot, window: MainWindow) -> None:
    page = knock_up_page(qtbot, window)  # a register, but nobody canvassed
    ku = page.knock_up
    assert (ku.count_label.text(), ku.count_detail.text()) == NOBODY_YET
    assert "record intentions on the canvass screen first" in ku.count_detail.text().lower()
    assert not ku.save_button.isEnabled()
    assert ku.sheet is not None and ku.sheet.streets == ()


def test_a_refusal_is_shown_inline(qtbot, demo_window, monkeypatch) -> None:
    page = knock_up_page(qtbot, demo_window)
    ku = page.knock_up

    def refuse(*_args, **_kwargs):
        raise ValidationError("There is no walk list called 'Gone'.")

    monkeypatch.setattr(print_knock_up, "knock_up_sheet", refuse)
    counted(qtbot, page, lambda: ku.choose_district("NB"))
    assert ku.message.isVisibleTo(page)
    assert ku.message.text() == "There is no walk list called 'Gone'."
    assert not ku.save_button.isEnabled()
