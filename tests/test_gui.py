"""The desktop shell: task runner, main window, overview page and start-up."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import functools  # noqa: E402
import logging  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QSize  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QInputDialog,
    QMessageBox,
    QPushButton,
)
from sqlalchemy import select  # noqa: E402

from canvass import __version__  # noqa: E402
from canvass.domain.errors import ValidationError  # noqa: E402
from canvass.domain.progress import Progress, run_to_end  # noqa: E402
from canvass.paths import Paths  # noqa: E402
from canvass.services.databases import open_db  # noqa: E402
from canvass.services.demo import create_demo  # noqa: E402
from canvass.services.electors import NewElector, add_electors  # noqa: E402
from canvass.services.info import DatabaseInfo, Overview, overview  # noqa: E402
from canvass.storage.tables import PollingDistrict  # noqa: E402
from canvass.ui import application as application_module  # noqa: E402
from canvass.ui.application import build_main_window, open_start_database, run_gui  # noqa: E402
from canvass.ui.dialogs import about_box  # noqa: E402
from canvass.ui.gui_settings import GuiSettings  # noqa: E402
from canvass.ui.main_window import MainWindow  # noqa: E402
from canvass.ui.pages.placeholder import PLANNED_SCREENS  # noqa: E402
from canvass.ui.progress import TaskProgressDialog  # noqa: E402
from canvass.ui.tasks import TaskRunner  # noqa: E402

WAIT = 20_000  # ms: generous, the CI machines are slow and shared


# -- fixtures -----------------------------------------------------------------------


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths.under(tmp_path / "home")


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    """A database holding a small demo campaign (seed 3)."""
    path = tmp_path / "t.db"
    db = open_db(str(path), create=True)
    try:
        run_to_end(create_demo(db, electors=300, seed=3))
    finally:
        db.close()
    return path


def read_overview(path: Path) -> Overview:
    """The figures straight from the service, on a database of our own."""
    db = open_db(str(path))
    try:
        return overview(db)
    finally:
        db.close()


def shown_window(qtbot, path: Path, paths: Paths) -> MainWindow:
    window = build_main_window(open_db(str(path)), paths)
    # pytest-qt closes the window before fixtures are torn down: stop its work first
    qtbot.addWidget(window, before_close_func=lambda w: stop_tasks(qtbot, w))
    with qtbot.waitSignal(window.live.updated, timeout=WAIT):
        window.show()
    return window


def stop_tasks(qtbot, window: MainWindow) -> None:
    """Let a test end without a task or a reading under way."""
    if window.tasks.busy:
        with qtbot.waitSignal(window.tasks.ended, timeout=WAIT):
            window.tasks.cancel()
    window.live.shutdown()


@pytest.fixture
def window(qtbot, demo_path: Path, paths: Paths) -> MainWindow:
    return shown_window(qtbot, demo_path, paths)  # stops its work before it closes


def held_elector_task(db, gate: threading.Event):
    """Records 3,000 electors, held inside its transaction after the first step.

    The hold lets a test press Cancel half-way through the work, not before or
    after it; the counts would change if the rollback failed.
    """
    with db.read() as session:
        district = session.scalars(select(PollingDistrict.id).order_by(PollingDistrict.id)).first()
    electors = [NewElector(district, None, 90_000 + n, surname="Cancelledby") for n in range(3000)]
    task = add_electors(db, electors, total=len(electors), every=500)
    yield next(task)
    gate.wait(WAIT / 1000)
    return (yield from task)


def card_counts(window: MainWindow) -> dict[str, str]:
    return {key: card.number.text() for key, card in window.overview.cards.items()}


def expected_cards(figures: Overview) -> dict[str, str]:
    return {key: f"{figures.counts[key]:,}" for key in card_counts_keys()}


def card_counts_keys() -> list[str]:
    return [
        "electors",
        "households",
        "streets",
        "polling_districts",
        "visits",
        "petitions",
        "signatures",
        "operations",
    ]


# -- signals ------------------------------------------------------------------------


def test_the_installed_pyside6_does_not_leak_references_on_emit() -> None:
    # PySide6 6.12.0's emit() drops a reference to True on Python 3.11: a few
    # hundred emits abort the interpreter ("bool_dealloc"), so pyproject.toml
    # excludes that release. A subprocess, so a bad build fails this test
    # instead of killing the test run; if it fails, exclude that version too.
    code = (
        "import sys\n"
        "from PySide6.QtCore import QCoreApplication, QObject, Signal\n"
        "class O(QObject):\n"
        "    s = Signal(object)\n"
        "app = QCoreApplication([])\n"
        "o = O(); o.s.connect(lambda _x: None)\n"
        "before = sys.getrefcount(True)\n"
        "for _ in range(3000):\n"
        "    o.s.emit(1)\n"
        "print(sys.getrefcount(True) - before)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert abs(int(result.stdout.strip())) < 50


# -- task runner --------------------------------------------------------------------


def test_runner_delivers_progress_and_result_on_the_gui_thread(qtbot) -> None:
    runner = TaskRunner()
    gui_thread = threading.get_ident()
    seen: list[tuple[Progress, bool]] = []
    runner.progress.connect(lambda step: seen.append((step, threading.get_ident() == gui_thread)))

    def task():
        yield Progress(1, 1, "Only step")
        return "done"

    with qtbot.waitSignal(runner.finished, timeout=WAIT) as blocker:
        runner.start(task())
        assert runner.busy
    assert blocker.args == ["done"]
    assert seen == [(Progress(1, 1, "Only step"), True)]
    assert not runner.busy


def test_runner_reports_a_canvass_error_message(qtbot) -> None:
    runner = TaskRunner()
    got: list[str] = []

    def task():
        raise ValidationError("Demo data for seed 3 is already in this database.")

    with qtbot.waitSignal(runner.failed, timeout=WAIT) as blocker:
        runner.start(task, on_failed=got.append)
    assert blocker.args == ["Demo data for seed 3 is already in this database."]
    assert got == blocker.args


def test_runner_reports_and_logs_an_unexpected_error(qtbot, caplog) -> None:
    runner = TaskRunner()

    def task():
        raise KeyError("boom")

    with caplog.at_level(logging.ERROR), qtbot.waitSignal(runner.failed, timeout=WAIT) as blocker:
        runner.start(task)
    assert blocker.args == ["Unexpected error: 'boom'"]
    assert "failed unexpectedly" in caplog.text


def test_runner_runs_one_task_at_a_time(qtbot) -> None:
    runner = TaskRunner()
    gate = threading.Event()
    with qtbot.waitSignal(runner.finished, timeout=WAIT):
        runner.start(lambda: gate.wait(WAIT / 1000))
        with pytest.raises(RuntimeError):
            runner.start(lambda: None)
        gate.set()


def test_runner_cancel_closes_the_generator_in_the_worker(qtbot) -> None:
    runner = TaskRunner()
    closed_in: list[int] = []
    gate = threading.Event()

    def task():
        try:
            yield Progress(1, 3, "Step")
            gate.wait(WAIT / 1000)
            yield Progress(2, 3, "Step")
            yield Progress(3, 3, "Step")
        finally:
            closed_in.append(threading.get_ident())

    def on_progress(_step: Progress) -> None:
        runner.cancel()
        gate.set()

    runner.progress.connect(on_progress)
    with qtbot.waitSignal(runner.cancelled, timeout=WAIT):
        runner.start(task())
    assert closed_in and closed_in[0] != threading.get_ident()


# -- overview -----------------------------------------------------------------------


def test_overview_shows_the_real_counts(window: MainWindow, demo_path: Path) -> None:
    figures = read_overview(demo_path)
    assert card_counts(window) == expected_cards(figures)
    assert figures.counts["electors"] == 300
    assert window.overview.title.text() == figures.campaign
    assert window.windowTitle() == f"canvass — {figures.campaign}"
    assert str(demo_path) in window.database_label.text()
    assert "SQLite" in window.database_label.text()
    assert window.device_label.text().startswith("Device: ")
    assert window.overview.details["location"].text() == str(demo_path)


def test_demo_beside_a_real_campaign_goes_into_a_new_database_and_opens_it(
    qtbot, window: MainWindow, demo_path: Path
) -> None:
    before = read_overview(demo_path)
    target = demo_path.parent / "demo-campaign.db"
    assert window.db_actions.demo_target() == target

    def demo_shown(info: DatabaseInfo) -> bool:
        return info.counts["electors"] == 150

    with (
        qtbot.waitSignal(window.live.updated, timeout=WAIT, check_params_cb=demo_shown),
        qtbot.waitSignal(window.tasks.finished, timeout=WAIT),
    ):
        dialog = window.db_actions.start_demo(electors=150, seed=4)
        assert isinstance(dialog, TaskProgressDialog)
        assert not window.demo_action.isEnabled()
    assert window.db.target.path == target
    assert card_counts(window) == expected_cards(read_overview(target))
    assert read_overview(demo_path) == before  # the real campaign is untouched
    assert window.demo_action.isEnabled()
    assert "Demo campaign ready" in window.statusBar().currentMessage()


def test_demo_in_an_empty_database_fills_it(qtbot, tmp_path: Path, paths: Paths) -> None:
    path = tmp_path / "empty.db"
    open_db(str(path), create=True).close()
    window = shown_window(qtbot, path, paths)
    try:
        assert window.db_actions.demo_target() is None

        def filled(info: DatabaseInfo) -> bool:
            return info.counts["electors"] == 120

        with qtbot.waitSignal(window.live.updated, timeout=WAIT, check_params_cb=filled):
            window.db_actions.start_demo(electors=120, seed=2)
        assert window.db.target.path == path
        assert card_counts(window) == expected_cards(read_overview(path))
    finally:
        stop_tasks(qtbot, window)


def test_cancelling_the_demo_leaves_the_counts_unchanged(
    qtbot, window: MainWindow, demo_path: Path
) -> None:
    before = read_overview(demo_path)
    gate = threading.Event()

    window.tasks.start(functools.partial(held_elector_task, window.db, gate))
    dialog = TaskProgressDialog(window.tasks, window, "Creating demo campaign")
    cancel = dialog.findChild(QPushButton)
    assert cancel is not None

    def press_cancel(_step: Progress) -> None:
        cancel.click()
        gate.set()

    window.tasks.progress.connect(press_cancel)
    with (
        qtbot.waitSignal(window.live.updated, timeout=WAIT),
        qtbot.waitSignal(window.tasks.cancelled, timeout=WAIT),
    ):
        pass
    window.tasks.progress.disconnect(press_cancel)
    assert read_overview(demo_path) == before
    assert card_counts(window) == expected_cards(before)


def test_a_failing_demo_is_shown_and_leaves_nothing_behind(
    qtbot, window: MainWindow, demo_path: Path
) -> None:
    before = read_overview(demo_path)
    with qtbot.waitSignal(window.tasks.failed, timeout=WAIT) as blocker:
        window.db_actions.start_demo(electors=0, seed=3)
    assert "between 1 and" in blocker.args[0]
    boxes = [box for box in window.findChildren(QMessageBox) if box.isVisible()]
    assert any("between 1 and" in box.informativeText() for box in boxes)
    assert read_overview(demo_path) == before
    assert window.db.target.path == demo_path
    assert not (demo_path.parent / "demo-campaign.db").exists()


def test_an_empty_database_invites_a_campaign(qtbot, tmp_path: Path, paths: Paths) -> None:
    path = tmp_path / "empty.db"
    open_db(str(path), create=True).close()
    window = shown_window(qtbot, path, paths)
    try:
        assert window.overview.title.text() == "No campaign yet"
        assert window.overview.empty_panel.isVisible()
        assert set(card_counts(window).values()) == {"0"}

        def started(info: DatabaseInfo) -> bool:
            return info.campaign == "Save Exampleton Library"

        with qtbot.waitSignal(window.live.updated, timeout=WAIT, check_params_cb=started):
            window.db_actions.start_campaign("Save Exampleton Library")
        assert window.overview.title.text() == "Save Exampleton Library"
        assert not window.overview.empty_panel.isVisible()
    finally:
        stop_tasks(qtbot, window)


# -- window, databases and settings ---------------------------------------------------


def test_navigation_shows_every_page(window: MainWindow) -> None:
    names = [window.nav.item(row).text() for row in range(window.nav.count())]
    assert names == [
        "Overview",
        "Browse",
        "Canvass",
        "Petitions",
        "Leaflets",
        "Print",
        "Sync",
        "Reports",
        "Privacy",
        "Settings",
    ]
    assert window.stack.widget(names.index("Browse")) is window.browse
    assert window.stack.widget(names.index("Print")) is window.print_page
    placeholders = iter(window.placeholders)
    for screen in PLANNED_SCREENS:
        if screen.title == "Print":
            continue
        window.nav.setCurrentRow(names.index(screen.title))
        page = window.stack.currentWidget()
        assert page is next(placeholders)
        assert page.title.text() == screen.title
        assert page.purpose.text() == screen.purpose
        assert [b.text() for b in page.bullets] == list(screen.coming)


def test_opening_another_database_switches_and_is_remembered(
    qtbot, window: MainWindow, tmp_path: Path, paths: Paths
) -> None:
    other = tmp_path / "other.db"
    open_db(str(other), create=True).close()
    old_db = window.db

    def shows_other(info: DatabaseInfo) -> bool:
        return info.database == str(other)

    with qtbot.waitSignal(window.live.updated, timeout=WAIT, check_params_cb=shows_other):
        window.db_actions.open_database_text(str(other))
    assert window.db is not old_db
    assert window.overview.title.text() == "No campaign yet"
    assert GuiSettings(paths.gui_settings).recent_databases()[0] == str(other)

    missing = tmp_path / "nowhere" / "x.db"
    with qtbot.waitSignal(window.tasks.failed, timeout=WAIT) as blocker:
        window.db_actions.open_database_text(str(missing))
    assert "does not exist" in blocker.args[0]
    assert window.db.target.path == other  # the window keeps its database
    assert any(
        "does not exist" in box.informativeText() for box in window.findChildren(QMessageBox)
    )


def test_a_new_database_asks_for_its_campaign(
    qtbot, window: MainWindow, tmp_path: Path, paths: Paths
) -> None:
    path = tmp_path / "new-campaign"  # no suffix: ".db" is added
    with qtbot.waitSignal(window.tasks.finished, timeout=WAIT):
        window.db_actions.create_database(path)
    assert window.db.target.path == path.with_suffix(".db")
    dialogs = [d for d in window.findChildren(QInputDialog) if d.isVisible()]
    assert len(dialogs) == 1

    def started(info: DatabaseInfo) -> bool:
        return info.campaign == "Fix Our Buses"

    with qtbot.waitSignal(window.live.updated, timeout=WAIT, check_params_cb=started):
        dialogs[0].setTextValue("Fix Our Buses")
        dialogs[0].accept()
    assert window.windowTitle() == "canvass — Fix Our Buses"
    assert GuiSettings(paths.gui_settings).recent_databases()[0] == str(path.with_suffix(".db"))

    # An existing file is never taken over by "New database".
    assert window.db_actions.create_database(path.with_suffix(".db")) is None
    assert not window.tasks.busy


def test_closing_during_a_task_cancels_it_first(qtbot, demo_path: Path, paths: Paths) -> None:
    window = shown_window(qtbot, demo_path, paths)
    before = read_overview(demo_path)
    gate = threading.Event()

    with qtbot.waitSignal(window.tasks.progress, timeout=WAIT):
        window.tasks.start(functools.partial(held_elector_task, window.db, gate))
    window.close()
    assert window.isVisible()  # still open: the task is being stopped
    assert window.tasks.cancelling
    with qtbot.waitSignal(window.tasks.ended, timeout=WAIT):
        gate.set()
    assert not window.isVisible()
    assert read_overview(demo_path) == before


def test_recent_databases_survive_a_restart_and_stay_short(paths: Paths) -> None:
    settings = GuiSettings(paths.gui_settings)
    settings.add_recent_database("/data/one.db")
    assert GuiSettings(paths.gui_settings).recent_databases() == ["/data/one.db"]
    for n in range(12):
        settings.add_recent_database(f"/data/{n}.db")
    settings.add_recent_database("/data/3.db")
    recent = GuiSettings(paths.gui_settings).recent_databases()
    assert len(recent) == 8
    assert recent[:2] == ["/data/3.db", "/data/11.db"]


def test_window_geometry_is_saved_and_restored(qtbot, demo_path: Path, paths: Paths) -> None:
    first = shown_window(qtbot, demo_path, paths)
    # Smaller than the offscreen screen (800×800): restoring clamps to the screen.
    first.resize(770, 580)
    stop_tasks(qtbot, first)
    first.close()
    assert paths.gui_settings.is_file()
    assert paths.gui_settings.is_relative_to(paths.config_dir)
    assert GuiSettings(paths.gui_settings).geometry() is not None

    second = shown_window(qtbot, demo_path, paths)
    try:
        assert second.size() == QSize(770, 580)
    finally:
        stop_tasks(qtbot, second)


def test_about_box_names_the_version_and_licence(qtbot, window: MainWindow) -> None:
    box = about_box(window)
    qtbot.addWidget(box)
    assert __version__ in box.text()
    assert "GPL-3.0-or-later" in box.text()
    assert box.windowTitle() == "About canvass"
    window.show_about().close()


# -- start-up -----------------------------------------------------------------------


def test_run_gui_with_a_database_in_a_missing_folder_fails_before_any_window(
    tmp_path: Path, paths: Paths, capsys, monkeypatch
) -> None:
    def no_window(*_args, **_kwargs):
        raise AssertionError("a window was built")

    def main_windows() -> set[int]:
        app = QApplication.instance()
        widgets = app.topLevelWidgets() if isinstance(app, QApplication) else []
        return {id(w) for w in widgets if isinstance(w, MainWindow)}

    before = main_windows()
    monkeypatch.setattr(application_module, "build_main_window", no_window)
    code = run_gui(str(tmp_path / "missing" / "t.db"), paths)
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("canvass: ")
    assert "does not exist" in err
    assert main_windows() <= before


def test_the_default_database_is_created_on_first_start(paths: Paths) -> None:
    db = open_start_database(None, paths)
    try:
        assert db.target.path == paths.default_database
        assert paths.default_database.is_file()
    finally:
        db.close()
