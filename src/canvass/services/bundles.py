"""Petition bundles: making the signed bundle, and blank collection sheets.

A bundle is made in steps, each into a temporary file beside the output:
the pages (streamed: memory stays flat however many signatures), then the
manifest attached and the PAdES certification signature (pyHanko), then
``F.pdf.sha256`` and ``F.pdf.minisig``. Only when everything is written are
the files moved into place, so a failure leaves no half-made bundle.
The campaign's keys are in :mod:`canvass.services.bundle_keys`; checking a
bundle is in :mod:`canvass.services.bundle_checks`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from canvass.crypto import bundle_signing as bs
from canvass.domain.errors import ValidationError
from canvass.domain.progress import Progress, Task
from canvass.pdf.bundle import STAMP_BOX, build_bundle, stamp_appearance
from canvass.pdf.bundle_facts import BundleFacts
from canvass.pdf.bundle_pages import BundleRow
from canvass.pdf.petition_sheets import CollectionSheet, write_collection_sheets
from canvass.services.audit_log import record
from canvass.services.bundle_data import ROW_FIELDS, day, gather, rows
from canvass.services.bundle_keys import ensure_keys
from canvass.services.campaigns import require_campaign
from canvass.services.petitions import find_petition
from canvass.services.printing import campaign_footer, write_atomically
from canvass.storage.database import Database

# --- making the bundle -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BundleReport:
    """What was made."""

    path: str
    pages: int
    counted: int
    excluded: int
    signed: bool
    redacted: bool
    fingerprint: str
    merkle_root: str
    sha256: str
    sidecars: tuple[str, ...]
    keys_created: bool


def _temp(out: Path, suffix: str) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=suffix, dir=out.parent)
    os.close(fd)
    return Path(name)


def produce_bundle(
    out: Path,
    facts: BundleFacts,
    rows: Callable[[list[bytes]], Iterator[BundleRow]],
    manifest: dict[str, Any],
    keys: bs.BundleKeys | None,
    *,
    trusted_comment: str,
) -> Task[tuple[int, str, str]]:
    """Lay out, attach, sign and write ``out`` with its sidecar files.

    Used by :func:`make_bundle` and by the benchmark (with synthetic rows).

    Returns:
        Pages, Merkle root (hex) and the file's SHA-256.
    """
    if not out.parent.is_dir():
        raise ValidationError(
            f"The folder {out.parent} does not exist; create it or choose another."
        )
    made: list[Path] = []
    try:
        pages_path = _temp(out, ".pages.pdf")
        made.append(pages_path)
        digests: list[bytes] = []
        root: list[str] = []

        def merkle() -> str:
            root.append(bs.merkle_root(digests).hex())
            return root[-1]

        yield Progress(1, 4, f"Laying out {facts.counted:,} signatures")
        with pages_path.open("wb") as fh:
            pages = build_bundle(fh, facts, rows(digests), merkle_root=merkle)
        manifest["rows"] = {
            "count": len(digests),
            "fields": list(ROW_FIELDS),
            "digest": "sha256(salt || canonical JSON of the fields); the salt is secret: "
            "HMAC-SHA256 of the bundle id under the campaign's minisign key",
            "merkle": "RFC 6962: leaf sha256(0x00||digest), node sha256(0x01||left||right)",
            "merkle_root": root[-1] if root else bs.merkle_root(digests).hex(),
            "digests": [d.hex() for d in digests],
        }
        manifest["pages"] = pages
        yield Progress(2, 4, "Signing")
        signed_path = _temp(out, ".signed.pdf")
        made.append(signed_path)
        stamp = None
        if keys is not None:
            lines = [
                f"Certified by {keys.common_name}",
                f"Made {dt.datetime.now(dt.UTC).strftime('%d %b %Y %H:%M UTC')}",
                f"SHA-256 {keys.fingerprint[:47]}",
                f"        {keys.fingerprint[48:]}",
                f"{facts.counted:,} signatures counted · PAdES, no changes allowed",
            ]
            stamp = bs.Stamp(0, STAMP_BOX, stamp_appearance(lines, STAMP_BOX))
        data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
        # Opened readable too: pyHanko then signs in the file, not in a copy in memory.
        with pages_path.open("rb") as src, signed_path.open("w+b") as dst:
            bs.attach_and_sign(src, dst, data, keys, stamp=stamp)
            dst.flush()
            os.fsync(dst.fileno())
        yield Progress(3, 4, "Writing checksums")
        digest = bs.file_sha256(signed_path)
        sums = _temp(out, ".sha256")
        made.append(sums)
        sums.write_text(bs.sha256_line(digest, out.name), encoding="utf-8")
        pairs = [(signed_path, out), (sums, out.with_name(out.name + ".sha256"))]
        if keys is not None:
            sig = _temp(out, ".minisig")
            made.append(sig)
            sig.write_text(
                bs.minisign_sign(
                    keys.minisign_seed,
                    signed_path,
                    trusted_comment,
                    f"canvass petition bundle {out.name}",
                ),
                encoding="utf-8",
            )
            pairs.append((sig, out.with_name(out.name + ".minisig")))
        for tmp, final in pairs:
            os.replace(tmp, final)
        if keys is None:  # an old signature beside an unsigned copy would mislead
            out.with_name(out.name + ".minisig").unlink(missing_ok=True)
        yield Progress(4, 4, "Done")
        return pages, manifest["rows"]["merkle_root"], digest
    finally:
        for path in made:
            path.unlink(missing_ok=True)


def make_bundle(
    db: Database, petition: str, out: Path, *, redacted: bool = False, sign: bool = True
) -> Task[BundleReport]:
    """Make the petition bundle ``out`` (PDF) with ``out.sha256`` and ``out.minisig``.

    Raises:
        ValidationError: For an unknown petition, no campaign, or a folder that does not exist.
    """
    yield Progress(0, 4, "Gathering signatures")
    keys, created = ensure_keys(db)
    bundle_id = str(uuid.uuid4())
    salt = bs.bundle_salt(keys.minisign_seed, bundle_id)
    with db.read() as session:
        got = gather(
            session,
            petition,
            keys=keys if sign else None,
            fingerprint_keys=keys,
            redacted=redacted,
            file_name=out.name,
            bundle_id=bundle_id,
        )
        comment = (
            f"petition:{got.manifest['petition']['id']}\tcount:{got.tally.counted}\t"
            f"file:{out.name}\tbundle:{bundle_id}"
        )
        pages, root, digest = yield from produce_bundle(
            out,
            got.facts,
            lambda digests: rows(session, got.counted, salt, redacted, digests),
            got.manifest,
            keys if sign else None,
            trusted_comment=comment,
        )
    sidecars = [out.name + ".sha256"] + ([out.name + ".minisig"] if sign else [])
    # The bundle lists signers' names and addresses: who printed it, and when, is on record.
    record(
        db,
        "print-bundle",
        {
            "petition": got.manifest["petition"]["id"],
            "file": out.name,
            "signatures": got.tally.counted,
            "redacted": redacted,
            "signed": sign,
        },
    )
    return BundleReport(
        str(out),
        pages,
        got.tally.counted,
        sum(got.tally.excluded.values()),
        sign,
        redacted,
        keys.fingerprint,
        root,
        digest,
        tuple(sidecars),
        created,
    )


# --- collection sheets -----------------------------------------------------------------------


def print_petition_sheets(
    db: Database, petition: str, out: Path, *, rows: int = 20, sheets: int = 1
) -> int:
    """Blank, numbered collection sheets for a petition; returns the page count.

    Raises:
        ValidationError: For an unknown petition or a bad number of rows or sheets.
    """
    if not 5 <= rows <= 30:
        raise ValidationError("A sheet holds 5 to 30 rows.")
    if not 1 <= sheets <= 1000:
        raise ValidationError("Print 1 to 1,000 sheets at a time.")
    with db.read() as session:
        found = find_petition(session, petition)
        campaign = require_campaign(session)
        sheet = CollectionSheet(
            campaign=campaign.name,
            title=found.title,
            text=found.text,
            text_version=found.text_version,
            addressee=found.addressee,
            consent_wording=found.consent_wording,
            footer=campaign_footer(campaign).replace(
                "Personal data: keep safe and return after canvassing.",
                "Signed sheets hold personal data: keep them safe and return them to the campaign.",
            ),
            rows=rows,
            sheets=sheets,
            closes_on=day(found.closes_on),
        )
    pages: list[int] = []
    write_atomically(out, lambda tmp: pages.append(write_collection_sheets(Path(tmp), sheet)))
    return pages[0]
