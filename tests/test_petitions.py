"""Petitions: validation, transcription all-or-nothing, duplicates, withdrawals that travel."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from canvass.cli.main import run
from canvass.domain import signers
from canvass.domain.errors import ValidationError
from canvass.domain.progress import run_to_end
from canvass.paths import Paths
from canvass.services import exchange, keys, merge_files
from canvass.services import petition_counts as pc
from canvass.services import petitions as p
from canvass.services.databases import open_db
from canvass.storage.tables import OperationRow, Petition, Signature
from tests.helpers import demo_db

TEXT = "We ask the council to keep Sampleton Library open six days a week."


@pytest.fixture
def db(db_url):
    database = demo_db(db_url, 120)
    yield database
    database.close()


@pytest.fixture
def petition(db):
    return p.create_petition(
        db,
        p.PetitionDraft(
            "Save Sampleton Library", TEXT, "Cllr A. Testperson", "Northmock", threshold=50
        ),
    )


def _signer(name="Zoë Testwell", postcode="ZZ1 1AA", **kw):
    return p.Signer(name=name, address="1 Sample Road", postcode=postcode, consent=True, **kw)


@pytest.mark.parametrize(
    ("signer", "message"),
    [
        (_signer(name=""), "name is empty"),
        (_signer(name="=HYPERLINK(1)"), "cannot start with '='"),
        (_signer(name="+44 Testwell"), r"cannot start with '\+'"),
        (_signer(name="www.example.com"), "web address"),
        (_signer(postcode="ZZ9 ZZZ9"), "not a UK postcode"),
        (_signer(email="not-an-email"), "not an email address"),
        (_signer(phone="123"), "phone number"),
        (p.Signer(name="Zoë Testwell", postcode="ZZ1 1AA"), "consent"),
        (_signer(strokes=[[0, 0, 2000, 5]]), "0 to 1000"),
    ],
)
def test_bad_signers_are_refused_and_nothing_is_saved(db, petition, signer, message):
    with db.read() as s:
        before = len(s.scalars(select(OperationRow.op_id)).all())
    with pytest.raises(ValidationError, match=message):
        p.sign(db, petition, signer)
    with db.read() as s:
        assert len(s.scalars(select(OperationRow.op_id)).all()) == before


def test_postcodes_emails_and_phones_are_normalised(db, petition):
    signature_id = p.sign(
        db, petition, _signer(postcode="zz11aa", email="Zoe.Test@EXAMPLE.com", phone="07700 900123")
    )
    with db.read() as s:
        row = s.get(Signature, signature_id)
        assert (row.postcode, row.email, row.phone) == (
            "ZZ1 1AA",
            "Zoe.Test@example.com",
            "+447700900123",
        )
    assert signers.check_postcode("bfpo 801") == "BFPO 801"
    assert signers.check_postcode("gir0aa") == "GIR 0AA"
    assert signers.canonical_email("Zoe.Test+petition@GoogleMail.com") == "zoetest@gmail.com"


def test_duplicates_are_excluded_in_time_order_and_a_person_can_overrule(db, petition):
    first = p.sign(db, petition, _signer(email="zoe.test@example.com"))
    second = p.sign(db, petition, _signer(name="Ms ZOE Testwell"))  # same person, same postcode
    third = p.sign(
        db, petition, _signer(name="Zed Other", postcode="ZZ2 2BB", email="ZOE.TEST+x@example.com")
    )
    t = pc.tally(db, petition)
    status = {j.signature.id: (j.counted, j.reasons) for j in t.judged}
    assert status[first] == (True, ())
    assert status[second] == (False, ("duplicate: same name and postcode",))
    assert status[third] == (False, ("duplicate: same email",))
    assert t.counted == 1 and t.excluded["duplicate"] == 2
    p.decide(db, third, "count", "two people share the mailbox")
    assert pc.tally(db, petition).counted == 2


def test_a_csv_with_broken_rows_imports_nothing_and_names_every_line(db, petition, tmp_path):
    path = tmp_path / "sheet-3.csv"
    path.write_text(
        "name,address,postcode,sheet,row\n"
        "Ada Testwell,2 Sample Road,ZZ1 1AA,3,1\n"
        "=cmd,3 Sample Road,ZZ1 1AA,3,2\n"
        "Bo Mockridge,4 Sample Road,nonsense,3,3\n"
        ",5 Sample Road,ZZ1 1AA,3,4\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as refused:
        p.import_csv(db, petition, path)
    message = str(refused.value)
    assert "line 3" in message and "line 4" in message and "line 5" in message
    assert pc.tally(db, petition).counted == 0
    path.write_text(
        "\ufeffName,Postcode,Address,Sheet,Row\nAda Testwell,ZZ1 1AA,2 Sample Road,3,1\n",
        encoding="utf-8",
    )
    assert p.import_csv(db, petition, path) == 1
    [judged] = pc.tally(db, petition).judged
    row = judged.signature
    assert (row.method, row.sheet_number, row.row_number) == ("paper", 3, 1)


def test_a_new_text_is_a_new_version_and_signatures_keep_theirs(db, petition):
    before = p.sign(db, petition, _signer())
    draft = p.PetitionDraft(
        "Save Sampleton Library", TEXT + " And on Sundays.", "Cllr A. Testperson"
    )
    p.update_petition(db, petition, draft)
    after = p.sign(db, petition, _signer(name="Ada Mockridge"))
    with db.read() as s:
        assert s.get(Petition, petition).text_version == 2
        assert [s.get(Signature, i).text_version for i in (before, after)] == [1, 2]
    assert pc.tally(db, petition).by_version == {1: 1, 2: 1}


def test_signatures_from_two_laptops_merge_once_with_duplicates_flagged_and_withdrawals_honoured(
    tmp_path,
):
    coord = demo_db(str(tmp_path / "coord.db"), 60)
    lap = open_db(str(tmp_path / "lap.db"), create=True)
    keys.write_enrolment_file(coord, tmp_path / "c.enrol")
    keys.write_enrolment_file(lap, tmp_path / "l.enrol")
    keys.enrol(lap, keys.read_enrolment_file(tmp_path / "c.enrol"), role="coordinator")
    keys.enrol(coord, keys.read_enrolment_file(tmp_path / "l.enrol"))
    lap_id = keys.this_device(lap).id
    petition = p.create_petition(
        coord, p.PetitionDraft("Save Sampleton Library", TEXT, "Cllr A. Testperson")
    )
    exchange.export_file(coord, tmp_path / "a.canvass", to=[lap_id])
    run_to_end(merge_files.merge_files(lap, [tmp_path / "a.canvass"]))
    at_stall = p.sign(coord, petition, _signer())
    at_door = p.sign(lap, petition, _signer(name="Zoe Testwell"))  # the same person, elsewhere
    other = p.sign(lap, petition, _signer(name="Ada Mockridge", postcode="ZZ2 2BB"))
    p.withdraw(lap, other)
    exchange.export_file(lap, tmp_path / "b.canvass")
    for _ in range(2):  # merging twice changes nothing
        run_to_end(merge_files.merge_files(coord, [tmp_path / "b.canvass"]))
    t = pc.tally(coord, petition)
    assert sorted(j.signature.id for j in t.judged) == sorted([at_stall, at_door, other])
    status = {j.signature.id: (j.counted, j.reasons[:1]) for j in t.judged}
    assert status[at_door] == (False, ("duplicate: same name and postcode",))
    assert status[other] == (False, ("withdrawn",))
    assert t.counted == 1
    coord.close()
    lap.close()


def test_petition_commands(tmp_path, capsys):
    paths = Paths.under(tmp_path / "home")
    dbpath = str(tmp_path / "c.db")

    def canvass(*args: str) -> int:
        return run(list(args), paths=paths, launch_gui=lambda _db, _p: 0)

    assert canvass("--db", dbpath, "demo", "--electors", "60") == 0
    text = tmp_path / "text.txt"
    text.write_text(TEXT, encoding="utf-8")
    capsys.readouterr()
    assert canvass("--db", dbpath, "petition", "create", "--title", "Save Sampleton Library",
                   "--text-file", str(text), "--councillor", "Cllr A. Testperson", "--ward",
                   "Northmock", "--threshold", "100", "--json") == 0  # fmt: skip
    made = json.loads(capsys.readouterr().out)
    assert canvass("--db", dbpath, "petition", "sign", made["id"], "--name", "Zoë Testwell",
                   "--postcode", "zz1 1aa", "--email", "zoe@example.com") == 0  # fmt: skip
    assert canvass("--db", dbpath, "petition", "sign", made["id"], "--name", "=1+2",
                   "--postcode", "ZZ1 1AA") == 1  # fmt: skip
    assert "cannot start with '='" in capsys.readouterr().err
    capsys.readouterr()
    assert canvass("--db", dbpath, "petition", "list", "--json") == 0
    listed = {x["title"]: x for x in json.loads(capsys.readouterr().out)}
    assert listed["Save Sampleton Library"]["counted"] == 1
    assert canvass("--db", dbpath, "petition", "sign", "No Such Petition", "--name", "Zoë Testwell",
                   "--postcode", "ZZ1 1AA") == 1  # fmt: skip
    assert "There is no petition" in capsys.readouterr().err


def test_a_paper_row_cannot_be_typed_in_twice_and_a_petition_not_yet_open_refuses(db, petition):
    row = _signer(sheet_number=4, row_number=7)
    p.sign(db, petition, row, method="paper")
    with pytest.raises(ValidationError, match="Sheet 4 row 7 is typed in already"):
        p.sign(
            db,
            petition,
            _signer(name="Ada Mockridge", sheet_number=4, row_number=7),
            method="paper",
        )
    import datetime as dt

    later = p.create_petition(
        db,
        p.PetitionDraft(
            "Later", TEXT, "Cllr A. Testperson", opens_on=dt.date.today() + dt.timedelta(days=3)
        ),
    )
    with pytest.raises(ValidationError, match="opens on"):
        p.sign(db, later, _signer())
