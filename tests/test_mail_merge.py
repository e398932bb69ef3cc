"""Mail merge: one letter per household in walking order, naming only who may get it."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from canvass.domain.errors import ValidationError
from canvass.services import canvassing as c
from canvass.services.erasure import suppress
from canvass.services.mail_merge import Person, mail_merge, recipients, salutation
from canvass.services.oplog import OpWriter
from canvass.services.walk_lists import create_walk_list
from canvass.storage.tables import Suppression
from tests.helpers import demo_db


def _remove(db, elector_id: str) -> None:
    with db.write() as session:
        writer = OpWriter.local(session)
        writer.set("elector", elector_id, "removed", True)
        writer.flush()


def _expected(db, doors: list[c.Door]) -> list[c.Door]:
    """The doors that should get a letter, worked out from doors() and the suppressions."""
    with db.read() as s:
        no_letters = set(
            s.scalars(
                select(Suppression.elector_id).where(
                    Suppression.scope.in_(("do-not-contact", "do-not-leaflet"))
                )
            )
        )
    return [d for d in doors if any(not e.removed and e.id not in no_letters for e in d.electors)]


def _same_door(letter, door: c.Door) -> bool:
    lines = letter.address_lines
    return lines[-1] == door.postcode and any(door.street in line for line in lines)


def test_a_5000_elector_district_gets_one_letter_per_household_in_walking_order(tmp_path):
    # 40,000 electors in 8 districts: district NA holds about 5,000 of them.
    db = demo_db(str(tmp_path / "big.db"), 40_000, 7)
    doors = c.doors(db, district="NA")
    assert sum(len(d.electors) for d in doors) >= 5000
    big = [d for d in doors if len(d.electors) >= 2]
    for e in big[0].electors:  # everyone asked for no leaflets: no letter
        suppress(db, e.id, "do-not-leaflet", "reply slip")
    for e in big[1].electors:  # do not contact, and one off the register: no letter
        suppress(db, e.id, "do-not-contact") if e is not big[1].electors[0] else _remove(db, e.id)
    suppress(db, big[2].electors[0].id, "do-not-contact")  # one of two or more: still a letter
    for e in big[3].electors:  # do-not-knock does not stop letters
        suppress(db, e.id, "do-not-knock")
    started = time.perf_counter()
    merge = mail_merge(db, district="na")
    elapsed = time.perf_counter() - started
    doors = c.doors(db, district="NA")
    expected = _expected(db, doors)
    assert len(merge.recipients) == len(expected) == len(doors) - 2
    assert all(_same_door(r, d) for r, d in zip(merge.recipients, expected, strict=True))
    assert merge.households == len(doors) and merge.skipped == 2 and merge.partly == 1
    assert merge.counts["letters"] == len(expected)
    assert elapsed < 10, f"mail merge took {elapsed:.1f} s"
    db.close()


def test_salutations():
    ada = Person("Ms", "Ada Mary", "Testwell")
    bo = Person("", "Bo", "Testwell")
    assert salutation([ada]) == ("Dear Ms Testwell", "Ms Ada Mary Testwell")
    assert salutation([bo]) == ("Dear Bo Testwell", "Bo Testwell")
    assert salutation([ada, bo]) == (
        "Dear Ada Testwell and Bo Testwell",
        "Ada Testwell and Bo Testwell",
    )
    assert salutation([]) == ("Dear resident", "The resident")
    assert salutation([ada, bo, Person("Dr", "Cy", "Mock")]) == ("Dear residents", "The residents")
    assert salutation([Person("Mr", "", "")]) == ("Dear resident", "The resident")


@pytest.fixture
def db(db_url):
    database = demo_db(db_url, 600, 5)
    yield database
    database.close()


def test_letters_name_only_the_people_who_may_get_them(db):
    doors = c.doors(db, district="NA")
    pairs = [d for d in doors if len(d.electors) == 2]
    trio = next(d for d in doors if len(d.electors) == 3)
    suppress(db, pairs[0].electors[0].id, "do-not-contact")
    c.record(db, pairs[1].electors[1].id, c.Entry("MV"))  # moved away: not named
    suppress(db, pairs[2].electors[0].id, "do-not-knock")  # still gets letters
    for e in pairs[3].electors:
        suppress(db, e.id, "do-not-leaflet")
    suppress(db, trio.electors[2].id, "do-not-leaflet")
    letters = recipients(db, district="NA")
    written = _expected(db, c.doors(db, district="NA"))
    by_door = dict(zip([d.address_id for d in written], letters, strict=True))
    assert pairs[3].address_id not in by_door

    def named(door: c.Door, i: int) -> str:
        return door.electors[i].name  # title forenames surname

    only = by_door[pairs[0].address_id]
    assert only.name == named(pairs[0], 1)
    assert only.salutation.startswith("Dear ") and "and" not in only.salutation
    assert by_door[pairs[1].address_id].name == named(pairs[1], 0)
    assert " and " in by_door[pairs[2].address_id].salutation
    assert " and " in by_door[trio.address_id].salutation
    surname = trio.electors[2].name.split()[-1]
    first = trio.electors[2].name.split()[-2]
    assert f"{first} {surname}" not in by_door[trio.address_id].salutation


def test_address_lines_come_from_the_register(db):
    letters = recipients(db, district="NA")
    doors = c.doors(db, district="NA")
    for letter, door in zip(letters, doors, strict=True):
        lines = letter.address_lines
        assert lines[-2:] == ("Exampleton", door.postcode)
        number = door.label.split(", ")[-1]
        if number[0].isdigit():
            assert lines[-3] == f"{number} {door.street}"
        if door.label.startswith("Flat"):
            assert lines[0] == door.label.split(", ")[0]
    assert any(r.address_lines[0].startswith("Flat ") for r in letters)


def test_a_walk_list_merges_in_its_own_walking_order(db):
    doors = c.doors(db, district="NB")
    street = doors[0].street
    create_walk_list(db, "First street", streets=[street], numbers=(1, 20))
    letters = recipients(db, "First street")
    on_list = c.doors(db, walk_list="First street")
    assert 0 < len(letters) == len(on_list) < len(doors)
    assert all(_same_door(r, d) for r, d in zip(letters, on_list, strict=True))
    with pytest.raises(ValidationError, match="no walk list"):
        recipients(db, "Nowhere")
    with pytest.raises(ValidationError, match="no polling district"):
        recipients(db, district="QQ")
    with pytest.raises(ValidationError, match="Choose"):
        recipients(db)
