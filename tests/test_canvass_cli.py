"""`canvass report`, `canvass codes` and `canvass print knock-up` as a user types them."""

from __future__ import annotations

import json

from canvass.cli.main import run
from canvass.paths import Paths


def canvass(paths: Paths, *args: str) -> int:
    return run(list(args), paths=paths, launch_gui=lambda _db, _p: 0)


def test_report_codes_and_knock_up_from_the_command_line(tmp_path, capsys):
    paths = Paths.under(tmp_path / "home")
    db = str(tmp_path / "c.db")
    assert canvass(paths, "--db", db, "demo", "--electors", "150") == 0
    capsys.readouterr()
    assert canvass(paths, "--db", db, "report", "--by", "district", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["total"]["electors"] == 150
    assert report["total"]["visits"] > 0
    assert set(report["groups"]) == {"NA"} or report["groups"]
    csv = tmp_path / "r.csv"
    assert canvass(paths, "--db", db, "report", "--csv", str(csv)) == 0
    assert csv.read_bytes().startswith(b"\xef\xbb\xbf")
    codes = tmp_path / "codes.json"
    assert canvass(paths, "--db", db, "codes", "export", str(codes)) == 0
    data = json.loads(codes.read_text())
    data["intentions"].append(["G", "Green"])
    codes.write_text(json.dumps(data))
    assert canvass(paths, "--db", db, "codes", "import", str(codes)) == 0
    data["outcomes"] = [o for o in data["outcomes"] if o[0] != "SPK"]
    codes.write_text(json.dumps(data))
    capsys.readouterr()
    assert canvass(paths, "--db", db, "codes", "import", str(codes)) == 1
    assert "must keep SPK" in capsys.readouterr().err
    out = tmp_path / "ku.pdf"
    assert (
        canvass(paths, "--db", db, "print", "knock-up", "--district", "NA", "--out", str(out)) == 0
    )
    assert out.read_bytes().startswith(b"%PDF")
    assert canvass(paths, "--db", db, "print", "knock-up", "--out", str(out)) == 1


def test_the_imprint_is_set_from_the_command_line_and_a_missing_part_is_refused(tmp_path, capsys):
    paths = Paths.under(tmp_path / "home")
    db = str(tmp_path / "c.db")
    assert canvass(paths, "--db", db, "init", "--campaign", "Save Sampleton Library") == 0
    capsys.readouterr()
    assert canvass(paths, "--db", db, "campaign", "imprint", "--promoter", "A. Testwell") == 1
    assert "needs the promoter's address" in capsys.readouterr().err
    assert canvass(paths, "--db", db, "campaign", "imprint", "--promoter", "A. Testwell",
                   "--address", "1 Sample Road, Sampleton ZZ1 1AA",
                   "--on-behalf-of", "Sampleton Library Friends") == 0  # fmt: skip
    assert "Promoted by: A. Testwell" in capsys.readouterr().out
