"""Supporters typed in from returned reply slips: checked, searchable, safe in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import func, select

from canvass.cli.main import run
from canvass.domain.errors import ValidationError
from canvass.domain.progress import run_to_end
from canvass.paths import Paths
from canvass.services import exchange, keys, merge_files
from canvass.services import supporters as sp
from canvass.services.databases import open_db
from canvass.storage.tables import Erasure, OperationRow, Supporter
from tests.helpers import demo_db


@pytest.fixture
def db(db_url):
    database = demo_db(db_url, 60)
    yield database
    database.close()


def _slip(name="Zoë Testwell", postcode="zz1 1aa", **kw) -> sp.SupporterEntry:
    return sp.SupporterEntry(name=name, postcode=postcode, consent=kw.pop("consent", True), **kw)


def _counts(db) -> tuple[int, int]:
    with db.read() as s:
        return (
            s.scalar(select(func.count()).select_from(Supporter)) or 0,
            s.scalar(select(func.count()).select_from(OperationRow)) or 0,
        )


@pytest.mark.parametrize(
    ("slip", "message"),
    [
        (_slip(consent=False), "consent box"),
        (_slip(name="=cmd|' /C calc'!A0"), "cannot start with '='"),
        (_slip(name="www.example.com"), "web address"),
        (_slip(name=""), "name is empty"),
        (_slip(postcode="12345"), "not a UK postcode"),
        (_slip(postcode=""), "postcode is missing"),
        (_slip(email="ada@"), "not an email address"),
        (_slip(phone="12"), "phone number"),
        (_slip(ticks=("x" * 101,)), "longer than 100"),
        (_slip(ticks=tuple(f"tick {i}" for i in range(21))), "at most 20 ticks"),
        (_slip(address="a\x07b"), "control character"),
        (_slip(leaflet="No such leaflet"), "no leaflet"),
    ],
)
def test_refusals_save_nothing(db, slip, message):
    before = _counts(db)
    with pytest.raises(ValidationError, match=message):
        sp.add_supporter(db, slip)
    assert _counts(db) == before


def test_details_are_tidied_and_ticks_kept(db):
    supporter_id = sp.add_supporter(
        db,
        _slip(
            address="14 High Street\nExampleton",
            email="  Ada.Testwell@Example.ORG ",
            phone="07700 900123",
            ticks=("i can help", "KEEP ME INFORMED", "I can help", "Deliver leaflets", " "),
            source="Library leaflet reply slip",
            entered_by="Bo",
        ),
    )
    (found,) = sp.list_supporters(db)
    assert found.id == supporter_id
    assert (found.name, found.address, found.postcode) == (
        "Zoë Testwell",
        "14 High Street, Exampleton",
        "ZZ1 1AA",
    )
    assert (found.email, found.phone) == ("Ada.Testwell@example.org", "+447700900123")
    assert found.ticks == ("I can help", "keep me informed", "Deliver leaflets")
    assert found.can_help and found.keep_informed and found.consent
    assert (found.source, found.entered_by) == ("Library leaflet reply slip", "Bo")
    with db.read() as s:
        kinds = s.scalars(select(OperationRow.kind).where(OperationRow.entity == "supporter")).all()
    assert kinds == ["create"]


def test_a_slip_typed_in_twice_is_refused_unless_it_is_another_person(db):
    sp.add_supporter(db, _slip(email="zoe@example.org"))
    with pytest.raises(ValidationError, match="is a supporter already"):
        sp.add_supporter(db, _slip(name="ZOE TESTWELL", postcode="ZZ11AA"))
    with pytest.raises(ValidationError, match="is a supporter already"):
        sp.add_supporter(db, _slip(name="Z. Other", postcode="ZZ9 9ZZ", email="ZOE@example.org"))
    sp.add_supporter(db, _slip(name="Zoe Testwell"), allow_duplicate=True)
    assert len(sp.list_supporters(db)) == 2


def test_search_ignores_case_accents_and_spaces(db):
    sp.add_supporter(db, _slip(ticks=("I can help",)))
    sp.add_supporter(db, _slip(name="Ada Mockridge", postcode="ZZ2 2BB", email="ada@example.org"))
    sp.add_supporter(db, _slip(name="Łukasz Nowak", postcode="ZZ3 3AB", source="Meeting flyer"))

    def names(text: str) -> list[str]:
        return [s.name for s in sp.list_supporters(db, text)]

    assert names("") == ["Zoë Testwell", "Ada Mockridge", "Łukasz Nowak"]
    assert names("zoe") == ["Zoë Testwell"]
    assert names("zz22bb") == ["Ada Mockridge"]
    assert names("ZZ3 3ab") == ["Łukasz Nowak"]
    assert names("help") == ["Zoë Testwell"]
    assert names("example.org ada") == ["Ada Mockridge"]
    assert names("flyer") == ["Łukasz Nowak"]
    assert names("nobody") == []


def test_csv_opens_safely_in_a_spreadsheet(db, tmp_path):
    sp.add_supporter(
        db,
        _slip(
            address='=HYPERLINK("http://example.invalid","click")',
            phone="+44 7700 900123",
            ticks=("keep me informed", "@SUM(1)"),
            source="-1+1",
        ),
    )
    text = sp.supporters_csv(db)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header, row = rows
    assert header[:8] == list(sp.CSV_HEADER[:8])
    got = dict(zip(header, row, strict=True))
    assert got["address"] == '\'=HYPERLINK("http://example.invalid","click")'
    assert got["phone"] == "'+447700900123"
    assert got["other ticks"] == "'@SUM(1)"
    assert got["source"] == "'-1+1"
    assert (got["keep me informed"], got["I can help"], got["consent"]) == ("yes", "", "yes")
    out = tmp_path / "supporters.csv"
    assert sp.write_supporters_csv(db, out) == 1
    assert out.read_bytes() == text.encode("utf-8")


def test_supporters_travel_to_the_coordinator_and_an_erasure_follows(tmp_path):
    coord = demo_db(str(tmp_path / "coord.db"), 60)
    lap = open_db(str(tmp_path / "lap.db"), create=True)
    keys.write_enrolment_file(coord, tmp_path / "c.enrol")
    keys.write_enrolment_file(lap, tmp_path / "l.enrol")
    keys.enrol(lap, keys.read_enrolment_file(tmp_path / "c.enrol"), role="coordinator")
    keys.enrol(coord, keys.read_enrolment_file(tmp_path / "l.enrol"))
    exchange.export_file(coord, tmp_path / "a.canvass", to=[keys.this_device(lap).id])
    run_to_end(merge_files.merge_files(lap, [tmp_path / "a.canvass"]))
    supporter_id = sp.add_supporter(lap, _slip(ticks=("I can help",)))
    exchange.export_file(lap, tmp_path / "b.canvass")
    run_to_end(merge_files.merge_files(coord, [tmp_path / "b.canvass"]))
    assert [s.id for s in sp.list_supporters(coord)] == [supporter_id]
    sp.erase_supporter(coord, supporter_id)
    assert sp.list_supporters(coord) == []
    run_to_end(merge_files.merge_files(coord, [tmp_path / "b.canvass"]))  # an old file again
    assert sp.list_supporters(coord) == []
    with coord.read() as s:
        assert s.scalar(select(Erasure.entity).where(Erasure.entity_id == supporter_id)) == (
            "supporter"
        )
    coord.close()
    lap.close()


def test_supporter_commands(tmp_path, capsys):
    paths = Paths.under(tmp_path / "home")
    dbpath = str(tmp_path / "c.db")

    def canvass(*args: str) -> int:
        return run(["--db", dbpath, *args], paths=paths, launch_gui=lambda _db, _p: 0)

    assert canvass("demo", "--electors", "60") == 0
    capsys.readouterr()
    assert canvass("supporters", "list") == 0
    assert "No supporters yet" in capsys.readouterr().out
    assert canvass("supporters", "add", "--name", "Zoë Testwell", "--postcode", "ZZ1 1AA",
                   "--phone", "+44 7700 900123", "--tick", "I can help", "--tick",
                   "keep me informed", "--source", "Library leaflet", "--json") == 0  # fmt: skip
    made = json.loads(capsys.readouterr().out)["id"]
    assert canvass("supporters", "add", "--name", "Zoë Testwell", "--postcode", "ZZ1 1AA") == 1
    assert "is a supporter already" in capsys.readouterr().err
    assert canvass("supporters", "add", "--name", "=1+1", "--postcode", "ZZ1 1AA") == 1
    assert "formula" in capsys.readouterr().err
    assert canvass("supporters", "list", "--json", "--search", "zz11aa") == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["id"] == made and listed["ticks"] == ["I can help", "keep me informed"]
    assert canvass("supporters", "list") == 0
    assert "ticked: I can help, keep me informed" in capsys.readouterr().out
    out = tmp_path / "s.csv"
    assert canvass("supporters", "export", "--out", str(out)) == 0
    assert "1 supporter." in capsys.readouterr().out
    assert "'+447700900123" in out.read_text(encoding="utf-8-sig")
