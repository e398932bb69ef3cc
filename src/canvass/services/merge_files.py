"""Merging exchange files: every check before anything changes, then one transaction.

Pipeline for each file (reference/sync-format-and-merge.md §5): size and
header, decrypt with limits, strict manifest, signature and sender, campaign
and recipient, every operation validated, then one transaction that adds the
new operations, drops those on erased people, refolds the touched records,
refreshes conflicts, records the file as imported and audits. A file either
merges whole or changes nothing; a bad file does not stop the next one.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyrage
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from canvass.crypto import envelope
from canvass.crypto.keys import DeviceKeys
from canvass.domain.errors import CanvassError, ExchangeFileError, ValidationError
from canvass.domain.progress import Progress, Task
from canvass.domain.values import canonical_json
from canvass.services.apply import Checked, apply_operations, check_operation
from canvass.services.campaigns import current_campaign, is_coordinator
from canvass.services.exchange import schema_number
from canvass.storage import audit, search_index
from canvass.storage.database import Database
from canvass.storage.local import get_local_device
from canvass.storage.tables import Conflict, Device, ImportedFile
from canvass.sync.exchange_format import Manifest, iter_operations, unpack
from canvass.sync.hlc import MAX_DRIFT_MS, HybridClock, Stamp, system_wall_ms

#: A stamp this far ahead of the merging computer's clock is a wrong clock.
FUTURE_LIMIT_MS = 24 * 60 * 60 * 1000
#: Stamps before this are a laptop whose clock was never set (1970).
PAST_LIMIT_MS = 1_577_836_800_000  # 2020-01-01

log = logging.getLogger(__name__)


@dataclass(slots=True)
class MergeReport:
    """What merging one file did (or would do, in a dry run), or why it was refused."""

    file: str
    status: str = "merged"  # merged | would merge | already imported | refused
    reason: str = ""
    message: str = ""
    file_id: str = ""
    sender: str = ""
    scope: str = ""
    operations: int = 0
    new: int = 0
    already_had: int = 0
    records_created: int = 0
    records_updated: int = 0
    conflicts: int = 0
    dropped_erased: int = 0
    #: Records this file's erasures (or purge) removed from this database.
    erased_records: int = 0
    dropped_suppressed: int = 0
    #: Changes to the device registry a canvasser's file may not make.
    dropped_unauthorised: int = 0
    clock_warnings: int = 0
    held: int = 0

    @property
    def ok(self) -> bool:
        """False when the file was refused."""
        return self.status != "refused"

    def to_json(self) -> dict[str, object]:
        """The report as a JSON-ready dict."""
        return asdict(self)


@dataclass(slots=True)
class _Opened:
    manifest: Manifest
    sha256: str
    checked: list[Checked] = field(default_factory=list)
    clock_warnings: int = 0
    max_ok: Stamp = Stamp(0, 0)
    passphrase_mode: bool = False


class _DryRunDoneError(Exception):  # noqa: N818 - a signal, not an error
    """Rolls a dry-run transaction back."""


def read_file(path: Path) -> bytes:
    """Read an exchange file with the size cap applied before reading.

    Raises:
        ExchangeFileError: If it cannot be read or is far too large.
    """
    try:
        size = path.stat().st_size
        if size > envelope.MAX_FILE_BYTES:
            raise ExchangeFileError(
                "too-large", f"{path.name} is too large to be a canvass exchange file."
            )
        return path.read_bytes()
    except OSError as exc:
        raise ExchangeFileError(
            "not-canvass", f"Could not read {path}: {exc.strerror or exc}."
        ) from None


def _identities(
    session: object, extra: Sequence[pyrage.x25519.Identity]
) -> list[pyrage.x25519.Identity]:
    device = get_local_device(session)  # type: ignore[arg-type]
    out = list(extra)
    if device is not None and device.age_identity:
        out.insert(0, DeviceKeys(device.signing_key, device.age_identity).identity())
    return out


def open_file(
    db: Database,
    data: bytes,
    *,
    passphrase: str | None = None,
    identities: Sequence[pyrage.x25519.Identity] = (),
    now_ms: Callable[[], int] = system_wall_ms,
) -> _Opened:
    """Every check of a file that needs no write: returns its validated operations.

    Raises:
        ExchangeFileError: With the reason the file cannot be merged.
    """
    sha = hashlib.sha256(data).hexdigest()
    with db.read() as session:
        if session.scalar(select(ImportedFile.file_id).where(ImportedFile.sha256 == sha)):
            raise ExchangeFileError(
                "already-imported", "This file was merged before; nothing to do."
            )
        ids = _identities(session, identities)
        local = get_local_device(session)
        local_id = local.device_id if local else ""
        local_recipient = (
            DeviceKeys(local.signing_key, local.age_identity).age_recipient
            if local and local.age_identity
            else ""
        )
        plain = envelope.decrypt(data, ids, passphrase)
        unpacked = unpack(plain)
        manifest = unpacked.manifest
        if manifest.schema > schema_number():
            raise ExchangeFileError(
                "newer-version",
                "This file was made by a newer version of canvass. Update canvass on this "
                "computer, then merge it again.",
            )
        if session.scalar(
            select(ImportedFile.file_id).where(ImportedFile.file_id == manifest.file_id)
        ):
            raise ExchangeFileError(
                "already-imported", "This file was merged before; nothing to do."
            )
        passphrase_mode = envelope.inspect_header(data).passphrase
        _check_sender(session, manifest, passphrase_mode=passphrase_mode)
        _check_campaign(session, manifest)
        if "passphrase" not in manifest.recipients:
            mine = {local_id, local_recipient} | {str(i.to_public()) for i in identities}
            if not mine & set(manifest.recipients):
                raise ExchangeFileError(
                    "not-for-us",
                    "This file was not made for this device: its sender addressed it to "
                    "someone else. Ask for a file exported for this device.",
                )
    opened = _Opened(manifest, sha, passphrase_mode=passphrase_mode)
    now = now_ms()
    for n, (op, wire) in enumerate(iter_operations(unpacked.body, manifest.op_count), start=1):
        try:
            opened.checked.append(check_operation(op, wire))
        except ValidationError as exc:
            raise ExchangeFileError(
                "damaged",
                f"Change {n:,} in the file cannot be applied: {exc} The file was made by a "
                "newer or altered canvass; nothing was merged.",
            ) from None
        ms = op.stamp.ms
        if ms > now + FUTURE_LIMIT_MS or ms < PAST_LIMIT_MS:
            opened.clock_warnings += 1
        elif op.stamp > opened.max_ok:
            opened.max_ok = op.stamp
    return opened


def _check_campaign(session: Session, manifest: Manifest) -> None:
    campaign = current_campaign(session)
    if campaign is not None and manifest.campaign_id not in (None, campaign.id):
        raise ExchangeFileError(
            "other-campaign",
            f"This file belongs to another campaign ('{manifest.campaign_name}'), not "
            f"'{campaign.name}'. Merge it into that campaign's database.",
        )


def _check_sender(session: object, manifest: Manifest, *, passphrase_mode: bool) -> None:
    producer = manifest.producer
    device = session.get(Device, producer.device_id)  # type: ignore[attr-defined]
    name = producer.name or producer.device_id[:8]
    if device is not None and device.revoked:
        raise ExchangeFileError(
            "revoked-sender",
            f"This file was made by '{device.name}', a device that has been revoked. "
            "It is refused; if the laptop was recovered, give it a new database and enrol it.",
        )
    known_key = device is not None and device.signing_public_key == producer.signing_public_key
    if device is not None and device.signing_public_key and not known_key:
        raise ExchangeFileError(
            "unknown-sender",
            f"This file claims to come from '{device.name}' but is signed with a different "
            "key. It is refused.",
        )
    if passphrase_mode:
        return  # knowing the campaign passphrase is the credential; keys are learnt on first use
    if device is None or not device.enrolled or not known_key:
        raise ExchangeFileError(
            "unknown-sender",
            f"This file comes from '{name}', a device that is not enrolled here. Enrol it "
            "first (Sync › Devices, or canvass devices enrol) after checking its fingerprint.",
        )


def merge_data(
    db: Database,
    name: str,
    data: bytes,
    *,
    passphrase: str | None = None,
    identities: Sequence[pyrage.x25519.Identity] = (),
    dry_run: bool = False,
    accept_clock: bool = False,
    now_ms: Callable[[], int] = system_wall_ms,
) -> MergeReport:
    """Merge one file's bytes; never raises for a bad file: the report says why."""
    try:
        opened: _Opened | CanvassError = open_file(
            db, data, passphrase=passphrase, identities=identities, now_ms=now_ms
        )
    except CanvassError as exc:
        opened = exc
    return _finish(db, name, opened, dry_run=dry_run, accept_clock=accept_clock, now_ms=now_ms)


def _finish(
    db: Database,
    name: str,
    opened: _Opened | CanvassError,
    *,
    dry_run: bool,
    accept_clock: bool,
    now_ms: Callable[[], int] = system_wall_ms,
) -> MergeReport:
    """Commit an opened file (or report why it could not be opened)."""
    report = MergeReport(file=name)
    try:
        if isinstance(opened, CanvassError):
            raise opened
        manifest = opened.manifest
        report.file_id = manifest.file_id
        report.sender = manifest.producer.name
        report.scope = manifest.scope
        report.operations = manifest.op_count
        report.clock_warnings = opened.clock_warnings
        if opened.clock_warnings and not accept_clock:
            raise ExchangeFileError(
                "clock",
                f"{opened.clock_warnings:,} changes in this file carry an impossible date "
                "(the sending laptop's clock is wrong). Correct its clock and export again, or "
                "merge anyway (Merge anyway on the Sync screen, --accept-clock on the command "
                "line; they will not win over other edits silently: "
                "concurrent edits still show as conflicts).",
            )
        try:
            _commit(db, report, opened, dry_run=dry_run, now_ms=now_ms)
            if report.erased_records:  # the erased records must not linger in the write-ahead log
                try:
                    db.scrub()
                except CanvassError as exc:  # merged all the same; SQLite checkpoints later
                    log.warning("Could not empty the write-ahead log after a merge: %s", exc)
        except _DryRunDoneError:
            report.status = "would merge"
    except ExchangeFileError as exc:
        report.status = "already imported" if exc.reason == "already-imported" else "refused"
        report.reason = exc.reason
        report.message = str(exc)
    except CanvassError as exc:
        report.status = "refused"
        report.reason = "error"
        report.message = str(exc)
    return report


def _commit(
    db: Database, report: MergeReport, opened: _Opened, *, dry_run: bool, now_ms: Callable[[], int]
) -> None:
    manifest = opened.manifest
    with db.write() as session:
        # Checked again inside the writer's lock: another merge may have taken it meanwhile.
        if session.scalar(
            select(ImportedFile.file_id).where(
                or_(ImportedFile.sha256 == opened.sha256, ImportedFile.file_id == manifest.file_id)
            )
        ):
            raise ExchangeFileError(
                "already-imported", "This file was merged before; nothing to do."
            )
        # Also again: an earlier file of the same batch may have revoked the sender.
        _check_sender(session, manifest, passphrase_mode=opened.passphrase_mode)
        _check_campaign(session, manifest)
        signer = manifest.producer.device_id
        applied = apply_operations(
            session, opened.checked, canvasser=None if is_coordinator(session, signer) else signer
        )
        report.new = applied.new
        report.already_had = applied.already_had
        report.records_created = applied.records_created
        report.records_updated = applied.records_updated
        report.dropped_erased = applied.dropped_erased
        report.dropped_suppressed = applied.dropped_suppressed
        report.dropped_unauthorised = applied.dropped_unauthorised
        report.held = applied.held
        if applied.erased_records:  # an erasure arrived: its people leave the search index too
            search_index.forget_erased(session)
        report.erased_records = applied.erased_records
        report.conflicts = int(session.scalar(select(func.count()).select_from(Conflict)) or 0)
        own = [c.op.seq for c in opened.checked if c.op.device_id == manifest.producer.device_id]
        at = dt.datetime.fromtimestamp(now_ms() / 1000, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        counts = {
            k: v
            for k, v in asdict(report).items()
            if isinstance(v, int) and not isinstance(v, bool)
        }
        session.add(
            ImportedFile(
                file_id=manifest.file_id,
                sha256=opened.sha256,
                device_id=manifest.producer.device_id,
                seq_from=min(own, default=0),
                seq_to=max(own, default=0),
                counts=canonical_json(counts),
                operator=getpass.getuser(),
                imported_at=at,
            )
        )
        local = get_local_device(session, for_update=True)
        if local is not None:
            _observe(local, opened.max_ok, now_ms)
            audit.append(
                session,
                at=at,
                device_id=local.device_id,
                actor=getpass.getuser(),
                action="merge",
                detail={
                    "file_id": manifest.file_id,
                    "sender": manifest.producer.device_id,
                    "new": report.new,
                    "dropped_erased": report.dropped_erased,
                },
            )
        if dry_run:
            raise _DryRunDoneError


def _observe(local: object, stamp: Stamp, now_ms: Callable[[], int]) -> None:
    """Move this device's clock past what it has now seen (bounded by the drift limit)."""
    if stamp.ms == 0:
        return
    clock = HybridClock(Stamp(local.hlc_ms, local.hlc_counter), now_ms)  # type: ignore[attr-defined]
    if stamp.ms - now_ms() > MAX_DRIFT_MS:
        return
    new = clock.observe(stamp)
    local.hlc_ms, local.hlc_counter = new.ms, new.counter  # type: ignore[attr-defined]


def merge_files(
    db: Database,
    paths: Sequence[Path],
    *,
    passphrase: str | None = None,
    identities: Sequence[pyrage.x25519.Identity] = (),
    dry_run: bool = False,
    accept_clock: bool = False,
) -> Task[list[MergeReport]]:
    """Merge files one after another (each all-or-nothing); yields progress per file.

    (Reading and checking the next file on a second thread while one is
    written was tried: the checks are Python and hold the interpreter lock,
    so it gained nothing measurable; see bench/merge_files.py.)
    """
    reports: list[MergeReport] = []
    for n, path in enumerate(paths):
        yield Progress(n, len(paths), f"Merging {path.name}")
        try:
            data = read_file(path)
        except ExchangeFileError as exc:
            reports.append(
                MergeReport(file=path.name, status="refused", reason=exc.reason, message=str(exc))
            )
            continue
        reports.append(
            merge_data(
                db,
                path.name,
                data,
                passphrase=passphrase,
                identities=identities,
                dry_run=dry_run,
                accept_clock=accept_clock,
            )
        )
    yield Progress(len(paths), len(paths), "Merged")
    return reports
