"""Doorstep records, sheet lookup, search, code sets, reports and safe CSV."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from canvass.domain.errors import ValidationError
from canvass.domain.spreadsheet import csv_text, safe_cell
from canvass.services import canvassing as c
from canvass.services import code_sets, reports, search
from canvass.storage.tables import OperationRow, Suppression, Visit
from tests.helpers import demo_db


@pytest.fixture
def db(db_url):
    database = demo_db(db_url, 200)
    yield database
    database.close()


def _fresh_door(db):
    """A door whose electors have no records yet."""
    for door in c.doors(db, district="NA"):
        if all(not e.visits and e.can_record for e in door.electors) and len(door.electors) > 1:
            return door
    raise AssertionError("the demo has no untouched door")


def test_a_record_is_one_create_and_undo_redo_are_operations(db):
    door = _fresh_door(db)
    first = door.electors[0]
    visit_id = c.record(db, first.id, c.Entry("SPK", "S", 2, None, ("WPV",)), canvasser="Ada")
    c.set_voided(db, [visit_id], True)
    c.set_voided(db, [visit_id], False)
    with db.read() as s:
        ops = s.scalars(select(OperationRow).where(OperationRow.entity_id == visit_id)).all()
        assert [(o.kind, o.field) for o in sorted(ops, key=lambda o: o.seq)] == [
            ("create", None),
            ("set", "voided"),
            ("set", "voided"),
        ]
        visit = s.get(Visit, visit_id)
        assert (visit.outcome, visit.intention, visit.support, visit.flags, visit.voided) == (
            "SPK", "S", 2, "WPV", False,
        )  # fmt: skip


def test_household_not_in_skips_who_cannot_be_recorded(db):
    door = _fresh_door(db)
    c.record(db, door.electors[0].id, c.Entry("DNC"))
    made = c.household_not_in(db, door.address_id)
    assert len(made) == len(door.electors) - 1
    with db.read() as s:
        assert s.scalar(select(Suppression.id).where(Suppression.elector_id == door.electors[0].id))


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (c.Entry("ZZ"), "not an outcome"),
        (c.Entry("SPK", "Q"), "not a voting-intention code"),
        (c.Entry("NI", "S"), "needs the outcome"),
        (c.Entry("SPK", support=7), "1 to 5"),
        (c.Entry("SPK", flags=("NOPE",)), "not a flag"),
    ],
)
def test_bad_entries_save_nothing(db, entry, message):
    door = _fresh_door(db)
    with db.read() as s:
        before = len(s.scalars(select(OperationRow.op_id)).all())
    with pytest.raises(ValidationError, match=message):
        c.record(db, door.electors[0].id, entry)
    with db.read() as s:
        assert len(s.scalars(select(OperationRow.op_id)).all()) == before


def test_moved_and_do_not_contact_electors_are_refused_until_undone(db):
    door = _fresh_door(db)
    moved = c.record(db, door.electors[0].id, c.Entry("MV"))
    with pytest.raises(ValidationError, match="moved away"):
        c.record(db, door.electors[0].id, c.Entry("SPK"))
    c.set_voided(db, [moved], True)
    c.record(db, door.electors[0].id, c.Entry("SPK"))
    c.record(db, door.electors[1].id, c.Entry("DNC"))
    with pytest.raises(ValidationError, match="not to be contacted"):
        c.record(db, door.electors[1].id, c.Entry("SPK"))


def test_an_edit_records_only_the_fields_that_changed(db):
    door = _fresh_door(db)
    visit_id = c.record(db, door.electors[0].id, c.Entry("SPK", "U", 3))
    c.edit(db, visit_id, c.Entry("SPK", "L", 3, notes="call after six"))
    with db.read() as s:
        sets = s.scalars(
            select(OperationRow.field).where(
                OperationRow.entity_id == visit_id, OperationRow.kind == "set"
            )
        ).all()
        assert sorted(sets) == ["intention", "notes"]


def test_sheet_numbers_are_found_in_any_spelling_and_unknown_ones_refused(db):
    assert c.find_by_number(db, "NA-1").number == c.find_by_number(db, "1", district="na").number
    with pytest.raises(ValidationError, match="no elector NA-9999"):
        c.find_by_number(db, "NA-9999")
    with pytest.raises(ValidationError, match="not an elector number"):
        c.find_by_number(db, "twelve")


def test_search_finds_by_name_number_and_postcode_and_follows_changes(db):
    door = _fresh_door(db)
    person = door.electors[0]
    surname = person.name.split()[-1]
    assert person.id in {h.elector_id for h in search.search_electors(db, surname[:4])}
    assert [h.elector_id for h in search.search_electors(db, person.number)][:1] == [person.id]
    assert search.search_electors(db, door.postcode)
    assert search.search_electors(db, "   ") == []
    # A new record changes the log: the index is rebuilt before the next search.
    c.record(db, person.id, c.Entry("DNC"))
    [hit] = [h for h in search.search_electors(db, person.number) if h.elector_id == person.id]
    assert hit.do_not_contact


def test_code_sets_round_trip_and_keep_what_was_recorded(db, tmp_path):
    door = _fresh_door(db)
    visit_id = c.record(db, door.electors[0].id, c.Entry("SPK", "S"))
    book = c.code_book(db)
    renamed = c.CodeBook(
        book.outcomes,
        (("G", "Green"), ("U", "Undecided")),
        book.flags,
        (c.Question("Q1", "Would you sign the library petition?", ("yes", "no")),),
    )
    code_sets.save_code_book(db, renamed)
    assert c.code_book(db).intentions == (("G", "Green"), ("U", "Undecided"))
    with db.read() as s:
        assert s.get(Visit, visit_id).intention == "S"  # the past is not rewritten
    path = tmp_path / "codes.json"
    code_sets.export_code_book(db, path)
    assert code_sets.read_code_book(path) == c.code_book(db)
    with pytest.raises(ValidationError, match="must keep SPK"):
        code_sets.save_code_book(
            db,
            c.CodeBook(
                tuple(x for x in book.outcomes if x[0] != "SPK"), book.intentions, book.flags
            ),
        )
    c.record(db, door.electors[1].id, c.Entry("SPK", answers={"Q1": "yes"}))
    with pytest.raises(ValidationError, match="not an answer"):
        c.record(db, door.electors[1].id, c.Entry("SPK", answers={"Q1": "maybe"}))


def test_report_counts_activity_and_each_elector_s_latest_opinion(db):
    door = _fresh_door(db)
    before = reports.build_report(db)
    first = c.record(db, door.electors[0].id, c.Entry("SPK", "A", 5))
    c.record(db, door.electors[0].id, c.Entry("SPK", "S", 1, flags=("P",)))
    undone = c.record(db, door.electors[1].id, c.Entry("SPK", "S"))
    c.set_voided(db, [undone], True)
    after = reports.build_report(db, by="district")
    t, b = after.total, before.total
    assert t.visits - b.visits == 2
    assert t.electors_spoken_to - b.electors_spoken_to == 1
    assert t.intentions["S"] - b.intentions["S"] == 1 and t.intentions["A"] == b.intentions["A"]
    assert t.flags["P"] - b.flags["P"] == 1
    assert sum(g.electors for g in after.groups.values()) == t.electors
    assert first
    data = json.loads(json.dumps(after.to_json()))
    assert data["total"]["contact_rate"] == round(t.contact_rate, 4)


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised():
    assert safe_cell("=1+2") == "'=1+2"
    assert safe_cell("+44 1632 960000") == "'+44 1632 960000"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("\tx") == "'\tx"
    assert safe_cell(-3) == "-3"
    text = csv_text(["name"], [['=1+2";=1+2'], ["Zoë"]])
    assert text.startswith("\ufeff")
    assert '"\'=1+2"";=1+2"' in text


def test_the_knock_up_list_holds_supporters_in_walking_order(db, tmp_path):
    import subprocess

    from canvass.domain.progress import run_to_end
    from canvass.services import polling_day

    door = _fresh_door(db)
    c.record(db, door.electors[0].id, c.Entry("SPK", "S", flags=("LIFT",)))
    c.record(db, door.electors[1].id, c.Entry("SPK", "A", 5))
    sheet = polling_day.knock_up_sheet(db, district="NA", intentions=("S",), max_support=None)
    people = [p for s in sheet.streets for d in s.doors for p in d.people]
    assert door.electors[0].number in {p.number for p in people}
    assert door.electors[1].number not in {p.number for p in people}
    [mine] = [p for p in people if p.number == door.electors[0].number]
    assert mine.note == "Lift needed"
    out = tmp_path / "knock-up.pdf"
    report = run_to_end(polling_day.print_knock_up(db, out, sheet))
    assert report.electors == len(people)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "Knock-up list" in text and door.electors[0].number in text
    with pytest.raises(ValidationError, match="not a voting-intention code"):
        polling_day.knock_up_sheet(db, district="NA", intentions=("Q",))
