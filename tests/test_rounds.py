"""Delivery rounds: about N letterboxes each, streets whole, sheets printed, delivery recorded."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from collections import defaultdict

import pytest
from sqlalchemy import select

from canvass.cli.main import run
from canvass.domain.errors import ValidationError
from canvass.domain.progress import run_to_end
from canvass.paths import Paths
from canvass.pdf.round_sheets import TickBox, build_round_sheets
from canvass.services import canvassing as c
from canvass.services import exchange, keys, merge_files
from canvass.services import rounds as r
from canvass.services.databases import open_db
from canvass.services.erasure import suppress
from canvass.services.oplog import OpWriter
from canvass.storage.tables import Campaign, OperationRow, Suppression
from tests.helpers import demo_db


def poppler(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing: the test command installs poppler-utils")
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True).stdout


def letterboxes(db, district: str) -> dict[str, list[c.Door]]:
    """Doors someone there may get leaflets at, by street, worked out independently."""
    with db.read() as s:
        no_leaflets = set(
            s.scalars(
                select(Suppression.elector_id).where(
                    Suppression.scope.in_(("do-not-contact", "do-not-leaflet"))
                )
            )
        )
    out: dict[str, list[c.Door]] = defaultdict(list)
    for door in c.doors(db, district=district):
        if any(not e.removed and e.id not in no_leaflets for e in door.electors):
            out[door.street].append(door)
    return out


@pytest.fixture
def db(db_url):
    database = demo_db(db_url, 5000, 7)  # district NA: about 730 electors, 360 doors
    yield database
    database.close()


def test_rounds_are_about_the_size_asked_with_streets_whole_in_walking_order(db):
    planned = r.plan_rounds(db, "na", 100)
    boxes = letterboxes(db, "NA")
    sizes = [x.letterboxes for x in planned]
    assert sum(sizes) == sum(len(v) for v in boxes.values())
    assert abs(len(planned) - sum(sizes) / 100) <= 1
    assert all(50 <= n <= 150 for n in sizes), sizes
    streets = [s for x in planned for s in x.streets]
    assert all(s.whole and s.side == "" for s in streets)  # no street is over 150
    assert [s.street for s in streets] == list(boxes)  # walking order, each street once
    assert {s.street: s.letterboxes for s in streets} == {k: len(v) for k, v in boxes.items()}
    assert [x.name for x in planned] == [f"NA round {i}" for i in range(1, len(planned) + 1)]
    with pytest.raises(ValidationError, match="letterboxes"):
        r.plan_rounds(db, "NA", 0)
    with pytest.raises(ValidationError, match="no polling district"):
        r.plan_rounds(db, "QQ", 100)


def test_a_long_street_is_split_by_side_into_house_number_ranges(db):
    size = 20  # every street (about 60 letterboxes) is over 1.5 rounds
    planned = r.plan_rounds(db, "NA", size)
    boxes = letterboxes(db, "NA")
    parts: dict[str, list[r.RoundStreet]] = defaultdict(list)
    for x in planned:
        for s in x.streets:
            parts[s.street].append(s)
    assert set(parts) == set(boxes)
    for street, doors in boxes.items():
        segments = parts[street]
        assert sum(s.letterboxes for s in segments) == len(doors)
        assert all(not s.whole and s.side in ("odd", "even") for s in segments)
        assert all(s.letterboxes <= size * 1.5 for s in segments)
        for door in doors:  # every letterbox in exactly one range of its side
            number = int("".join(ch for ch in door.label.split(", ")[-1] if ch.isdigit()) or 0)
            if not number:
                continue
            side = "odd" if number % 2 else "even"
            holding = [s for s in segments if s.side == side and s.low <= number <= s.high]
            assert len(holding) == 1, (street, door.label)
    houses = planned[0].streets[0].houses
    assert houses.startswith("1–") and houses.endswith("odd numbers")


def test_doors_where_everyone_asked_for_no_leaflets_are_left_out_and_listed(db):
    before = r.plan_rounds(db, "NA", 100)
    doors = c.doors(db, district="NA")
    target = next(d for d in doors if len(d.electors) == 2)
    for e in target.electors:
        suppress(db, e.id, "do-not-leaflet", "reply slip")
    knock = next(d for d in doors if d is not target and len(d.electors) == 1)
    suppress(db, knock.electors[0].id, "do-not-knock")  # still a letterbox
    after = r.plan_rounds(db, "NA", 100)
    assert sum(x.letterboxes for x in after) == sum(x.letterboxes for x in before) - 1
    street = next(s for x in after for s in x.streets if s.street == target.street)
    assert target.label in street.skip and knock.label not in street.skip


def test_round_sheets_print_streets_ranges_counts_and_tick_boxes(db, tmp_path):
    planned = r.plan_rounds(db, "NA", 100)
    out = tmp_path / "rounds.pdf"
    report = r.print_rounds(db, out, planned)
    assert report.pages == len(planned) + 1  # the overview, then a page per round
    assert report.doors == sum(x.letterboxes for x in planned)
    text = poppler("pdftotext", "-layout", str(out), "-")
    for x in planned:
        assert f"Delivery round: {x.name}" in text
        for s in x.streets:
            assert s.street in text and s.houses.split(" (")[0] in text
    headers = re.findall(r"Street +Houses +Letterboxes +Leave out \(no leaflets\) +Done", text)
    assert len(headers) == len(planned)
    assert text.count("Delivered on") == len(planned)
    assert "Promoted by A. Testwell" in text  # the imprint on every page
    assert "Page 1 of" in text
    # A tick box per street on each round's page, and one per round on the overview.
    sheets = [r._sheet(x) for x in planned]
    story = build_round_sheets(sheets, title="Delivery rounds — NA")
    boxes = sum(
        isinstance(cell, TickBox)
        for flowable in story
        for row in getattr(flowable, "_cellvalues", ())
        for cell in row
    )
    assert boxes == sum(len(x.streets) for x in planned) + len(planned)
    fonts = poppler("pdffonts", str(out))
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), fonts  # every font embedded
    with pytest.raises(ValidationError, match="no rounds"):
        r.print_rounds(db, out, [])


def test_saved_rounds_marked_delivered_travel_to_the_coordinator(tmp_path):
    coord = demo_db(str(tmp_path / "coord.db"), 300)
    lap = open_db(str(tmp_path / "lap.db"), create=True)
    keys.write_enrolment_file(coord, tmp_path / "c.enrol")
    keys.write_enrolment_file(lap, tmp_path / "l.enrol")
    keys.enrol(lap, keys.read_enrolment_file(tmp_path / "c.enrol"), role="coordinator")
    keys.enrol(coord, keys.read_enrolment_file(tmp_path / "l.enrol"))
    saved = r.save_rounds(coord, None, r.plan_rounds(coord, "NA", 40))
    assert len(saved) >= 2 and all(x.id for x in saved)
    again = r.save_rounds(coord, None, r.plan_rounds(coord, "NA", 40)[:1])
    assert again[0].name == "NA round 1 (2)"
    exchange.export_file(coord, tmp_path / "a.canvass", to=[keys.this_device(lap).id])
    run_to_end(merge_files.merge_files(lap, [tmp_path / "a.canvass"]))
    on_laptop = r.list_rounds(lap)
    assert [x.id for x in on_laptop] == [x.id for x in r.list_rounds(coord)]
    assert on_laptop[0].streets == saved[0].streets and on_laptop[0].delivered_on is None
    day = dt.date.today() - dt.timedelta(days=1)
    done = r.mark_delivered(lap, saved[0].id[:8], day, by="Ada Testwell")
    assert (done.delivered_on, done.delivered_by) == (day, "Ada Testwell")
    with lap.read() as s:
        ops = s.scalars(
            select(OperationRow.field).where(
                OperationRow.entity == "delivery_round", OperationRow.kind == "set"
            )
        ).all()
    assert sorted(ops) == ["delivered_by", "delivered_on"]
    exchange.export_file(lap, tmp_path / "b.canvass")
    run_to_end(merge_files.merge_files(coord, [tmp_path / "b.canvass"]))
    first = next(x for x in r.list_rounds(coord) if x.id == saved[0].id)
    assert (first.delivered_on, first.delivered_by) == (day, "Ada Testwell")
    assert all(x.delivered_on is None for x in r.list_rounds(coord) if x.id != saved[0].id)
    with pytest.raises(ValidationError, match="future"):
        r.mark_delivered(coord, saved[1].id, dt.date.today() + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="no delivery round"):
        r.mark_delivered(coord, "nonsense")
    with pytest.raises(ValidationError, match="no leaflet"):
        r.save_rounds(coord, "No such leaflet", saved)
    coord.close()
    lap.close()


def test_round_commands(tmp_path, capsys):
    paths = Paths.under(tmp_path / "home")
    dbpath = str(tmp_path / "c.db")

    def canvass(*args: str) -> int:
        return run(["--db", dbpath, *args], paths=paths, launch_gui=lambda _db, _p: 0)

    assert canvass("demo", "--electors", "1000") == 0  # district NA: 4 streets
    out = tmp_path / "na.pdf"
    capsys.readouterr()
    assert canvass("rounds", "list") == 0
    assert "No delivery rounds saved yet" in capsys.readouterr().out
    assert canvass("print", "rounds", "--district", "NA", "--size", "100", "--out", str(out)) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"Wrote {out}") and "2 rounds of" in said
    assert out.read_bytes().startswith(b"%PDF")
    assert canvass("rounds", "list", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []  # printed, not saved
    db = open_db(dbpath)
    with db.write() as s:
        writer = OpWriter.local(s)
        campaign_id = s.scalars(select(Campaign.id)).one()
        writer.create("leaflet", {"campaign_id": campaign_id, "template": "a5-flyer",
                                  "title": "Library meeting", "content": {}})  # fmt: skip
        writer.flush()
    db.close()
    assert canvass("print", "rounds", "--district", "NA", "--size", "100", "--out", str(out),
                   "--leaflet", "Library meeting") == 0  # fmt: skip
    assert "leaflet: Library meeting" in poppler("pdftotext", str(out), "-")
    assert canvass("print", "rounds", "--district", "NA", "--size", "100", "--out", str(out),
                   "--save", "--leaflet", "Library meeting") == 0  # fmt: skip
    capsys.readouterr()
    assert canvass("rounds", "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed and all(x["delivered_on"] is None for x in listed)
    assert {x["leaflet"] for x in listed} == {"Library meeting"}
    assert listed[0]["streets"][0]["houses"].startswith("whole street")
    first = listed[0]["id"]
    assert canvass("rounds", "delivered", first[:8], "--on", "2026-11-20", "--by", "Bo") == 0
    assert "delivered on 2026-11-20 by Bo" in capsys.readouterr().out
    assert canvass("rounds", "list") == 0
    assert "delivered 2026-11-20 by Bo" in capsys.readouterr().out
    assert canvass("rounds", "delivered", first, "--on", "20/11/2026") == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert canvass("print", "rounds", "--district", "NA", "--size", "1", "--out", str(out)) == 1
    assert "letterboxes" in capsys.readouterr().err
