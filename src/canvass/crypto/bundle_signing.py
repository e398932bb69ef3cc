"""Signing petition bundles: the campaign certificate, PAdES, minisign, row digests.

- The campaign's bundle keys are an ECDSA P-256 key with a self-issued
  certificate (key usage: digital signature and non-repudiation, which
  pyHanko's validator requires by default) for the PDF signature, and an
  Ed25519 key for the detached minisign signature. PDF readers know ECDSA
  P-256 everywhere; Ed25519 in PDFs is poorly supported, so it stays outside.
- The PDF gets a PAdES B-B certification signature (no changes allowed
  afterwards) made with pyHanko, after the manifest is attached, so the
  signature covers the manifest too.
- minisign's prehashed format ("ED"): Ed25519 over BLAKE2b-512 of the file,
  then a second signature over that signature and the trusted comment. The
  stock ``minisign -Vm FILE -P KEY`` checks it.
- Rows are published only as salted SHA-256 digests under an RFC 6962 Merkle
  tree: anyone can check a row they are shown against the root, nobody can
  guess a row from its digest without the campaign's secret salt.

pyHanko is imported inside the functions that need it: it takes ~0.6 s to
import (DESIGN §6).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.x509.oid import NameOID

from canvass.domain.errors import ValidationError

CERT_YEARS = 5
_CHUNK = 1 << 20


# --- keys and the certificate -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BundleKeys:
    """The campaign's bundle-signing keys, as stored text."""

    key_pem: str  # ECDSA P-256 private key, PKCS#8 PEM
    cert_pem: str  # its self-issued certificate, PEM
    minisign_seed: str  # Ed25519 seed, 64 hex digits

    @property
    def fingerprint(self) -> str:
        """The certificate's SHA-256 fingerprint (AB:CD:...)."""
        return cert_fingerprint(self.cert_pem)

    @property
    def common_name(self) -> str:
        """Who the certificate names."""
        cert = x509.load_pem_x509_certificate(self.cert_pem.encode())
        names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(names[0].value) if names else ""

    @property
    def not_after(self) -> dt.datetime:
        """When the certificate expires."""
        return x509.load_pem_x509_certificate(self.cert_pem.encode()).not_valid_after_utc

    @property
    def minisign_public_key(self) -> str:
        """The minisign public key, base64 (what ``minisign -P`` takes)."""
        public = _ed_public(self.minisign_seed)
        return base64.b64encode(b"Ed" + minisign_key_id(public) + public).decode()

    @property
    def minisign_key_id(self) -> str:
        """The minisign key id as minisign prints it (16 hex digits)."""
        return minisign_key_id(_ed_public(self.minisign_seed))[::-1].hex().upper()


def generate_keys(common_name: str, organisation: str = "") -> BundleKeys:
    """New bundle keys: an ECDSA P-256 key with a certificate for ``common_name``, valid 5 years."""
    key = ec.generate_private_key(ec.SECP256R1())
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64] or "canvass")]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]))
    name = x509.Name(attributes)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * CERT_YEARS + 1))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    seed = Ed25519PrivateKey.generate().private_bytes_raw().hex()
    return BundleKeys(key_pem, cert.public_bytes(serialization.Encoding.PEM).decode(), seed)


def cert_fingerprint(cert_pem: str | bytes) -> str:
    """SHA-256 of a certificate's DER form, as colon-separated hex pairs.

    Raises:
        ValidationError: If the text is not a PEM or DER certificate.
    """
    data = cert_pem.encode() if isinstance(cert_pem, str) else cert_pem
    try:
        cert = (
            x509.load_pem_x509_certificate(data)
            if b"-----BEGIN" in data
            else x509.load_der_x509_certificate(data)
        )
    except ValueError:
        raise ValidationError("That is not a certificate (PEM or DER).") from None
    digest = cert.fingerprint(hashes.SHA256()).hex().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def _ed_public(seed_hex: str) -> bytes:
    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(seed_hex))
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


# --- row digests and the Merkle root ----------------------------------------------------


def bundle_salt(seed_hex: str, bundle_id: str) -> bytes:
    """The secret salt of one bundle: HMAC-SHA256 of its id under the campaign's key.

    Nothing new needs keeping secret: whoever holds the campaign's keys can
    recompute it (to show a signer their row is in), nobody else can.
    """
    message = b"canvass petition bundle row salt\x00" + bundle_id.encode()
    return hmac.new(bytes.fromhex(seed_hex), message, hashlib.sha256).digest()


def row_digest(salt: bytes, canonical_row: bytes) -> bytes:
    """SHA-256 of the salt followed by the row's canonical JSON."""
    return hashlib.sha256(salt + canonical_row).digest()


def merkle_root(digests: Iterable[bytes]) -> bytes:
    """RFC 6962 Merkle tree hash over row digests (leaves 0x00||d, nodes 0x01||l||r).

    Built bottom-up; an unpaired last node moves up unchanged, which gives the
    same root as RFC 6962's split at the largest power of two.
    """
    level = [hashlib.sha256(b"\x00" + d).digest() for d in digests]
    if not level:
        return hashlib.sha256(b"").digest()
    while len(level) > 1:
        nxt = [
            hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
            for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


# --- files: SHA-256 and minisign -----------------------------------------------------------


def _chunks(path: Path) -> Iterable[bytes]:
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            yield chunk


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, hex, read in chunks."""
    h = hashlib.sha256()
    for chunk in _chunks(path):
        h.update(chunk)
    return h.hexdigest()


def sha256_line(digest: str, name: str) -> str:
    """The coreutils ``sha256sum`` line for a file: ``<hex>  <name>``."""
    return f"{digest}  {name}\n"


def minisign_key_id(public: bytes) -> bytes:
    """The 8-byte key id: the first bytes of BLAKE2b of the public key (stable, not stored)."""
    return hashlib.blake2b(public, digest_size=8).digest()


def _blake2b_file(path: Path) -> bytes:
    h = hashlib.blake2b(digest_size=64)
    for chunk in _chunks(path):
        h.update(chunk)
    return h.digest()


def minisign_sign(seed_hex: str, path: Path, trusted_comment: str, untrusted_comment: str) -> str:
    """A minisign signature (prehashed "ED" format) of the file at ``path``.

    Raises:
        ValidationError: If a comment holds a line break.
    """
    if "\n" in trusted_comment + untrusted_comment or "\r" in trusted_comment + untrusted_comment:
        raise ValidationError("A minisign comment must be one line.")
    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(seed_hex))
    public = _ed_public(seed_hex)
    signature = key.sign(_blake2b_file(path))
    global_sig = key.sign(signature + trusted_comment.encode())
    first = base64.b64encode(b"ED" + minisign_key_id(public) + signature).decode()
    return (
        f"untrusted comment: {untrusted_comment}\n{first}\n"
        f"trusted comment: {trusted_comment}\n{base64.b64encode(global_sig).decode()}\n"
    )


def minisign_verify(public_key: str, path: Path, minisig: str) -> str:
    """Check a minisign signature of ``path``; returns its trusted comment.

    Raises:
        ValidationError: Saying what does not hold.
    """
    try:
        raw_key = base64.b64decode(public_key.strip(), validate=True)
        lines = minisig.splitlines()
        sig_raw = base64.b64decode(lines[1], validate=True)
        comment_line = lines[2]
        global_sig = base64.b64decode(lines[3], validate=True)
    except (ValueError, IndexError):
        raise ValidationError("The .minisig file is not in minisign's format.") from None
    if len(raw_key) != 42 or raw_key[:2] != b"Ed":
        raise ValidationError("The minisign public key is not one.")
    if len(sig_raw) != 74 or sig_raw[:2] not in (b"ED", b"Ed"):
        raise ValidationError("The .minisig file's signature line is not in minisign's format.")
    if not comment_line.startswith("trusted comment: "):
        raise ValidationError("The .minisig file has no trusted comment line.")
    if sig_raw[2:10] != raw_key[2:10]:
        raise ValidationError("The .minisig file was made with another key.")
    public = Ed25519PublicKey.from_public_bytes(raw_key[10:])
    signature = sig_raw[10:]
    message = _blake2b_file(path) if sig_raw[:2] == b"ED" else path.read_bytes()
    comment = comment_line[len("trusted comment: ") :]
    try:
        public.verify(signature, message)
    except InvalidSignature:
        raise ValidationError("The file does not match its minisign signature.") from None
    try:
        public.verify(global_sig, signature + comment.encode())
    except InvalidSignature:
        raise ValidationError("The minisign trusted comment has been altered.") from None
    return comment


# --- PAdES ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stamp:
    """Where the visible signature goes, and its look (a one-page PDF)."""

    page: int
    box: tuple[int, int, int, int]  # x1, y1, x2, y2 in points
    appearance_pdf: bytes


def _signer(keys: BundleKeys) -> Any:
    from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    [cert] = list(load_certs_from_pemder_data(keys.cert_pem.encode()))
    key = load_private_key_from_pemder_data(keys.key_pem.encode(), passphrase=None)
    return signers.SimpleSigner(
        signing_cert=cert,
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs([cert]),  # type: ignore[no-untyped-call]
    )


def _embed(writer: Any, manifest: bytes) -> None:
    from pyhanko.pdf_utils import embed

    data = embed.EmbeddedFileObject.from_file_data(
        writer, data=manifest, mime_type="application/json"
    )
    embed.embed_file(
        writer,
        embed.FileSpec(
            file_spec_string="manifest.json",
            embedded_data=data,
            description="Petition bundle manifest: counts, row digests, Merkle root, files merged",
        ),
    )


def attach_and_sign(
    source: BinaryIO,
    out: BinaryIO,
    manifest: bytes,
    keys: BundleKeys | None,
    *,
    stamp: Stamp | None = None,
    reason: str = "Certifying this petition bundle",
    location: str = "",
) -> None:
    """Attach ``manifest.json`` to the PDF in ``source`` and certify it into ``out``.

    With ``keys`` None the manifest is attached and nothing is signed.
    The signature is PAdES B-B (subfilter ETSI.CAdES.detached), SHA-256, a
    certification signature that allows no later changes.
    """
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import MDPPerm, SigFieldSpec, SigSeedSubFilter
    from pyhanko.stamp import StaticStampStyle

    writer = IncrementalPdfFileWriter(source, strict=False)
    _embed(writer, manifest)
    if keys is None:
        writer.write(out)  # type: ignore[no-untyped-call]
        return
    meta = signers.PdfSignatureMetadata(
        field_name="CampaignCertification",
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason,
        location=location or None,
        certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES,
    )
    with tempfile.TemporaryDirectory(prefix="canvass-stamp-") as folder:
        style = None
        spec = SigFieldSpec("CampaignCertification")
        if stamp is not None:
            stamp_path = Path(folder) / "stamp.pdf"
            stamp_path.write_bytes(stamp.appearance_pdf)
            # The appearance is made to the box's size: no margins, no scaling.
            fit = layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN,
                y_align=layout.AxisAlignment.ALIGN_MIN,
                margins=layout.Margins(),
                inner_content_scaling=layout.InnerScaling.NO_SCALING,
            )
            style = StaticStampStyle.from_pdf_file(
                str(stamp_path), border_width=0, background_layout=fit
            )
            spec = fields.SigFieldSpec("CampaignCertification", on_page=stamp.page, box=stamp.box)
        pdf_signer = signers.PdfSigner(
            meta, signer=_signer(keys), stamp_style=style, new_field_spec=spec
        )
        pdf_signer.sign_pdf(writer, output=out)


@dataclass(slots=True)
class SignatureCheck:
    """What pyHanko found about a bundle's PDF signature."""

    present: bool
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    entire_file: bool = False
    unmodified: bool = False
    certification: bool = False
    signer: str = ""
    signer_fingerprint: str = ""
    signed_at: str = ""
    summary: str = ""
    problems: list[str] = field(default_factory=list)


def check_pdf_signature(source: BinaryIO, trusted: Sequence[bytes] = ()) -> SignatureCheck:
    """Validate the PDF's signature with pyHanko; ``trusted`` are PEM/DER certificates."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(source, strict=False)
        signatures = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        return SignatureCheck(False, summary=f"the file cannot be read as a PDF ({exc})")
    if not signatures:
        return SignatureCheck(False, summary="the PDF has no digital signature")
    roots = []
    for cert in trusted:
        der = cert
        if b"-----BEGIN" in cert:
            der = x509.load_pem_x509_certificate(cert).public_bytes(serialization.Encoding.DER)
        roots.append(asn1_x509.Certificate.load(der))
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    embedded = signatures[0]
    check = SignatureCheck(
        True, certification=embedded.sig_object_type == "/Sig" and embedded.docmdp_level is not None
    )
    try:
        status = validate_pdf_signature(embedded, context)
    except (SignatureValidationError, PdfReadError, ValueError) as exc:
        check.summary = f"the signature could not be checked ({exc})"
        check.problems.append(check.summary)
        return check
    cert = status.signing_cert
    if cert is not None:
        names = [v for k, v in cert.subject.native.items() if k == "common_name"]
        check.signer = str(names[0]) if names else cert.subject.human_friendly
        check.signer_fingerprint = cert_fingerprint(cert.dump())
    check.intact, check.valid, check.trusted = status.intact, status.valid, status.trusted
    check.entire_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    check.unmodified = bool(status.docmdp_ok) and len(signatures) == 1
    if status.signer_reported_dt is not None:
        check.signed_at = status.signer_reported_dt.isoformat(timespec="seconds")
    check.summary = status.summary()
    if len(signatures) > 1:
        check.problems.append(f"{len(signatures)} signatures where one is expected")
    return check


def read_attachment(source: BinaryIO, name: str = "manifest.json") -> bytes | None:
    """An embedded file's bytes, by name (None if the PDF has none such)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(source, strict=False)
    try:
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
    except KeyError:
        return None
    for i in range(0, len(names) - 1, 2):
        if str(names[i]) == name:
            spec = names[i + 1].get_object()
            return bytes(spec["/EF"]["/F"].get_object().data)
    return None
