"""The command line as a user types it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from canvass import __version__
from canvass.cli.main import run
from canvass.paths import Paths

BIN = Path(sys.executable).parent


def canvass(paths: Paths, *args: str, gui=None) -> int:
    return run(list(args), paths=paths, launch_gui=gui or (lambda _db, _p: 0))


@pytest.fixture
def paths(tmp_path) -> Paths:
    return Paths.under(tmp_path / "home")


def info_json(paths, capsys, db) -> dict:
    capsys.readouterr()
    assert canvass(paths, "--db", db, "info", "--json") == 0
    return json.loads(capsys.readouterr().out)


def test_demo_then_info_reports_what_the_issue_asks_for(tmp_path, paths, capsys):
    db = str(tmp_path / "a.db")
    assert canvass(paths, "--db", db, "demo", "--electors", "5000", "--seed", "7") == 0
    assert "5,000 electors" in capsys.readouterr().out
    report = info_json(paths, capsys, db)
    assert report["counts"]["electors"] == 5000
    assert report["counts"]["households"] > 0
    assert report["counts"]["operations"] >= 5000
    for key in ("schema_version", "device_id", "state_digest"):
        assert report[key]
    for key in ("electors", "households", "visits", "petitions", "signatures", "operations"):
        assert key in report["counts"]
    second = str(tmp_path / "b.db")
    assert canvass(paths, "--db", second, "demo", "--electors", "5000", "--seed", "7") == 0
    assert info_json(paths, capsys, second)["state_digest"] == report["state_digest"]


@pytest.mark.postgres
def test_demo_on_postgresql_gives_the_sqlite_digest(tmp_path, paths, capsys, pg_url):
    lite = str(tmp_path / "a.db")
    assert canvass(paths, "--db", lite, "demo", "--electors", "800", "--seed", "7") == 0
    assert canvass(paths, "--db", pg_url, "demo", "--electors", "800", "--seed", "7") == 0
    assert (
        info_json(paths, capsys, pg_url)["state_digest"]
        == info_json(paths, capsys, lite)["state_digest"]
    )


def test_init_creates_a_campaign_and_refuses_a_second(tmp_path, paths, capsys):
    db = str(tmp_path / "a.db")
    assert canvass(paths, "--db", db, "init", "--campaign", "Save Sampleton Library") == 0
    assert "Save Sampleton Library" in capsys.readouterr().out
    assert canvass(paths, "--db", db, "init", "--campaign", "Another") == 1
    assert "already holds the campaign" in capsys.readouterr().err


def test_init_needs_a_campaign_name(tmp_path, paths, capsys):
    assert canvass(paths, "--db", str(tmp_path / "a.db"), "init") == 2
    assert "--campaign" in capsys.readouterr().err
    assert not (tmp_path / "a.db").exists()


def test_default_database_lives_in_the_data_folder(paths, capsys):
    assert canvass(paths, "info") == 1  # info never creates a database
    assert "no canvass database yet" in capsys.readouterr().err
    assert not paths.default_database.exists()
    assert canvass(paths, "init", "--campaign", "Default place") == 0
    assert paths.default_database.exists()


@pytest.mark.parametrize(
    "command",
    [
        ["init", "--campaign", "   "],
        ["demo", "--electors", "0"],
        ["demo", "--electors", "10000000"],
    ],
)
def test_a_refused_command_leaves_no_new_database_behind(tmp_path, paths, capsys, command):
    assert canvass(paths, "--db", str(tmp_path / "new.db"), *command) == 1
    assert capsys.readouterr().err.startswith("canvass: ")
    assert list(tmp_path.iterdir()) == []


def test_demo_into_a_campaign_database_is_refused_untouched(tmp_path, paths, capsys):
    db = str(tmp_path / "a.db")
    assert canvass(paths, "--db", db, "init", "--campaign", "Real one") == 0
    before = info_json(paths, capsys, db)["state_digest"]
    assert canvass(paths, "--db", db, "demo", "--seed", "8") == 1
    assert "database of its own" in capsys.readouterr().err
    assert info_json(paths, capsys, db)["state_digest"] == before


def test_no_command_opens_the_desktop_application(tmp_path, paths):
    db = str(tmp_path / "a.db")
    assert canvass(paths, "--db", db, "init", "--campaign", "Windowed") == 0
    seen = []
    assert canvass(paths, "--db", db, gui=lambda d, p: seen.append(d) or 0) == 0
    assert seen == [db]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: str(d / "missing" / "a.db"), "does not exist"),
        (lambda d: (d / "x.txt").write_text("hello") and str(d / "x.txt"), "not a canvass"),
        (lambda d: "postgresql+psycopg://nobody@127.0.0.1:9/none", "Cannot connect"),
    ],
    ids=["missing-folder", "not-a-database", "unreachable-postgresql"],
)
def test_bad_databases_give_one_line_and_exit_non_zero(tmp_path, paths, capsys, make, message):
    target = make(tmp_path)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    for command in (["info", "--json"], ["demo", "--electors", "10"], ["gui"]):
        assert canvass(paths, "--db", target, *command) == 1
        err = capsys.readouterr().err
        assert message in err and err.startswith("canvass: ") and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_gui_command_checks_the_database_then_hands_it_to_the_launcher(tmp_path, paths):
    db = str(tmp_path / "a.db")
    assert canvass(paths, "--db", db, "init", "--campaign", "Windowed") == 0
    seen = []
    assert canvass(paths, "--db", db, "gui", gui=lambda d, p: seen.append((d, p)) or 0) == 0
    assert seen == [(db, paths)]
    assert canvass(paths, "--db", db, "gui", gui=lambda d, p: 3) == 3


def test_version_from_the_installed_entry_points():
    for cmd in ([str(BIN / "canvass"), "--version"], [sys.executable, "-m", "canvass", "-V"]):
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        assert out.strip() == f"canvass, version {__version__}"


def test_entry_point_runs_demo_and_info_in_a_fresh_home(tmp_path):
    env = {"CANVASS_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"}
    db = str(tmp_path / "a.db")
    subprocess.run(
        [str(BIN / "canvass"), "--db", db, "demo", "--electors", "50"],
        env=env,
        check=True,
        capture_output=True,
    )
    out = subprocess.run(
        [str(BIN / "canvass"), "--db", db, "info", "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert json.loads(out)["counts"]["electors"] == 50


def test_plain_info_shows_the_whole_digest_even_when_piped(tmp_path, paths, capsys):
    db = str(tmp_path / "a.db")
    assert canvass(paths, "--db", db, "init", "--campaign", "Digest check") == 0
    digest = info_json(paths, capsys, db)["state_digest"]
    assert canvass(paths, "--db", db, "info") == 0
    out = capsys.readouterr().out
    assert "Digest check" in out
    assert digest in "".join(out.split())


def test_register_import_and_walk_sheets_from_the_command_line(tmp_path, paths, capsys):
    fixtures = Path(__file__).parent / "fixtures" / "registers"
    db = str(tmp_path / "a.db")
    assert canvass(paths, "--db", db, "init", "--campaign", "Sheets") == 0
    capsys.readouterr()
    assert (
        canvass(
            paths,
            "--db",
            db,
            "register",
            "import",
            str(fixtures / "xpress.tsv"),
            "--dry-run",
            "--json",
        )
        == 0
    )
    dry = json.loads(capsys.readouterr().out)
    assert (dry["electors"], dry["dry_run"]) == (13, True)
    assert info_json(paths, capsys, db)["counts"]["electors"] == 0
    assert canvass(paths, "--db", db, "register", "import", str(fixtures / "xpress.tsv")) == 0
    out = capsys.readouterr().out
    assert "Imported 13 electors in 10 households" in out and "line 14:" in out
    pdf = tmp_path / "sheets.pdf"
    assert (
        canvass(paths, "--db", db, "print", "walk-sheets", "--district", "AB", "--out", str(pdf))
        == 0
    )
    assert "1 street, 2 doors, 3 electors" in capsys.readouterr().out
    assert pdf.read_bytes().startswith(b"%PDF")
