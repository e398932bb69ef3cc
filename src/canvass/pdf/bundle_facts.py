"""The plain data a petition bundle prints (everything but the signature rows)."""

from __future__ import annotations

from dataclasses import dataclass

Counts = tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A signature that does not count, for the appendix: no personal data beyond the name."""

    row_id: str
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class MergedFile:
    """An exchange file merged into the campaign's database."""

    file_id: str
    device: str
    sha256: str
    imported_on: str


@dataclass(frozen=True, slots=True)
class SigningFacts:
    """The campaign certificate and minisign key, as printed on the cover."""

    common_name: str
    fingerprint: str  # SHA-256, AB:CD:...
    minisign_key: str  # base64
    minisign_key_id: str
    valid_until: str


@dataclass(frozen=True, slots=True)
class BundleFacts:
    """Everything the bundle prints except the signature rows."""

    campaign: str
    footer: str  # the imprint
    file_name: str  # the PDF's name, for the commands that check it
    made_on: str
    title: str
    text: str
    text_sha256: str
    text_version: int
    versions: Counts  # ("1", counted) per text version
    addressee: str
    ward: str
    council_address: str
    lead_petitioner: str
    letter_text: str
    threshold: int | None
    period: str  # "1 Sep 2026 to 31 Dec 2026"
    counted: int
    flagged: int
    by_ward: Counts
    by_method: Counts
    by_collector: Counts
    excluded: Counts  # reason -> how many
    erased: int
    consent_wording: str
    consent_version: int
    exclusions: tuple[Exclusion, ...]
    files_merged: tuple[MergedFile, ...]
    redacted: bool
    signing: SigningFacts | None
    bundle_id: str
    # Signatures of this petition erased at the end of the retention period:
    # only their numbers are kept (all of them, those that counted, and when).
    retention_removed: int = 0
    retention_counted: int = 0
    retention_on: str = ""
