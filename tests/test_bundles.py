"""Petition bundles and collection sheets: made, signed, checked, tampered with, looked at."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select

from canvass.cli.main import run
from canvass.crypto import bundle_signing as bs
from canvass.domain.progress import run_to_end
from canvass.paths import Paths
from canvass.services import (
    bundle_checks,
    bundle_data,
    bundle_keys,
    bundles,
    erasure,
    exchange,
    keys,
    merge_files,
    petition_counts,
    petitions,
)
from canvass.services.databases import open_db
from canvass.storage.tables import Signature
from tests.helpers import demo_db

TITLE = "Keep Exampleton Library Open (demo)"
# An "L" (down, then right, as on a screen), a zigzag and a dot: y grows downwards.
L_SHAPE = [[100, 100, 100, 900, 600, 900]]
ZIGZAG = [[50, 500, 200, 150, 350, 850, 500, 150, 650, 850, 800, 150, 950, 500], [400, 950]]
ACCENTED = [
    ("Siân Llywelyn-Ŵyn", "Flat 2, 12 Sample Road, Exampleton", "ZZ1 2AB", L_SHAPE),
    ("Łukasz Żółkiewski", "7 Pilot Terrace, Exampleton", "ZZ2 5YL", ZIGZAG),
    ("Nguyễn Thị Sample", "Rose Cottage, Sample Lane, Exampleton", "ZZ3 1AA", ZIGZAG),
    ("Zoë Ådahl", "3 Mock Street, Exampleton", "ZZ1 3DB", L_SHAPE),
]


def canvass(paths: Paths, *args: str) -> int:
    return run(list(args), paths=paths, launch_gui=lambda _db, _p: 0)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} (poppler-utils) is needed: make test installs it")
    return path


def _text(pdf: Path, *pages: int, layout: bool = True) -> str:
    args = [_tool("pdftotext"), *(["-layout"] if layout else [])]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _pdfsig(pdf: Path) -> str:
    done = subprocess.run([_tool("pdfsig"), str(pdf)], capture_output=True, text=True)
    return done.stdout + done.stderr


def _sign_accented(db) -> list[str]:
    return [
        petitions.sign(
            db,
            TITLE,
            petitions.Signer(name=n, address=a, postcode=p, consent=True, strokes=s),
            method="stall",
            collector="Ada",
        )
        for n, a, p, s in ACCENTED
    ]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A demo campaign with drawn signatures, its full and public bundles."""
    folder = tmp_path_factory.mktemp("bundle")
    db = demo_db(str(folder / "c.db"), 150)
    _sign_accented(db)
    for n in range(14):  # enough for a second page of signatures
        signer = petitions.Signer(
            name=f"Extra Signer {n}",
            address=f"{n + 1} Stall Row, Exampleton",
            postcode="ZZ4 1AB",
            consent=True,
            strokes=ZIGZAG,
        )
        petitions.sign(db, TITLE, signer, method="stall", collector="Ada")
    full = folder / "bundle.pdf"
    public = folder / "public.pdf"
    report = run_to_end(bundles.make_bundle(db, TITLE, full))
    public_report = run_to_end(bundles.make_bundle(db, TITLE, public, redacted=True))
    keys_now = bundle_keys.stored_keys(db)
    db.close()
    return folder, full, public, report, public_report, keys_now


def test_a_bundle_opens_renders_and_reads_right(made):
    folder, full, public, report, _, _ = made
    assert report.signed and report.counted > 25 and report.pages >= 5
    text = _text(full)
    for name, *_ in ACCENTED:
        assert name in text
    assert "Dear Councillor D. Sampleford (demo)" in text
    assert "This page 25 · running total 25 of" in text
    assert f"running total {report.counted} of {report.counted}" in text
    manifest = json.loads(bs.read_attachment(full.open("rb")))
    assert manifest["petition"]["text_sha256"] in text
    assert "12 Sample Road" in text
    # Rendered pages (looked at by hand too): cover, a signature page, the public copy.
    for pdf, page, stem in ((full, 1, "cover"), (full, 5, "signatures"), (public, 5, "public")):
        subprocess.run([_tool("pdftoppm"), "-png", "-r", "60", "-f", str(page), "-l", str(page),
                        "-singlefile", str(pdf), str(folder / stem)], check=True)  # fmt: skip
        assert (folder / f"{stem}.png").stat().st_size > 5_000


def test_the_public_copy_hides_street_and_house_number(made):
    _, full, public, report, public_report, _ = made
    assert public_report.counted == report.counted
    text = _text(public)
    assert "Siân Llywelyn-Ŵyn" in text
    assert "12 Sample Road" not in text and "Pilot Terrace" not in text
    assert "ZZ1 2AB" not in text and "ZZ1 " in text
    assert "Town (street and number hidden)" in text
    manifest = json.loads(bs.read_attachment(public.open("rb")))
    assert manifest["edition"] == "public"


def test_pdfsig_and_pyhanko_find_the_signature_valid_and_the_file_unmodified(made):
    _, full, _, _, _, keys_now = made
    out = _pdfsig(full)
    assert "Signature is Valid" in out
    assert "Total document signed" in out
    assert "ETSI.CAdES.detached" in out
    with full.open("rb") as fh:
        check = bs.check_pdf_signature(fh, [keys_now.cert_pem.encode()])
    assert check.intact and check.valid and check.trusted
    assert check.entire_file and check.unmodified and check.certification
    assert check.signer_fingerprint == keys_now.fingerprint
    with full.open("rb") as fh:
        untrusted = bs.check_pdf_signature(fh, [])
    assert untrusted.intact and not untrusted.trusted


def test_verify_says_everything_holds(made, tmp_path, capsys):
    folder, full, _, report, _, keys_now = made
    result = bundle_checks.verify_bundle(full, trusted=[keys_now.cert_pem.encode()],
                                         minisign_key=keys_now.minisign_public_key)  # fmt: skip
    assert result.ok, result.checks
    assert all(c.status == "ok" for c in result.checks), result.checks
    assert result.counted == report.counted
    # From the command line, trusting the exported certificate, without a database.
    cert = tmp_path / "campaign.pem"
    cert.write_text(keys_now.cert_pem)
    paths = Paths.under(tmp_path / "home")
    capsys.readouterr()
    assert canvass(paths, "verify", str(full), "--cert", str(cert)) == 0
    out = capsys.readouterr().out
    assert "everything checked holds" in out
    assert "[ok  ] Count" in out and "[ok  ] minisign signature" in out


def test_changing_one_byte_of_the_signed_range_is_caught(made, tmp_path, capsys):
    _, full, _, _, _, keys_now = made
    data = bytearray(full.read_bytes())
    # One byte well inside the first signed range (page streams are compressed,
    # so the byte changed is one of the document information dictionary's).
    at = data.index(b"/Creator (canvass)") + len(b"/Creator (")
    assert at < int(_pdfsig(full).split("Signed Ranges: [0 - ")[1].split("]")[0])
    data[at] = ord("K")
    bad = tmp_path / "bundle.pdf"
    bad.write_bytes(bytes(data))
    for side in (".sha256", ".minisig"):
        shutil.copy(full.with_name(full.name + side), bad.with_name(bad.name + side))
    out = _pdfsig(bad)
    assert "Signature is Valid" not in out
    assert "Signature is Invalid" in out or "Digest Mismatch" in out
    cert = tmp_path / "campaign.pem"
    cert.write_text(keys_now.cert_pem)
    paths = Paths.under(tmp_path / "home")
    capsys.readouterr()
    assert canvass(paths, "verify", str(bad), "--cert", str(cert)) == 1
    captured = capsys.readouterr()
    assert "[FAIL] PDF signature: INVALID" in captured.out
    assert "[FAIL] SHA-256 file" in captured.out
    assert "[FAIL] minisign signature" in captured.out
    assert "do not rely on this copy" in captured.err
    # A change appended after signing (an incremental update) is caught too.
    extended = tmp_path / "extended.pdf"
    extended.write_bytes(full.read_bytes() + b"\n% a comment added later\n")
    result = bundle_checks.verify_bundle(extended, trusted=[keys_now.cert_pem.encode()])
    assert not result.ok
    assert any(c.what == "Signature covers the whole file" and c.status == "failed"
               for c in result.checks)  # fmt: skip


def _minisign_check(public_key: str, data: bytes, minisig: str) -> str:
    """An independent reading of minisign's format (ED: Ed25519 over BLAKE2b-512)."""
    raw = base64.b64decode(public_key)
    assert raw[:2] == b"Ed" and len(raw) == 42
    key_id, public = raw[2:10], Ed25519PublicKey.from_public_bytes(raw[10:])
    untrusted, sig_line, trusted, global_line = minisig.splitlines()
    assert untrusted.startswith("untrusted comment: ")
    sig = base64.b64decode(sig_line)
    assert sig[:2] == b"ED" and sig[2:10] == key_id and len(sig) == 74
    public.verify(sig[10:], hashlib.blake2b(data, digest_size=64).digest())
    comment = trusted.removeprefix("trusted comment: ")
    public.verify(base64.b64decode(global_line), sig[10:] + comment.encode())
    return comment


def test_the_detached_files_check_out_independently(made):
    _, full, _, report, _, keys_now = made
    data = full.read_bytes()
    sums = full.with_name(full.name + ".sha256").read_text()
    assert sums == f"{hashlib.sha256(data).hexdigest()}  {full.name}\n"
    minisig = full.with_name(full.name + ".minisig").read_text()
    comment = _minisign_check(keys_now.minisign_public_key, data, minisig)
    manifest = json.loads(bs.read_attachment(full.open("rb")))
    assert f"petition:{manifest['petition']['id']}" in comment
    assert f"count:{report.counted}" in comment
    changed = bytearray(data)
    changed[len(changed) // 2] ^= 0x01
    with pytest.raises(InvalidSignature):
        _minisign_check(keys_now.minisign_public_key, bytes(changed), minisig)


def test_the_manifest_holds_digests_root_and_text(made):
    _, full, _, report, _, _ = made
    manifest = json.loads(bs.read_attachment(full.open("rb")))
    rows = manifest["rows"]
    assert rows["count"] == len(rows["digests"]) == report.counted
    assert len(set(rows["digests"])) == report.counted
    assert rows["merkle_root"] == report.merkle_root
    assert bs.merkle_root(bytes.fromhex(d) for d in rows["digests"]).hex() == report.merkle_root
    assert not any("salt" in key for key in manifest["rows"])  # the salt stays secret
    petition = manifest["petition"]
    assert hashlib.sha256(petition["text"].encode()).hexdigest() == petition["text_sha256"]
    assert manifest["counts"]["counted"] == report.counted
    assert manifest["signing"]["certificate_sha256"] == report.fingerprint


def _rfc6962(leaves: list[bytes]) -> bytes:
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + _rfc6962(leaves[:k]) + _rfc6962(leaves[k:])).digest()


def test_the_merkle_root_is_rfc_6962():
    for n in range(0, 40):
        leaves = [hashlib.sha256(bytes([i])).digest() for i in range(n)]
        assert bs.merkle_root(leaves) == _rfc6962(leaves)


def test_keys_are_made_once_and_the_certificate_exported(tmp_path, capsys):
    paths = Paths.under(tmp_path / "home")
    db = str(tmp_path / "k.db")
    assert canvass(paths, "--db", db, "init", "--campaign", "Save Siân's Library") == 0
    pem = tmp_path / "cert.pem"
    capsys.readouterr()
    assert canvass(paths, "--db", db, "petition", "keys", "--export-cert", str(pem)) == 0
    first = capsys.readouterr().out
    assert "Made the campaign's bundle-signing keys" in first
    cert = x509.load_pem_x509_certificate(pem.read_bytes())
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    assert cert.subject.rfc4514_string() == "CN=Save Siân's Library petitions"
    years = (cert.not_valid_after_utc - cert.not_valid_before_utc).days / 365
    assert 4.9 < years < 5.1
    assert bs.cert_fingerprint(pem.read_bytes()) in first
    assert canvass(paths, "--db", db, "petition", "keys") == 0
    again = capsys.readouterr().out
    assert "Made" not in again and bs.cert_fingerprint(pem.read_bytes()) in again


def test_an_unsigned_draft_says_so_and_counts_erasures(tmp_path):
    db = demo_db(str(tmp_path / "d.db"), 60)
    with db.read() as s:
        first = s.scalars(select(Signature.id).order_by(Signature.signed_at)).first()
    erasure.erase(db, "signature", first, "subject-request")
    out = tmp_path / "draft.pdf"
    report = run_to_end(bundles.make_bundle(db, TITLE, out, sign=False))
    db.close()
    assert not report.signed and not out.with_name("draft.pdf.minisig").exists()
    assert "Not signed" in _text(out, 1)
    text = " ".join(_text(out).split())
    assert "Erased on request: 1 signature of this campaign" in text
    assert first[:8] not in text
    result = bundle_checks.verify_bundle(out)
    assert not result.ok
    failed = {c.what for c in result.checks if c.status == "failed"}
    assert failed == {"PDF signature"}  # the pages still match the manifest


def test_signatures_from_two_laptops_make_one_bundle(tmp_path, db_url):
    coord = demo_db(db_url, 60)
    lap = open_db(str(tmp_path / "lap.db"), create=True)
    keys.write_enrolment_file(coord, tmp_path / "c.enrol")
    keys.write_enrolment_file(lap, tmp_path / "l.enrol")
    keys.enrol(lap, keys.read_enrolment_file(tmp_path / "c.enrol"), role="coordinator")
    keys.enrol(coord, keys.read_enrolment_file(tmp_path / "l.enrol"))
    lap_id = keys.this_device(lap).id
    exchange.export_file(coord, tmp_path / "to-lap.canvass", to=[lap_id])
    run_to_end(merge_files.merge_files(lap, [tmp_path / "to-lap.canvass"]))
    before = petition_counts.tally(coord, TITLE).counted

    def sign(db, name, postcode, **kw):
        signer = petitions.Signer(
            name=name,
            address="5 Mock Street, Exampleton",
            postcode=postcode,
            consent=True,
            strokes=L_SHAPE,
            **kw,
        )
        return petitions.sign(db, TITLE, signer, method="stall", collector="Stall")

    sign(coord, "Siân Doubleton", "ZZ1 4AA")
    sign(coord, "Only Coordinator", "ZZ1 4AB")
    twice = sign(lap, "SIÂN DOUBLETON", "zz1 4aa")  # the same person, at the other stall
    sign(lap, "Only Laptop", "ZZ1 4AD")
    gone = sign(lap, "Changed Mind", "ZZ1 4AE")
    petitions.withdraw(lap, gone)
    exported = exchange.export_file(lap, tmp_path / "from-lap.canvass").path
    run_to_end(merge_files.merge_files(coord, [Path(exported)]))
    run_to_end(merge_files.merge_files(coord, [Path(exported)]))  # twice: nothing doubles
    out = tmp_path / "merged.pdf"
    report = run_to_end(bundles.make_bundle(coord, TITLE, out))
    with coord.read() as s:
        names = list(s.scalars(select(Signature.name)))
    coord.close()
    lap.close()
    assert report.counted == before + 3
    manifest = json.loads(bs.read_attachment(out.open("rb")))
    assert len(set(manifest["rows"]["digests"])) == report.counted
    assert names.count("SIÂN DOUBLETON") == 1 and names.count("Siân Doubleton") == 1
    text = _text(out)
    assert text.count("Only Laptop") == 1 and text.count("Only Coordinator") == 1
    appendix = _text(out, report.pages - 1, report.pages)
    assert twice[:8] in appendix and "duplicate: same name and postcode" in appendix
    assert gone[:8] in appendix and "withdrawn" in appendix
    assert text.count("Changed Mind") == 1 and text.count("SIÂN DOUBLETON") == 1  # appendix only
    assert manifest["counts"]["excluded"].get("withdrawn") == 1
    merged = [f["sha256"] for f in manifest["exchange_files"]]
    assert hashlib.sha256(Path(exported).read_bytes()).hexdigest() in merged
    assert lap_id in {d["id"] for d in manifest["devices"]}


def test_collection_sheets_have_numbered_rows_and_sheets(tmp_path, capsys):
    paths = Paths.under(tmp_path / "home")
    db = str(tmp_path / "s.db")
    assert canvass(paths, "--db", db, "demo", "--electors", "60") == 0
    out = tmp_path / "sheets.pdf"
    args = ["--db", db, "print", "petition-sheets", TITLE, "--out", str(out)]
    assert canvass(paths, *args, "--rows", "12", "--sheets", "3") == 0
    text = _text(out)
    assert text.count("Sheet number") == 3
    assert "We the undersigned call on Exampleton Council" in text
    assert "Privacy and consent" in text and "Contact me" in text
    third = _text(out, 3, layout=False)
    assert "Sheet number\n\n3\n" in third and "of 3" in third
    numbers = third.split("Contact me", 1)[1].split()
    assert numbers[:12] == [str(n) for n in range(1, 13)]
    subprocess.run([_tool("pdftoppm"), "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile",
                    str(out), str(tmp_path / "sheet")], check=True)  # fmt: skip
    capsys.readouterr()
    assert canvass(paths, "--db", db, "print", "petition-sheets", "No Such Petition",
                   "--out", str(tmp_path / "x.pdf")) == 1  # fmt: skip
    err = capsys.readouterr().err
    assert "There is no petition 'No Such Petition'" in err and TITLE in err
    assert not (tmp_path / "x.pdf").exists()


def test_verify_says_plainly_what_is_not_a_bundle(tmp_path, capsys):
    paths = Paths.under(tmp_path / "home")
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.4\nnot really a pdf\n")
    capsys.readouterr()
    assert canvass(paths, "verify", str(junk)) == 1
    out = capsys.readouterr().out
    assert "[FAIL] PDF signature" in out and "[FAIL] Manifest" in out
    db = str(tmp_path / "s.db")
    assert canvass(paths, "--db", db, "demo", "--electors", "40") == 0
    sheets = tmp_path / "sheets.pdf"
    assert canvass(paths, "--db", db, "print", "petition-sheets", TITLE, "--out", str(sheets)) == 0
    capsys.readouterr()
    assert canvass(paths, "--db", db, "verify", str(sheets)) == 1
    out = capsys.readouterr().out
    assert "the PDF has no digital signature" in out and "no manifest.json is attached" in out
    assert canvass(paths, "verify", str(tmp_path / "missing.pdf")) == 1
    assert "There is no file" in capsys.readouterr().err


def test_public_addresses_keep_the_town_and_the_postcode_district():
    assert bundle_data.public_address("Flat 2, 12 Sample Road, Exampleton") == "Exampleton"
    assert bundle_data.public_address("Rose Cottage, Sample Lane, Exampleton") == "Exampleton"
    assert bundle_data.public_address("12 Sample Road") == ""
    assert bundle_data.postcode_district("ZZ1 2AB") == "ZZ1"
    assert bundle_data.postcode_district("BFPO 123") == "BFPO"


def test_text_like_an_emoji_code_prints_as_written(tmp_path, capsys):
    # Fingerprints are hex with colons: "49:AB:34" must not print as an emoji.
    from canvass.cli.main import run
    from canvass.paths import Paths

    paths = Paths.under(tmp_path / "home")
    db = str(tmp_path / "c.db")
    assert run(["--db", db, "demo", "--electors", "40"], paths=paths, launch_gui=lambda *_: 0) == 0
    text = tmp_path / "t.txt"
    text.write_text("Keep the library open.", encoding="utf-8")
    capsys.readouterr()
    args = ["--db", db, "petition", "create", "--title", "Fix 49:ab:34 now", "--text-file",
            str(text), "--councillor", "Cllr A. Testperson"]  # fmt: skip
    assert run(args, paths=paths, launch_gui=lambda *_: 0) == 0
    assert "Fix 49:ab:34 now" in capsys.readouterr().out
