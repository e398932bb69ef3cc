"""Exporting exchange files: what goes in, who can open it, written so it is never half there.

A canvasser's laptop exports everything it holds (v1: full state; merging
is set union, so repeats cost nothing and a lost file loses nothing). A
coordinator exports an *assignment* for a canvasser: only the chosen area's
people and doors, plus the campaign, code sets, erasures, suppressions and the
device registry (data minimisation, DESIGN §7).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from canvass.crypto import envelope
from canvass.crypto.keys import check_recipient
from canvass.domain.errors import ExchangeFileError, ValidationError
from canvass.services.apply import registry_allowed
from canvass.services.campaigns import current_campaign, is_coordinator
from canvass.services.keys import ensure_registered, find_device, local_keys
from canvass.services.walk_lists import find_walk_list
from canvass.storage import audit, migrate
from canvass.storage.database import Database
from canvass.storage.oplog import OP_COLUMNS, row_to_op
from canvass.storage.replay import chunks
from canvass.storage.tables import (
    Address,
    Device,
    Elector,
    OperationRow,
    PollingDistrict,
    Signature,
    Street,
    Visit,
)
from canvass.sync.exchange_format import Manifest, Producer, pack, signed_message, unpack
from canvass.sync.hlc import Stamp
from canvass.sync.ops import OpKind, encode_wire, new_id

SUFFIX = ".canvass"
#: Entities every assignment carries whole: small, and needed to canvass.
_WHOLE = ("campaign", "device", "code_set", "survey_question", "petition", "suppression")


@dataclass(frozen=True, slots=True)
class ExportResult:
    """A written, read-back and verified exchange file."""

    path: Path
    file_id: str
    operations: int
    recipients: tuple[str, ...]
    scope: str
    size: int


def schema_number() -> int:
    """This canvass's schema version as a number (migration "0003" -> 3)."""
    return int(migrate.head_revision())


def _recipients(
    session: Session, to: Iterable[str], own_recipient: str, own_id: str
) -> tuple[list[str], list[str]]:
    """(age recipients to encrypt to, manifest recipient entries)."""
    age: list[str] = []
    listed: list[str] = []
    wanted = list(to)
    campaign = current_campaign(session)
    if not wanted:
        # The coordinators: devices marked so, and the one that started the campaign.
        creator = (
            session.scalar(
                select(OperationRow.device_id).where(
                    OperationRow.entity == "campaign",
                    OperationRow.entity_id == campaign.id,
                    OperationRow.kind == OpKind.CREATE.value,
                )
            )
            if campaign is not None
            else None
        )
        coordinators = session.scalars(
            select(Device).where(
                or_(Device.role == "coordinator", Device.id == creator),
                Device.enrolled.is_(True),
                Device.revoked.is_(False),
                Device.id != own_id,
            )
        )
        for device in coordinators:
            age.append(device.age_recipient)
            listed.append(device.id)
        if not age and (campaign is None or not campaign.recovery_recipient):
            raise ValidationError(
                "There is no one to export to: enrol the coordinator's device first "
                "(Sync › Devices, or canvass devices enrol), name a recipient with --to, "
                "or use the campaign passphrase."
            )
    for item in wanted:
        if item.startswith("age1"):
            recipient = check_recipient(item)
            age.append(recipient)
            listed.append(recipient)
            continue
        device = find_device(session, item)
        if device.revoked:
            raise ValidationError(f"'{device.name}' is revoked; files are not made for it.")
        if not device.age_recipient:
            raise ValidationError(f"'{device.name}' has no keys yet; enrol it first.")
        age.append(device.age_recipient)
        listed.append(device.id)
    if campaign is not None and campaign.recovery_recipient:
        age.append(campaign.recovery_recipient)
        listed.append(campaign.recovery_recipient)
    # Also to this device, so it can read the file back before saying it is done.
    age.append(own_recipient)
    listed.append(own_id)
    return list(dict.fromkeys(age)), list(dict.fromkeys(listed))


def _area_ids(session: Session, area: str) -> tuple[set[str], str]:
    """Record ids an assignment for ``area`` (walk list name or district codes) holds."""
    ids: set[str] = set()
    try:
        walk_list, covers = find_walk_list(session, area)
    except ValidationError:
        walk_list = None
    if walk_list is not None:
        query = select(Address, Street.polling_district_id).join(
            Street, Address.street_id == Street.id
        )
        if covers.streets:
            query = query.where(Street.id.in_(covers.streets))
        elif covers.districts:
            query = query.where(Street.polling_district_id.in_(covers.districts))
        address_ids = {a.id for a, pd in session.execute(query) if covers.covers(a, pd)}
        ids.add(walk_list.id)
        scope = f"walk list {walk_list.name}"
    else:
        codes = [c.strip().upper() for c in re.split(r"[,\s]+", area) if c.strip()]
        districts = list(
            session.scalars(select(PollingDistrict).where(PollingDistrict.code.in_(codes)))
        )
        missing = set(codes) - {d.code for d in districts}
        if not codes or missing:
            raise ValidationError(
                f"No walk list or polling district called {', '.join(sorted(missing)) or area}. "
                "Give a walk list's name or district codes such as AB,AC."
            )
        address_ids = set(
            session.scalars(
                select(Address.id)
                .join(Street, Address.street_id == Street.id)
                .where(Street.polling_district_id.in_([d.id for d in districts]))
            )
        )
        scope = "districts " + ", ".join(sorted(codes))
    if not address_ids:
        raise ValidationError(f"The area '{area}' has no households to assign.")
    addresses = []
    for part in chunks(sorted(address_ids)):
        addresses += list(
            session.execute(select(Address.id, Address.street_id).where(Address.id.in_(part)))
        )
    street_ids = {a.street_id for a in addresses}
    streets = list(
        session.execute(
            select(Street.id, Street.polling_district_id).where(Street.id.in_(street_ids))
        )
    )
    district_ids = {s.polling_district_id for s in streets}
    wards = set(
        session.scalars(select(PollingDistrict.ward_id).where(PollingDistrict.id.in_(district_ids)))
    )
    ids |= address_ids | street_ids | district_ids | wards
    elector_ids: set[str] = set()
    for part in chunks(sorted(address_ids)):
        elector_ids.update(session.scalars(select(Elector.id).where(Elector.address_id.in_(part))))
    ids |= elector_ids
    for part in chunks(sorted(elector_ids)):
        ids.update(session.scalars(select(Visit.id).where(Visit.elector_id.in_(part))))
        ids.update(session.scalars(select(Signature.id).where(Signature.elector_id.in_(part))))
    return ids, scope


def _op_lines(session: Session, area_ids: set[str] | None, canvasser: str | None) -> list[str]:
    """The operations to export, as canonical wire lines, in (device, seq) order.

    Args:
        session: A read transaction.
        area_ids: Only these records (and what every assignment carries), or all.
        canvasser: This device's id when it is not a coordinator: the device
            registry changes it made for itself (whom it trusts) stay here, as
            a coordinator would drop them anyway.
    """
    cols = [getattr(OperationRow, c) for c in OP_COLUMNS]
    query = select(*cols).order_by(OperationRow.device_id, OperationRow.seq)
    lines: list[str] = []
    for r in session.execute(query.execution_options(yield_per=20_000)):
        if area_ids is not None and not (
            r.entity in _WHOLE or r.kind == OpKind.ERASE.value or r.entity_id in area_ids
        ):
            continue
        if (
            canvasser is not None
            and r.entity in ("device", "campaign")
            and not registry_allowed(row_to_op(r), canvasser)
        ):
            continue
        lines.append(
            encode_wire(
                r.op_id,
                r.device_id,
                r.seq,
                Stamp(r.hlc_ms, r.hlc_counter),
                OpKind(r.kind),
                r.entity,
                r.entity_id,
                r.field,
                r.value,
                r.bases,
            )
        )
    return lines


def default_file_name(device_name: str, when: dt.datetime, file_id: str) -> str:
    """``canvass-<device>-<yyyymmdd-hhmm>-<id>.canvass``: sorts by time, says whose."""
    safe = re.sub(r"[^A-Za-z0-9]+", "-", device_name).strip("-")[:40] or "device"
    return f"canvass-{safe}-{when:%Y%m%d-%H%M}-{file_id[:8]}{SUFFIX}"


def export_file(
    db: Database,
    out: Path,
    *,
    to: Iterable[str] = (),
    passphrase: str | None = None,
    area: str | None = None,
    now: dt.datetime | None = None,
) -> ExportResult:
    """Write an exchange file, read it back and verify it.

    Args:
        db: The database.
        out: File to write, or an existing folder to write a named file into.
        to: Devices (name or id) or age recipients; none means the campaign's
            coordinators (and the recovery key, always, when the campaign has one).
        passphrase: Encrypt with this passphrase instead of keys.
        area: Walk list name or district codes: an assignment of only that area.
        now: The export time (tests pin it).

    Raises:
        ValidationError: Nothing to export to, or an unknown area or device.
        ExchangeFileError: ``write-failed`` if the file could not be written whole.
    """
    ensure_registered(db)
    when = now or dt.datetime.now(dt.UTC)
    file_id = new_id()
    with db.read() as session:
        device_id, keys = local_keys(session)
        me = session.get(Device, device_id)
        assert me is not None
        campaign = current_campaign(session)
        if passphrase is not None:
            if list(to):
                raise ValidationError("Use either a passphrase or recipients (--to), not both.")
            age_recipients: list[str] = []
            listed = ["passphrase"]
        else:
            age_recipients, listed = _recipients(session, to, keys.age_recipient, device_id)
        area_ids, scope = _area_ids(session, area) if area else (None, "full")
        coordinator = is_coordinator(session, device_id)
        lines = _op_lines(session, area_ids, None if coordinator else device_id)
        campaign_id, campaign_name = (campaign.id, campaign.name) if campaign else (None, "")
        me_name = me.name
    body = "".join(line + "\n" for line in lines).encode()
    counts: dict[str, int] = {}
    manifest = Manifest(
        file_id=file_id,
        schema=schema_number(),
        created_at=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        campaign_id=campaign_id,
        campaign_name=campaign_name,
        producer=Producer(device_id, me_name, keys.signing_public_key, keys.age_recipient),
        recipients=tuple(listed),
        scope=scope,
        op_count=len(lines),
        body_sha256=hashlib.sha256(body).hexdigest(),
        counts=counts,
    ).to_json()
    plain = pack(manifest, body, keys.sign(signed_message(manifest, body)))
    if passphrase is not None:
        data = envelope.encrypt_with_passphrase(plain, passphrase)
    else:
        data = envelope.encrypt(plain, age_recipients)
    if out.is_dir():
        target = out / default_file_name(me_name, when, file_id)
    else:
        # "export --out stick/ada" with no suffix: still a recognisable .canvass file.
        target = out if out.suffix else out.with_name(out.name + SUFFIX)
        if not target.parent.is_dir():
            raise ValidationError(f"The folder {target.parent} does not exist; choose another.")
    write_atomically(target, data)
    # Read back what is on disk and check it opens, verifies and counts right.
    back = target.read_bytes()
    opened = envelope.decrypt(back, [keys.identity()], passphrase)
    unpacked = unpack(opened)
    if unpacked.manifest.file_id != file_id or unpacked.manifest.op_count != len(lines):
        raise ExchangeFileError("write-failed", f"{target} did not read back as written.")
    with db.write() as session:
        audit.append(
            session,
            at=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            device_id=device_id,
            actor=getpass.getuser(),
            action="export",
            detail={
                "file_id": file_id,
                "file": target.name,
                "operations": len(lines),
                "recipients": [*listed],
                "scope": scope,
            },
        )
    return ExportResult(target, file_id, len(lines), tuple(listed), scope, len(back))


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` so it is either the whole new file or not there at all.

    Temp file in the same folder, fsync, rename over the target, fsync the folder.

    Raises:
        ExchangeFileError: ``write-failed``, with the system's reason; the temp
            file is removed and nothing is left under ``target``'s name.
    """
    tmp = target.with_name(f".{target.name}.{new_id()[:8]}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise ExchangeFileError(
            "write-failed",
            f"Could not write {target}: {exc.strerror or exc}. Nothing was saved under that "
            "name; check the disk or stick has space and is not read-only, then export again.",
        ) from None
    # The complete file now stands under its name; syncing the folder makes the
    # rename itself durable. Some file systems (FAT sticks, network shares)
    # refuse it; the read-back that follows still proves the file is whole.
    if os.name == "posix":
        with contextlib.suppress(OSError):
            dir_fd = os.open(target.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
