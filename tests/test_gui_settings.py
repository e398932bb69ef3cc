"""The Settings screen: the campaign's imprint, and the codes editor (edit, save,
refuse, reset, import and export).

A small demo campaign (synthetic names only) is shown in the real main
window; what is saved is read back through the service.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtWidgets import QFileDialog  # noqa: E402

from canvass.domain import codes  # noqa: E402
from canvass.paths import Paths  # noqa: E402
from canvass.services.campaigns import (  # noqa: E402
    Imprint,
    campaign_imprint,
    current_campaign,
)
from canvass.services.canvassing import CodeBook, Question, code_book  # noqa: E402
from canvass.services.code_sets import read_code_book  # noqa: E402
from canvass.services.databases import open_db  # noqa: E402
from canvass.storage.database import Database  # noqa: E402
from canvass.ui.application import build_main_window  # noqa: E402
from canvass.ui.main_window import MainWindow  # noqa: E402
from canvass.ui.pages.settings_campaign import CampaignEditor  # noqa: E402
from canvass.ui.pages.settings_codes import CodesEditor  # noqa: E402
from canvass.ui.pages.settings_models import (  # noqa: E402
    CODE_HEADERS,
    QUESTION_HEADERS,
    CodeTableModel,
    split_choices,
)
from tests.helpers import close_when_idle, demo_db  # noqa: E402

WAIT = 20_000  # ms: generous, the CI machines are slow and shared


@pytest.fixture
def finish(qtbot) -> Iterator[list[MainWindow]]:
    """Windows a test opened, left with no task running when it ends."""
    windows: list[MainWindow] = []
    yield windows  # each closes itself once idle: see close_when_idle


@pytest.fixture
def demo(tmp_path: Path) -> Database:
    return demo_db(str(tmp_path / "demo.db"), 60)


def show_settings(qtbot, db: Database, tmp_path: Path, finish: list[MainWindow]) -> MainWindow:
    """The main window on ``db``, showing the Settings screen once it has read its sections."""
    win = build_main_window(db, Paths.under(tmp_path / "home"))
    close_when_idle(qtbot, win)
    finish.append(win)
    win.resize(1366, 768)
    with qtbot.waitSignal(win.live.updated, timeout=WAIT):
        win.show()
    names = [win.nav.item(row).text() for row in range(win.nav.count())]
    page = win.settings_page
    with qtbot.waitSignals([page.campaign.loaded, page.codes.loaded], timeout=WAIT):
        win.nav.setCurrentRow(names.index("Settings"))
    return win


def editor_of(win: MainWindow) -> CodesEditor:
    return win.settings_page.codes


def row_of(model: CodeTableModel, code: str) -> int:
    return next(n for n, row in enumerate(model.rows()) if row[0] == code)


def save(qtbot, editor: CodesEditor) -> None:
    with qtbot.waitSignal(editor.saved, timeout=WAIT):
        editor.save_button.click()


# -- showing and saving -------------------------------------------------------------------


def test_settings_replaces_its_coming_soon_page_and_shows_the_codes(
    qtbot, tmp_path, demo, finish
) -> None:
    win = show_settings(qtbot, demo, tmp_path, finish)
    names = [win.nav.item(row).text() for row in range(win.nav.count())]
    assert win.stack.widget(names.index("Settings")) is win.settings_page
    assert "Settings" not in [page.planned.title for page in win.placeholders]
    assert win.settings_page.sections == [win.settings_page.campaign, win.settings_page.codes]
    editor = editor_of(win)
    assert editor.book() == code_book(demo)
    assert editor.tabs.tabText(0) == f"Outcomes ({len(code_book(demo).outcomes)})"
    assert "never changes what was already recorded" in editor.note.text()
    assert not editor.save_button.isEnabled() and not editor.dirty
    assert not win.grab().isNull()


def test_an_edited_label_is_saved(qtbot, tmp_path, demo, finish) -> None:
    win = show_settings(qtbot, demo, tmp_path, finish)
    editor = editor_of(win)
    outcomes = editor.models["outcomes"]
    row = row_of(outcomes, "SPK")
    assert outcomes.setData(outcomes.index(row, 1), "  Spoke to them ")
    assert editor.dirty and editor.save_button.isEnabled()
    assert editor.state.text() == "Unsaved changes"
    save(qtbot, editor)
    assert ("SPK", "Spoke to them") in code_book(demo).outcomes
    assert editor.message.isVisible() and "Saved" in editor.message.text()
    qtbot.waitUntil(lambda: not editor.dirty and not editor.save_button.isEnabled(), timeout=WAIT)


def test_removing_a_required_outcome_shows_the_services_message_and_saves_nothing(
    qtbot, tmp_path, demo, finish
) -> None:
    win = show_settings(qtbot, demo, tmp_path, finish)
    editor = editor_of(win)
    before = code_book(demo)
    tab = editor.pages["outcomes"]
    tab.select_row(row_of(tab.model, "SPK"))
    assert tab.remove_button.isEnabled()
    tab.remove_button.click()
    assert "SPK" not in [code for code, _ in editor.book().outcomes]
    assert editor.tabs.tabText(0) == f"Outcomes ({len(before.outcomes) - 1})"
    with qtbot.waitSignal(editor.save_failed, timeout=WAIT) as blocker:
        editor.save_button.click()
    assert "SPK" in blocker.args[0]
    assert editor.message.isVisible()
    assert editor.message.text() == f"Not saved: {blocker.args[0]}"
    assert code_book(demo) == before
    assert editor.dirty  # the person's edits are still there to fix
    editor.discard_button.click()
    assert editor.book() == before and not editor.dirty


def test_a_bad_code_is_refused_inline(qtbot, tmp_path, demo, finish) -> None:
    win = show_settings(qtbot, demo, tmp_path, finish)
    editor = editor_of(win)
    before = code_book(demo)
    tab = editor.pages["flags"]
    editor.tabs.setCurrentWidget(tab)
    tab.select_row(0)
    tab.add_button.click()
    assert tab.current_row() == 1
    tab.model.setData(tab.model.index(1, 0), "toolong")
    tab.model.setData(tab.model.index(1, 1), "Too long a code")
    assert tab.model.rows()[1] == ("TOOLONG", "Too long a code")  # kept in capitals
    with qtbot.waitSignal(editor.save_failed, timeout=WAIT) as blocker:
        editor.save_button.click()
    assert "TOOLONG" in blocker.args[0]
    assert code_book(demo) == before


def test_rows_are_added_moved_and_questions_saved(qtbot, tmp_path, demo, finish) -> None:
    win = show_settings(qtbot, demo, tmp_path, finish)
    editor = editor_of(win)
    tab = editor.pages["intentions"]
    first = tab.model.rows()[0]
    tab.select_row(0)
    assert not tab.up_button.isEnabled() and tab.down_button.isEnabled()
    tab.down_button.click()
    assert tab.model.rows()[1] == first and tab.current_row() == 1
    tab.up_button.click()
    assert tab.model.rows()[0] == first and tab.current_row() == 0

    questions = editor.pages["questions"]
    before = len(questions.model.rows())
    questions.add_button.click()
    row = questions.current_row()
    for column, value in enumerate(("park", "Do you use the park?", "Daily, weekly , ,never")):
        questions.model.setData(questions.model.index(row, column), value)
    save(qtbot, editor)
    saved = code_book(demo).questions
    assert len(saved) == before + 1
    assert Question("PARK", "Do you use the park?", ("Daily", "weekly", "never")) in saved


def test_reset_to_defaults_fills_the_default_codes_and_saves_them(
    qtbot, tmp_path, demo, finish
) -> None:
    win = show_settings(qtbot, demo, tmp_path, finish)
    editor = editor_of(win)
    flags = editor.models["flags"]
    flags.setData(flags.index(0, 1), "Window poster")
    save(qtbot, editor)
    assert code_book(demo).flags[0][1] == "Window poster"
    questions = code_book(demo).questions
    editor.reset_button.click()
    assert editor.book().flags == codes.FLAGS
    assert "press Save" in editor.message.text()
    save(qtbot, editor)
    book = code_book(demo)
    assert (book.outcomes, book.intentions, book.flags) == (
        codes.OUTCOMES,
        codes.INTENTIONS,
        codes.FLAGS,
    )
    assert book.questions == questions  # kept


# -- the campaign and its imprint ---------------------------------------------------------


def campaign_of(win: MainWindow) -> CampaignEditor:
    return win.settings_page.campaign


def fill(qtbot, editor: CampaignEditor, imprint: Imprint) -> None:
    """Type ``imprint`` into the fields, as a person would (the address a part a line)."""
    for edit in (editor.promoter, editor.on_behalf_of, editor.printer):
        edit.clear()
    editor.address.clear()
    qtbot.keyClicks(editor.promoter, imprint.promoter)
    qtbot.keyClicks(editor.on_behalf_of, imprint.on_behalf_of)
    editor.address.setPlainText(imprint.address.replace(", ", "\n"))
    qtbot.keyClicks(editor.printer, imprint.printer)


NEW_IMPRINT = Imprint(
    "B. Sampleford",
    "Exampleton Green Spaces (demo)",
    "2 Test Lane, Exampleton, ZZ1 2BB",
    "Demo Print Co, 3 Press Row, Exampleton",
)


def test_the_imprint_is_shown_filled_in_and_saved(qtbot, tmp_path, demo, finish) -> None:
    win = show_settings(qtbot, demo, tmp_path, finish)
    editor = campaign_of(win)
    assert editor.has_campaign and editor.buttons.isVisible()
    with demo.read() as session:
        name = current_campaign(session).name  # type: ignore[union-attr]
    assert name and editor.campaign_name.text() == name  # shown, not editable
    assert editor.imprint() == campaign_imprint(demo)
    assert editor.address.toPlainText() == "1 Sample Road\nExampleton ZZ1 1AA"  # a part a line
    assert not editor.save_button.isEnabled() and not editor.dirty

    fill(qtbot, editor, NEW_IMPRINT)
    assert editor.dirty and editor.state.text() == "Unsaved changes"
    with qtbot.waitSignal(editor.saved, timeout=WAIT):
        editor.save_button.click()
    assert campaign_imprint(demo) == NEW_IMPRINT
    assert "Saved" in editor.message.text()
    qtbot.waitUntil(lambda: not editor.dirty and not editor.save_button.isEnabled(), timeout=WAIT)
    assert editor.address.toPlainText() == "2 Test Lane\nExampleton\nZZ1 2BB"


def test_a_missing_address_shows_the_services_message_and_saves_nothing(
    qtbot, tmp_path, demo, finish
) -> None:
    win = show_settings(qtbot, demo, tmp_path, finish)
    editor = campaign_of(win)
    before = campaign_imprint(demo)
    editor.address.setPlainText("  \n ")
    with qtbot.waitSignal(editor.save_failed, timeout=WAIT) as blocker:
        editor.save_button.click()
    assert "the promoter's address" in blocker.args[0]
    assert editor.message.isVisible()
    assert editor.message.text() == f"Not saved: {blocker.args[0]}"
    assert "#A8322A" in editor.message.styleSheet()  # in red
    assert campaign_imprint(demo) == before
    assert editor.dirty and editor.address.toPlainText() == "  \n "  # left to fix
    editor.discard_button.click()
    assert editor.imprint() == before and not editor.dirty
    assert not editor.message.isVisible()


def test_the_preview_line_follows_the_typing(qtbot, tmp_path, demo, finish) -> None:
    win = show_settings(qtbot, demo, tmp_path, finish)
    editor = campaign_of(win)
    assert editor.preview.text() == (
        "Promoted by A. Testwell on behalf of Exampleton Residents' Association (demo), "
        "1 Sample Road, Exampleton ZZ1 1AA."
    )
    editor.promoter.clear()
    assert "Fill in the promoter's name" in editor.preview.text()
    qtbot.keyClicks(editor.promoter, "C. Demo")
    assert editor.preview.text().startswith("Promoted by C. Demo on behalf of Exampleton")
    editor.address.setPlainText("9 Mock Street,\n\nExampleton  ZZ9 9ZZ\n")
    assert "9 Mock Street, Exampleton ZZ9 9ZZ." in editor.preview.text()
    qtbot.keyClicks(editor.printer, "Demo Print Co")
    assert editor.preview.text().endswith("ZZ9 9ZZ. Printed by Demo Print Co.")


def test_no_campaign_shows_the_empty_state(qtbot, tmp_path, finish) -> None:
    empty = open_db(str(tmp_path / "empty.db"), create=True)
    win = show_settings(qtbot, empty, tmp_path, finish)
    editor = campaign_of(win)
    assert not editor.has_campaign
    assert editor.empty.isVisible() and not editor.form.isVisible()
    assert "no campaign yet" in editor.empty.text()
    assert not editor.buttons.isVisible()


# -- the code file ------------------------------------------------------------------------


def test_export_and_import_round_trip(qtbot, tmp_path, demo, finish, monkeypatch) -> None:
    win = show_settings(qtbot, demo, tmp_path, finish)
    editor = editor_of(win)
    original = code_book(demo)
    target = tmp_path / "shared" / "codes"
    target.parent.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "canvass code files")
    )
    with qtbot.waitSignal(editor.exported, timeout=WAIT) as blocker:
        editor.export_button.click()
    written = blocker.args[0]
    assert written == target.with_suffix(".json")
    assert json.loads(written.read_text(encoding="utf-8"))["format"] == "canvass-codes/1"
    assert read_code_book(written) == original

    # Change the codes and save; then bring the shared file back in.
    intentions = editor.models["intentions"]
    intentions.setData(intentions.index(0, 1), "Strong supporter")
    save(qtbot, editor)
    assert code_book(demo) != original
    qtbot.waitUntil(lambda: not win.reads.busy and not win.tasks.busy, timeout=WAIT)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(written), ""))
    with qtbot.waitSignal(editor.imported, timeout=WAIT):
        editor.import_button.click()
    assert editor.book() == original
    assert editor.dirty  # imported codes wait for Save
    assert written.name in editor.message.text()
    save(qtbot, editor)
    assert code_book(demo) == original


def test_export_asks_to_save_first_and_a_bad_file_is_not_imported(
    qtbot, tmp_path, demo, finish, monkeypatch
) -> None:
    win = show_settings(qtbot, demo, tmp_path, finish)
    editor = editor_of(win)
    asked: list[object] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: asked.append(a) or ("", ""))
    outcomes = editor.models["outcomes"]
    outcomes.setData(outcomes.index(0, 1), "Out")
    editor.export_button.click()
    assert not asked  # nothing to choose: the edits are not saved yet
    assert "Save or discard your changes first" in editor.message.text()

    bad = tmp_path / "not-codes.json"
    bad.write_text('{"format": "something else"}', encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    with qtbot.waitSignal(win.tasks.ended, timeout=WAIT):
        editor.import_button.click()
    assert editor.message.text().startswith("Not imported:")
    assert "not a canvass code file" in editor.message.text()
    assert editor.models["outcomes"].rows()[0][1] == "Out"  # the tables are untouched


def test_switching_database_shows_the_new_ones_codes(qtbot, tmp_path, demo, finish) -> None:
    win = show_settings(qtbot, demo, tmp_path, finish)
    editor = editor_of(win)
    outcomes = editor.models["outcomes"]
    outcomes.setData(outcomes.index(0, 1), "Unsaved edit")
    other = demo_db(str(tmp_path / "other.db"), 30, seed=5)
    with qtbot.waitSignal(editor.loaded, timeout=WAIT):
        win.switch_database(other)
        win.nav.setCurrentRow(win.stack.indexOf(win.settings_page))
    assert editor.book() == code_book(other)
    assert not editor.dirty


# -- the model ----------------------------------------------------------------------------


def test_code_table_model(qtmodeltester) -> None:
    model = CodeTableModel(CODE_HEADERS)
    model.set_codes(codes.OUTCOMES)
    qtmodeltester.check(model)
    assert model.codes() == codes.OUTCOMES
    assert model.add_row() == len(codes.OUTCOMES)
    assert model.codes() == codes.OUTCOMES  # an empty row is left out
    assert model.move_row(0, -1) == 0  # the first cannot go up
    assert model.move_row(0, 1) == 1
    assert model.codes()[:2] == (codes.OUTCOMES[1], codes.OUTCOMES[0])
    assert model.removeRows(0, 2)
    assert not model.removeRows(0, 99)
    qtmodeltester.check(model)

    questions = CodeTableModel(QUESTION_HEADERS)
    book = CodeBook((), (), (), (Question("Q1", "Ask?", ("Yes", "No")),))
    questions.set_questions(book.questions)
    qtmodeltester.check(questions)
    assert questions.questions() == book.questions
    assert questions.data(questions.index(0, 2)) == "Yes, No"
    assert split_choices(" a, ,b ,") == ("a", "b")
