"""The Print page: walk sheets for districts or a walk list, and new walk lists."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QDesktopServices  # noqa: E402
from PySide6.QtWidgets import QDialog, QFileDialog  # noqa: E402

from canvass.domain.progress import run_to_end  # noqa: E402
from canvass.paths import Paths  # noqa: E402
from canvass.services.campaigns import create_campaign  # noqa: E402
from canvass.services.databases import open_db  # noqa: E402
from canvass.services.printing import PrintReport  # noqa: E402
from canvass.services.register import import_register  # noqa: E402
from canvass.services.walk_lists import create_walk_list, walk_lists  # noqa: E402
from canvass.ui.application import build_main_window  # noqa: E402
from canvass.ui.main_window import MainWindow  # noqa: E402
from canvass.ui.pages.print_page import PrintPage, result_text  # noqa: E402

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
    qtbot.addWidget(win)
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
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    win = build(qtbot, tmp_path, register=True, walk_list=True)
    yield win
    finish(qtbot, win)


@pytest.fixture
def page(qtbot, window: MainWindow) -> PrintPage:
    return shown_page(qtbot, window)


def print_now(qtbot, page: PrintPage):
    with qtbot.waitSignal(page.printed, timeout=WAIT) as blocker:
        page.create_button.click()
    return blocker.args[0]


# -- what the page offers -------------------------------------------------------------


def test_the_page_lists_districts_with_counts_and_walk_lists(page: PrintPage) -> None:
    assert page.NAV_TITLE == "Print" and page.NAV_ICON == "print"
    assert page.content.isVisibleTo(page)
    assert not page.empty_panel.isVisibleTo(page)
    rows = [page.district_list.item(n).text() for n in range(page.district_list.count())]
    assert len(rows) == 2
    assert rows[0].startswith("AA") and "10 electors, 8 households" in rows[0]
    assert rows[1].startswith("AB")
    assert "2 districts" in page.all_caption.text()
    assert page.list_combo.count() == 1
    assert page.list_combo.itemText(0).startswith("High Street")
    assert "Priya" in page.list_combo.itemText(0)
    assert "doors" in page.list_combo.itemText(0)
    assert not page.district_list.isVisibleTo(page)  # only with "Some polling districts"
    page.some_radio.setChecked(True)
    assert page.district_list.isVisibleTo(page)


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
    assert page.district_list.count() == 2
    finish(qtbot, win)


# -- printing -----------------------------------------------------------------------


def test_printing_district_aa_writes_a_pdf_and_says_so(qtbot, page, tmp_path) -> None:
    page.some_radio.setChecked(True)
    page.tick_district("AA")
    assert page.out_edit.text().endswith("walk-sheets-AA.pdf")
    out = tmp_path / "walk-sheets-AA.pdf"
    page.out_edit.setText(str(out))
    report = print_now(qtbot, page)
    assert out.read_bytes().startswith(b"%PDF")
    assert report.path == str(out)
    assert report.electors == 9  # AA's 10, less the one without an address
    text = page.result.text()
    assert text.startswith("Wrote walk-sheets-AA.pdf:")
    assert f"{report.pages} page" in text and "doors" in text
    assert "Not listed: 1 without an address." in text
    assert page.result_panel.isVisibleTo(page)
    assert page.open_button.isVisibleTo(page)


def test_printing_all_districts_with_sides_grouped(qtbot, page, tmp_path) -> None:
    page.by_side.setChecked(True)
    assert page.out_edit.text().endswith("walk-sheets-all-districts.pdf")
    out = tmp_path / "all.pdf"
    page.out_edit.setText(str(out))
    report = print_now(qtbot, page)
    assert out.read_bytes().startswith(b"%PDF")
    assert report.electors == 12  # 13 less the one without an address
    assert report.streets == 3


def test_choosing_a_walk_list_prints_it(qtbot, page, tmp_path, monkeypatch) -> None:
    page.list_combo.activated.emit(0)  # picking the list chooses "A saved walk list"
    assert page.list_radio.isChecked()
    chosen = tmp_path / "priya"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(chosen), "PDF files (*.pdf)")
    )
    page.browse_button.click()
    assert page.out_edit.text() == str(chosen) + ".pdf"
    report = print_now(qtbot, page)
    assert Path(report.path).read_bytes().startswith(b"%PDF")
    assert report.path == str(chosen) + ".pdf"
    assert report.streets == 1  # only High Street
    assert report.electors == 7


def test_open_pdf_hands_the_file_to_the_desktop(qtbot, page, tmp_path, monkeypatch) -> None:
    page.out_edit.setText(str(tmp_path / "open-me.pdf"))
    report = print_now(qtbot, page)
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    page.open_button.click()
    assert opened == [report.path]


def test_nothing_ticked_is_explained_not_printed(qtbot, page, tmp_path) -> None:
    page.some_radio.setChecked(True)
    page.out_edit.setText(str(tmp_path / "none.pdf"))
    page.create_button.click()
    assert "Tick at least one polling district" in page.message.text()
    assert not page.main.tasks.busy
    assert not (tmp_path / "none.pdf").exists()


def test_a_missing_folder_is_reported(qtbot, page, tmp_path) -> None:
    page.out_edit.setText(str(tmp_path / "no" / "such" / "folder" / "x.pdf"))
    with qtbot.waitSignal(page.main.tasks.failed, timeout=WAIT) as blocker:
        page.create_button.click()
    assert "does not exist" in blocker.args[0]
    assert not page.result_panel.isVisibleTo(page)


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
    dialog = page.ask_new_walk_list()
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
    texts = [page.list_combo.itemText(n) for n in range(page.list_combo.count())]
    assert len(texts) == 2
    assert page.list_combo.currentText().startswith("Sample Lane odds")
    assert "Sam" in page.list_combo.currentText()
    assert page.list_radio.isChecked()
    assert page.out_edit.text().endswith("walk-sheets-sample-lane-odds.pdf")
    assert [s.name for s in walk_lists(window.db)] == ["High Street", "Sample Lane odds"]
    page.out_edit.setText(str(tmp_path / "lane.pdf"))
    report = print_now(qtbot, page)
    assert report.streets == 1 and report.electors == 2


def test_whole_districts_and_a_range_of_numbers(qtbot, page) -> None:
    dialog = page.ask_new_walk_list()
    dialog.item("AB").setCheckState(0, Qt.CheckState.Checked)
    assert dialog.scope() == (["AB"], [], None)
    dialog.only_numbers.setChecked(True)
    dialog.low.setValue(1)
    dialog.high.setValue(3)
    assert dialog.scope() == (["AB"], ["Testbed Road"], (1, 3))
    dialog.reject()


def test_a_walk_list_error_is_shown_in_the_dialog(qtbot, page, window) -> None:
    dialog = page.ask_new_walk_list()
    dialog.name.setText("High Street")  # already taken
    dialog.item("AA").setCheckState(0, Qt.CheckState.Checked)
    with qtbot.waitSignal(window.tasks.failed, timeout=WAIT):
        dialog.create_button.click()
    assert dialog.isVisible()
    assert dialog.error.isVisibleTo(dialog)
    assert "already a walk list called 'High Street'" in dialog.error.text()
    assert dialog.create_button.isEnabled()
    dialog.reject()
