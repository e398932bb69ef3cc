"""Leaflets as a print shop gets them: read back with PDFium and poppler's tools."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
import zlib
from dataclasses import replace
from importlib import resources
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image

from canvass.cli.main import run
from canvass.domain.errors import ValidationError
from canvass.domain.leaflet_markup import parse_markup
from canvass.domain.leaflet_spec import (
    TEMPLATES,
    Event,
    LeafletImage,
    LeafletSpec,
    Letter,
    QRCode,
    Recipient,
    Signatory,
    Welsh,
    parse_spec,
    spec_to_toml,
)
from canvass.paths import Paths
from canvass.pdf.leaflet_render import impose
from canvass.services import leaflets
from canvass.services.oplog import OpWriter
from canvass.storage.tables import Campaign
from tests.helpers import demo_db

MM = 72 / 25.4
EXAMPLES = resources.files("canvass.resources") / "examples"
IMPRINT = (
    "Promoted by A. Testwell on behalf of Exampleton Residents' Association (demo), "
    "1 Sample Road, Exampleton ZZ1 1AA."
)


def poppler(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing: the test command installs poppler-utils")
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True).stdout


def example(name: str) -> LeafletSpec:
    return parse_spec((EXAMPLES / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    database = demo_db(str(tmp_path_factory.mktemp("leaflets") / "demo.db"), 60)
    yield database
    database.close()


@pytest.fixture(scope="module")
def photo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("img") / "photo.jpg"
    image = Image.linear_gradient("L").resize((1800, 1200)).convert("RGB")
    image.save(path, quality=85)
    return path


def page_sizes_mm(path: Path) -> list[tuple[float, float]]:
    pdf = pypdfium2.PdfDocument(path)
    try:
        return [(round(w / MM, 1), round(h / MM, 1)) for w, h in (p.get_size() for p in pdf)]
    finally:
        pdf.close()


def page_texts(path: Path, pages: int) -> list[str]:
    return [
        " ".join(poppler("pdftotext", "-f", str(n), "-l", str(n), str(path), "-").split())
        for n in range(1, pages + 1)
    ]


def assert_fonts_embedded(path: Path) -> None:
    rows = poppler("pdffonts", str(path)).splitlines()[2:]
    assert rows, "no fonts at all"
    for row in rows:
        assert re.search(r"\s(yes)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", row), row


def specs_for_every_template(photo: Path) -> dict[str, LeafletSpec]:
    meeting, petition, letter = (
        example(n)
        for n in ("public-meeting.toml", "petition-leaflet.toml", "councillor-letter.toml")
    )
    pictured = replace(petition, images=(LeafletImage(str(photo), "Mill Lane", "hero"),))
    return {
        "a5-flyer": replace(pictured, template="a5-flyer", sides=2, reply_slip=None),
        "a4-folded": replace(pictured, template="a4-folded", event=meeting.event),
        "dl": replace(meeting, template="dl", body=meeting.body),
        "a4-letter": letter,
        "a4-poster": meeting,
        "a3-poster": replace(meeting, template="a3-poster"),
        "reply-slip": petition,
    }


def test_every_template_renders_the_examples_at_its_exact_size_with_imprint_and_fonts(
    db, tmp_path, photo
):
    specs = specs_for_every_template(photo)
    assert set(specs) == set(TEMPLATES)
    for name, spec in specs.items():
        out = tmp_path / f"{name}.pdf"
        report = leaflets.render(db, spec, out)
        assert report.warnings == [], (name, report.warnings)
        width, height = TEMPLATES[name].size_mm
        assert page_sizes_mm(out) == [(width, height)] * report.pages, name
        assert report.size_mm == (width, height)
        expected_pages = {"a4-folded": 2, "a5-flyer": 2}.get(name, 1)
        assert report.pages == expected_pages, name
        assert_fonts_embedded(out)
        for n, text in enumerate(page_texts(out, report.pages), start=1):
            assert IMPRINT in text, f"{name} page {n} has no imprint"


def test_examples_say_what_they_should(db, tmp_path):
    out = tmp_path / "slip.pdf"
    leaflets.render(db, example("petition-leaflet.toml"), out)
    text = page_texts(out, 1)[0]
    for words in ("Reply slip", "Name", "Address", "Phone", "Email", "Keep me informed",
                  "I can help", "I agree that", "Cut along the line"):  # fmt: skip
        assert words in text, words
    out = tmp_path / "poster.pdf"
    leaflets.render(db, example("public-meeting.toml"), out)
    text = page_texts(out, 1)[0]
    for words in ("PUBLIC MEETING", "WHEN", "Thursday 12 March", "WHERE", "SPEAKERS",
                  "Siân Exampleton-Jones"):  # fmt: skip
        assert words in text, words
    out = tmp_path / "letter.pdf"
    leaflets.render(db, example("councillor-letter.toml"), out)
    text = page_texts(out, 1)[0]
    assert text.index("Cllr A. Testperson") < text.index("Dear Councillor Testperson,")
    assert text.index("Yours sincerely") < text.index("Dr B. Example") < text.index("Secretary")


def test_overflowing_text_shrinks_then_warns_naming_template_and_field(db, tmp_path):
    spec = example("public-meeting.toml")
    short = replace(spec, template="a5-flyer", body=spec.body + "\n\n" + spec.body)
    assert leaflets.render(db, short, tmp_path / "fits.pdf").warnings == []
    long = replace(short, body="\n\n".join([spec.body] * 12))
    report = leaflets.render(db, long, tmp_path / "long.pdf")
    assert len(report.warnings) == 1
    assert "a5-flyer" in report.warnings[0] and "the body does not fit" in report.warnings[0]
    assert "words are left over" in report.warnings[0] and "sides = 2" in report.warnings[0]
    headline = replace(short, headline="Save " * 150)
    warnings = leaflets.render(db, headline, tmp_path / "head.pdf").warnings
    assert any("a5-flyer: the headline is too long" in w for w in warnings)


def test_letters_run_on_to_more_pages_with_imprint_and_page_numbers(db, tmp_path):
    spec = example("councillor-letter.toml")
    assert spec.letter is not None
    long = replace(spec, letter=replace(spec.letter, body="\n\n".join([spec.letter.body] * 5)))
    out = tmp_path / "long.pdf"
    report = leaflets.render(db, long, out)
    assert report.pages >= 3 and report.warnings == []
    texts = page_texts(out, report.pages)
    for n, text in enumerate(texts, start=1):
        assert IMPRINT in text and f"Page {n} of {report.pages}" in text
    assert "Yours sincerely" in texts[-1] and "Dr B. Example" in texts[-1]


def set_imprint(db, **values: str) -> None:
    with db.write() as session:
        campaign = session.query(Campaign).one()
        writer = OpWriter.local(session)
        for name, value in values.items():
            writer.set("campaign", campaign.id, name, value)


def test_election_material_without_an_imprint_is_refused(tmp_path):
    db = demo_db(str(tmp_path / "blank.db"), 30)
    try:
        spec = replace(example("public-meeting.toml"), election_material=True)
        leaflets.render(db, spec, tmp_path / "ok.pdf")
        commercial = replace(spec, printed_commercially=True)
        with pytest.raises(ValidationError, match="the printer's name and address"):
            leaflets.render(db, commercial, tmp_path / "no.pdf")
        set_imprint(db, imprint_promoter="", imprint_address="")
        with pytest.raises(ValidationError) as refused:
            leaflets.render(db, spec, tmp_path / "no.pdf")
        message = str(refused.value)
        assert "UK electoral law requires" in message
        assert "the promoter's name, the promoter's address" in message
        assert "Settings" in message
        assert not (tmp_path / "no.pdf").exists()
        # Community material may go without: it names the group instead.
        report = leaflets.render(db, replace(spec, election_material=False), tmp_path / "c.pdf")
        assert (
            "Published by Exampleton Residents' Association (demo)."
            in page_texts(Path(report.path), 1)[0]
        )
        images, warnings = leaflets.preview_png(db, spec)
        assert images and any("UK electoral law" in w for w in warnings)
    finally:
        db.close()


def test_broken_huge_and_missing_images_are_refused_clearly(db, tmp_path, photo):
    spec = example("public-meeting.toml")
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really a JPEG")
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(photo.read_bytes()[:4000])
    huge = tmp_path / "huge.png"
    Image.new("1", (8000, 6000)).save(huge)
    cases = {
        broken: "cannot be read: it is not a JPEG, PNG",
        cut: "is damaged",
        huge: "is 48 megapixels (8,000 × 6,000 pixels); leaflets take images up to 40",
        tmp_path / "nowhere.jpg": "was not found",
    }
    for path, message in cases.items():
        with_image = replace(spec, images=(LeafletImage(str(path)),))
        with pytest.raises(ValidationError, match=re.escape(message)) as refused:
            leaflets.render(db, with_image, tmp_path / "x.pdf")
        assert f"'{path.name}' (images[1].path)" in str(refused.value)
    assert not (tmp_path / "x.pdf").exists()


def test_pictures_keep_their_shape_and_low_resolution_is_warned(db, tmp_path, photo):
    poster = replace(example("public-meeting.toml"), images=(LeafletImage(str(photo)),))
    warnings = leaflets.render(db, poster, tmp_path / "full.pdf").warnings
    assert warnings == [
        "a4-poster: no room for the picture 'photo.jpg' (images[1].path) beside "
        "this much text, so it is left out; shorten the text or use the A3 poster."
    ]
    small = tmp_path / "small.jpg"
    Image.new("RGB", (300, 200), "red").save(small)
    spec = replace(
        example("public-meeting.toml"), template="a5-flyer", sides=2,
        images=(LeafletImage(str(small)),),
    )  # fmt: skip
    report = leaflets.render(db, spec, tmp_path / "low.pdf")
    assert any("prints at only" in w and "small.jpg" in w for w in report.warnings)
    sharp = replace(spec, images=(LeafletImage(str(photo)),))
    out = tmp_path / "sharp.pdf"
    assert leaflets.render(db, sharp, out).warnings == []
    listing = poppler("pdfimages", "-list", str(out)).splitlines()[2:]
    assert len(listing) == 1
    cols = listing[0].split()
    width, height, x_ppi, y_ppi = int(cols[3]), int(cols[4]), int(cols[12]), int(cols[13])
    assert abs(width / height - 1.5) < 0.01  # 1800 × 1200: not stretched
    assert abs(x_ppi - y_ppi) <= 1 and x_ppi >= 200


def test_spec_files_with_missing_or_wrong_fields_name_them():
    with pytest.raises(ValidationError) as bad:
        parse_spec(
            'template = "a5-flyer"\ntitle = "x"\nhedline = "Hi"\ncolour = "pink"\nsides = "two"\n'
            'election_material = "yes"\n[[images]]\ncaption = "no path"\n'
        )
    message = str(bad.value)
    for part in (
        "unknown field 'hedline' (did you mean 'headline'?)",
        "missing field 'headline'",
        "'colour' is 'pink'; choose one of teal, navy",
        "'sides' is 'two'; this template allows 1 or 2",
        "'election_material' must be true or false",
        "missing field 'images[1].path'",
    ):
        assert part in message
    with pytest.raises(ValidationError, match="missing section \\[event\\]"):
        parse_spec('template = "a4-poster"\ntitle = "x"\nheadline = "y"\n')
    with pytest.raises(ValidationError, match="missing field 'event.when'"):
        parse_spec('template = "a4-poster"\ntitle="x"\nheadline="y"\n[event]\nwhat="a"\nwhere="b"')
    with pytest.raises(ValidationError, match="'template' is 'a6'; choose one of a5-flyer"):
        parse_spec('template = "a6"\ntitle = "x"\nheadline = "y"\n')
    with pytest.raises(ValidationError, match="not valid TOML"):
        parse_spec('template = "a5-flyer\n')
    with pytest.raises(ValidationError, match="not valid JSON"):
        parse_spec("{", fmt="json")


def test_specs_round_trip_through_toml_and_the_database(db, tmp_path):
    rich = LeafletSpec(
        template="a5-flyer", title="Round trip", election_material=True, headline="Zoë's “quote”",
        subheading="Line\\with backslash", body="Para one\n\n- a\n- b\n\nIt's ''' tricky'",
        sides=2, images=(LeafletImage("p.jpg", "cap", "body"),), qr=QRCode("https://x.example"),
        contact="a\nb", colour="purple", font="source-serif",
        bilingual_welsh=Welsh("Ŵyr", "", "Corff", "welsh-first"),
        event=Event("Meeting", "Today", "Here", ("A", "B")),
        letter=Letter("Body", ("1 Road",), signatories=(Signatory("Ann", "Chair"),)),
    )  # fmt: skip
    for spec in (rich, *(example(n.name) for n in EXAMPLES.iterdir() if n.name.endswith("toml"))):
        assert parse_spec(spec_to_toml(spec)) == spec
    leaflet_id = leaflets.save_leaflet(db, rich)
    assert leaflets.load_leaflet(db, leaflet_id) == rich
    changed = replace(rich, headline="New")
    assert leaflets.save_leaflet(db, changed, leaflet_id) == leaflet_id
    assert leaflets.load_leaflet(db, leaflet_id[:8]) == changed
    assert any(s.id == leaflet_id and s.election_material for s in leaflets.list_leaflets(db))
    leaflets.export_spec(changed, tmp_path / "shared.toml")
    back = leaflets.import_spec(tmp_path / "shared.toml")
    assert back.images[0].path == str(tmp_path / "p.jpg")  # relative to the file
    assert replace(back, images=changed.images) == changed


def test_markup_paragraphs_bullets_bold_italic():
    blocks = parse_markup("A **bold** and *it* word,\njoined.\n\n- one\n- two *x*\n\n2 * 3 = 6")
    assert [b.bullet for b in blocks] == [False, True, True, False]
    assert blocks[0].text == "A bold and it word, joined."
    assert [(r.text, r.bold, r.italic) for r in blocks[0].runs][1:4] == [
        ("bold", True, False), (" and ", False, False), ("it", False, True)]  # fmt: skip
    assert blocks[3].text == "2 * 3 = 6"


def test_n_up_sheets_and_duplex_order(db, tmp_path):
    spec = replace(example("public-meeting.toml"), template="a5-flyer", sides=2)
    report = leaflets.render(db, spec, tmp_path / "a5x2.pdf", n_up=2)
    assert report.pages == 2 and page_sizes_mm(Path(report.path)) == [(297.0, 210.0)] * 2
    texts = page_texts(Path(report.path), 2)
    assert all(t.count(IMPRINT) == 2 for t in texts)  # on each copy, both sides
    dl = replace(spec, template="dl", sides=1)
    report = leaflets.render(db, dl, tmp_path / "dl.pdf", n_up=3)
    assert report.pages == 1 and report.size_mm == (297.0, 210.0)
    assert page_texts(Path(report.path), 1)[0].count(IMPRINT) == 3
    with pytest.raises(ValidationError, match="can be printed 1 or 2 to an A4 sheet, not 3"):
        leaflets.render(db, spec, tmp_path / "no.pdf", n_up=3)
    with pytest.raises(ValidationError, match="either bleed or n-up"):
        leaflets.render(db, spec, tmp_path / "no.pdf", n_up=2, bleed=True)
    # Backs run right to left, so each piece's back is behind its front.
    assert impose([["1a", "1b"], ["2a", "2b"], ["3a", "3b"]], 2) == [
        ["1a", "2a"], ["2b", "1b"], ["3a", None], [None, "3b"]]  # fmt: skip


def test_bleed_adds_3mm_each_side_with_trim_box_and_crop_marks(db, tmp_path):
    spec = replace(example("public-meeting.toml"), template="a5-flyer")
    report = leaflets.render(db, spec, tmp_path / "bleed.pdf", bleed=True)
    assert report.size_mm == (154.0, 216.0)
    assert page_sizes_mm(Path(report.path)) == [(154.0, 216.0)]
    pdf = pypdfium2.PdfDocument(report.path)
    try:
        trim = [round(v / MM, 1) for v in pdf[0].get_trimbox()]
    finally:
        pdf.close()
    assert trim == [3.0, 3.0, 151.0, 213.0]
    poster = leaflets.render(db, example("public-meeting.toml"), tmp_path / "p.pdf", bleed=True)
    assert poster.size_mm == (216.0, 303.0)


def content_streams(path: Path) -> str:
    data = path.read_bytes()
    out = []
    for match in re.finditer(rb">>\s*stream\r?\n(.*?)endstream", data, re.DOTALL):
        raw = match.group(1).strip()
        if raw.endswith(b"~>"):
            raw = base64.a85decode(raw, adobe=True)
        try:
            out.append(zlib.decompressobj().decompress(raw).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(out)


def test_cmyk_output_uses_cmyk_colour_operators(db, tmp_path):
    for name in ("public-meeting.toml", "petition-leaflet.toml", "councillor-letter.toml"):
        out = tmp_path / f"{name}.pdf"
        leaflets.render(db, example(name), out, cmyk=True)
        ops = content_streams(out)
        assert re.search(r"[\d.]+ [\d.]+ [\d.]+ [\d.]+ k\b", ops), name
        assert not re.search(r"[\d.]+ [\d.]+ [\d.]+ (rg|RG)\b", ops), name
        leaflets.render(db, example(name), out)
        assert re.search(r"[\d.]+ [\d.]+ [\d.]+ rg\b", content_streams(out))


def test_welsh_bilingual_layouts(db, tmp_path):
    spec = example("public-meeting.toml")
    welsh = Welsh("Achub Llyfrgell Sampleton", "Dewch i'r cyfarfod", "Mae'r llyfrgell ŵyr ŷd.")
    for template in ("a5-flyer", "a4-folded", "reply-slip", "a4-poster", "dl"):
        for layout in ("side-by-side", "welsh-first"):
            bilingual = replace(
                spec, template=template, bilingual_welsh=replace(welsh, layout=layout)
            )
            out = tmp_path / f"{template}-{layout}.pdf"
            report = leaflets.render(db, bilingual, out)
            text = " ".join(page_texts(out, report.pages))
            assert text.index("Achub Llyfrgell") < text.index("Save Sampleton Library")
            assert "ŵyr ŷd" in text
            if template != "a4-poster":
                assert text.index("Mae'r llyfrgell") < text.index("The library is used")


def test_mail_merge_letters_one_per_recipient(db, tmp_path):
    people = [
        Recipient("Dear Ms Jones", "Ms A Jones", ("1 High Street", "Sampleton", "ZZ1 1AA")),
        Recipient("Dear resident", "The Occupier", ("2 High Street", "Sampleton", "ZZ1 1AA")),
    ]
    out = tmp_path / "merge.pdf"
    report = leaflets.render(db, example("councillor-letter.toml"), out, recipients=people)
    assert report.pages == 2
    first, second = page_texts(out, 2)
    assert "Ms A Jones 1 High Street" in first and "Dear Ms Jones," in first
    assert "The Occupier 2 High Street" in second and "Dear resident," in second
    assert "Cllr A. Testperson Member" not in first
    with pytest.raises(ValidationError, match="use the a4-letter template"):
        leaflets.render(db, example("public-meeting.toml"), out, recipients=people)


def test_preview_png_pages(db):
    images, warnings = leaflets.preview_png(db, replace(example("public-meeting.toml"),
                                                        template="a4-folded"))  # fmt: skip
    assert warnings == [] and len(images) == 2
    assert all(i.startswith(b"\x89PNG") for i in images)


def test_cli_render_save_list_export(tmp_path, capsys):
    base = tmp_path / "home"
    paths = Paths.under(base)
    db_file = str(tmp_path / "cli.db")
    assert run(["--db", db_file, "demo", "--electors", "40"], paths=paths, launch_gui=None) == 0
    spec = str(EXAMPLES / "public-meeting.toml")
    assert run(["--db", db_file, "leaflet", "render", spec, "--out", str(tmp_path)],
               paths=paths, launch_gui=None) == 0  # fmt: skip
    assert (tmp_path / "library-public-meeting-poster-A4-1pp.pdf").is_file()
    assert run(["--db", db_file, "leaflet", "save", spec], paths=paths, launch_gui=None) == 0
    capsys.readouterr()
    assert run(["--db", db_file, "leaflet", "list"], paths=paths, launch_gui=None) == 0
    listed = capsys.readouterr().out
    assert "Library public meeting poster · a4-poster · community material" in listed
    leaflet_id = listed.strip().rsplit(" · ", 1)[1]
    out = tmp_path / "again.toml"
    assert run(["--db", db_file, "leaflet", "export", leaflet_id, "--out", str(out)],
               paths=paths, launch_gui=None) == 0  # fmt: skip
    assert parse_spec(out.read_text()) == example("public-meeting.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text('template = "a5-flyer"\ntitle = "x"\n')
    assert run(["--db", db_file, "leaflet", "render", str(bad), "--out", str(tmp_path / "b.pdf")],
               paths=paths, launch_gui=None) == 1  # fmt: skip
    assert "bad.toml: The leaflet spec has problems: missing field 'headline'" in (
        capsys.readouterr().err
    )


def test_a_phone_camera_picture_this_copy_cannot_read_is_named_as_such(tmp_path) -> None:
    """An AVIF or HEIC photo (what phones save) gets told apart from a damaged file."""
    from canvass.pdf.leaflet_media import load_picture

    for name, brand, kind in (("a.avif", b"avif", "AVIF"), ("b.heic", b"heic", "HEIC")):
        path = tmp_path / name
        path.write_bytes(b"\x00\x00\x00\x1cftyp" + brand + b"\x00" * 40)
        with pytest.raises(ValidationError, match=f"is an? {kind} picture.*save it as JPEG"):
            load_picture(LeafletImage(str(path)), 0, None)
