"""File-based sync from the command line, as a coordinator and a canvasser would run it."""

from __future__ import annotations

import json

import pytest

from canvass.cli.main import run
from canvass.paths import Paths


def canvass(paths: Paths, *args: str) -> int:
    return run(list(args), paths=paths, launch_gui=lambda _db, _p: 0)


@pytest.fixture
def paths(tmp_path) -> Paths:
    return Paths.under(tmp_path / "home")


def _json(paths, capsys, *args):
    capsys.readouterr()
    assert canvass(paths, *args, "--json") == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def campaign(tmp_path, paths, capsys):
    """A coordinator with demo data and a laptop that joined it, each enrolled by the other."""
    coord, lap = str(tmp_path / "coord.db"), str(tmp_path / "lap.db")
    assert canvass(paths, "--db", coord, "demo", "--electors", "150") == 0
    assert (
        canvass(paths, "--db", coord, "keys", "enrolment-file", "--out", str(tmp_path / "c.enrol"))
        == 0
    )
    assert canvass(paths, "--db", lap, "join", str(tmp_path / "c.enrol"), "--yes") == 0
    assert (
        canvass(paths, "--db", lap, "keys", "enrolment-file", "--out", str(tmp_path / "l.enrol"))
        == 0
    )
    assert (
        canvass(paths, "--db", coord, "devices", "enrol", str(tmp_path / "l.enrol"), "--yes") == 0
    )
    lap_id = _json(paths, capsys, "--db", lap, "keys", "show")["device_id"]
    return coord, lap, lap_id


def test_assignment_out_canvass_back_and_a_re_merge_is_a_no_op(tmp_path, paths, capsys, campaign):
    coord, lap, lap_id = campaign
    out = tmp_path / "assign.canvass"
    made = _json(
        paths, capsys, "--db", coord, "export", "--out", str(out), "--to", lap_id, "--area", "NA"
    )
    assert made["scope"] == "districts NA" and made["operations"] > 100
    [report] = _json(paths, capsys, "--db", lap, "merge", str(out))
    assert report["status"] == "merged" and report["new"] > 100
    [again] = _json(paths, capsys, "--db", lap, "merge", str(out))
    assert again["status"] == "already imported"
    info = _json(paths, capsys, "--db", lap, "info")
    # Data minimisation: only district NA's electors went to the laptop.
    assert 0 < info["counts"]["electors"] <= 150
    # The laptop's own news travels back: here, its new name.
    assert canvass(paths, "--db", lap, "keys", "rename", "Laptop Testington") == 0
    back = tmp_path / "back.canvass"
    assert canvass(paths, "--db", lap, "export", "--out", str(back)) == 0
    [merged] = _json(paths, capsys, "--db", coord, "merge", str(back))
    assert merged["status"] == "merged" and merged["new"] == 1
    assert merged["dropped_unauthorised"] == 0  # whom the laptop trusts stays on the laptop
    names = [d["name"] for d in _json(paths, capsys, "--db", coord, "devices", "list")]
    assert "Laptop Testington" in names


def test_a_dry_run_reports_without_changing_anything(tmp_path, paths, capsys, campaign):
    coord, lap, lap_id = campaign
    out = tmp_path / "a.canvass"
    assert canvass(paths, "--db", coord, "export", "--out", str(out), "--to", lap_id) == 0
    before = _json(paths, capsys, "--db", lap, "info")["state_digest"]
    [report] = _json(paths, capsys, "--db", lap, "merge", str(out), "--dry-run")
    assert report["status"] == "would merge" and report["new"] > 0
    assert _json(paths, capsys, "--db", lap, "info")["state_digest"] == before
    [real] = _json(paths, capsys, "--db", lap, "merge", str(out))
    assert real["status"] == "merged" and real["new"] == report["new"]


def test_a_refused_file_exits_1_with_its_reason_and_the_others_still_merge(
    tmp_path, paths, capsys, campaign
):
    coord, lap, lap_id = campaign
    good = tmp_path / "good.canvass"
    assert canvass(paths, "--db", coord, "export", "--out", str(good), "--to", lap_id) == 0
    bad = tmp_path / "notes.canvass"
    bad.write_text("shopping list\n")
    capsys.readouterr()
    assert canvass(paths, "--db", lap, "merge", str(bad), str(good)) == 1
    captured = capsys.readouterr()
    assert "notes.canvass: refused. This is not a canvass exchange file" in captured.err
    assert "Merged good.canvass" in captured.out


def test_a_revoked_laptop_s_file_is_refused(tmp_path, paths, capsys, campaign):
    coord, lap, lap_id = campaign
    back = tmp_path / "back.canvass"
    assert canvass(paths, "--db", lap, "export", "--out", str(back)) == 0
    assert canvass(paths, "--db", coord, "devices", "revoke", lap_id, "--yes") == 0
    [report] = _merge_json(paths, capsys, coord, back)
    assert report["status"] == "refused" and report["reason"] == "revoked-sender"
    devices = _json(paths, capsys, "--db", coord, "devices", "list")
    assert [d["status"] for d in devices if d["id"] == lap_id] == ["revoked"]


def _merge_json(paths, capsys, db, *files):
    capsys.readouterr()
    canvass(paths, "--db", db, "merge", *map(str, files), "--json")
    return json.loads(capsys.readouterr().out)


def test_passphrase_mode_needs_no_keys(tmp_path, paths, capsys):
    coord = str(tmp_path / "c.db")
    assert canvass(paths, "--db", coord, "demo", "--electors", "60") == 0
    phrase = tmp_path / "phrase.txt"
    assert canvass(paths, "keys", "passphrase", "--out", str(phrase)) == 0
    assert len(phrase.read_text().strip().split("-")) == 6
    out = tmp_path / "p.canvass"
    assert (
        canvass(paths, "--db", coord, "export", "--out", str(out), "--passphrase-file", str(phrase))
        == 0
    )
    # A new laptop: its first merge makes its database; a refused one leaves none.
    fresh = tmp_path / "fresh.db"
    [missing] = _merge_json(paths, capsys, str(fresh), out)
    assert missing["reason"] == "needs-passphrase"
    assert not fresh.exists()
    capsys.readouterr()
    assert (
        canvass(paths, "--db", str(fresh), "merge", str(out), "--passphrase-file", str(phrase)) == 0
    )
    assert _json(paths, capsys, "--db", str(fresh), "info")["counts"]["electors"] == 60


def test_a_conflict_is_listed_and_resolved_from_the_command_line(tmp_path, paths, capsys, campaign):
    from canvass.services.databases import open_db
    from canvass.services.oplog import OpWriter
    from canvass.storage.tables import Elector

    coord, lap, lap_id = campaign
    out = tmp_path / "a.canvass"
    assert canvass(paths, "--db", coord, "export", "--out", str(out), "--to", lap_id) == 0
    assert canvass(paths, "--db", lap, "merge", str(out)) == 0
    for url, surname in ((coord, "Testington"), (lap, "Sampleford")):
        db = open_db(url)
        with db.write() as s:
            elector = s.query(Elector).order_by(Elector.elector_number).first()
            elector_id = elector.id
            OpWriter.local(s).set("elector", elector_id, "surname", surname)
        db.close()
    back = tmp_path / "b.canvass"
    assert canvass(paths, "--db", lap, "export", "--out", str(back)) == 0
    assert canvass(paths, "--db", coord, "merge", str(back)) == 0
    [conflict] = _json(paths, capsys, "--db", coord, "conflicts", "list")
    assert conflict["field"] == "surname"
    assert sorted(c["value"] for c in conflict["candidates"]) == ["Sampleford", "Testington"]
    pick = 1 + [c["value"] for c in conflict["candidates"]].index("Sampleford")
    assert (
        canvass(
            paths, "--db", coord, "conflicts", "resolve", str(conflict["id"]), "--pick", str(pick)
        )
        == 0
    )
    assert _json(paths, capsys, "--db", coord, "conflicts", "list") == []
    # The resolution travels: the laptop shows the chosen value and no conflict.
    again = tmp_path / "c.canvass"
    assert canvass(paths, "--db", coord, "export", "--out", str(again), "--to", lap_id) == 0
    assert canvass(paths, "--db", lap, "merge", str(again)) == 0
    assert _json(paths, capsys, "--db", lap, "conflicts", "list") == []
    db = open_db(lap)
    with db.read() as s:
        assert s.get(Elector, elector_id).surname == "Sampleford"
    db.close()
