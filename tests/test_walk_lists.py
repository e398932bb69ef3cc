"""Walk lists: saved parts of the area, and the walk sheets printed from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from canvass.domain.errors import ValidationError
from canvass.domain.progress import run_to_end
from canvass.services.campaigns import create_campaign
from canvass.services.databases import open_db
from canvass.services.oplog import OpWriter
from canvass.services.printing import print_walk_sheets
from canvass.services.register import import_register
from canvass.services.walk_lists import create_walk_list, parse_numbers, walk_lists
from tests.test_register_import import elector

FIXTURES = Path(__file__).parent / "fixtures" / "registers"


@pytest.fixture
def db(db_url):
    database = open_db(db_url, create=True)
    create_campaign(database, "Walk lists")
    run_to_end(import_register(database, FIXTURES / "xpress.tsv"))
    yield database
    database.close()


def test_a_street_range_list_holds_just_those_doors(db, tmp_path):
    made = create_walk_list(
        db,
        "High Street, low numbers",
        streets=["High Street"],
        numbers=(2, 10),
        canvasser="Ada Testwell",
    )
    assert (made.doors, made.electors) == (3, 3)
    district = create_walk_list(db, "Testbed", districts=["ab"])
    assert (district.doors, district.electors) == (2, 3)
    assert [w.name for w in walk_lists(db)] == ["High Street, low numbers", "Testbed"]
    report = run_to_end(print_walk_sheets(db, tmp_path / "w.pdf", walk_list=made.name))
    assert (report.streets, report.doors, report.electors) == (1, 3, 3)
    # Electors beyond the list's doors (AA's one without an address) are not its business.
    assert sum(report.excluded.values()) == 0


def test_lists_follow_the_register_and_the_suppression_list(db):
    create_walk_list(db, "Whole of AA", districts=["AA"])
    before = walk_lists(db)[0].electors
    with db.write() as s:
        w = OpWriter.local(s)
        w.set("elector", elector(db, "AA-7")["id"], "removed", True)
        w.create("suppression", {"elector_id": elector(db, "AA-6")["id"], "created_at": w.now()})
        w.flush()
    assert walk_lists(db)[0].electors == before - 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(name=" "), "Give the walk list a name"),
        (dict(name="x", districts=["ZZ"]), "no polling district ZZ"),
        (dict(name="x", streets=["Nowhere Road"]), "no street called 'Nowhere Road'"),
        (dict(name="x"), "at least one polling district or street"),
        (dict(name="x", districts=["AA"], numbers=(1, 5)), "needs a street"),
        (dict(name="x", streets=["High Street"], numbers=(900, 999)), "would hold nobody"),
    ],
)
def test_bad_lists_are_refused(db, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        create_walk_list(db, **kwargs)
    assert walk_lists(db) == []


def test_names_are_unique_and_ranges_parse():
    assert parse_numbers("2-40") == (2, 40)
    for bad in ("40-2", "two-forty", "7"):
        with pytest.raises(ValidationError, match="range of house numbers"):
            parse_numbers(bad)


def test_a_second_list_with_the_same_name_is_refused(db):
    create_walk_list(db, "Saturday", districts=["AA"])
    with pytest.raises(ValidationError, match="already a walk list called 'Saturday'"):
        create_walk_list(db, "Saturday", districts=["AB"])


def test_a_street_name_in_two_districts_needs_a_district(tmp_path):
    from tests.test_register_import import _row, _tsv

    database = open_db(str(tmp_path / "two.db"), create=True)
    create_campaign(database, "Two towns")
    path = _tsv(
        tmp_path / "r.tsv",
        [
            _row("AA", 1, "Mockley", "Ada", "1 High Street"),
            _row("CD", 1, "Testwell", "Tom", "2 High Street"),
        ],
    )
    run_to_end(import_register(database, path))
    with pytest.raises(ValidationError, match="in districts AA, CD; add --district"):
        create_walk_list(database, "x", streets=["High Street"])
    made = create_walk_list(database, "y", streets=["High Street"], districts=["CD"])
    assert made.electors == 1
    database.close()


def test_an_unwritable_folder_is_a_clear_message(db):
    with pytest.raises(ValidationError, match="Cannot write in /proc"):
        run_to_end(print_walk_sheets(db, Path("/proc/walk.pdf")))
