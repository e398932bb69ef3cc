"""The suppression list: each scope keeps a person off exactly its outputs, survives
re-imports of the register and erasure, is never cleared, and the prints are audited."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import select

from canvass.cli.main import run as cli_run
from canvass.cli.privacy_commands import privacy_group
from canvass.cli.privacy_suppress import COMMANDS as SUPPRESS_COMMANDS
from canvass.domain import suppression as rules
from canvass.domain.errors import ValidationError
from canvass.domain.leaflet_spec import parse_spec
from canvass.domain.progress import run_to_end
from canvass.paths import Paths
from canvass.services import audit_log, erasure, polling_day
from canvass.services import canvassing as c
from canvass.services.apply import apply_operations, check_operation
from canvass.services.campaigns import create_campaign
from canvass.services.databases import open_db
from canvass.services.mail_merge import mail_merge, print_letters, recipients
from canvass.services.printing import print_walk_sheets, walk_sheet_data
from canvass.services.register import import_register
from canvass.services.suppressions import list_suppressions
from canvass.services.walk_lists import create_walk_list, walk_lists
from canvass.storage import oplog
from canvass.storage.tables import Suppression
from canvass.sync.hlc import Stamp
from canvass.sync.ops import Operation, OpKind, new_id
from tests.test_register_import import elector

FIXTURES = Path(__file__).parent / "fixtures" / "registers"
ADA = "Ada Demoby"  # AA-6, alone at 10 High Street, ZZ1 1AD
ADA_DOOR = "10 High Street"

for _command in SUPPRESS_COMMANDS:  # until the lead attaches them to the group
    if _command.name not in privacy_group.commands:
        privacy_group.add_command(_command)


def _import(db, path: Path, edition: str, **kw):
    return run_to_end(import_register(db, path, edition=edition, **kw))


@pytest.fixture
def db(db_url):
    database = open_db(db_url, create=True)
    create_campaign(database, "Suppression test")
    _import(database, FIXTURES / "xpress.tsv", "2026-12")
    yield database
    database.close()


def edition(
    tmp_path: Path,
    name: str,
    *,
    renumber: int = 0,
    move_ada: str = "",
    ada_postcode: str = "",
    drop=(),
    extra=(),
) -> Path:
    """A later edition of xpress.tsv: district AA renumbered, Ada perhaps moved, some gone.

    The two unreadable rows are left out, so people missing are really taken off.
    ``extra`` rows, (district, number, surname, forenames, postcode, address), are added
    as they are (not renumbered).
    """
    lines = (FIXTURES / "xpress.tsv").read_text(encoding="utf-8").splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split("\t")
        if cells[:2] in (["AB", "3"], ["AB", ""]) or (cells[0] == "AA" and cells[1] in drop):
            continue
        if cells[:2] == ["AA", "6"] and move_ada:
            cells[8] = move_ada
        if cells[:2] == ["AA", "6"] and ada_postcode:
            cells[7] = ada_postcode
        if cells[0] == "AA":
            cells[1] = str(int(cells[1]) + renumber)
        out.append("\t".join(cells))
    for district, number, surname, forenames, postcode, address in extra:
        out.append("\t".join([district, number, "", "", "", surname, forenames, postcode, address]))
    path = tmp_path / name
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def _suppressions(db) -> list[Suppression]:
    with db.read() as s:
        rows = s.scalars(select(Suppression).order_by(Suppression.created_at)).all()
        s.expunge_all()
        return list(rows)


def _on_walk_sheet(db) -> set[str]:
    with db.read() as s:
        sheet = walk_sheet_data(s, ["AA"])
    return {e.name for st in sheet.streets for d in st.doors for e in d.electors}


def _on_knock_up(db) -> set[str]:
    sheet = polling_day.knock_up_sheet(db, district="AA", max_support=None)
    return {p.name for st in sheet.streets for d in st.doors for p in d.people}


def _letters(db) -> list:
    return list(mail_merge(db, district="AA").recipients)


def _letter_to(db, door: str):
    found = [r for r in _letters(db) if any(door in line for line in r.address_lines)]
    return found[0] if found else None


def _door_elector(db, name: str) -> c.DoorElector:
    return next(e for d in c.doors(db, district="AA") for e in d.electors if e.name == name)


# -- scopes -----------------------------------------------------------------------------


#: scope: (walk list, walk sheet, knock-up, letter) the person is still on.
EXPECTED = {
    None: (True, True, True, True),
    "do-not-contact": (False, False, False, False),
    "do-not-knock": (False, False, False, True),
    "do-not-leaflet": (True, True, True, False),
}


@pytest.mark.parametrize("scope", list(EXPECTED))
def test_each_scope_keeps_the_person_off_exactly_its_outputs(db, scope):
    ada = elector(db, "AA-6")["id"]
    c.record(db, ada, c.Entry("SPK", intention="S"))  # a promise: on the knock-up list
    c.record(db, elector(db, "AA-1")["id"], c.Entry("SPK", intention="S"))
    create_walk_list(db, "All of AA", districts=["AA"])
    everyone = walk_lists(db)[0].electors
    if scope is not None:
        erasure.suppress(db, ada, scope, "asked by letter")
    on_list = walk_lists(db)[0].electors == everyone
    assert walk_lists(db)[0].electors in (everyone, everyone - 1)
    got = (on_list, ADA in _on_walk_sheet(db), ADA in _on_knock_up(db))
    letter = _letter_to(db, ADA_DOOR)  # she lives alone: no letter means the door is skipped
    assert got + (letter is not None,) == EXPECTED[scope]
    if letter is not None:
        assert letter.name == ADA
    # Others are untouched whatever the scope.
    assert "Siân Testwell" in _on_walk_sheet(db) and "Siân Testwell" in _on_knock_up(db)
    # The door screen stops the canvasser for the scopes that stop knocking; a
    # "no letters" request does not keep a conversation at the door from being recorded.
    assert _door_elector(db, ADA).do_not_contact is (scope in ("do-not-contact", "do-not-knock"))


@pytest.mark.parametrize(
    ("scope", "named"),
    [("do-not-leaflet", "Rhys Testwell"), ("do-not-knock", "Siân Testwell and Rhys Testwell")],
)
def test_a_letter_never_names_a_person_who_asked_for_none(db, scope, named):
    erasure.suppress(db, elector(db, "AA-1")["id"], scope)  # Siân, who lives with Rhys
    letter = _letter_to(db, "14 High Street")
    assert letter is not None and letter.name == named
    merge = mail_merge(db, district="AA")
    assert merge.partly == (1 if scope == "do-not-leaflet" else 0)


def test_walk_sheets_count_who_was_left_out_and_why(db):
    erasure.suppress(db, elector(db, "AA-6")["id"], "do-not-knock")
    erasure.suppress(db, elector(db, "AA-1")["id"], "do-not-contact")
    erasure.suppress(db, elector(db, "AA-2")["id"], "do-not-leaflet")
    with db.read() as s:
        sheet = walk_sheet_data(s, ["AA"])
    assert (sheet.excluded["do not knock"], sheet.excluded["do not contact"]) == (1, 1)
    assert "Rhys Testwell" in _on_walk_sheet(db)


def test_the_scope_rule_lives_in_one_place():
    assert rules.scopes_excluding(rules.Output.KNOCK) == {"do-not-contact", "do-not-knock"}
    assert rules.scopes_excluding(rules.Output.LETTER) == {"do-not-contact", "do-not-leaflet"}
    assert rules.scopes_excluding(rules.Output.EXPORT) == {"do-not-contact"}
    # A scope from a newer version is read as the strictest.
    assert all(rules.excludes("do-not-phone", output) for output in rules.Output)
    # Screens name each scope, leaving out one that a stricter scope covers.
    assert rules.shown_scopes({"do-not-leaflet", "do-not-knock"}) == (
        "do-not-knock",
        "do-not-leaflet",
    )
    assert rules.shown_scopes({"do-not-knock", "do-not-contact"}) == ("do-not-contact",)
    assert rules.shown_scopes({"do-not-phone", "do-not-leaflet"}) == ("do-not-contact",)
    assert rules.shown_scopes(()) == ()
    with pytest.raises(ValidationError, match="not a suppression scope; use one of"):
        rules.check_scope("do-not-email")
    with pytest.raises(ValidationError, match="keep it to 64"):
        rules.check_reason("x" * 65)


def test_bad_suppressions_change_nothing(db):
    with pytest.raises(ValidationError, match="not a suppression scope"):
        erasure.suppress(db, elector(db, "AA-6")["id"], "do-not-phone")
    with pytest.raises(ValidationError, match="not in this database"):
        erasure.suppress(db, new_id(), "do-not-contact")
    assert _suppressions(db) == []


def test_the_match_key_recognises_the_person_however_the_register_spells_them():
    key = rules.campaign_key("campaign-1")
    same = {
        rules.match_key(key, "Siân", "TESTWELL", "ZZ1 1AB"),
        rules.match_key(key, "  sian ", "Testwell", "zz11ab"),
        rules.match_key(key, "SIAN", "testwell", "ZZ1  1AB"),
    }
    assert len(same) == 1 and len(same.pop()) == 64
    assert rules.match_key(key, "Łukasz", "Nguyễn-Sample", "ZZ1 1AB") == rules.match_key(
        key, "Lukasz", "Nguyen Sample", "ZZ1 1AB"
    )
    others = {
        rules.match_key(key, "Siân", "Testwell", "ZZ1 1AD"),  # another postcode
        rules.match_key(key, "Rhys", "Testwell", "ZZ1 1AB"),  # another person
        rules.match_key(rules.campaign_key("campaign-2"), "Siân", "Testwell", "ZZ1 1AB"),
    }
    assert len(others) == 3 and rules.match_key(key, "Siân", "Testwell", "ZZ1 1AB") not in others
    assert rules.match_key(key, "", "", "ZZ1 1AB") == ""


# -- re-imports ---------------------------------------------------------------------------


def test_a_suppression_follows_the_person_into_a_renumbered_register_at_a_new_house(db, tmp_path):
    old = elector(db, "AA-6")
    erasure.suppress(db, old["id"], "do-not-contact", "asked at the door")
    erasure.suppress(db, elector(db, "AA-7")["id"], "do-not-knock")  # Alan, who leaves
    erasure.suppress(db, elector(db, "AA-1")["id"], "do-not-leaflet")  # Siân, who stays
    stored = _suppressions(db)
    assert all(len(s.match_key) == 64 for s in stored)
    for s in stored:  # the minimum: never the name
        assert "Demoby" not in repr(vars(s)) and "Ada" not in s.reason
    create_walk_list(db, "All of AA", districts=["AA"])
    second = edition(tmp_path, "2027.tsv", renumber=100, move_ada="12 High Street", drop=("7",))

    preview = _import(db, second, "2027-01", dry_run=True)
    assert (preview.suppressions_carried, preview.suppressions_unmatched) == (1, 1)
    assert len(_suppressions(db)) == 3  # a dry run writes nothing

    report = _import(db, second, "2027-01")
    assert (report.added, report.removed) == (1, 2)  # Ada is new here; the matcher lost her
    assert (report.suppressions_carried, report.suppressions_unmatched) == (1, 1)
    assert "1 carried over" in report.suppression_words()
    assert "would be carried over" in preview.suppression_words()
    new = elector(db, "AA-106")
    assert new["surname"] == "Demoby" and new["number"] == 12 and new["id"] != old["id"]
    assert elector(db, "AA-6") == {**old, "removed": True}  # her old record, off the register
    carried = [s for s in _suppressions(db) if s.elector_id == new["id"]]
    assert len(carried) == 1
    assert (carried[0].scope, carried[0].reason) == ("do-not-contact", rules.CARRIED_REASON)
    assert carried[0].match_key == stored[0].match_key
    with db.read() as s:  # an operation, so it travels in exchange files
        ops = oplog.operations_for(s, "suppression", carried[0].id)
    assert [op.kind for op in ops] == [OpKind.CREATE]
    assert len(_suppressions(db)) == 4  # the old three are all kept

    # She stays off walk lists, walk sheets and letters at her new door.
    assert ADA not in _on_walk_sheet(db)
    assert walk_lists(db)[0].electors == sum(1 for e in _all_aa(db) if not e.removed) - 1
    assert _letter_to(db, "12 High Street") is None
    assert _door_elector(db, ADA).do_not_contact

    again = _import(db, second, "2027-01")
    assert (again.suppressions_carried, again.suppressions_unmatched) == (0, 1)
    assert len(_suppressions(db)) == 4


#: Ada, moved from 10 High Street (ZZ1 1AD) to a house in another postcode.
MOVED = {"renumber": 100, "move_ada": "5 Sample Lane", "ada_postcode": "ZZ1 2EF"}
#: Another Ada Demoby, new to the register in the same edition.
OTHER_ADA = ("AA", "150", "Demoby", "Ada", "ZZ9 9ZZ", "1 Exampleton Road")


def _held(db) -> set[tuple[str | None, str, str]]:
    return {(s.elector_id, s.scope, s.reason) for s in _suppressions(db)}


def _key_of(db, forenames: str, surname: str, postcode: str) -> str:
    from canvass.services.campaigns import current_campaign

    with db.read() as s:
        campaign = current_campaign(s)
        assert campaign is not None
        return rules.match_key(rules.campaign_key(campaign.id), forenames, surname, postcode)


def test_a_suppression_follows_a_person_who_moved_to_another_postcode(db, tmp_path):
    old = elector(db, "AA-6")
    erasure.suppress(db, old["id"], "do-not-knock", "asked at the door")
    erasure.suppress(db, old["id"], "do-not-leaflet", "asked by letter")
    erasure.suppress(db, elector(db, "AA-1")["id"], "do-not-contact")  # Siân, who stays
    before = _held(db)
    second = edition(tmp_path, "2027.tsv", **MOVED)

    preview = _import(db, second, "2027-01", dry_run=True)
    assert (preview.suppressions_moved, preview.suppressions_to_check) == (2, 0)
    assert "would be carried over" in preview.suppression_words()
    assert _held(db) == before  # a dry run writes nothing

    report = _import(db, second, "2027-01")
    assert (report.added, report.removed) == (1, 1)  # the match key cannot see the move
    assert (report.suppressions_carried, report.suppressions_moved) == (0, 2)
    assert (report.suppressions_unmatched, report.suppressions_to_check) == (0, 0)
    assert report.suppressions_check == []
    assert "2 to a newcomer of the same name" in report.suppression_words()
    new = elector(db, "AA-106")
    assert (new["surname"], new["postcode"], new["id"] != old["id"]) == ("Demoby", "ZZ1 2EF", True)
    assert elector(db, "AA-6")["removed"] is True
    carried = [s for s in _suppressions(db) if s.elector_id == new["id"]]
    assert sorted((s.scope, s.reason) for s in carried) == [
        ("do-not-knock", rules.MOVED_REASON),
        ("do-not-leaflet", rules.MOVED_REASON),
    ]
    assert len(rules.MOVED_REASON) <= rules.MAX_REASON
    # Keyed at the new address, so the next edition finds her there.
    assert {s.match_key for s in carried} == {_key_of(db, "Ada", "Demoby", "ZZ1 2EF")}
    with db.read() as s:  # operations, so they travel in exchange files
        kinds = [
            op.kind for one in carried for op in oplog.operations_for(s, "suppression", one.id)
        ]
    assert kinds == [OpKind.CREATE, OpKind.CREATE]
    # Nobody else is touched: the old suppressions are kept, and only Ada's new record gains.
    assert _held(db) == before | {(new["id"], s.scope, s.reason) for s in carried}
    assert ADA not in _on_walk_sheet(db) and _letter_to(db, "5 Sample Lane") is None
    assert _door_elector(db, ADA).do_not_contact
    assert "Rhys Testwell" in _on_walk_sheet(db) and _letter_to(db, "2 High Street") is not None
    audit = _audit(db, "register-import")[0]
    assert (audit["suppressions_moved"], audit["suppressions_to_check"]) == (2, 0)

    again = _import(db, second, "2027-01")
    assert (again.added, again.removed, again.operations) == (0, 0, 0)
    assert (again.suppressions_carried, again.suppressions_moved) == (0, 0)
    assert again.suppressions_to_check == 0
    assert _held(db) == before | {(new["id"], s.scope, s.reason) for s in carried}


def test_two_newcomers_of_a_suppressed_persons_name_get_nothing_and_are_reported(db, tmp_path):
    erasure.suppress(db, elector(db, "AA-6")["id"], "do-not-contact", "asked at the door")
    before = _held(db)
    second = edition(tmp_path, "2027.tsv", **MOVED, extra=[OTHER_ADA])

    preview = _import(db, second, "2027-01", dry_run=True)
    report = _import(db, second, "2027-01")
    case = {"left": "AA-6", "scopes": "do-not-contact", "joined": "AA-106, AA-150", "also_left": ""}
    for got in (preview, report):
        assert (got.added, got.suppressions_moved, got.suppressions_to_check) == (2, 0, 1)
        assert got.suppressions_unmatched == 1  # the suppression is kept, on her old record
        assert got.suppressions_check == [case]
        words = got.suppression_words()
        assert "1 suppression whose person may have moved: check by hand" in words
        assert "AA-6 (do-not-contact) left the register; AA-106 or AA-150 joined it" in words
    assert _held(db) == before  # neither Ada is suppressed
    assert [e.name for e in _all_aa(db) if e.name == ADA and not e.do_not_contact] == [ADA, ADA]
    audit = _audit(db, "register-import")[0]
    assert (audit["suppressions_moved"], audit["suppressions_to_check"]) == (0, 1)
    assert audit["suppressions_check"] == [case]
    assert "Demoby" not in json.dumps(audit) and "Ada" not in json.dumps(audit)

    again = _import(db, second, "2027-01")
    assert (again.suppressions_moved, again.suppressions_to_check, again.operations) == (0, 0, 0)
    assert _held(db) == before


def test_a_newcomer_is_not_given_a_suppression_when_two_of_the_name_left(db, tmp_path):
    # Another Ada Demoby joins first; then both leave and one Ada Demoby joins elsewhere.
    _import(db, edition(tmp_path, "2027.tsv", extra=[OTHER_ADA]), "2027-01")
    erasure.suppress(db, elector(db, "AA-6")["id"], "do-not-knock")
    before = _held(db)
    third = edition(tmp_path, "2028.tsv", **MOVED)  # without AA-150: she left
    report = _import(db, third, "2028-01")
    assert (report.added, report.removed) == (1, 2)
    assert (report.suppressions_moved, report.suppressions_to_check) == (0, 1)
    assert report.suppressions_check == [
        {"left": "AA-6", "scopes": "do-not-knock", "joined": "AA-106", "also_left": "AA-150"}
    ]
    assert "AA-150 of the same name left too" in report.suppression_words()
    assert _held(db) == before
    assert ADA in _on_walk_sheet(db)  # nobody may be suppressed on a guess


def _all_aa(db) -> list[c.DoorElector]:
    return [e for d in c.doors(db, district="AA") for e in d.electors]


def test_an_erased_person_who_reappears_is_still_suppressed(db, tmp_path):
    ada = elector(db, "AA-6")["id"]
    erasure.suppress(db, ada, "do-not-knock")
    erasure.erase(db, "elector", ada, "subject-request")
    kept = _suppressions(db)
    assert len(kept) == 1 and kept[0].elector_id == ada and kept[0].match_key
    report = _import(db, edition(tmp_path, "2027.tsv", renumber=50), "2027-01")
    assert (report.added, report.suppressions_carried, report.suppressions_unmatched) == (1, 1, 0)
    back = elector(db, "AA-56")
    assert back["surname"] == "Demoby" and back["id"] != ada
    assert ADA not in _on_walk_sheet(db)
    assert _letter_to(db, ADA_DOOR) is not None  # do-not-knock: letters still come
    listed = {s.elector for s in list_suppressions(db)}
    assert listed == {"", "AA-56"}  # the erased record's is kept, with nobody on it


def test_a_suppression_made_before_match_keys_outlives_the_erasure_of_its_person(db, tmp_path):
    """A keyless suppression (an older version's) is matched through its elector's name;
    erasing that elector would leave it matching nobody, so the erasure keys a copy first."""
    from canvass.services.oplog import OpWriter

    ada = elector(db, "AA-6")["id"]
    with db.write() as session:
        writer = OpWriter.local(session)
        writer.create(
            "suppression",
            {"elector_id": ada, "scope": "do-not-contact", "reason": "", "created_at": "x"},
        )
        writer.flush()
    assert [s.match_key for s in _suppressions(db)] == [""]
    erasure.erase(db, "elector", ada, "subject-request")
    assert sorted(bool(s.match_key) for s in _suppressions(db)) == [False, True]
    report = _import(db, edition(tmp_path, "2027.tsv", renumber=50), "2027-01")
    assert report.suppressions_carried == 1
    assert ADA not in _on_walk_sheet(db) and _letter_to(db, ADA_DOOR) is None


# -- grow-only ----------------------------------------------------------------------------


def test_no_path_clears_a_suppression(db, tmp_path):
    ada = elector(db, "AA-6")["id"]
    sid = erasure.suppress(db, ada, "do-not-contact")
    before = _suppressions(db)[0]

    # Taken off the register by a later edition: kept.
    _import(db, edition(tmp_path, "2027.tsv", drop=("6",)), "2027-01")
    assert elector(db, "AA-6")["removed"] is True
    assert [s.id for s in _suppressions(db)] == [sid]
    # A suppression itself cannot be erased.
    with pytest.raises(ValidationError, match="cannot be erased"):
        erasure.erase(db, "suppression", sid, "other")
    # A change to it arriving in a file (a weakened scope, a cleared key) is dropped.
    weaken = [
        Operation(new_id(), new_id(), n, Stamp(2**40 + n, 0), OpKind.SET, "suppression", sid, f, v)
        for n, (f, v) in enumerate((("scope", "do-not-leaflet"), ("match_key", "")), start=1)
    ]
    with db.write() as s:
        applied = apply_operations(s, [check_operation(op, op.wire_json()) for op in weaken])
    assert applied.dropped_suppressed == 2
    # Suppressing again, or erasing the person, adds or keeps; never removes.
    erasure.suppress(db, ada, "do-not-knock")
    erasure.erase(db, "elector", ada, "subject-request")
    after = _suppressions(db)
    assert len(after) == 2
    first = next(s for s in after if s.id == sid)
    assert (first.scope, first.match_key, first.elector_id) == (
        before.scope,
        before.match_key,
        before.elector_id,
    )
    # No command takes a suppression off the list.
    assert not {"unsuppress", "unsuppress-elector", "clear"} & set(privacy_group.commands)


# -- command line -------------------------------------------------------------------------


def test_suppress_and_list_from_the_command_line(tmp_path, capsys):
    path = tmp_path / "c.db"
    database = open_db(str(path), create=True)
    create_campaign(database, "CLI suppression")
    _import(database, FIXTURES / "xpress.tsv", "2026-12")
    alan = elector(database, "AA-7")["id"]
    database.close()
    paths = Paths.under(tmp_path / "home")

    def canvass(*args: str) -> int:
        return cli_run(["--db", str(path), *args], paths=paths, launch_gui=lambda *_: 0)

    assert canvass("privacy", "suppressions") == 0
    assert "The suppression list is empty." in capsys.readouterr().out
    assert canvass("privacy", "suppress", "AA-6", "--scope", "do-not-knock") == 0
    assert "Suppressed AA-6: do-not-knock" in capsys.readouterr().out
    args = ("privacy", "suppress", alan.upper(), "--scope", "do-not-contact", "--reason", "letter")
    assert canvass(*args) == 0
    capsys.readouterr()
    assert canvass("privacy", "suppress", "AA-999", "--scope", "do-not-knock") == 1
    assert "no elector AA-999" in capsys.readouterr().err
    assert canvass("privacy", "suppress", "AA-1", "--scope", "do-not-phone") == 2
    assert (
        canvass("privacy", "suppress", "AA-1", "--scope", "do-not-knock", "--reason", "x" * 70) == 1
    )
    assert "keep it to 64" in capsys.readouterr().err

    database = open_db(str(path))
    erasure.erase(database, "elector", alan, "subject-request")
    database.close()
    assert canvass("privacy", "suppressions") == 0
    text = capsys.readouterr().out
    assert "AA-6" in text and "not in the current register" in text and "letter" in text
    assert "Demoby" not in text
    assert canvass("privacy", "suppressions", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["scope"], r["elector"], r["on_register"]) for r in rows] == [
        ("do-not-knock", "AA-6", True),
        ("do-not-contact", None, False),
    ]
    assert canvass("audit", "list") == 0
    assert capsys.readouterr().out.count("suppress ") == 2


# -- audit --------------------------------------------------------------------------------


def _audit(db, action: str) -> list[dict]:
    return [json.loads(e.detail) for e in audit_log.entries(db) if e.action == action]


def test_imports_and_prints_of_personal_data_are_audited_without_it(db, tmp_path):
    first = _audit(db, "register-import")
    assert len(first) == 1 and first[0]["file"] == "xpress.tsv" and first[0]["electors"] == 13
    erasure.suppress(db, elector(db, "AA-6")["id"], "do-not-contact")
    _import(db, edition(tmp_path, "2027.tsv", renumber=100, move_ada="12 High Street"), "2027-01")
    second = _audit(db, "register-import")[0]  # newest first
    assert (second["file"], second["suppressions_carried"]) == ("2027.tsv", 1)
    _import(db, edition(tmp_path, "2028.tsv"), "2028-01", dry_run=True)
    assert len(_audit(db, "register-import")) == 2  # a dry run imports nothing

    c.record(db, elector(db, "AA-101")["id"], c.Entry("SPK", intention="S"))
    sheet = polling_day.knock_up_sheet(db, district="AA")
    run_to_end(polling_day.print_knock_up(db, tmp_path / "knock-up.pdf", sheet))
    run_to_end(print_walk_sheets(db, tmp_path / "walk.pdf", ["AA"]))
    spec = parse_spec(
        (resources.files("canvass.resources") / "examples" / "councillor-letter.toml").read_text(
            encoding="utf-8"
        )
    )
    create_walk_list(db, "High Street", streets=["High Street"])
    report, merge = print_letters(db, spec, tmp_path / "letters.pdf", "High Street")
    assert report.pages == len(merge.recipients) > 0
    recipients(db, district="AA", out=tmp_path / "other.pdf")

    knock = _audit(db, "print-knock-up")
    walk = _audit(db, "print-walk-sheets")
    letters = _audit(db, "mail-merge")
    assert knock == [{**knock[0], "file": "knock-up.pdf", "electors": 1}]
    assert walk[0]["file"] == "walk.pdf" and walk[0]["electors"] == 8 and walk[0]["left_out"] >= 1
    assert [m["file"] for m in letters] == ["other.pdf", "letters.pdf"]
    assert letters[1]["letters"] == len(merge.recipients) and letters[1]["walk_list"]
    every = "\n".join(e.detail for e in audit_log.entries(db))
    for personal in ("Demoby", "Testwell", "Siân", "ZZ1", "Sample Lane"):
        assert personal not in every
    assert audit_log.verify_chain(db).ok


def test_the_walk_sheet_gives_the_reason_of_the_strictest_scope() -> None:
    from canvass.services.printing import _not_knocked

    assert _not_knocked({"do-not-knock"}) == "do not knock"
    assert _not_knocked({"do-not-knock", "do-not-leaflet"}) == "do not knock"
    assert _not_knocked({"do-not-contact", "do-not-knock"}) == "do not contact"
    assert _not_knocked({"a-scope-from-a-newer-version"}) == "do not contact"
