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
        if cells[:2] == ["AA", "7"]:
            continue  # Alan Demoby has left
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
    assert elector(db, "AA-7")["removed"] is False and back.removed == 1  # AA-11 is gone
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
