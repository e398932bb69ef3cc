"""The Sync screen: this device, export, merge (dialog and drop), conflicts and devices.

Two real databases play a coordinator's laptop (a small demo campaign) and a
canvasser's laptop (empty until it merges); they enrol each other through the
services, and the page does the rest as a person would.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import time  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDragEnterEvent, QDropEvent  # noqa: E402
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox  # noqa: E402
from sqlalchemy import select  # noqa: E402

from canvass.domain.progress import run_to_end  # noqa: E402
from canvass.paths import Paths  # noqa: E402
from canvass.services import exchange, keys  # noqa: E402
from canvass.services.campaigns import current_campaign  # noqa: E402
from canvass.services.conflicts import list_conflicts  # noqa: E402
from canvass.services.databases import open_db  # noqa: E402
from canvass.services.merge_files import MergeReport, merge_files  # noqa: E402
from canvass.services.oplog import OpWriter  # noqa: E402
from canvass.services.walk_lists import create_walk_list  # noqa: E402
from canvass.storage.database import Database  # noqa: E402
from canvass.storage.tables import Elector  # noqa: E402
from canvass.ui.application import build_main_window  # noqa: E402
from canvass.ui.main_window import MainWindow  # noqa: E402
from canvass.ui.pages.sync_common import value_text  # noqa: E402
from canvass.ui.pages.sync_devices import DeviceTableModel  # noqa: E402
from canvass.ui.pages.sync_enrol import QUESTION  # noqa: E402
from canvass.ui.pages.sync_page import SyncPage, dropped_files  # noqa: E402
from canvass.ui.pages.sync_recovery import DEFAULT_NAME, RecoveryKeyMade  # noqa: E402
from canvass.ui.pages.sync_reports import MergeReportModel, ReportColumn  # noqa: E402
from tests.helpers import close_when_idle, demo_db  # noqa: E402

WAIT = 20_000  # ms: generous, the CI machines are slow and shared
DAY_MS = 24 * 60 * 60 * 1000


# -- two laptops --------------------------------------------------------------------------


def enrol_file(db: Database, path: Path, other: Database, role: str | None = None) -> None:
    """``other`` enrols the device of ``db`` (its fingerprint taken as read aloud)."""
    keys.write_enrolment_file(db, path)
    keys.enrol(other, keys.read_enrolment_file(path), role=role)


@pytest.fixture
def laptops(tmp_path: Path) -> Iterator[tuple[Database, Database]]:
    """A coordinator's demo campaign and a canvasser's empty laptop, enrolled both ways."""
    office = demo_db(str(tmp_path / "office.db"), electors=60)
    laptop = open_db(str(tmp_path / "laptop.db"), create=True)
    enrol_file(office, tmp_path / "office.json", laptop, role="coordinator")
    enrol_file(laptop, tmp_path / "laptop.json", office)
    yield office, laptop
    for db in (office, laptop):
        db.close()  # closing twice is harmless; the window closes the one it shows


def show_sync(qtbot, db: Database, tmp_path: Path) -> MainWindow:
    """The main window on ``db``, showing the Sync screen once it has read its data."""
    win = build_main_window(db, Paths.under(tmp_path / "home"))
    close_when_idle(qtbot, win)
    with qtbot.waitSignal(win.live.updated, timeout=WAIT):
        win.show()
    names = [win.nav.item(row).text() for row in range(win.nav.count())]
    with qtbot.waitSignal(win.sync_page.loaded, timeout=WAIT):
        win.nav.setCurrentRow(names.index("Sync"))
    return win


def idle(qtbot, win: MainWindow) -> None:
    qtbot.waitUntil(lambda: not win.tasks.busy and not win.reads.busy, timeout=WAIT)


@pytest.fixture
def finish(qtbot) -> Iterator[list[MainWindow]]:
    """Windows a test opened, left with no task running when it ends."""
    windows: list[MainWindow] = []
    yield windows  # each closes itself once idle: see close_when_idle


def first_elector(db: Database) -> str:
    with db.read() as session:
        found = session.scalars(select(Elector.id).order_by(Elector.id)).first()
    assert found is not None
    return found


def set_surname(db: Database, elector_id: str, surname: str, *, ahead_ms: int = 0) -> None:
    """Edit one field on ``db``; ``ahead_ms`` puts the laptop's clock wrong by that much."""
    wall = (lambda: int(time.time() * 1000) + ahead_ms) if ahead_ms else None
    with db.write() as session:
        writer = OpWriter.local(session, wall=wall) if wall else OpWriter.local(session)
        writer.set("elector", elector_id, "surname", surname)
        writer.flush()


def surname_of(db: Database, elector_id: str) -> str:
    with db.read() as session:
        elector = session.get(Elector, elector_id)
        assert elector is not None
        return elector.surname


def give_laptop_the_campaign(office: Database, laptop: Database, folder: Path) -> None:
    sent = exchange.export_file(office, folder, to=[keys.this_device(laptop).id])
    assert run_to_end(merge_files(laptop, [sent.path]))[0].status == "merged"


def merge_through_page(qtbot, page: SyncPage, monkeypatch, paths: list[Path]):
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(p) for p in paths], "")
    )
    with qtbot.waitSignal(page.merge.merged, timeout=WAIT) as blocker:
        page.merge.choose_button.click()
    return blocker.args[0]


def result_of(page: SyncPage, row: int) -> str:
    model = page.merge.model
    return model.data(model.index(row, ReportColumn.RESULT))


# -- the screen and this device -----------------------------------------------------------


def test_sync_replaces_its_coming_soon_page(qtbot, tmp_path, laptops, finish) -> None:
    office, _laptop = laptops
    win = show_sync(qtbot, office, tmp_path)
    finish.append(win)
    names = [win.nav.item(row).text() for row in range(win.nav.count())]
    assert names[names.index("Print") + 1] == "Sync"
    assert win.stack.widget(names.index("Sync")) is win.sync_page
    assert "Sync" not in [page.planned.title for page in win.placeholders]
    page = win.sync_page
    assert [page.tabs.tabText(n) for n in range(page.tabs.count())] == [
        "Merge files",
        "Export a file",
        "Conflicts",
        "Devices",
    ]


def test_this_device_shows_its_fingerprint_and_saves_its_enrolment_file(
    qtbot, tmp_path, monkeypatch, finish
) -> None:
    db = open_db(str(tmp_path / "fresh.db"), create=True)  # has made no change yet
    win = show_sync(qtbot, db, tmp_path)
    finish.append(win)
    page = win.sync_page
    me = keys.this_device(db)
    assert page.fingerprint.text() == me.fingerprint
    assert page.device_name.text() == me.name
    assert page.device_role.text() == "Canvasser"
    out = tmp_path / "my-laptop-enrolment.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    with qtbot.waitSignal(page.enrolment_saved, timeout=WAIT):
        page.save_enrolment_button.click()
    assert keys.read_enrolment_file(out).fingerprint == me.fingerprint
    assert me.fingerprint in page.enrolment_note.text()
    assert page.enrolment_note.isVisibleTo(page)


def test_the_page_follows_a_database_change(qtbot, tmp_path, laptops, finish) -> None:
    office, _laptop = laptops
    win = show_sync(qtbot, office, tmp_path)
    finish.append(win)
    before = win.sync_page.fingerprint.text()
    other = open_db(str(tmp_path / "other.db"), create=True)  # its device made no change yet
    win.switch_database(other)
    assert win.sync_page.data is None  # forgotten; read when the page shows again
    sync_row = [win.nav.item(n).text() for n in range(win.nav.count())].index("Sync")
    with qtbot.waitSignal(win.sync_page.loaded, timeout=WAIT):
        win.nav.setCurrentRow(sync_row)
    idle(qtbot, win)
    shown = win.sync_page.fingerprint.text()
    assert shown != before and shown == keys.this_device(other).fingerprint


def test_renaming_this_device_shows_everywhere(
    qtbot, tmp_path, monkeypatch, laptops, finish
) -> None:
    office, _laptop = laptops
    before = keys.this_device(office).name
    win = show_sync(qtbot, office, tmp_path)
    finish.append(win)
    page = win.sync_page
    asked: list[tuple] = []

    def get_text(*args, **kwargs):
        asked.append(args)
        return "Ada's laptop", True

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    with qtbot.waitSignal(page.renamed, timeout=WAIT) as blocker:
        page.rename_button.click()
    assert blocker.args[0].name == "Ada's laptop"
    _parent, _title, text, _echo, prefilled = asked[0]
    assert "merge reports" in text and "Ada's laptop" in text
    assert prefilled == before
    me = keys.this_device(office)
    assert me.name == "Ada's laptop"
    assert page.device_name.toolTip() == "Ada's laptop"
    win.resize(1200, 800)  # room for the whole name (a narrow window cuts it short)
    assert page.device_name.text() == "Ada's laptop"
    win.resize(760, 540)
    assert page.device_name.text().startswith("Ada") and page.device_name.text().endswith("…")
    assert page.fingerprint.text() == me.fingerprint
    devices = page.devices
    qtbot.waitUntil(
        lambda: devices.model.device(devices.model.row_of(me.id)).name == "Ada's laptop",
        timeout=WAIT,
    )
    assert not page.device_error.isVisibleTo(page)


def test_an_empty_name_is_refused_and_changes_nothing(
    qtbot, tmp_path, monkeypatch, laptops, finish
) -> None:
    office, _laptop = laptops
    before = keys.this_device(office).name
    win = show_sync(qtbot, office, tmp_path)
    finish.append(win)
    page = win.sync_page
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("   ", True))
    with qtbot.waitSignal(win.tasks.failed, timeout=WAIT) as blocker:
        page.rename_button.click()
    idle(qtbot, win)  # the page reads again after the task: the message must stay
    assert blocker.args[0] in page.device_error.text()
    assert "1 to 200 characters" in page.device_error.text()
    assert page.device_error.isVisibleTo(page)
    assert keys.this_device(office).name == before
    assert page.device_name.text() == before
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", False))  # Cancel
    page.rename_button.click()
    assert not win.tasks.busy


# -- export ------------------------------------------------------------------------------


def test_a_canvasser_exports_to_the_coordinator(
    qtbot, tmp_path, monkeypatch, laptops, finish
) -> None:
    office, laptop = laptops
    coordinator = keys.this_device(office)
    win = show_sync(qtbot, laptop, tmp_path)
    finish.append(win)
    export = win.sync_page.export
    assert export.to_coordinators.isChecked()  # a canvasser sends back to the office
    assert coordinator.fingerprint in export.coordinators_caption.text()
    stick = tmp_path / "stick"
    stick.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(stick))
    export.folder_button.click()
    assert export.folder_edit.text() == str(stick)
    with qtbot.waitSignal(export.exported, timeout=WAIT) as blocker:
        export.export_button.click()
    result = blocker.args[0]
    assert result.path.parent == stick and result.path.suffix == ".canvass"
    assert export.result_title.text() == f"Saved {result.path.name}"
    assert f"Can be opened by {coordinator.name}" in export.result_text.text()
    assert "everything on this laptop" in export.result_text.text()
    assert "delete it from the USB stick" in export.reminder.text()
    assert export.result_panel.isVisibleTo(export)
    assert run_to_end(merge_files(office, [result.path]))[0].status == "merged"


def test_a_coordinator_exports_an_assignment_with_a_passphrase(
    qtbot, tmp_path, laptops, finish
) -> None:
    office, _laptop = laptops
    create_walk_list(office, "Testington Road round", districts=["NA"], canvasser="Testington")
    win = show_sync(qtbot, office, tmp_path)
    finish.append(win)
    export = win.sync_page.export
    assert export.to_devices.isChecked()  # a coordinator mostly sends to canvassers
    export.generate_button.click()
    phrase = export.passphrase.text()
    assert export.to_passphrase.isChecked() and len(phrase.split("-")) == 6
    assert export.passphrase_row.isVisibleTo(export)
    export.one_list.setChecked(True)
    assert export.list_combo.currentText().startswith("Testington Road round")
    export.folder_edit.setText(str(tmp_path))
    with qtbot.waitSignal(export.exported, timeout=WAIT) as blocker:
        export.export_button.click()
    result = blocker.args[0]
    assert result.scope == "walk list Testington Road round"
    assert "anyone with the passphrase" in export.result_text.text()
    newcomer = open_db(str(tmp_path / "newcomer.db"), create=True)
    try:
        report = run_to_end(merge_files(newcomer, [result.path], passphrase=phrase))[0]
    finally:
        newcomer.close()
    assert report.status == "merged" and report.scope == result.scope


def test_export_says_what_is_missing(qtbot, tmp_path, laptops, finish) -> None:
    office, _laptop = laptops
    win = show_sync(qtbot, office, tmp_path)
    finish.append(win)
    export = win.sync_page.export
    export.to_devices.setChecked(True)
    export.export_button.click()
    assert export.message.text() == "Tick at least one device to make the file for."
    export.to_passphrase.setChecked(True)
    export.export_button.click()
    assert "passphrase" in export.message.text()
    export.to_coordinators.setChecked(True)  # the office is the only coordinator
    export.folder_edit.setText(str(tmp_path / "no-such-folder"))
    with qtbot.waitSignal(win.tasks.ended, timeout=WAIT):
        export.export_button.click()
    idle(qtbot, win)  # the page reads again after every task: the message must stay
    assert "There is no folder" in export.message.text()
    assert export.message.isVisibleTo(export)
    assert not (tmp_path / "no-such-folder").exists()
    export.folder_edit.setText(str(tmp_path))
    with qtbot.waitSignal(win.tasks.ended, timeout=WAIT):
        export.export_button.click()
    assert export.message.text().startswith("There is no one to make the file for yet")
    assert "--to" not in export.message.text()


# -- merge --------------------------------------------------------------------------------


def test_merging_files_reports_each_one(qtbot, tmp_path, monkeypatch, laptops, finish) -> None:
    office, laptop = laptops
    sent = exchange.export_file(office, tmp_path, to=[keys.this_device(laptop).id])
    junk = tmp_path / "holiday-photos.canvass"
    junk.write_bytes(b"not an exchange file")
    win = show_sync(qtbot, laptop, tmp_path)
    finish.append(win)
    page = win.sync_page
    reports = merge_through_page(qtbot, page, monkeypatch, [sent.path, junk])
    assert [r.status for r in reports] == ["merged", "refused"]
    model = page.merge.model
    assert model.rowCount() == 2
    assert model.data(model.index(0, ReportColumn.FILE)) == sent.path.name
    assert result_of(page, 0) == "Merged"
    assert int(model.data(model.index(0, ReportColumn.NEW)).replace(",", "")) == reports[0].new
    assert reports[0].new > 0 and reports[0].records_created > 0
    assert result_of(page, 1) == "Refused"
    assert model.data(model.index(1, ReportColumn.NEW)) == ""
    # The refused file is the one shown first, with its reason in plain words.
    assert page.merge.table.currentIndex().row() == 1
    assert "not a canvass exchange file" in page.merge.detail.text()
    assert not page.merge.anyway_button.isVisibleTo(page)
    assert page.merge.summary.text().startswith("1 file merged, 1 refused")
    assert "delete it from the USB stick" in page.merge.reminder.text()

    again = merge_through_page(qtbot, page, monkeypatch, [sent.path])
    assert again[0].status == "already imported"
    assert result_of(page, 0) == "Already merged"
    assert "merging it again changes nothing" in page.merge.detail.text()


def test_dropping_files_on_the_screen_merges_them(qtbot, tmp_path, laptops, finish) -> None:
    office, laptop = laptops
    sent = exchange.export_file(office, tmp_path, to=[keys.this_device(laptop).id])
    win = show_sync(qtbot, laptop, tmp_path)
    finish.append(win)
    page = win.sync_page
    page.tabs.setCurrentWidget(page.devices)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(sent.path))])
    copy, left = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton
    enter = QDragEnterEvent(QPoint(20, 20), copy, mime, left, Qt.KeyboardModifier.NoModifier)
    page.dragEnterEvent(enter)
    assert enter.isAccepted()
    assert page.merge.drop_zone.property("active") == "true"
    drop = QDropEvent(QPointF(20, 20), copy, mime, left, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(page.merge.merged, timeout=WAIT) as blocker:
        page.dropEvent(drop)
    assert blocker.args[0][0].status == "merged"
    assert page.tabs.currentWidget() is page.merge
    assert result_of(page, 0) == "Merged"
    assert page.merge.drop_zone.property("active") == "false"

    text = QMimeData()
    text.setText("just words")
    assert dropped_files(text) == []
    folder = QMimeData()
    folder.setUrls([QUrl.fromLocalFile(str(tmp_path))])
    assert dropped_files(folder) == []


def test_check_only_changes_nothing(qtbot, tmp_path, monkeypatch, laptops, finish) -> None:
    office, laptop = laptops
    sent = exchange.export_file(office, tmp_path, to=[keys.this_device(laptop).id])
    win = show_sync(qtbot, laptop, tmp_path)
    finish.append(win)
    page = win.sync_page
    page.merge.dry_run.setChecked(True)
    reports = merge_through_page(qtbot, page, monkeypatch, [sent.path])
    assert reports[0].status == "would merge" and reports[0].new > 0
    assert result_of(page, 0) == "Would merge"
    assert "Check only: nothing was changed." in page.merge.summary.text()
    page.merge.dry_run.setChecked(False)
    reports = merge_through_page(qtbot, page, monkeypatch, [sent.path])
    assert reports[0].status == "merged"  # the check had recorded nothing


def test_a_passphrase_file_asks_for_its_passphrase(
    qtbot, tmp_path, monkeypatch, laptops, finish
) -> None:
    office, _laptop = laptops
    sent = exchange.export_file(office, tmp_path, passphrase="testington-sample-words")
    newcomer = open_db(str(tmp_path / "newcomer.db"), create=True)
    win = show_sync(qtbot, newcomer, tmp_path)
    finish.append(win)
    merge = win.sync_page.merge
    reports = merge_through_page(qtbot, win.sync_page, monkeypatch, [sent.path])
    assert reports[0].reason == "needs-passphrase"
    assert "Tick “Protected by a passphrase”" in merge.detail.text()
    assert "--passphrase-file" not in merge.detail.text()
    merge.use_passphrase.setChecked(True)
    assert merge.merge_paths([sent.path]) is None  # no passphrase typed yet
    assert "Type the passphrase" in merge.message.text()
    merge.passphrase.setText("testington-sample-words")
    reports = merge_through_page(qtbot, win.sync_page, monkeypatch, [sent.path])
    assert reports[0].status == "merged"


def test_a_file_refused_for_its_clock_can_be_merged_anyway(
    qtbot, tmp_path, monkeypatch, laptops, finish
) -> None:
    office, laptop = laptops
    give_laptop_the_campaign(office, laptop, tmp_path)
    elector = first_elector(office)
    set_surname(laptop, elector, "Testington", ahead_ms=3 * DAY_MS)
    back = exchange.export_file(laptop, tmp_path)
    win = show_sync(qtbot, office, tmp_path)
    finish.append(win)
    merge = win.sync_page.merge
    reports = merge_through_page(qtbot, win.sync_page, monkeypatch, [back.path])
    assert reports[0].status == "refused" and reports[0].reason == "clock"
    assert merge.anyway_button.isVisibleTo(merge)
    assert "Merge anyway" in merge.detail.text() and "--accept-clock" not in merge.detail.text()
    assert surname_of(office, elector) != "Testington"
    with qtbot.waitSignal(merge.merged, timeout=WAIT) as blocker:
        merge.anyway_button.click()
    assert blocker.args[0][0].status == "merged"
    assert result_of(win.sync_page, 0) == "Merged"
    assert merge.model.rowCount() == 1
    assert not merge.anyway_button.isVisibleTo(merge)
    assert surname_of(office, elector) == "Testington"


# -- conflicts ----------------------------------------------------------------------------


def test_a_conflict_is_listed_and_settled(qtbot, tmp_path, laptops, finish) -> None:
    office, laptop = laptops
    give_laptop_the_campaign(office, laptop, tmp_path)
    elector = first_elector(office)
    set_surname(office, elector, "Testington")
    set_surname(laptop, elector, "Samplewell")
    back = exchange.export_file(laptop, tmp_path)
    assert run_to_end(merge_files(office, [back.path]))[0].conflicts == 1
    win = show_sync(qtbot, office, tmp_path)
    finish.append(win)
    page = win.sync_page
    conflicts = page.conflicts
    assert page.conflict_badge.text() == "1" and page.conflict_badge.isVisibleTo(page)
    page.tabs.setCurrentWidget(conflicts)
    assert conflicts.list.count() == 1
    assert "surname" in conflicts.list.item(0).text()
    assert conflicts.field.text() == "Field: surname"
    options = [button.text() for button in conflicts.choices]
    assert len(options) == 2
    assert any(o.startswith(value_text("Testington")) for o in options)
    assert any(o.startswith(value_text("Samplewell")) for o in options)
    assert not conflicts.keep_button.isEnabled()  # nothing chosen yet
    conflicts.pick(next(n for n, o in enumerate(options) if "Testington" in o))
    assert conflicts.keep_button.isEnabled()
    with qtbot.waitSignal(conflicts.resolved, timeout=WAIT):
        conflicts.keep_button.click()
    qtbot.waitUntil(lambda: page.conflict_count == 0 and not win.reads.busy, timeout=WAIT)
    assert conflicts.list.count() == 0
    assert conflicts.empty.isVisibleTo(page)
    assert not page.conflict_badge.isVisibleTo(page)
    assert list_conflicts(office) == []
    assert surname_of(office, elector) == "Testington"


# -- devices -----------------------------------------------------------------------------


def test_enrolling_a_device_shows_its_fingerprint_first(
    qtbot, tmp_path, monkeypatch, finish
) -> None:
    office = demo_db(str(tmp_path / "office.db"), electors=30)
    laptop = open_db(str(tmp_path / "laptop.db"), create=True)
    keys.write_enrolment_file(laptop, tmp_path / "laptop.json")
    expected = keys.this_device(laptop)
    laptop.close()
    win = show_sync(qtbot, office, tmp_path)
    finish.append(win)
    devices = win.sync_page.devices
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a, **k: (str(tmp_path / "laptop.json"), "")
    )
    devices.enrol_button.click()
    qtbot.waitUntil(lambda: devices.dialog is not None, timeout=WAIT)
    dialog = devices.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.fingerprint.text() == expected.fingerprint
    assert dialog.question.text() == QUESTION == "Does the device show the same fingerprint?"
    assert dialog.role.currentData() == "canvasser"
    dialog.role.setCurrentIndex(dialog.role.findData("coordinator"))
    with qtbot.waitSignal(devices.enrolled, timeout=WAIT) as blocker:
        dialog.yes_button.click()
    assert blocker.args[0].role == "coordinator" and blocker.args[0].enrolled
    qtbot.waitUntil(lambda: devices.model.row_of(expected.id) >= 0, timeout=WAIT)
    row = devices.model.row_of(expected.id)
    assert devices.model.device(row).status == "enrolled"
    assert expected.fingerprint in win.sync_page.export.coordinators_caption.text()


def test_saying_no_enrols_nothing_and_a_wrong_file_is_explained(
    qtbot, tmp_path, monkeypatch, laptops, finish
) -> None:
    office, _laptop = laptops
    stranger = open_db(str(tmp_path / "stranger.db"), create=True)
    keys.write_enrolment_file(stranger, tmp_path / "stranger.json")
    stranger.close()
    win = show_sync(qtbot, office, tmp_path)
    finish.append(win)
    devices = win.sync_page.devices
    before = devices.model.rowCount()
    dialog = devices.confirm_enrolment(keys.read_enrolment_file(tmp_path / "stranger.json"))
    dialog.no_button.click()
    idle(qtbot, win)
    assert devices.model.rowCount() == before
    assert not win.tasks.busy

    wrong = tmp_path / "notes.json"
    wrong.write_text('{"shopping": ["bread"]}', encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(wrong), ""))
    with qtbot.waitSignal(win.tasks.failed, timeout=WAIT):
        devices.enrol_button.click()
    boxes = win.findChildren(QMessageBox)
    assert any("not a canvass enrolment file" in box.informativeText() for box in boxes)
    assert devices.dialog is None


def test_revoking_warns_that_it_cannot_be_undone(qtbot, tmp_path, laptops, finish) -> None:
    office, laptop = laptops
    target = keys.this_device(laptop)
    win = show_sync(qtbot, office, tmp_path)
    finish.append(win)
    devices = win.sync_page.devices
    devices.select(keys.this_device(office).id)
    assert not devices.revoke_button.isEnabled()  # never this device
    devices.select(target.id)
    assert devices.revoke_button.isEnabled()
    box = devices.ask_revoke()
    assert box is not None and "cannot be undone" in box.informativeText()
    assert target.name in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert not win.tasks.busy
    box = devices.ask_revoke()
    assert box is not None
    with qtbot.waitSignal(devices.revoked, timeout=WAIT):
        devices.confirm_revoke_button.click()
    qtbot.waitUntil(
        lambda: devices.model.device(devices.model.row_of(target.id)).status == "revoked",
        timeout=WAIT,
    )
    devices.select(target.id)
    assert not devices.revoke_button.isEnabled()
    assert target.id not in [d.id for d in win.sync_page.data.others]


def recovery_recipient(db: Database) -> str:
    with db.read() as session:
        campaign = current_campaign(session)
        assert campaign is not None
        return campaign.recovery_recipient


def make_recovery_key(qtbot, win: MainWindow, monkeypatch, out: Path) -> RecoveryKeyMade:
    """Press the Devices tab's button, then save the key to ``out`` through its dialog."""
    devices = win.sync_page.devices
    devices.recovery_button.click()
    dialog = devices.recovery_dialog
    assert dialog is not None and dialog.isVisible()
    offered: list[str] = []

    def get_save_file_name(_parent, _caption, suggested, *_args, **_kwargs):
        offered.append(suggested)
        return str(out), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", get_save_file_name)
    with qtbot.waitSignal(devices.recovery_key_made, timeout=WAIT) as blocker:
        dialog.save_button.click()
    assert Path(offered[0]).name == DEFAULT_NAME
    made = blocker.args[0]
    assert dialog.result_part.isVisibleTo(dialog)
    assert str(out) in dialog.result_text.text()
    assert dialog.public_key.text() == made.recipient
    assert "Delete it from this computer once it is printed" in dialog.reminder.text()
    dialog.close_button.click()
    idle(qtbot, win)
    return made


def test_the_coordinator_makes_the_campaign_recovery_key(
    qtbot, tmp_path, monkeypatch, laptops, finish
) -> None:
    office, laptop = laptops
    win = show_sync(qtbot, office, tmp_path)
    finish.append(win)
    devices = win.sync_page.devices
    assert devices.recovery_button.isEnabled()
    assert devices.recovery_state.text() == "Recovery key: not made yet"
    out = tmp_path / "safe" / "canvass-recovery-key.txt"
    out.parent.mkdir()
    made = make_recovery_key(qtbot, win, monkeypatch, out)
    assert made.path == out and made.recipient.startswith("age1")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("AGE-SECRET-KEY-1") for line in lines)
    assert recovery_recipient(office) == made.recipient
    qtbot.waitUntil(lambda: devices.recipient == made.recipient, timeout=WAIT)
    assert devices.recovery_state.text().startswith("Recovery key: set")
    sent = exchange.export_file(office, tmp_path, to=[keys.this_device(laptop).id])
    assert made.recipient in sent.recipients


def test_replacing_the_recovery_key_asks_twice(
    qtbot, tmp_path, monkeypatch, laptops, finish
) -> None:
    office, _laptop = laptops
    win = show_sync(qtbot, office, tmp_path)
    finish.append(win)
    devices = win.sync_page.devices
    first = make_recovery_key(qtbot, win, monkeypatch, tmp_path / "first.txt")
    qtbot.waitUntil(lambda: devices.recipient == first.recipient, timeout=WAIT)

    dialog = devices.ask_recovery_key()
    assert dialog is not None and dialog.existing.isVisibleTo(dialog)
    assert dialog.save_button.text() == "Replace the recovery key…"
    questions: list[str] = []

    def say_no(_parent, _title, text, *_args):
        questions.append(text)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "warning", say_no)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: pytest.fail("asked for a file")
    )
    dialog.save_button.click()
    assert "Files made before still need the old one" in questions[0]
    assert not win.tasks.busy and recovery_recipient(office) == first.recipient

    monkeypatch.setattr(QMessageBox, "warning", lambda *a: QMessageBox.StandardButton.Yes)
    # A file that is there already is never written over.
    taken = tmp_path / "taken.txt"
    taken.write_text("shopping list", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(taken), ""))
    with qtbot.waitSignal(win.tasks.failed, timeout=WAIT):
        dialog.save_button.click()
    assert "exists already" in dialog.error.text() and dialog.error.isVisibleTo(dialog)
    assert taken.read_text(encoding="utf-8") == "shopping list"
    assert recovery_recipient(office) == first.recipient

    second = tmp_path / "second"  # no suffix: saved as .txt
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(second), ""))
    with qtbot.waitSignal(devices.recovery_key_made, timeout=WAIT) as blocker:
        dialog.save_button.click()
    made = blocker.args[0]
    assert made.path == tmp_path / "second.txt" and made.path.exists()
    assert made.recipient != first.recipient
    assert recovery_recipient(office) == made.recipient
    dialog.close_button.click()


def test_a_canvasser_cannot_make_the_recovery_key(qtbot, tmp_path, laptops, finish) -> None:
    office, laptop = laptops
    give_laptop_the_campaign(office, laptop, tmp_path)
    win = show_sync(qtbot, laptop, tmp_path)
    finish.append(win)
    devices = win.sync_page.devices
    assert not devices.recovery_button.isEnabled()
    assert "Only the coordinator's laptop" in devices.recovery_button.toolTip()
    assert devices.ask_recovery_key() is None
    assert devices.recovery_dialog is None


# -- models -------------------------------------------------------------------------------


def test_the_models_pass_qtmodeltester(qtmodeltester, tmp_path, laptops) -> None:
    reports = MergeReportModel()
    reports.set_reports(
        [tmp_path / "a.canvass", tmp_path / "b.canvass"],
        [
            MergeReport("a.canvass", new=3, already_had=1, records_created=2, conflicts=1),
            MergeReport("b.canvass", status="refused", reason="damaged", message="Damaged."),
        ],
    )
    qtmodeltester.check(reports)
    assert reports.headerData(ReportColumn.CLOCK, Qt.Orientation.Horizontal) == "Clock\nwarnings"
    reports.replace(1, MergeReport("b.canvass", new=1))
    qtmodeltester.check(reports)
    office, _laptop = laptops
    devices = DeviceTableModel()
    devices.set_devices(keys.list_devices(office))
    qtmodeltester.check(devices)
    assert devices.data(devices.index(0, 2)) == "This device"
