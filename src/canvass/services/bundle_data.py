"""Gathering a petition bundle's contents from the database.

The facts the front pages print, the manifest, and the counted rows, read
a batch at a time with their drawn signatures and salted digests (the
judged signatures are loaded without their strokes, so a 200,000-signature
petition stays small in memory).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import ORMExecuteState, Session, defer

from canvass import __version__
from canvass.crypto import bundle_signing as bs
from canvass.domain.values import canonical_json
from canvass.pdf.bundle_facts import BundleFacts, Exclusion, MergedFile, SigningFacts
from canvass.pdf.bundle_pages import BundleRow
from canvass.services.campaigns import require_campaign
from canvass.services.petition_counts import Judged, Tally, tally_in
from canvass.services.petitions import find_petition, text_hash
from canvass.services.printing import campaign_footer
from canvass.services.reports import retained_of
from canvass.services.retention import REASON as RETENTION_REASON
from canvass.storage.tables import Device, Erasure, ImportedFile, Signature

_BATCH = 500
#: The row fields each salted digest covers, in the manifest's words.
ROW_FIELDS = (
    "id",
    "name",
    "address",
    "postcode",
    "signed_at",
    "method",
    "sheet",
    "row",
    "text_version",
)


# --- gathering -----------------------------------------------------------------------------


def day(text: str | dt.date | None) -> str:
    """A date (or the date of an ISO time) like 3 Oct 2026; "" for none."""
    if not text:
        return ""
    day = text if isinstance(text, dt.date) else dt.date.fromisoformat(str(text)[:10])
    return f"{day.day} {day.strftime('%b')} {day.year}"


def public_address(address: str) -> str:
    """An address with the house number and street hidden: the town-ish remainder only.

    "Flat 2, 12 Sample Road, Exampleton" gives "Exampleton"; an address of one
    part, or whose last part holds a number, gives "".
    """
    parts = [p.strip() for p in address.split(",") if p.strip()]
    if len(parts) < 2 or any(ch.isdigit() for ch in parts[-1]):
        return ""
    return parts[-1]


def postcode_district(postcode: str) -> str:
    """The outward part of a postcode ("ZZ1 2AB" gives "ZZ1")."""
    return postcode.split()[0] if postcode.strip() else ""


def _method(s: Signature) -> str:
    if s.method == "paper" and s.sheet_number is not None:
        return f"paper {s.sheet_number}/{s.row_number}"
    return s.method


def _counts(counter: Any) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(((str(k), int(v)) for k, v in counter.items()), key=lambda kv: -kv[1]))


def _defer_strokes(state: ORMExecuteState) -> None:
    # Strokes are fetched a page at a time while the rows are drawn; the
    # judged signatures of a 200,000-signature petition stay small without them.
    if state.is_select and Signature.__mapper__ in state.all_mappers:
        state.statement = state.statement.options(defer(Signature.strokes))


@dataclass
class Gathered:
    """A bundle's contents, but the rows (read later, while the pages are made)."""

    facts: BundleFacts
    tally: Tally
    counted: list[Judged]
    manifest: dict[str, Any]


def gather(
    session: Session,
    petition: str,
    *,
    keys: bs.BundleKeys | None,
    fingerprint_keys: bs.BundleKeys,
    redacted: bool,
    file_name: str,
    bundle_id: str,
) -> Gathered:
    """Judge the petition's signatures and gather what the bundle prints and declares.

    Raises:
        ValidationError: For an unknown petition or no campaign.
    """
    found = find_petition(session, petition)
    campaign = require_campaign(session)
    event.listen(session, "do_orm_execute", _defer_strokes)
    try:
        tally = tally_in(session, found)
    finally:
        event.remove(session, "do_orm_execute", _defer_strokes)
    counted = [j for j in tally.judged if j.counted]
    # Erased at a signer's request; those a retention purge removed are a line of their own.
    erased = session.scalar(
        select(func.count())
        .select_from(Erasure)
        .where(Erasure.entity == "signature", Erasure.reason_code != RETENTION_REASON)
    )
    retained = retained_of(session, campaign)
    purged = retained.petitions.get(found.id) if retained else None
    devices = {d.id: d for d in session.scalars(select(Device))}
    files = list(session.scalars(select(ImportedFile).order_by(ImportedFile.imported_at)))
    when = [j.signature.signed_at for j in tally.judged]
    period = (
        f"{day(found.opens_on)} to {day(found.closes_on)}"
        if found.opens_on and found.closes_on
        else (f"{day(min(when))} to {day(max(when))}" if when else "")
    )
    signing = None
    if keys is not None:
        signing = SigningFacts(
            keys.common_name,
            keys.fingerprint,
            keys.minisign_public_key,
            keys.minisign_key_id,
            day(keys.not_after.date()),
        )
    facts = BundleFacts(
        campaign=campaign.name,
        footer=campaign_footer(campaign).replace(
            "Personal data: keep safe and return after canvassing.",
            "Personal data: for the council's petition scheme only.",
        ),
        file_name=file_name,
        made_on=day(dt.date.today()),
        title=found.title,
        text=found.text,
        text_sha256=text_hash(found.text),
        text_version=found.text_version,
        versions=tuple((str(v), n) for v, n in sorted(tally.by_version.items())),
        addressee=found.addressee,
        ward=found.ward_name,
        council_address=found.council_address,
        lead_petitioner=found.lead_petitioner,
        letter_text=found.letter_text,
        threshold=found.threshold,
        period=period,
        counted=tally.counted,
        flagged=tally.flagged,
        by_ward=_counts(tally.by_ward),
        by_method=_counts(tally.by_method),
        by_collector=_counts(tally.by_collector),
        excluded=_counts(tally.excluded),
        erased=int(erased or 0),
        consent_wording=found.consent_wording,
        consent_version=found.consent_version,
        exclusions=tuple(
            Exclusion(j.signature.id[:8], j.signature.name, "; ".join(j.reasons) or "excluded")
            for j in tally.judged
            if not j.counted
        ),
        files_merged=tuple(
            MergedFile(
                f.file_id,
                devices[f.device_id].name if f.device_id in devices else f.device_id[:8],
                f.sha256,
                day(f.imported_at),
            )
            for f in files
        ),
        redacted=redacted,
        signing=signing,
        bundle_id=bundle_id,
        retention_removed=purged.signatures if purged else 0,
        retention_counted=purged.counted if purged else 0,
        retention_on=day(retained.saved_at) if retained else "",
    )
    manifest: dict[str, Any] = {
        "format": "canvass-petition-bundle",
        "version": 1,
        "app_version": __version__,
        "bundle_id": bundle_id,
        "made_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "edition": "public" if redacted else "council",
        "campaign": campaign.name,
        "petition": {
            "id": found.id,
            "title": found.title,
            "text": found.text,
            "text_sha256": facts.text_sha256,
            "text_version": found.text_version,
            "threshold": found.threshold,
            "addressee": found.addressee,
        },
        "counts": {
            "counted": tally.counted,
            "flagged": tally.flagged,
            "excluded": dict(facts.excluded),
            "by_ward": dict(facts.by_ward),
            "by_method": dict(facts.by_method),
            "by_collector": dict(facts.by_collector),
            "by_text_version": dict(facts.versions),
            "erased_signatures": facts.erased,
            "removed_at_retention": facts.retention_removed,
            "removed_at_retention_counted": facts.retention_counted,
        },
        "exchange_files": [
            {
                "file_id": f.file_id,
                "sha256": f.sha256,
                "device_id": f.device_id,
                "imported_at": f.imported_at,
            }
            for f in files
        ],
        "devices": [
            {
                "id": d.id,
                "name": d.name,
                "signing_public_key": d.signing_public_key,
                "revoked": d.revoked,
            }
            for d in devices.values()
        ],
        "signing": {
            "certificate_sha256": fingerprint_keys.fingerprint,
            "minisign_public_key": fingerprint_keys.minisign_public_key,
            "signed": keys is not None,
        },
    }
    return Gathered(facts, tally, counted, manifest)


def rows(
    session: Session,
    counted: Sequence[Judged],
    salt: bytes,
    redacted: bool,
    digests: list[bytes],
) -> Iterator[BundleRow]:
    """The counted rows in order, strokes fetched a batch at a time; digests collected."""
    for start in range(0, len(counted), _BATCH):
        chunk = counted[start : start + _BATCH]
        ids = [j.signature.id for j in chunk]
        found = session.execute(
            select(Signature.id, Signature.strokes).where(Signature.id.in_(ids))
        )
        strokes = {sid: raw for sid, raw in found}
        for number, judged in enumerate(chunk, start=start + 1):
            s = judged.signature
            row = {
                "id": s.id,
                "name": s.name,
                "address": s.address,
                "postcode": s.postcode,
                "signed_at": s.signed_at,
                "method": s.method,
                "sheet": s.sheet_number,
                "row": s.row_number,
                "text_version": s.text_version,
            }
            digest = bs.row_digest(salt, canonical_json(row).encode())
            digests.append(digest)
            raw = strokes.get(s.id) or ""
            drawn = json.loads(raw) if isinstance(raw, str) and raw else (raw or [])
            yield BundleRow(
                number=number,
                row_id=s.id[:8],
                name=s.name,
                address=public_address(s.address) if redacted else s.address,
                postcode=postcode_district(s.postcode) if redacted else s.postcode,
                signed_on=day(s.signed_at),
                method=_method(s),
                collector=s.collector or "—",
                strokes=drawn,
                digest=digest.hex(),
            )
