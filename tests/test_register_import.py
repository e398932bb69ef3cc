"""Importing council register files: every layout, every encoding, the quirks, later editions."""

from __future__ import annotations

import csv
import io
import json
import random
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from canvass.domain.errors import ValidationError
from canvass.domain.progress import run_to_end
from canvass.registers.reader import read_register
from canvass.services.campaigns import create_campaign
from canvass.services.databases import open_db
from canvass.services.info import database_info
from canvass.services.oplog import OpWriter
from canvass.services.register import import_register
from canvass.storage.tables import Address, Elector, PollingDistrict, Street, Visit

FIXTURES = Path(__file__).parent / "fixtures" / "registers"

EXPECTED = {
    "xpress.tsv": dict(
        electors=13,
        households=10,
        streets=3,
        polling_districts=2,
        without_address=1,
        rejected=[14, 15],
    ),
    "xpress-name.tsv": dict(
        electors=12, households=9, streets=3, polling_districts=2, without_address=1, rejected=[]
    ),
    "edinburgh.csv": dict(
        electors=7, households=6, streets=1, polling_districts=1, without_address=0, rejected=[]
    ),
    "glasgow.csv": dict(
        electors=5, households=4, streets=1, polling_districts=1, without_address=0, rejected=[]
    ),
    "ems-update.csv": dict(
        electors=6, households=4, streets=1, polling_districts=1, without_address=0, rejected=[]
    ),
}
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]


def transcode(text: str, encoding: str) -> bytes:
    """The fixture in another encoding; letters it cannot hold lose their accents."""
    out = []
    for ch in text:
        try:
            ch.encode(encoding)
            out.append(ch)
        except UnicodeEncodeError:
            base = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
            )
            out.append(base.replace("Ł", "L").replace("ł", "l") or "?")
    return "".join(out).encode(encoding)


def campaign_db(tmp_path: Path, name: str = "c.db"):
    db = open_db(str(tmp_path / name), create=True)
    create_campaign(db, "Register test")
    return db


def run(db, path: Path, **kw):
    return run_to_end(import_register(db, path, **kw))


def elector(db, number: str) -> dict:
    district, _, rest = number.partition("-")
    num, _, suffix = rest.partition("/")
    with db.read() as s:
        row = s.execute(
            select(Elector, Address, Street)
            .join(PollingDistrict, PollingDistrict.id == Elector.polling_district_id)
            .outerjoin(Address, Address.id == Elector.address_id)
            .outerjoin(Street, Street.id == Address.street_id)
            .where(
                PollingDistrict.code == district,
                Elector.elector_number == int(num),
                Elector.elector_suffix == int(suffix or 0),
            )
        ).one()
        e, a, st_ = row
        return {
            "forenames": e.forenames,
            "surname": e.surname,
            "title": e.title,
            "markers": e.markers,
            "attainment": e.attainment_date and e.attainment_date.isoformat(),
            "removed": e.removed,
            "flat": a.flat if a else None,
            "number": a.house_number if a else None,
            "suffix": a.house_suffix if a else None,
            "name": a.house_name if a else None,
            "postcode": a.postcode if a else None,
            "street": st_.name if st_ else None,
            "town": st_.town if st_ else None,
            "id": e.id,
        }


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_each_layout_imports_in_each_encoding(tmp_path, fixture, encoding):
    source = (FIXTURES / fixture).read_text(encoding="utf-8-sig")
    path = tmp_path / fixture
    path.write_bytes(transcode(source, encoding))
    db = campaign_db(tmp_path)
    report = run(db, path)
    expected = EXPECTED[fixture]
    got = {k: getattr(report, k) for k in expected if k != "rejected"}
    assert got == {k: v for k, v in expected.items() if k != "rejected"}
    assert [r["line"] for r in report.rejected] == expected["rejected"]
    counts = database_info(db, with_digest=False).counts
    assert counts["electors"] == expected["electors"]
    assert counts["households"] == expected["households"]
    if encoding in ("cp1252", "utf-8", "utf-8-sig", "utf-16"):
        names = " ".join(
            f"{f} {s}"
            for f, s in db.read().__enter__().execute(select(Elector.forenames, Elector.surname))
        )
        if "Siân" in source:
            assert "Siân" in names
        if "Zoë" in source:
            assert "Zoë" in names
    db.close()


def test_xpress_quirks(tmp_path):
    db = campaign_db(tmp_path)
    run(db, FIXTURES / "xpress.tsv")
    siân = elector(db, "AA-1")
    assert (
        siân["forenames"],
        siân["surname"],
        siân["number"],
        siân["street"],
        siân["town"],
        siân["postcode"],
    ) == ("Siân", "Testwell", 14, "High Street", "Sampleton", "ZZ1 1AB")
    assert elector(db, "AA-2")["id"] != siân["id"]
    flat = elector(db, "AA-3")  # "Flat 2, 16 High Street" with the postcode in line 2
    assert (flat["flat"], flat["number"], flat["postcode"], flat["markers"]) == (
        "Flat 2",
        16,
        "ZZ1 1AB",
        "G",
    )
    suffixed = elector(db, "AA-4/1")  # suffix written only when non-zero
    assert (suffixed["forenames"], suffixed["flat"], suffixed["surname"]) == (
        "Łukasz",
        "Flat 3",
        "Łódkowska-Mock",
    )
    tidy = elector(db, "AA-5")  # stray spaces and lower case; DOB gives the attainment date
    assert (tidy["forenames"], tidy["surname"], tidy["attainment"], tidy["suffix"]) == (
        "Zoë",
        "Mockford",
        "2027-04-03",
        "A",
    )
    caps = elector(db, "AA-6")
    assert (caps["street"], caps["town"], caps["postcode"]) == (
        "High Street",
        "Sampleton",
        "ZZ1 1AD",
    )
    named = elector(db, "AA-8")
    assert (named["name"], named["street"], named["number"]) == (
        "Rose Mock Cottage",
        "Sample Lane",
        None,
    )
    other = elector(db, "AA-10")  # "OTHER ELECTORS": on the register, no household
    assert (other["street"], other["markers"]) == (None, "F")
    formula = elector(db, "AB-4")
    assert formula["surname"] == '=HYPERLINK("http://example.invalid")'  # stored as text
    db.close()


def test_walk_order_is_natural_within_each_street(tmp_path):
    db = campaign_db(tmp_path)
    run(db, FIXTURES / "xpress.tsv")
    with db.read() as s:
        doors = s.execute(
            select(Address.house_number, Address.house_suffix, Address.flat)
            .join(Street, Street.id == Address.street_id)
            .where(Street.name == "High Street")
            .order_by(Address.walk_order)
        ).all()
        streets = s.scalars(
            select(Street.name)
            .join(PollingDistrict, PollingDistrict.id == Street.polling_district_id)
            .where(PollingDistrict.code == "AA")
            .order_by(Street.walk_order)
        ).all()
    assert [(n, sfx, f) for n, sfx, f in doors] == [
        (2, "", ""),
        (2, "A", ""),
        (10, "", ""),
        (14, "", ""),
        (16, "", "Flat 2"),
        (16, "", "Flat 3"),
    ]
    assert streets == ["High Street", "Sample Lane"]  # the register's own street order
    db.close()


def test_glasgow_and_edinburgh_and_ems_details(tmp_path):
    db = campaign_db(tmp_path, "g.db")
    run(db, FIXTURES / "glasgow.csv")
    first = elector(db, "GA-101")
    assert (first["surname"], first["flat"], first["number"], first["street"]) == (
        "Mockmore",
        "Flat 2/1",
        40,
        "Testbed Street",
    )
    assert elector(db, "GA-103")["attainment"] == "2027-05-12"
    assert elector(db, "GA-105")["name"] == "Sample Lodge"
    db.close()
    db = campaign_db(tmp_path, "e.db")
    run(db, FIXTURES / "edinburgh.csv")
    attainer = elector(db, "BA-4/2")
    assert (attainer["attainment"], attainer["postcode"]) == ("2027-09-01", "ZZ3 4JH")
    assert (elector(db, "BA-5")["markers"], elector(db, "BA-5")["title"]) == ("E", "Dr")
    db.close()
    db = campaign_db(tmp_path, "m.db")
    run(db, FIXTURES / "ems-update.csv")
    for number in ("MA-123/1", "MA-123/2", "MA-124/1", "MA-125", "MA-126", "MA-127"):
        assert elector(db, number)["surname"]
    assert elector(db, "MA-127")["postcode"] == "ZZ5 6NQ"
    db.close()


# -- files canvass has not seen: the same layouts, spelt and arranged differently --------


def _spellings(header: str, rng: random.Random) -> str:
    words = header.replace("_", " ").split()
    style = rng.choice(["same", "upper", "lower", "snake", "squashed", "spaced"])
    if style == "upper":
        return header.upper()
    if style == "lower":
        return header.lower()
    if style == "snake":
        return "_".join(w.upper() for w in words)
    if style == "squashed":
        return "".join(words)
    if style == "spaced":
        return f"  {' '.join(words)} "
    return header


def _variant(fixture: str, rng: random.Random) -> str:
    text = (FIXTURES / fixture).read_text(encoding="utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",\t;")
    rows = list(csv.reader(io.StringIO(text), delimiter=dialect.delimiter))
    header, body = rows[0], rows[1:]
    order = list(range(len(header)))
    rng.shuffle(order)
    extra = rng.random() < 0.5
    out = io.StringIO()
    delimiter = rng.choice([",", "\t", ";"])
    quoting = rng.choice([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])
    writer = csv.writer(
        out, delimiter=delimiter, quoting=quoting, lineterminator=rng.choice(["\n", "\r\n"])
    )
    new_header = [_spellings(header[i], rng) for i in order]
    writer.writerow([*new_header, "Notes"] if extra else new_header)
    for row in body:
        row = row + [""] * (len(header) - len(row))
        cells = [row[i] for i in order]
        writer.writerow([*cells, "door; unknown column"] if extra else cells)
    return out.getvalue()


def _entries(path: Path):
    result = run_to_end(read_register(path))
    return sorted(
        (
            str(e.number),
            e.surname,
            e.forenames,
            e.markers,
            e.attainment_date,
            e.address.key if e.address else None,
        )
        for e in result.entries
    ), sorted(r.line for r in result.rejected)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(sorted(EXPECTED)), st.integers(0, 2**32))
def test_rearranged_and_respelt_files_read_the_same(tmp_path, fixture, seed):
    rng = random.Random(seed)
    path = tmp_path / f"variant-{seed}.txt"
    path.write_text(_variant(fixture, rng), encoding=rng.choice(["utf-8", "utf-8-sig"]))
    assert _entries(path)[0] == _entries(FIXTURES / fixture)[0]


# -- later editions ------------------------------------------------------------------


def _edition_two(tmp_path: Path) -> Path:
    lines = (FIXTURES / "xpress.tsv").read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        cells = line.split("\t")
        if cells[:2] in (["AA", "7"], ["AB", "3"], ["AB", ""]):
            continue  # Alan Demoby has left; the two unreadable rows are gone too
        if cells[:2] == ["AA", "6"]:
            cells[3] = "E"  # a new marker
        if cells[:2] == ["AA", "9"]:
            cells[8] = "5 Sample Lane"  # moved along the lane
        out.append("\t".join(cells))
    out.append(
        "\t".join(
            [
                "AA",
                "11",
                "",
                "",
                "",
                "Newcomerby",
                "Leo",
                "ZZ1 2EF",
                "7 Sample Lane",
                "Sampleton",
                "",
                "",
                "",
                "",
            ]
        )
    )
    path = tmp_path / "edition-2.tsv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def test_a_later_edition_is_a_diff_and_visits_on_removed_electors_survive(tmp_path):
    db = campaign_db(tmp_path)
    run(db, FIXTURES / "xpress.tsv", edition="2026-12")
    leaving = elector(db, "AA-7")
    with db.write() as s:
        w = OpWriter.local(s)
        w.create(
            "visit",
            {
                "elector_id": leaving["id"],
                "device_id": w.device_id,
                "visited_at": w.now(),
                "outcome": "spoke",
                "intention": "S",
            },
        )
        w.flush()
    second = _edition_two(tmp_path)
    before = database_info(db).state_digest
    preview = run(db, second, edition="2027-01", dry_run=True)
    assert database_info(db).state_digest == before  # a dry run writes nothing
    assert (preview.added, preview.removed, preview.changed) == (1, 1, 2)
    assert {d["change"] for d in preview.details} == {"added", "removed", "changed"}
    report = run(db, second, edition="2027-01")
    assert (report.added, report.removed, report.changed, report.unchanged) == (1, 1, 2, 10)
    gone = elector(db, "AA-7")
    assert gone["removed"] is True and gone["id"] == leaving["id"]
    with db.read() as s:
        assert s.scalars(select(Visit.id).where(Visit.elector_id == leaving["id"])).one()
    assert elector(db, "AA-6")["markers"] == "E"
    assert elector(db, "AA-9")["number"] == 5
    assert elector(db, "AA-11")["surname"] == "Newcomerby"
    again = run(db, second, edition="2027-01")
    assert (again.added, again.removed, again.changed) == (0, 0, 0)
    back = run(db, FIXTURES / "xpress.tsv", edition="2027-02")
    assert elector(db, "AA-7")["removed"] is False
    # That file has unreadable rows, so AA-11 (missing from it) is not taken off.
    assert (back.removed, back.missing) == (0, 1) and "could not be read" in back.held_removals
    assert elector(db, "AA-11")["removed"] is False
    db.close()


def test_the_report_as_json_has_the_promised_keys(tmp_path):
    db = campaign_db(tmp_path)
    data = json.loads(json.dumps(run(db, FIXTURES / "xpress.tsv").to_json()))
    for key in (
        "electors",
        "households",
        "streets",
        "polling_districts",
        "without_address",
        "rejected",
        "added",
        "removed",
        "changed",
    ):
        assert key in data
    assert data["rejected"][0] == {
        "line": 14,
        "reason": "the date of birth '31/13/2008' is not a date (day/month/year)",
    }
    db.close()


# -- mapping files and bad input -------------------------------------------------------


def test_an_unknown_layout_imports_with_a_mapping_file(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text(
        "Ref,Family,Given,Where,Town,Post Code\n"
        "QA-1,Sampleby,Ada,3 Mock Row,Exampleton,ZZ9 9AB\n"
        "QA-2,Sampleby,Tom,3 Mock Row,Exampleton,ZZ9 9AB\n",
        encoding="utf-8",
    )
    db = campaign_db(tmp_path)
    with pytest.raises(ValidationError, match="--mapping"):
        run(db, path)
    mapping = tmp_path / "odd.json"
    mapping.write_text(
        json.dumps(
            {
                "number": "Ref",
                "surname": "Family",
                "forenames": "Given",
                "address": ["Where", "Town"],
                "postcode": "post code",
            }
        )
    )
    report = run(db, path, mapping=mapping)
    assert (report.electors, report.households) == (2, 1)
    assert elector(db, "QA-2")["street"] == "Mock Row"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"surname": "Nope"}))
    with pytest.raises(ValidationError, match="'Nope'"):
        run(db, path, mapping=bad)
    db.close()


def _huge_field(path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write("PD,ENO,Surname,First Names,Address 1,Postcode\n")
        fh.write('AA,1,"')
        chunk = "x" * (1 << 20)
        for _ in range(200):  # a 200 MB field
            fh.write(chunk)
        fh.write('",Ada,1 Mock Row,ZZ1 1AB\n')


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b""), "is empty"),
        (lambda p: p.write_bytes(bytes(range(256)) * 40), "not a text file"),
        (lambda p: p.write_text("colour,size\nred,2\n"), "do not show"),
        (lambda p: p.write_text("just one line of prose\n"), "no commas, tabs or semicolons"),
        (_huge_field, "longer than"),
    ],
    ids=["empty", "binary", "no-register-columns", "not-a-table", "200MB-field"],
)
def test_bad_files_get_a_clear_message_and_change_nothing(tmp_path, make, message):
    db = campaign_db(tmp_path)
    before = database_info(db).state_digest
    path = tmp_path / "register.csv"
    make(path)
    with pytest.raises(ValidationError, match=message) as info:
        run(db, path)
    assert "\n" not in str(info.value)
    assert database_info(db).state_digest == before
    db.close()


def test_importing_before_a_campaign_exists_says_what_to_do(tmp_path):
    db = open_db(str(tmp_path / "a.db"), create=True)
    with pytest.raises(ValidationError, match="start one first"):
        run(db, FIXTURES / "xpress.tsv")
    db.close()


def _tsv(path: Path, rows: list[list[str]]) -> Path:
    header = (FIXTURES / "xpress.tsv").read_text(encoding="utf-8").splitlines()[0]
    lines = [header] + ["\t".join(r + [""] * (14 - len(r))) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _row(pd, number, surname, forename, address, postcode="ZZ1 1AB", dob=""):
    return [pd, str(number), "", "", dob, surname, forename, postcode, address, "Sampleton"]


def test_a_new_person_taking_a_renumbered_electors_number_does_not_inherit_their_record(tmp_path):
    db = campaign_db(tmp_path)
    first = _tsv(
        tmp_path / "e1.tsv",
        [
            _row("AB", 1, "Samplewick", "John", "5 High Street"),
            _row("AB", 2, "Mockley", "Ada", "9 High Street"),
        ],
    )
    run(db, first)
    john = elector(db, "AB-1")
    with db.write() as s:
        w = OpWriter.local(s)
        w.create("suppression", {"elector_id": john["id"], "created_at": w.now()})
        w.flush()
    second = _tsv(
        tmp_path / "e2.tsv",
        [
            _row("AB", 1, "Samplewick", "Jane", "7 High Street"),  # new, given John's old number
            _row("AB", 2, "Samplewick", "John", "5 High Street"),  # John, renumbered
            _row("AB", 3, "Mockley", "Ada", "9 High Street"),
        ],
    )
    report = run(db, second)
    assert (report.added, report.changed, report.missing) == (1, 2, 0)
    assert elector(db, "AB-2")["id"] == john["id"]  # John keeps his record (and suppression)
    jane = elector(db, "AB-1")
    assert (jane["forenames"], jane["number"]) == ("Jane", 7) and jane["id"] != john["id"]


def test_two_people_of_one_name_at_one_door_keep_their_own_records(tmp_path):
    db = campaign_db(tmp_path)
    rows = [
        _row("AB", 1, "Mockley", "Sam", "4 Low Road"),
        _row("AB", 2, "Mockley", "Sam", "4 Low Road"),
    ]
    run(db, _tsv(tmp_path / "d1.tsv", rows))
    ids = (elector(db, "AB-1")["id"], elector(db, "AB-2")["id"])
    report = run(db, _tsv(tmp_path / "d2.tsv", rows))
    assert (report.added, report.changed, report.unchanged) == (0, 0, 2)
    assert (elector(db, "AB-1")["id"], elector(db, "AB-2")["id"]) == ids


def test_a_row_rejected_in_a_later_edition_takes_nobody_off_the_register(tmp_path):
    db = campaign_db(tmp_path)
    run(
        db,
        _tsv(
            tmp_path / "e1.tsv",
            [_row("AB", n, "Mockley", f"P{n}", f"{n} Low Road") for n in range(1, 6)],
        ),
    )
    broken = [_row("AB", n, "Mockley", f"P{n}", f"{n} Low Road") for n in range(1, 5)]
    broken.append(_row("AB", 5, "Mockley", "P5", "5 Low Road", dob="31/02/2009"))
    report = run(db, _tsv(tmp_path / "e2.tsv", broken))
    assert [r["line"] for r in report.rejected] == [6]
    assert (report.removed, report.missing) == (0, 1)
    assert elector(db, "AB-5")["removed"] is False


def test_a_file_that_looks_partial_removes_nobody_unless_confirmed(tmp_path):
    db = campaign_db(tmp_path)
    everyone = [_row("AB", n, "Mockley", f"P{n}", f"{n} Low Road") for n in range(1, 11)]
    run(db, _tsv(tmp_path / "full.tsv", everyone))
    changes_only = _tsv(tmp_path / "changes.tsv", everyone[:3])
    held = run(db, changes_only)
    assert (held.removed, held.missing) == (
        0,
        7,
    ) and "only the month's changes" in held.held_removals
    assert elector(db, "AB-9")["removed"] is False
    confirmed = run(db, changes_only, confirm_removals=True)
    assert (confirmed.removed, confirmed.held_removals) == (7, "")
    assert elector(db, "AB-9")["removed"] is True


def test_district_codes_with_digits_and_separators(tmp_path):
    from canvass.domain.electors import parse_elector_number

    assert str(parse_elector_number("KA1-12")) == "KA1-12"
    assert str(parse_elector_number("KA1-13/1")) == "KA1-13/1"
    assert str(parse_elector_number("AB124")) == "AB-124"
    assert str(parse_elector_number("(AB) 124-1")) == "AB-124/1"


def _read(path: Path):
    return run_to_end(read_register(path))


def test_rows_are_judged_one_by_one_with_the_line_their_record_starts_on(tmp_path):
    path = tmp_path / "quirks.csv"
    path.write_text(
        "PD,ENO,Title,First Names,Surname,Address 1,Address 2,Postcode\n"
        'AB,1,Ms,Ada,Mockley,"4 Low Road\nSampleton",,ZZ1 1AB\n'  # a newline inside a cell
        "AB,B12,Mr,Tom,Mockley,5 Low Road,Sampleton,ZZ1 1AB\n"  # number of another district
        "AB,3,Mr,Bob\n"  # cut off
        f"AB,4,{'X' * 40},Isla,Mockley,6 Low Road,Sampleton,ZZ1 1AB\n"  # a 40-character title
        "AB,5,Mx,Sam,Mockley,7 Low Road,Sampleton,NO FIXED ABODE\n"  # junk in the postcode
        "AB,6,Dr,Leo,Mockley,14/2 High Street,Sampleton,ZZ1 1AD\n",  # Edinburgh flat form
        encoding="utf-8",
    )
    result = _read(path)
    reasons = {r.line: r.reason for r in result.rejected}
    assert sorted(reasons) == [4, 5, 6]
    assert "does not belong to polling district AB" in reasons[4]
    assert "looks cut off" in reasons[5]
    assert "title is longer than 32" in reasons[6]
    by_number = {e.number.number: e for e in result.entries}
    assert (by_number[1].line, by_number[1].address.street, by_number[1].address.town) == (
        2,
        "Low Road",
        "Sampleton",
    )
    assert by_number[5].address.postcode == "" and by_number[5].address.street == "Low Road"
    stair = by_number[6].address
    assert (stair.house_number, stair.flat, stair.street) == (14, "Flat 2", "High Street")


def test_surname_first_names_and_adult_dates_of_birth(tmp_path):
    path = tmp_path / "names.tsv"
    path.write_text(
        "Elector Number Prefix\tElector Number\tElector DOB\tElector Name\tPostCode\tAddress1\n"
        "AA\t1\t01/01/1980\tVAN DER BERG Anna Maria\tZZ1 1AB\t1 Mock Row\n"
        "AA\t2\t\tNI BHRIAIN Aoife\tZZ1 1AB\t1 Mock Row\n",
        encoding="utf-8",
    )
    first, second = _read(path).entries
    assert (first.surname, first.forenames, first.attainment_date) == (
        "Van Der Berg",
        "Anna Maria",
        None,
    )  # an adult's date of birth is no attainment date
    assert (second.surname, second.forenames) == ("Ni Bhriain", "Aoife")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PD,ENO,Surname,Address 1\n", "no electors"),
        ("PD,ENO,Surname,Address 1\nAA,1,Mockley,1 Row\n".encode("utf-16")[:-1], "damaged"),
    ],
    ids=["header-only", "cut-utf16"],
)
def test_whole_file_problems_are_one_line(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(ValidationError, match=message):
        _read(path)


@pytest.mark.parametrize(
    ("raw", "tidy_text"),
    [
        ("MCDONALD", "McDonald"),
        ("O'NEILL", "O'Neill"),
        ("ST JOHN'S ROAD", "St John's Road"),
        ('=HYPERLINK("x")', '=HYPERLINK("x")'),
        ("@SUM(1+1)", "@SUM(1+1)"),
        ("  high   street ", "High Street"),
        ("McDONALD", "McDONALD"),
        ("FLAT 2A", "Flat 2A"),
    ],
)
def test_capitals_are_softened_like_names_and_formulas_kept_as_given(raw, tidy_text):
    from canvass.domain.address_lines import tidy

    assert tidy(raw) == tidy_text


def test_one_street_however_its_town_line_is_written(tmp_path):
    db = campaign_db(tmp_path)
    path = _tsv(
        tmp_path / "towns.tsv",
        [
            _row("AB", 1, "Mockley", "Ada", "1 High Street"),
            [
                "AB",
                "2",
                "",
                "",
                "",
                "Mockley",
                "Tom",
                "ZZ1 1AB",
                "3 High Street",
                "Sampleton ZZ1 1AB",
            ],
            ["AB", "3", "", "", "", "Mockley", "Sam", "ZZ1 1AB", "5 High Street"],
        ],
    )
    assert run(db, path).streets == 1
    db.close()


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"fields": ["Ref"]}, "must hold a JSON object"),
        (
            {"number": "Ref", "surname": "Family", "forenames": "Family", "postcode": "Post Code"},
            "for both surname and forenames",
        ),
    ],
)
def test_bad_mapping_files_are_refused(tmp_path, mapping, message):
    from canvass.registers.layouts import load_mapping

    path = tmp_path / "m.json"
    path.write_text(json.dumps(mapping), encoding="utf-8")
    with pytest.raises(ValidationError, match=message):
        load_mapping(path, ["Ref", "Family", "Given", "Where", "Post Code"])


def test_a_mapping_file_saved_with_a_bom_is_read(tmp_path):
    from canvass.registers.layouts import load_mapping

    path = tmp_path / "m.json"
    path.write_text(
        json.dumps({"number": "Ref", "surname": "Family", "address": ["Where"]}),
        encoding="utf-8-sig",
    )
    assert load_mapping(path, ["Ref", "Family", "Where"]).columns == {"number": 0, "surname": 1}
