"""Checking a petition bundle: the PDF signature, the manifest against the pages, the sidecars.

Each check says plainly what holds and what does not. A check that could
not be made (no certificate to trust, no ``.minisig`` beside the file) is a
warning, not a failure; anything found wrong is a failure.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from canvass.crypto import bundle_signing as bs
from canvass.domain.errors import ValidationError
from canvass.pdf.bundle_check import scan_bundle

OK, WARN, FAIL = "ok", "warning", "failed"


@dataclass(frozen=True, slots=True)
class Check:
    """One thing checked."""

    status: str  # ok / warning / failed
    what: str
    detail: str = ""


@dataclass(slots=True)
class VerifyReport:
    """Everything checked about one bundle."""

    path: str
    checks: list[Check] = field(default_factory=list)
    petition_id: str = ""
    counted: int | None = None

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return all(c.status != FAIL for c in self.checks)

    def add(self, status: str, what: str, detail: str = "") -> None:
        """Record a check."""
        self.checks.append(Check(status, what, detail))


def _signature(report: VerifyReport, path: Path, trusted: list[bytes]) -> bs.SignatureCheck:
    with path.open("rb") as fh:
        sig = bs.check_pdf_signature(fh, trusted)
    if not sig.present:
        report.add(FAIL, "PDF signature", sig.summary)
        return sig
    both = sig.intact and sig.valid
    report.add(
        OK if both else FAIL,
        "PDF signature",
        f"valid, by {sig.signer}"
        if both
        else "INVALID: the signed content has been changed or the signature is damaged",
    )
    report.add(
        OK if sig.entire_file else FAIL,
        "Signature covers the whole file",
        "yes" if sig.entire_file else "no: something was added after signing",
    )
    report.add(
        OK if sig.unmodified and sig.certification else FAIL,
        "No changes since certification",
        "none" if sig.unmodified else "the document was changed after it was certified",
    )
    for problem in sig.problems:
        report.add(FAIL, "PDF signature", problem)
    if sig.trusted:
        report.add(OK, "Certificate trusted", f"{sig.signer} ({sig.signer_fingerprint})")
    elif trusted:
        report.add(
            FAIL,
            "Certificate trusted",
            f"NO: signed by a certificate you did not give ({sig.signer_fingerprint})",
        )
    else:
        report.add(
            WARN,
            "Certificate trusted",
            "not checked: give the campaign's certificate with --cert FILE; the signer's "
            f"fingerprint is {sig.signer_fingerprint}",
        )
    return sig


def _manifest(report: VerifyReport, path: Path) -> dict[str, Any] | None:
    with path.open("rb") as fh:
        try:
            raw = bs.read_attachment(fh)
        except Exception as exc:  # noqa: BLE001 - a hostile file may break the reader anywhere
            report.add(FAIL, "Manifest", f"the PDF cannot be read ({type(exc).__name__})")
            return None
    if raw is None:
        report.add(FAIL, "Manifest", "no manifest.json is attached")
        return None
    try:
        manifest = json.loads(raw)
        assert isinstance(manifest, dict) and manifest.get("format") == "canvass-petition-bundle"
    except (ValueError, AssertionError):
        report.add(FAIL, "Manifest", "manifest.json is not a canvass bundle manifest")
        return None
    report.add(OK, "Manifest", f"attached (bundle {manifest.get('bundle_id', '?')})")
    return manifest


def _against_pages(report: VerifyReport, path: Path, manifest: dict[str, Any]) -> None:
    try:
        with path.open("rb") as fh:
            scan = scan_bundle(fh)
    except Exception as exc:  # noqa: BLE001 - a hostile file may break the reader anywhere
        report.add(FAIL, "Pages", f"the pages cannot be read ({type(exc).__name__})")
        return
    rows = manifest.get("rows", {})
    counted = manifest.get("counts", {}).get("counted")
    report.counted = counted
    printed = len(scan.rows)
    numbers_ok = [n for n, _ in scan.rows] == list(range(1, printed + 1))
    same = printed == counted == rows.get("count") and numbers_ok
    report.add(
        OK if same else FAIL,
        "Count",
        f"{printed:,} rows printed, numbered 1 to {printed:,}; the manifest says {counted:,}"
        if isinstance(counted, int)
        else f"{printed:,} rows printed; the manifest gives no count",
    )
    running, sub_ok = 0, True
    for n, total in scan.subtotals:
        running += n
        sub_ok = sub_ok and total == running
    sub_ok = sub_ok and running == printed
    report.add(
        OK if sub_ok else FAIL,
        "Page subtotals",
        f"add up ({len(scan.subtotals):,} pages)" if sub_ok else "do not add up to the rows",
    )
    page_digests = [bytes.fromhex(d) for _, d in scan.rows]
    listed = rows.get("digests", [])
    root = bs.merkle_root(page_digests).hex()
    root_ok = root == rows.get("merkle_root") and [d.hex() for d in page_digests] == listed
    report.add(
        OK if root_ok else FAIL,
        "Row digests and Merkle root",
        f"recomputed from the pages: {root}"
        if root_ok
        else "the pages' row digests do not match the manifest",
    )
    petition = manifest.get("petition", {})
    text = petition.get("text", "")
    hash_ok = hashlib.sha256(text.encode("utf-8")).hexdigest() == petition.get("text_sha256")
    printed_ok = "".join(scan.text.split()) == "".join(text.split()) and bool(text)
    report.add(
        OK if hash_ok and printed_ok else FAIL,
        "Petition text",
        f"the printed text is the manifest's; SHA-256 {petition.get('text_sha256')}"
        if hash_ok and printed_ok
        else (
            "the printed text differs from the manifest's"
            if hash_ok
            else "the text's SHA-256 does not match it"
        ),
    )


def _sidecars(
    report: VerifyReport, path: Path, manifest: dict[str, Any] | None, minisign_key: str | None
) -> None:
    sums = path.with_name(path.name + ".sha256")
    actual = bs.file_sha256(path)
    if not sums.exists():
        report.add(WARN, "SHA-256 file", f"no {sums.name} beside the PDF; SHA-256 is {actual}")
    else:
        line = sums.read_text(encoding="utf-8", errors="replace").strip()
        expected, _, name = line.partition("  ")
        good = expected.lower() == actual and name.strip().lstrip("*") == path.name
        report.add(
            OK if good else FAIL,
            "SHA-256 file",
            f"matches ({actual})" if good else f"does NOT match: the file's is {actual}",
        )
    sig = path.with_name(path.name + ".minisig")
    key = minisign_key or (manifest or {}).get("signing", {}).get("minisign_public_key")
    if not sig.exists():
        report.add(WARN, "minisign signature", f"no {sig.name} beside the PDF")
        return
    if not key:
        report.add(WARN, "minisign signature", "no public key to check it with")
        return
    try:
        comment = bs.minisign_verify(key, path, sig.read_text(encoding="utf-8", errors="replace"))
    except ValidationError as exc:
        report.add(FAIL, "minisign signature", f"INVALID: {exc}")
        return
    fields = dict(p.split(":", 1) for p in comment.split("\t") if ":" in p)
    expected = (manifest or {}).get("petition", {}).get("id")
    count = (manifest or {}).get("counts", {}).get("counted")
    agree = fields.get("petition") == expected and fields.get("count") == str(count)
    whose = "the campaign's key" if minisign_key else "the key in the manifest"
    report.add(
        OK if agree else FAIL,
        "minisign signature",
        f"valid with {whose}; signed comment: {comment.replace(chr(9), ' ')}"
        if agree
        else f"valid, but its signed comment ({comment}) does not match the manifest",
    )


def verify_bundle(
    path: Path, *, trusted: list[bytes] | None = None, minisign_key: str | None = None
) -> VerifyReport:
    """Check a bundle and its sidecar files.

    Raises:
        ValidationError: If there is no such file.
    """
    if not path.is_file():
        raise ValidationError(f"There is no file {path}.")
    report = VerifyReport(str(path))
    _signature(report, path, list(trusted or []))
    manifest = _manifest(report, path)
    if manifest is not None:
        report.petition_id = str(manifest.get("petition", {}).get("id", ""))
        _against_pages(report, path, manifest)
    _sidecars(report, path, manifest, minisign_key)
    return report
