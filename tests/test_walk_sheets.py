"""Walk sheets as a canvasser gets them: read back with poppler's tools."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from canvass.domain.errors import ValidationError
from canvass.domain.progress import run_to_end
from canvass.services.campaigns import create_campaign
from canvass.services.databases import open_db
from canvass.services.oplog import OpWriter
from canvass.services.printing import print_walk_sheets
from canvass.services.register import import_register
from tests.test_register_import import elector

FIXTURES = Path(__file__).parent / "fixtures" / "registers"


def poppler(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing: the test command installs poppler-utils")
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def register_db(tmp_path):
    db = open_db(str(tmp_path / "c.db"), create=True)
    create_campaign(db, "Sampleton Residents for Fair Budgets")
    run_to_end(import_register(db, FIXTURES / "xpress.tsv"))
    yield db
    db.close()


def test_walk_sheet_lists_streets_and_doors_in_walking_order(tmp_path, register_db):
    out = tmp_path / "aa.pdf"
    report = run_to_end(print_walk_sheets(register_db, out, ["aa"]))
    assert (report.streets, report.doors, report.electors) == (2, 8, 9)
    assert report.excluded["without an address"] == 1
    text = poppler("pdftotext", "-layout", str(out), "-")
    for name in ("Siân Testwell", "Minh Nguyễn-Sample", "Łukasz Łódkowska-Mock", "Zoë Mockford"):
        assert name in text
    assert text.index("High Street, Sampleton") < text.index("Sample Lane, Sampleton")
    doors = [
        line.split()[0]
        for line in text.splitlines()
        if len(line.split()) > 1
        and line.split()[1].startswith("AA-")
        and line.split()[0] in {"2", "2A", "10", "14"}
    ]
    assert doors == ["2", "2A", "10", "14"]  # natural order, not 10, 14, 2, 2A
    assert "Page 1 of 1" in text
    assert "Result:" in text and "NI Not in" in text  # the code key
    assert "Ines Overseasby" not in text  # other electors have no door to knock


def test_every_font_in_the_pdf_is_embedded(tmp_path, register_db):
    out = tmp_path / "all.pdf"
    run_to_end(print_walk_sheets(register_db, out))
    rows = poppler("pdffonts", str(out)).splitlines()[2:]
    assert rows, "the PDF names no fonts"
    for row in rows:
        assert row.split()[-5] == "yes", row  # the "emb" column


def test_off_register_and_do_not_contact_electors_are_left_out(tmp_path, register_db):
    moved = elector(register_db, "AA-7")
    refused = elector(register_db, "AA-6")
    with register_db.write() as s:
        w = OpWriter.local(s)
        w.set("elector", moved["id"], "removed", True)
        w.create(
            "suppression",
            {"elector_id": refused["id"], "scope": "do-not-contact", "created_at": w.now()},
        )
        w.flush()
    out = tmp_path / "aa.pdf"
    report = run_to_end(print_walk_sheets(register_db, out, ["AA"], by_side=True))
    assert report.excluded["off the register"] == 1
    assert report.excluded["do not contact"] == 1
    text = poppler("pdftotext", "-layout", str(out), "-")
    assert "Alan Demoby" not in text and "Ada Demoby" not in text
    assert "Even numbers" in text


def test_unknown_district_and_missing_folder_are_refused(tmp_path, register_db):
    with pytest.raises(ValidationError, match="no polling district ZZ; districts here are AA, AB"):
        run_to_end(print_walk_sheets(register_db, tmp_path / "x.pdf", ["ZZ"]))
    with pytest.raises(ValidationError, match="does not exist"):
        run_to_end(print_walk_sheets(register_db, tmp_path / "nope" / "x.pdf"))
    assert list(tmp_path.glob("*.pdf")) == []
