"""The register import wizard: file, columns, preview (dry run) and import."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json  # noqa: E402
import threading  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtWidgets import QFileDialog, QMessageBox  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from canvass.domain.progress import Progress  # noqa: E402
from canvass.paths import Paths  # noqa: E402
from canvass.services.campaigns import create_campaign  # noqa: E402
from canvass.services.databases import open_db  # noqa: E402
from canvass.services.info import database_info  # noqa: E402
from canvass.storage.tables import Elector  # noqa: E402
from canvass.ui import register_wizard  # noqa: E402
from canvass.ui.application import build_main_window  # noqa: E402
from canvass.ui.main_window import MainWindow  # noqa: E402
from canvass.ui.progress import TaskProgressDialog  # noqa: E402
from canvass.ui.register_mapping import Choice, guess, preview  # noqa: E402
from canvass.ui.register_wizard import (  # noqa: E402
    DONE_PAGE,
    FILE_PAGE,
    MAPPING_PAGE,
    PREVIEW_PAGE,
    RegisterImportWizard,
)

WAIT = 20_000  # ms: generous, the CI machines are slow and shared
FIXTURES = Path(__file__).parent / "fixtures" / "registers"
ODD_CSV = (
    "Ref,Family,Given,Where,Post Code\n"
    'AA-1,Samplewick,Ada,"14 High Street, Sampleton",ZZ1 1AB\n'
    'AA-2,Samplewick,Tom,"14 High Street, Sampleton",ZZ1 1AB\n'
    'AA-3,Mockridge,Isla,"Flat 2, 16 High Street, Sampleton",ZZ1 1AB\n'
    'AB-1,Nguyễn,Minh,"3 Sample Lane, Sampleton",ZZ1 2EF\n'
)


# -- fixtures -----------------------------------------------------------------------


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    db = open_db(str(tmp_path / "c.db"), create=True)
    create_campaign(db, "X")
    win = build_main_window(db, Paths.under(tmp_path / "home"))

    def stop(window: MainWindow) -> None:
        # pytest-qt closes the window before fixtures are torn down: stop its work first
        if window.tasks.busy:
            with qtbot.waitSignal(window.tasks.ended, timeout=WAIT):
                window.tasks.cancel()
        window.live.shutdown()

    qtbot.addWidget(win, before_close_func=stop)
    with qtbot.waitSignal(win.live.updated, timeout=WAIT):
        win.show()
    yield win


@pytest.fixture
def wizard(qtbot, window: MainWindow) -> Iterator[RegisterImportWizard]:
    wiz = RegisterImportWizard(window)
    wiz.open()
    yield wiz
    qtbot.waitUntil(lambda: not wiz.working, timeout=WAIT)
    wiz.done(0)


@pytest.fixture
def odd_csv(tmp_path: Path) -> Path:
    path = tmp_path / "council-export.csv"
    path.write_text(ODD_CSV, encoding="utf-8")
    return path


def choose(qtbot, wiz: RegisterImportWizard, path: Path, monkeypatch) -> None:
    """Choose ``path`` with the Choose file… button, as a person would."""
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(path), "Register files")
    )
    with qtbot.waitSignal(wiz.file_read, timeout=WAIT):
        wiz.file_page.choose_button.click()


def to_preview(qtbot, wiz: RegisterImportWizard):
    with qtbot.waitSignal(wiz.preview_ready, timeout=WAIT) as blocker:
        wiz.next()
    assert wiz.currentId() == PREVIEW_PAGE
    return blocker.args[0]


def to_mapping(qtbot, wiz: RegisterImportWizard) -> None:
    with qtbot.waitSignal(wiz.mapping_page.saved_listed, timeout=WAIT):
        wiz.next()
    assert wiz.currentId() == MAPPING_PAGE


def elector_count(window: MainWindow) -> int:
    with window.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Elector)) or 0)


def table_column(table, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]


# -- the file page ------------------------------------------------------------------


def test_choosing_xpress_shows_its_layout_and_first_rows(qtbot, wizard, monkeypatch) -> None:
    page = wizard.file_page
    assert wizard.currentId() == FILE_PAGE
    assert not page.isComplete()
    choose(qtbot, wizard, FIXTURES / "xpress.tsv", monkeypatch)
    assert page.isComplete()
    assert page.edition_edit.text() == "xpress"
    assert "recognises this layout" in page.layout_label.text()
    assert "polling district / number / suffix" in page.layout_label.text()
    assert "Separator: tab" in page.facts.text()
    assert "UTF-8" in page.facts.text()
    assert page.table.columnCount() == 14
    assert page.table.horizontalHeaderItem(5).text() == "Elector Surname"
    assert page.table.rowCount() == 8
    assert page.table.item(0, 5).text() == "TESTWELL"
    assert page.table.item(0, 6).text() == "Siân"
    assert not page.error.isVisibleTo(page)
    assert page.nextId() == PREVIEW_PAGE
    page.adjust.setChecked(True)
    assert page.nextId() == MAPPING_PAGE


def test_a_binary_file_shows_a_clear_error(qtbot, wizard, tmp_path, monkeypatch) -> None:
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    choose(qtbot, wizard, binary, monkeypatch)
    page = wizard.file_page
    assert page.error.isVisibleTo(page)
    assert "cannot be imported" in page.error.text()
    assert "not a text file" in page.error.text()
    assert not page.table.isVisibleTo(page)
    assert not page.isComplete()
    assert wizard.currentId() == FILE_PAGE


def test_an_empty_file_shows_a_clear_error(qtbot, wizard, tmp_path, monkeypatch) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    choose(qtbot, wizard, empty, monkeypatch)
    assert "is empty" in wizard.file_page.error.text()
    assert not wizard.file_page.isComplete()


# -- preview and import -------------------------------------------------------------------


def test_preview_shows_counts_and_rejected_rows_and_writes_nothing(
    qtbot, wizard, window, monkeypatch
) -> None:
    before = database_info(window.db).state_digest
    choose(qtbot, wizard, FIXTURES / "xpress.tsv", monkeypatch)
    report = to_preview(qtbot, wizard)
    page = wizard.preview_page
    assert report is not None and report.dry_run
    shown = {key: card.number.text() for key, card in page.cards.items()}
    assert shown == {
        "electors": "13",
        "households": "10",
        "streets": "3",
        "polling_districts": "2",
        "without_address": "1",
        "rejected": "2",
    }
    lines = [page.rejected_list.item(n).text() for n in range(page.rejected_list.count())]
    assert len(lines) == 2
    assert lines[0].startswith("Line 14:") and "not a date" in lines[0]
    assert lines[1].startswith("Line 15:") and "elector number is missing" in lines[1]
    assert "nothing has been written yet" in page.banner.text()
    assert not page.diff_box.isVisibleTo(page)
    assert page.isComplete()
    assert database_info(window.db).state_digest == before
    assert elector_count(window) == 0


def test_import_applies_the_register_and_emits_imported(qtbot, wizard, window, monkeypatch) -> None:
    choose(qtbot, wizard, FIXTURES / "xpress.tsv", monkeypatch)
    to_preview(qtbot, wizard)
    with qtbot.waitSignal(wizard.imported, timeout=WAIT) as blocker:
        wizard.next()  # the page's Import button
    report = blocker.args[0]
    assert not report.dry_run
    assert report.electors == 13 and report.households == 10
    assert [r["line"] for r in report.rejected] == [14, 15]
    qtbot.waitUntil(lambda: wizard.currentId() == DONE_PAGE, timeout=WAIT)
    summary = wizard.done_page.summary.text()
    assert "13 electors in 10 households" in summary
    assert "line 14, 15" in summary
    assert elector_count(window) == 13
    assert "Imported the register" in window.statusBar().currentMessage()


def test_a_later_edition_shows_the_difference_first(qtbot, wizard, window, monkeypatch) -> None:
    choose(qtbot, wizard, FIXTURES / "xpress.tsv", monkeypatch)
    to_preview(qtbot, wizard)
    with qtbot.waitSignal(wizard.imported, timeout=WAIT):
        wizard.next()
    later = RegisterImportWizard(window)
    later.open()
    choose(qtbot, later, FIXTURES / "xpress-name.tsv", monkeypatch)
    before = database_info(window.db).state_digest
    report = to_preview(qtbot, later)
    page = later.preview_page
    assert not report.first_import
    assert page.diff_box.isVisibleTo(page)
    assert page.diff_cards["removed"].number.text() == str(report.removed)
    assert report.removed >= 1
    assert "Off the register" in table_column(page.details, 0)
    assert database_info(window.db).state_digest == before
    qtbot.waitUntil(lambda: not later.working, timeout=WAIT)
    later.done(0)


def test_a_failed_preview_says_why_and_offers_to_try_again(qtbot, tmp_path, monkeypatch) -> None:
    db = open_db(str(tmp_path / "no-campaign.db"), create=True)
    win = build_main_window(db, Paths.under(tmp_path / "home"))
    qtbot.addWidget(win)
    wiz = RegisterImportWizard(win)
    wiz.open()
    choose(qtbot, wiz, FIXTURES / "xpress.tsv", monkeypatch)
    report = to_preview(qtbot, wiz)
    assert report is None
    page = wiz.preview_page
    assert "no campaign yet" in page.message.text()
    assert page.retry.isVisibleTo(page)
    assert not page.isComplete()
    wiz.done(0)
    win.live.shutdown()


def test_cancelling_the_import_changes_nothing(qtbot, wizard, window, monkeypatch) -> None:
    choose(qtbot, wizard, FIXTURES / "xpress.tsv", monkeypatch)
    to_preview(qtbot, wizard)
    before = database_info(window.db).state_digest
    gate = threading.Event()
    real = register_wizard.import_register

    def held(*args, **kwargs):
        """The real import, held inside its transaction between two steps."""
        task = real(*args, **kwargs)
        try:
            yield next(task)
            gate.wait(WAIT / 1000)
            yield Progress(0, 0, "Held for the test")
            return (yield from task)
        finally:
            task.close()  # rolls the import's transaction back, in the worker

    def press_cancel(_step) -> None:
        (dialog,) = [
            d
            for d in wizard.findChildren(TaskProgressDialog)
            if d.windowTitle() == "Importing the register"
        ]
        dialog.canceled.emit()  # what its Cancel button sends
        gate.set()

    monkeypatch.setattr(register_wizard, "import_register", held)
    window.tasks.progress.connect(press_cancel)
    with qtbot.waitSignal(window.tasks.cancelled, timeout=WAIT):
        wizard.next()
    window.tasks.progress.disconnect(press_cancel)
    assert wizard.currentId() == PREVIEW_PAGE
    assert "nothing was changed" in wizard.preview_page.message.text()
    assert "nothing was changed" in window.statusBar().currentMessage()
    assert database_info(window.db).state_digest == before
    assert elector_count(window) == 0


def test_a_failed_import_shows_the_message_and_stays(qtbot, wizard, window, monkeypatch) -> None:
    choose(qtbot, wizard, FIXTURES / "xpress.tsv", monkeypatch)
    to_preview(qtbot, wizard)
    # The file disappears between the preview and the import.
    monkeypatch.setattr(wizard.file_page, "path", FIXTURES / "not-there.tsv")
    with qtbot.waitSignal(window.tasks.failed, timeout=WAIT):
        wizard.next()
    assert wizard.currentId() == PREVIEW_PAGE
    boxes = [b for b in wizard.findChildren(QMessageBox) if b.isVisible()]
    assert any("There is no file" in b.informativeText() for b in boxes)
    assert wizard.preview_page.isComplete()  # the person may try again
    for box in boxes:
        box.close()


# -- the column page ------------------------------------------------------------------


def test_an_unrecognised_file_leads_to_the_column_page(
    qtbot, wizard, window, odd_csv, monkeypatch
) -> None:
    choose(qtbot, wizard, odd_csv, monkeypatch)
    page = wizard.file_page
    assert "does not recognise" in page.layout_label.text()
    assert "--mapping" not in page.layout_label.text()
    assert page.nextId() == MAPPING_PAGE
    to_mapping(qtbot, wizard)
    mapping = wizard.mapping_page
    # Start from nothing chosen, then choose column by column.
    mapping.apply(Choice({}, ()))
    assert not mapping.isComplete()
    assert "Still to choose" in mapping.status.text()
    mapping.set_column("number", "Ref")
    mapping.set_column("surname", "Family")
    assert not mapping.isComplete()
    mapping.set_address(["Where"])
    mapping.set_column("postcode", "Post Code")
    assert table_column(mapping.table, 1) == ["AA-1", "AA-2", "AA-3", "AB-1"]
    assert table_column(mapping.table, 2) == ["Samplewick", "Samplewick", "Mockridge", "Nguyễn"]
    mapping.set_column("forenames", "Given")
    assert table_column(mapping.table, 2) == [
        "Ada Samplewick",
        "Tom Samplewick",
        "Isla Mockridge",
        "Minh Nguyễn",
    ]
    assert table_column(mapping.table, 3)[2] == "Flat 2, 16 High Street, Sampleton ZZ1 1AB"
    assert mapping.isComplete()
    assert "4 of the first 4 rows read well" in mapping.status.text()

    report = to_preview(qtbot, wizard)
    assert report.electors == 4 and report.households == 3
    assert report.polling_districts == 2 and report.rejected == []
    with qtbot.waitSignal(wizard.imported, timeout=WAIT) as blocker:
        wizard.next()
    assert blocker.args[0].electors == 4
    assert blocker.args[0].layout == "mapping file"
    assert elector_count(window) == 4


def test_a_row_the_choice_cannot_read_is_shown_as_left_out(
    qtbot, wizard, odd_csv, monkeypatch
) -> None:
    odd_csv.write_text(ODD_CSV + ',Nobody,Noel,"5 Sample Lane",ZZ1 2EF\n', encoding="utf-8")
    choose(qtbot, wizard, odd_csv, monkeypatch)
    to_mapping(qtbot, wizard)
    mapping = wizard.mapping_page
    assert mapping.isComplete()  # the guesses read the file already
    assert mapping.table.item(4, 1).text() == "not read"
    assert "elector number is missing" in mapping.table.item(4, 2).text()
    assert "1 would be left out" in mapping.status.text()


def test_saving_a_mapping_and_choosing_it_again(
    qtbot, wizard, window, odd_csv, monkeypatch
) -> None:
    choose(qtbot, wizard, odd_csv, monkeypatch)
    to_mapping(qtbot, wizard)
    mapping = wizard.mapping_page
    assert not mapping.saved.isEnabled()  # nothing saved yet
    mapping.apply(Choice({}, ()))
    for field, header in (
        ("number", "Ref"),
        ("surname", "Family"),
        ("forenames", "Given"),
        ("postcode", "Post Code"),
    ):
        mapping.set_column(field, header)
    mapping.set_address(["Where"])
    mapping.save_name.setText("Council export")
    with qtbot.waitSignal(mapping.saved_listed, timeout=WAIT):
        mapping.save_button.click()

    saved = window.paths.config_dir / "mappings" / "Council-export.json"
    assert saved.is_file()
    assert json.loads(saved.read_text(encoding="utf-8")) == {
        "address": ["Where"],
        "forenames": "Given",
        "number": "Ref",
        "postcode": "Post Code",
        "surname": "Family",
    }
    assert mapping.saved.isEnabled()
    names = [mapping.saved.itemText(n) for n in range(mapping.saved.count())]
    assert "Council export" in names

    mapping.apply(Choice({}, ()))
    assert not mapping.isComplete()
    with qtbot.waitSignal(mapping.mapping_applied, timeout=WAIT):
        index = names.index("Council export")
        mapping.saved.setCurrentIndex(index)
        mapping.saved.activated.emit(index)
    assert mapping.isComplete()
    assert mapping.combos["surname"].currentData() == 1
    assert mapping.combos["forenames"].currentData() == 2
    assert mapping.address_combos[0].currentData() == 3
    assert table_column(mapping.table, 2)[0] == "Ada Samplewick"


def test_adjusting_a_recognised_layout_starts_from_its_columns(qtbot, wizard, monkeypatch) -> None:
    choose(qtbot, wizard, FIXTURES / "xpress.tsv", monkeypatch)
    wizard.file_page.adjust.setChecked(True)
    to_mapping(qtbot, wizard)
    mapping = wizard.mapping_page
    assert mapping.combos["district"].currentText().startswith("Elector Number Prefix")
    assert mapping.combos["surname"].currentText().startswith("Elector Surname")
    assert [c.currentData() for c in mapping.address_combos] == [8, 9, 10, 11, 12, 13]
    assert table_column(mapping.table, 1)[:2] == ["AA-1", "AA-2"]
    report = to_preview(qtbot, wizard)
    assert report.electors == 13 and report.layout == "mapping file"


# -- the helpers, without widgets -----------------------------------------------------------------


def test_guessing_columns_from_header_words() -> None:
    choice = guess(["Ref", "Family", "Given", "Where", "Post Code"])
    assert choice.columns == {"number": 0, "surname": 1, "forenames": 2, "postcode": 4}
    assert choice.address == (3,)
    lines = guess(["No", "Name", "Addr 2", "Addr 1"])
    assert lines.address == (3, 2)
    rows = preview([["AA-1", "SMITH, John", "", "1 High St"]], lines)
    assert rows[0].problem  # "No" is not recognised as the number


def test_the_wizard_is_closed_only_after_its_task_stops(qtbot, wizard, monkeypatch) -> None:
    choose(qtbot, wizard, FIXTURES / "xpress.tsv", monkeypatch)
    with qtbot.waitSignal(wizard.preview_ready, timeout=WAIT):
        wizard.next()
        wizard.reject()  # while the dry run is under way
        assert wizard.isVisible()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=WAIT)
