"""Subject access: all about one person in the PDF and the JSON, nothing about anyone else."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from sqlalchemy import select

from canvass.cli.main import run
from canvass.cli.privacy_commands import privacy_group
from canvass.cli.privacy_export import privacy_export
from canvass.domain import signers
from canvass.domain.errors import ValidationError
from canvass.paths import Paths
from canvass.services import audit_log, canvassing, erasure, petitions, subject_access, supporters
from canvass.services.oplog import OpWriter
from canvass.storage.tables import (
    Address,
    Device,
    Elector,
    OperationRow,
    PollingDistrict,
    Signature,
    Supporter,
    Visit,
)
from tests.helpers import demo_db

if "export" not in privacy_group.commands:  # until the lead attaches it for good
    privacy_group.add_command(privacy_export)

DAY = dt.date(2026, 11, 3)
#: A drawn signature: a zigzag of 30 points and a short underline.
STROKES = [
    [v for i in range(30) for v in (40 + 30 * i, 250 + (i % 2) * 500)],
    [100, 900, 950, 920],
]
ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
THIRD_PARTIES = ("Halloway Canvasserson", "Brindlewood Collectorby", "Typist Keyworth")


def poppler(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing: the test command installs poppler-utils")
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True).stdout


def pdf_text(path: Path) -> str:
    return poppler("pdftotext", "-layout", str(path), "-")


def number_pattern(number: str) -> re.Pattern[str]:
    """An elector number as a whole token: NA-12 is not found inside NA-123 or NA-12/1."""
    return re.compile(rf"(?<![\w-]){re.escape(number)}(?![\w/])")


def elector_numbers(db) -> dict[str, str]:
    with db.read() as s:
        rows = s.execute(
            select(
                Elector.id, PollingDistrict.code, Elector.elector_number, Elector.elector_suffix
            ).join(PollingDistrict, PollingDistrict.id == Elector.polling_district_id)
        ).all()
    return {i: f"{code}-{n}" + (f"/{suffix}" if suffix else "") for i, code, n, suffix in rows}


@pytest.fixture
def campaign(tmp_path):
    """A demo campaign and one person with something of every kind held about them."""
    db = demo_db(str(tmp_path / "c.db"), 150, seed=5)
    with db.read() as s:
        everyone = s.scalars(select(Elector)).all()
        names = [f"{e.forenames} {e.surname}" for e in everyone]
        by_address: dict[str, list[Elector]] = {}
        for e in everyone:
            by_address.setdefault(e.address_id or "", []).append(e)
        # Someone sharing a door (so the household is there to leak) and a name with nobody.
        person = next(
            e
            for e in everyone
            if e.address_id
            and len(by_address[e.address_id]) >= 2
            and names.count(f"{e.forenames} {e.surname}") == 1
        )
        neighbour = next(e for e in by_address[person.address_id] if e.id != person.id)
        postcode = s.get(Address, person.address_id).postcode
        other_district = s.scalars(
            select(PollingDistrict.id).where(PollingDistrict.id != person.polling_district_id)
        ).first()
        person_id, neighbour_id, surname = person.id, neighbour.id, person.surname
    with db.write() as s:
        writer = OpWriter.local(s)
        # A correction of the register entry: a set operation that must be exported too.
        writer.set("elector", person_id, "forenames", "Ysolde-Marigold")
        duplicate_id = writer.create(
            "elector",
            {
                "polling_district_id": other_district,
                "address_id": None,
                "elector_number": 9001,
                "elector_suffix": 2,
                "markers": "F",
                "title": "Ms",
                "forenames": "Ysolde-Marigold",
                "surname": surname,
                "register_edition": "2025-12 (earlier test edition)",
            },
        )
        link_id = writer.create(
            "person_link", {"elector_a_id": duplicate_id, "elector_b_id": person_id}
        )
        writer.flush()
    canvasser = THIRD_PARTIES[0]
    spoke = canvassing.record(
        db,
        person_id,
        canvassing.Entry(
            "SPK",
            intention="S",
            support=2,
            likelihood=4,
            flags=("P",),
            issues=("potholes",),
            notes="Prefers evening calls Zorbet",
            answers={"LIB": "weekly"},
        ),
        canvasser=canvasser,
    )
    not_in = canvassing.record(db, person_id, canvassing.Entry("NI"), canvasser=canvasser)
    canvassing.set_voided(db, [not_in], True)
    dup_visit = canvassing.record(
        db, duplicate_id, canvassing.Entry("SPK", notes="Duplicate entry note Vexhall")
    )
    canvassing.record(db, neighbour_id, canvassing.Entry("SPK", notes="Neighbour secret Plumquat"))
    petition_id = petitions.create_petition(
        db,
        petitions.PetitionDraft(
            title="Save Sampleton Pool (test)",
            text="We ask Sampleton Council to keep the pool open.",
            consent_wording="Kept until the petition is presented, then deleted.",
        ),
    )
    signature_id = petitions.sign(
        db,
        petition_id,
        petitions.Signer(
            name=f"Ysolde-Marigold {surname}",
            address="Somewhere in Sampleton",
            postcode=postcode,
            email="ysolde.m@example.org",
            phone="07700 900123",
            consent=True,
            contact_ok=True,
            strokes=STROKES,
        ),
        method="stall",
        collector=THIRD_PARTIES[1],
        elector_id=person_id,
    )
    petitions.decide(db, signature_id, "count", "checked against the register by hand")
    petitions.sign(  # someone else, not on the register
        db,
        petition_id,
        petitions.Signer(name="Oswin Otherperson", postcode="ZZ9 9ZZ", consent=True),
        collector=THIRD_PARTIES[1],
    )
    erasure.suppress(db, person_id, scope="do-not-contact", reason="asked by letter")
    matched = supporters.add_supporter(
        db,
        supporters.SupporterEntry(
            name=f"YSOLDE-MARIGOLD {surname.upper()}",  # same name, another postcode
            postcode="ZZ8 8ZZ",
            email="Ysolde.M@example.org",
            ticks=("keep me informed",),
            consent=True,
            source="Pool leaflet reply slip",
            entered_by=THIRD_PARTIES[2],
        ),
    )
    # A household's shared address, used by someone else: theirs stays out.
    supporters.add_supporter(
        db,
        supporters.SupporterEntry(
            name="Partner Sharesmail",
            postcode="ZZ8 8ZZ",
            email="ysolde.m+household@example.org",
            consent=True,
            entered_by=THIRD_PARTIES[2],
        ),
        allow_duplicate=True,
    )
    supporters.add_supporter(
        db,
        supporters.SupporterEntry(
            name="Unrelated Slipwriter",
            postcode="ZZ7 7ZZ",
            email="someone.else@example.org",
            consent=True,
            entered_by=THIRD_PARTIES[2],
        ),
    )
    # An audit entry about someone else, which must stay out.
    with db.read() as s:
        stranger = s.scalars(
            select(Elector.id).where(Elector.id.not_in([person_id, neighbour_id, duplicate_id]))
        ).first()
    erasure.erase(db, "elector", stranger, "duplicate")
    ids = {
        "person": person_id,
        "duplicate": duplicate_id,
        "link": link_id,
        "neighbour": neighbour_id,
        "spoke": spoke,
        "not_in": not_in,
        "dup_visit": dup_visit,
        "signature": signature_id,
        "supporter": matched,
    }
    yield db, ids
    db.close()


def test_everything_about_the_person_is_exported_and_nothing_about_anyone_else(tmp_path, campaign):
    db, ids = campaign
    numbers = elector_numbers(db)
    ref = subject_access.find_person(db, numbers[ids["person"]])
    assert (ref.kind, ref.id) == ("elector", ids["person"])
    out = tmp_path / "out"
    out.mkdir()
    result = subject_access.export(db, ref, out, today=DAY)
    assert result.pdf.name == f"subject-access-{ids['person'][:8]}-2026-11-03.pdf"
    assert result.json.name == f"subject-access-{ids['person'][:8]}-2026-11-03.json"
    raw = result.json.read_text(encoding="utf-8")
    data = json.loads(raw)
    text = pdf_text(result.pdf)

    # The register entry and the linked duplicate.
    entries = {e["id"]: e for e in data["register_entries"]}
    assert set(entries) == {ids["person"], ids["duplicate"]}
    mine, dup = entries[ids["person"]], entries[ids["duplicate"]]
    assert mine["forenames"] == dup["forenames"] == "Ysolde-Marigold"
    assert mine["elector_number"] == numbers[ids["person"]]
    assert dup["elector_number"] == numbers[ids["duplicate"]]
    assert dup["markers"] == "F" and dup["register_edition"] == "2025-12 (earlier test edition)"
    assert mine["address"]["postcode"] and mine["included_because"].startswith("the register")
    assert "same person" in dup["included_because"]
    assert [x["id"] for x in data["linked_records"]] == [ids["link"]]

    # Doorstep records of both entries, the undone one marked as such.
    visits = {v["id"]: v for v in data["visits"]}
    assert {ids["spoke"], ids["not_in"], ids["dup_visit"]} <= set(visits)
    spoke = visits[ids["spoke"]]
    assert (spoke["outcome"], spoke["intention"], spoke["support"], spoke["likelihood"]) == (
        "SPK",
        "S",
        2,
        4,
    )
    assert spoke["notes"] == "Prefers evening calls Zorbet" and spoke["issues"] == ["potholes"]
    assert [f["code"] for f in spoke["flags"]] == ["P"]
    assert spoke["survey_answers"][0]["answer"] == "weekly"
    assert spoke["recorded_by"] == "a canvasser"
    assert visits[ids["not_in"]]["voided"] is True and spoke["voided"] is False
    assert visits[ids["dup_visit"]]["notes"] == "Duplicate entry note Vexhall"
    with db.read() as s:
        held = set(s.scalars(select(Visit.id).where(Visit.elector_id == ids["person"])))
    assert held <= set(visits)  # the demo's own records of them too

    # The signature, with what they gave, the decision and the drawn strokes.
    signatures = {x["id"]: x for x in data["signatures"]}
    assert set(signatures) == {ids["signature"]} | {
        x["id"] for x in data["signatures"] if x["elector_id"] == ids["person"]
    }
    sig = signatures[ids["signature"]]
    assert sig["petition"]["title"] == "Save Sampleton Pool (test)"
    assert sig["petition"]["text"] == "We ask Sampleton Council to keep the pool open."
    assert (sig["email"], sig["phone"]) == ("ysolde.m@example.org", "+447700900123")
    assert sig["consent"] is True and sig["consent_version"] == 1 and sig["contact_ok"] is True
    assert (sig["method"], sig["text_version"], sig["withdrawn"]) == ("stall", 1, False)
    assert sig["count_decision"] == "count" and sig["counted"] is True
    assert sig["decision_reason"] == "checked against the register by hand"
    assert sig["drawn_signature"]["strokes"] == STROKES
    assert sig["drawn_signature"]["points"] == 32
    assert sig["collected_by"] == "a petition collector"

    # The suppression and the reply slip that matches by email (saying so).
    assert [(x["scope"], x["reason"]) for x in data["suppressions"]] == [
        ("do-not-contact", "asked by letter")
    ]
    assert [x["id"] for x in data["supporters"]] == [ids["supporter"]]
    slip = data["supporters"][0]
    assert "email" in slip["included_because"] and slip["entered_by"] == "a campaign volunteer"
    assert slip["ticks"] == ["keep me informed"]

    # Every operation on those records, and nothing else.
    records = {
        ids["person"],
        ids["duplicate"],
        ids["link"],
        *visits,
        *signatures,
        ids["supporter"],
        *(x["id"] for x in data["suppressions"]),
    }
    with db.read() as s:
        expected = set(
            s.scalars(select(OperationRow.op_id).where(OperationRow.entity_id.in_(records)))
        )
    exported = {o["op_id"] for o in data["operations"]}
    assert exported == expected
    rename = [o for o in data["operations"] if o["field"] == "forenames"]
    assert rename and rename[0]["value"] == "Ysolde-Marigold"
    assert data["counts"] == {name: len(data[name]) for name in subject_access.SECTIONS}
    assert result.counts == data["counts"]
    assert all(set(r) == set(subject_access.RECORD_KEYS[k]) for k in subject_access.RECORD_KEYS
               for r in data[k])  # fmt: skip

    # Key values on the readable copy, the drawn signature as vector lines.
    for value in (
        "Ysolde-Marigold",
        numbers[ids["person"]],
        numbers[ids["duplicate"]],
        "Prefers evening calls Zorbet",
        "Duplicate entry note Vexhall",
        "Save Sampleton Pool (test)",
        "ysolde.m@example.org",
        "asked by letter",
        "checked against the register by hand",
        "a canvasser",
        "a petition collector",
        "Information Commissioner",
        data["controller"]["organisation"],
    ):
        assert value in text, value
    segments = [
        pdfium_c.FPDFPath_CountSegments(obj.raw)
        for page in pdfium.PdfDocument(result.pdf)
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH])
    ]
    assert max(segments) >= 32  # one path, every point of the zigzag and the underline
    fonts = poppler("pdffonts", str(result.pdf)).splitlines()[2:]
    assert fonts and all(row.split()[-5] == "yes" for row in fonts), fonts  # all embedded

    # Nothing about anyone else: household, other electors, their records, the workers.
    ours = {ids["person"], ids["duplicate"]}
    with db.read() as s:
        others = s.execute(
            select(Elector.id, Elector.forenames, Elector.surname).where(Elector.id.not_in(ours))
        ).all()
        other_visits = s.execute(
            select(Visit.id, Visit.notes).where(Visit.elector_id.not_in(ours))
        ).all()
        other_signatures = s.scalars(
            select(Signature.id).where(Signature.id.not_in(list(signatures)))
        ).all()
        other_slips = s.scalars(select(Supporter.id).where(Supporter.id != ids["supporter"])).all()
        workers = {*s.scalars(select(Visit.canvasser)), *s.scalars(select(Signature.collector))}
    assert any(e.id == ids["neighbour"] for e in others)
    for doc in (raw, text):
        for e in others:
            assert e.id not in doc
            assert f"{e.forenames} {e.surname}" not in doc
            assert not number_pattern(numbers[e.id]).search(doc), numbers[e.id]
        for v in other_visits:
            assert v.id not in doc
            if v.notes and v.notes not in {x["notes"] for x in data["visits"]}:
                assert v.notes not in doc
        for other in (*other_signatures, *other_slips):
            assert other not in doc
        for name in (
            *workers - {""},
            *THIRD_PARTIES,
            "Neighbour secret Plumquat",
            "Oswin Otherperson",
        ):
            assert name not in doc
    assert not any(e["action"] == "erase" for e in data["audit_entries"])

    # The export itself is accounted for, without personal data.
    entry = audit_log.entries(db, limit=1)[0]
    assert entry.action == "subject-access"
    detail = json.loads(entry.detail)
    assert detail["id"] == ids["person"] and result.pdf.name in detail["files"]
    assert "Ysolde" not in entry.detail and numbers[ids["person"]] not in entry.detail


def test_a_second_export_refuses_to_overwrite_and_shows_the_first(tmp_path, campaign):
    db, ids = campaign
    ref = subject_access.find_person(db, ids["person"])
    first = subject_access.export(db, ref, tmp_path, today=DAY)
    before = first.pdf.read_bytes()
    with pytest.raises(ValidationError, match="exists already"):
        subject_access.export(db, ref, tmp_path, today=DAY)
    assert first.pdf.read_bytes() == before
    second = subject_access.export(db, ref, tmp_path, today=DAY + dt.timedelta(days=1))
    data = json.loads(second.json.read_text(encoding="utf-8"))
    assert [e["action"] for e in data["audit_entries"]].count("subject-access") == 1
    assert second.counts["audit_entries"] == first.counts["audit_entries"] + 1


def test_a_signature_or_its_duplicate_entry_finds_the_same_person(campaign):
    db, ids = campaign
    assert subject_access.find_person(db, ids["signature"]).id == ids["person"]
    assert subject_access.find_person(db, ids["signature"].upper()).kind == "elector"
    with pytest.raises(ValidationError, match="neither an elector number"):
        subject_access.find_person(db, "not a person")
    with pytest.raises(ValidationError, match="There is no elector"):
        subject_access.find_person(db, "NA-99999")
    with pytest.raises(ValidationError, match="no elector, signature or supporter"):
        subject_access.find_person(db, "00000000-0000-4000-8000-000000000000")


def test_someone_not_on_the_register_gets_their_signature_and_matching_slips(tmp_path, campaign):
    db, _ = campaign
    with db.read() as s:
        loose = s.scalars(select(Signature).where(Signature.elector_id.is_(None))).all()
        keys = [(signers.name_key(x.name), x.postcode) for x in loose]
        signer = next(x for x, k in zip(loose, keys, strict=True) if keys.count(k) == 1)
        signer_id, name, postcode = signer.id, signer.name, signer.postcode
        others = [(x.id, x.name) for x in loose if x.id != signer_id and x.name != name]
    slip = supporters.add_supporter(
        db, supporters.SupporterEntry(name=name.upper(), postcode=postcode, consent=True)
    )
    ref = subject_access.find_person(db, signer_id)
    assert ref.kind == "signature"
    result = subject_access.export(db, ref, tmp_path, today=DAY)
    raw = result.json.read_text(encoding="utf-8")
    data = json.loads(raw)
    assert [x["id"] for x in data["signatures"]] == [signer_id]
    assert data["signatures"][0]["included_because"] == "the signature asked about"
    assert [x["id"] for x in data["supporters"]] == [slip]
    assert "name and postcode" in data["supporters"][0]["included_because"]
    assert data["register_entries"] == [] and data["visits"] == []
    text = pdf_text(result.pdf)
    assert name in text and "None held." in text
    for other_id, other_name in others:
        assert other_id not in raw and other_name not in raw and other_name not in text


def test_privacy_export_from_the_command_line(tmp_path, capsys):
    paths = Paths.under(tmp_path / "home")
    path = tmp_path / "c.db"

    def canvass(*args: str) -> int:
        return run(["--db", str(path), *args], paths=paths, launch_gui=lambda *_: 0)

    assert canvass("demo", "--electors", "40") == 0
    out = tmp_path / "sar"
    out.mkdir()
    capsys.readouterr()
    assert canvass("privacy", "export", "NA-1", "--out", str(out)) == 0
    said = capsys.readouterr().out
    assert "Subject access export for NA-1" in said
    written = sorted(p.suffix for p in out.iterdir())
    assert written == [".json", ".pdf"]
    assert canvass("privacy", "export", "NA-1", "--out", str(out)) == 1
    assert "exists already" in capsys.readouterr().err
    assert canvass("privacy", "export", "NA-9999", "--out", str(out)) == 1
    assert "There is no elector NA-9999" in capsys.readouterr().err
    assert canvass("privacy", "export", "NA-1", "--out", str(tmp_path / "missing")) == 1
    assert "does not exist" in capsys.readouterr().err
    assert len(list(out.iterdir())) == 2  # nothing half-written, nothing overwritten


def test_the_pdf_speaks_in_words_and_never_names_a_laptop(tmp_path, campaign):
    db, ids = campaign
    result = subject_access.export(db, subject_access.find_person(db, ids["person"]), tmp_path)
    data = json.loads(result.json.read_text(encoding="utf-8"))
    text = pdf_text(result.pdf)
    flat = " ".join(poppler("pdftotext", str(result.pdf), "-").split())

    # Laptops in words only: the JSON file keeps their ids, the PDF never prints one.
    with db.read() as s:
        devices = set(s.scalars(select(Device.id)))
    devices |= {v["device_id"] for v in data["visits"]} | {
        o["device_id"] for o in data["operations"]
    }
    assert devices and all(ID.fullmatch(d) for d in devices)
    for device in devices:
        assert device not in text and device[:8] not in text, device
    assert "a canvasser's laptop" in flat or "the campaign office laptop" in flat

    # Every field under a label: no stored field name, no JSON, no "Other fields".
    raw = sorted(set(re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", text)))
    assert raw == [], raw
    for leftover in ("Other fields", "notice version: 0", '{"', "survey_answers"):
        assert leftover not in text, leftover
    assert "Privacy notice given not recorded" in flat

    # The change log says what changed, in words, with the value; a new record lists its fields.
    assert "Forenames changed to “Ysolde-Marigold”" in flat
    assert "Undone changed to yes" in flat
    assert "Recorded with Elector number: 9001; Elector number suffix: 2" in flat
    assert "as the same person" in flat
    assert "Survey answers: Do you use the library? — weekly" in flat
    assert re.search(r"^When +Record +What changed +Laptop$", text, re.MULTILINE)

    # Audit entries in words too.
    assert "Suppressed a person" in flat and "Do not contact" in flat

    fonts = poppler("pdffonts", str(result.pdf)).splitlines()[2:]
    assert fonts and all(row.split()[-5] == "yes" for row in fonts), fonts  # all embedded


def test_an_erased_elector_number_says_it_may_have_been_erased(campaign):
    db, ids = campaign
    number = elector_numbers(db)[ids["neighbour"]]
    assert subject_access.find_person(db, number).id == ids["neighbour"]
    erasure.erase(db, "elector", ids["neighbour"], "subject-request")
    with pytest.raises(ValidationError) as refused:
        subject_access.find_person(db, number)
    message = str(refused.value)
    assert message.startswith(f"There is no elector {number}")
    assert "may have been erased, or never imported" in message


def test_fields_actions_and_changes_in_words():
    from canvass.pdf import privacy_audit_words as audit_words
    from canvass.pdf import privacy_words as words

    assert words.field_label("elector_suffix") == "Elector number suffix"
    assert words.field_label("notice_version") == "Privacy notice given"
    assert words.field_label("polling_day_note") == "Polling day note"  # one added later
    assert words.value_words("notice_version", 0) == "not recorded"
    assert words.value_words("device_id", "0efa7b53-ded1-5953-8296-5bb9b941c93c") == (
        "a laptop of the campaign"
    )
    assert words.value_words("survey_answers", '{"LIB": "weekly"}') == "LIB — weekly"
    created = words.change_words(
        "visit",
        "create",
        None,
        {"outcome": "NI", "voided": False, "notice_version": 0, "device_id": "x"},
        words.Lookup(outcomes={"NI": "Not in"}),
    )
    assert created == "Recorded with Outcome: Not in; Privacy notice given: not recorded"
    assert words.change_words("elector", "set", "surname", "Testwell") == (
        "Surname changed to “Testwell”"
    )
    assert words.change_words("elector", "set", "markers", "") == "Franchise markers cleared"
    assert audit_words.action_name("print-walk-sheets") == "Printed walk sheets"
    assert audit_words.action_name("merge") == "Merged a file"
    assert audit_words.action_name("brand-new-thing") == "Brand new thing"
    assert audit_words.audit_detail_words(
        "print-walk-sheets", '{"file": "w.pdf", "electors": 7}'
    ) == ("w.pdf: 7 electors")
    assert audit_words.audit_detail_words("suppress", {"id": "x", "scope": "do-not-knock"}) == (
        "Do not knock"
    )
    assert audit_words.audit_detail_words("erase", "not json") == "not json"
    assert audit_words.audit_detail_words("merge", {}) == "—"
