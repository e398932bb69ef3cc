"""Device keys and enrolment: who may send this database files, and who can open ours.

Each database has its own device keys (made on first run). A coordinator
*enrols* a laptop by importing the laptop's enrolment file and checking, by
reading it aloud, that the fingerprint on both screens is the same; a laptop
enrols its coordinator the same way. Only files signed by enrolled devices
that are not revoked are merged. Revocation is grow-only: no stale file can
undo it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from canvass.crypto.keys import DeviceKeys, check_recipient, fingerprint, verify
from canvass.domain.errors import DatabaseError, ValidationError
from canvass.domain.values import canonical_json, clean_string
from canvass.services.apply import apply_operations, check_operation
from canvass.services.campaigns import current_campaign
from canvass.services.oplog import OpWriter
from canvass.storage import oplog
from canvass.storage.database import Database
from canvass.storage.local import get_local_device
from canvass.storage.tables import Device, OperationRow
from canvass.sync.ops import Operation

ENROLMENT_FORMAT = "canvass-enrolment/1"
_ENROL_CONTEXT = b"cnvenrol/v1\x00"
MAX_ENROLMENT_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """A device as the Sync screen and ``canvass devices list`` show it."""

    id: str
    name: str
    role: str
    fingerprint: str
    enrolled: bool
    revoked: bool
    is_this_device: bool
    registered_at: str

    @property
    def status(self) -> str:
        """This device, revoked, enrolled or not enrolled."""
        if self.is_this_device:
            return "this device"
        if self.revoked:
            return "revoked"
        if self.enrolled:
            return "enrolled"
        return "not enrolled"


def local_keys(session: Session) -> tuple[str, DeviceKeys]:
    """This database's device id and private keys."""
    device = get_local_device(session)
    if device is None or not device.signing_key:
        raise DatabaseError("This database has no device keys yet; make one change first.")
    return device.device_id, DeviceKeys(device.signing_key, device.age_identity)


def ensure_registered(db: Database) -> None:
    """Make sure this device's own record (with its public keys) exists in the log."""
    with db.write() as session:
        writer = OpWriter.local(session)
        writer.flush()


def _info(device: Device, local_id: str) -> DeviceInfo:
    return DeviceInfo(
        id=device.id,
        name=device.name,
        role=device.role,
        fingerprint=fingerprint(device.signing_public_key, device.age_recipient)
        if device.signing_public_key
        else "(no keys)",
        enrolled=device.enrolled,
        revoked=device.revoked,
        is_this_device=device.id == local_id,
        registered_at=device.registered_at,
    )


def list_devices(db: Database) -> list[DeviceInfo]:
    """Every device this database knows, this one first, then by name."""
    with db.read() as session:
        local = get_local_device(session)
        local_id = local.device_id if local else ""
        devices = [_info(d, local_id) for d in session.scalars(select(Device))]
    return sorted(devices, key=lambda d: (not d.is_this_device, d.name.lower(), d.id))


def this_device(db: Database) -> DeviceInfo:
    """This database's own device (registering it first if it has made no change yet)."""
    ensure_registered(db)
    return next(d for d in list_devices(db) if d.is_this_device)


def find_device(session: Session, text: str) -> Device:
    """A device by id, id prefix (8 or more characters) or exact name.

    Raises:
        ValidationError: If none or more than one matches.
    """
    text = text.strip()
    devices = list(session.scalars(select(Device)))
    matches = [d for d in devices if d.id == text or d.name == text]
    if not matches and len(text) >= 8:
        matches = [d for d in devices if d.id.startswith(text.lower())]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise ValidationError(
            f"No device called '{text}'. Sync › Devices (or `canvass devices list`) shows the "
            "devices this "
            "database knows."
        )
    raise ValidationError(f"More than one device matches '{text}'; give its id instead.")


# --- enrolment files ------------------------------------------------------------------


def _signed_part(data: dict[str, object]) -> bytes:
    return (
        _ENROL_CONTEXT
        + canonical_json({k: v for k, v in data.items() if k != "signature"}).encode()
    )


def write_enrolment_file(db: Database, out: Path) -> DeviceInfo:
    """Write this device's public enrolment file (safe to email: no secrets in it)."""
    ensure_registered(db)
    with db.read() as session:
        device_id, keys = local_keys(session)
        campaign = current_campaign(session)
        rows = session.scalars(
            select(OperationRow)
            .where(
                OperationRow.entity == "device",
                OperationRow.entity_id == device_id,
                OperationRow.device_id == device_id,
            )
            .order_by(OperationRow.seq)
        )
        ops = [oplog.row_to_op(r).wire_json() for r in rows]
        me = session.get(Device, device_id)
        assert me is not None
        data: dict[str, object] = {
            "format": ENROLMENT_FORMAT,
            "device_id": device_id,
            "name": me.name,
            "role": me.role,
            "campaign_id": campaign.id if campaign else None,
            "campaign_name": campaign.name if campaign else "",
            "signing_public_key": keys.signing_public_key,
            "age_recipient": keys.age_recipient,
            "fingerprint": fingerprint(keys.signing_public_key, keys.age_recipient),
            "ops": ops,
        }
        data["signature"] = keys.sign(_signed_part(data)).hex()
        info = _info(me, device_id)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ValidationError(f"Could not write {out}: {exc.strerror or exc}.") from None
    return info


@dataclass(frozen=True, slots=True)
class Enrolment:
    """An enrolment file read and checked, waiting for a person to compare fingerprints."""

    device_id: str
    name: str
    role: str
    campaign_id: str | None
    campaign_name: str
    fingerprint: str
    ops: tuple[tuple[Operation, str], ...]


def read_enrolment_file(path: Path) -> Enrolment:
    """Read and check an enrolment file.

    Raises:
        ValidationError: If it is not one, or its signature or contents do not check out.
    """
    bad = ValidationError(
        f"{path.name} is not a canvass enrolment file (make one with "
        "`canvass keys enrolment-file` or Sync › This device)."
    )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"Could not read {path}: {exc.strerror or exc}.") from None
    if len(raw) > MAX_ENROLMENT_BYTES:
        raise bad
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise bad from None
    if not isinstance(data, dict) or data.get("format") != ENROLMENT_FORMAT:
        raise bad
    try:
        key = str(data["signing_public_key"])
        recipient = check_recipient(str(data["age_recipient"]))
        device_id = str(data["device_id"])
        signature = bytes.fromhex(str(data["signature"]))
        ops_text = data["ops"]
        if not isinstance(ops_text, list):
            raise TypeError
    except (KeyError, TypeError, ValueError):
        raise bad from None
    if not verify(key, signature, _signed_part(data)):
        raise ValidationError(
            f"{path.name} has been altered since its device wrote it (its signature does not "
            "match). Ask for a fresh enrolment file."
        )
    ops: list[tuple[Operation, str]] = []
    for text in ops_text:
        try:
            op = Operation.from_wire(json.loads(str(text)))
        except (ValueError, ValidationError):
            raise bad from None
        if op.device_id != device_id or op.entity != "device" or op.entity_id != device_id:
            raise bad
        ops.append((op, op.wire_json()))
    if not ops:
        raise bad
    return Enrolment(
        device_id=device_id,
        name=str(data.get("name", "")),
        role=str(data.get("role", "")),
        campaign_id=data.get("campaign_id") if isinstance(data.get("campaign_id"), str) else None,
        campaign_name=str(data.get("campaign_name", "")),
        fingerprint=fingerprint(key, recipient),
        ops=tuple(ops),
    )


def enrol(db: Database, enrolment: Enrolment, *, role: str | None = None) -> DeviceInfo:
    """Trust a device whose fingerprint a person has checked.

    Args:
        db: The database.
        enrolment: The checked enrolment file.
        role: "coordinator" or "canvasser" to override the role the device
            declares (canvassers' exports go to coordinators by default).

    Raises:
        ValidationError: If it is this device, or a revoked one.
    """
    with db.write() as session:
        writer = OpWriter.local(session)
        if enrolment.device_id == writer.device_id:
            raise ValidationError("That is this device's own enrolment file.")
        existing = session.get(Device, enrolment.device_id)
        if existing is not None and existing.revoked:
            raise ValidationError(
                f"'{existing.name}' was revoked; a revoked device cannot be enrolled again. "
                "Give the laptop a new database (new keys) and enrol that."
            )
        writer.flush()
        checked = []
        for op, wire in enrolment.ops:
            try:
                checked.append(check_operation(op, wire))
            except ValidationError as exc:
                raise ValidationError(f"The enrolment file is malformed: {exc}") from None
        apply_operations(session, checked)
        device = session.get(Device, enrolment.device_id)
        if device is None:
            raise ValidationError("The enrolment file does not register its device.")
        writer.set("device", device.id, "enrolled", True)
        if role is not None and role != device.role:
            if role not in ("coordinator", "canvasser"):
                raise ValidationError("A role is either coordinator or canvasser.")
            writer.set("device", device.id, "role", role)
        writer.flush()
        writer.audit(
            "enrol-device",
            {"device": device.id, "name": device.name, "fingerprint": enrolment.fingerprint},
        )
        session.refresh(device)
        return _info(device, writer.device_id)


def rename_this_device(db: Database, name: str) -> DeviceInfo:
    """Give this device the name others see in their device lists and merge reports.

    Raises:
        ValidationError: For an empty or over-long name.
    """
    name = clean_string(name.strip(), field="The device name")
    if not name or len(name) > 200:
        raise ValidationError(
            'Give the device a name of 1 to 200 characters, e.g. "Ada\'s laptop".'
        )
    with db.write() as session:
        writer = OpWriter.local(session)
        writer.set("device", writer.device_id, "name", name)
        writer.flush()
        local = get_local_device(session)
        assert local is not None
        local.name = name
        device = session.get(Device, writer.device_id)
        assert device is not None
        session.refresh(device)
        return _info(device, writer.device_id)


def revoke(db: Database, text: str) -> DeviceInfo:
    """Revoke a device: its files are refused from now on, everywhere this travels."""
    with db.write() as session:
        writer = OpWriter.local(session)
        device = find_device(session, text)
        if device.id == writer.device_id:
            raise ValidationError("A device cannot revoke itself.")
        writer.set("device", device.id, "revoked", True)
        writer.flush()
        writer.audit(
            "revoke-device",
            {"device": device.id, "name": device.name},
        )
        session.refresh(device)
        return _info(device, writer.device_id)


def create_recovery_key(db: Database, out: Path, *, replace: bool = False) -> str:
    """Make the campaign's recovery identity; save its secret to ``out``; returns the recipient.

    Every export made after this is also encrypted to it, so the data
    controller can open any file with it if the coordinator's laptop is lost.

    Raises:
        ValidationError: If the campaign has one already (unless ``replace``),
            there is no campaign, or ``out`` exists.
    """
    import pyrage

    identity = pyrage.x25519.Identity.generate()
    recipient = str(identity.to_public())
    written = False
    try:
        with db.write() as session:
            written = _save_recovery_key(session, out, identity, recipient, replace=replace)
    except BaseException:
        if written:  # the campaign does not know this key: leave no stray secret behind
            out.unlink(missing_ok=True)
        raise
    return recipient


class RecoveryKeyExistsError(ValidationError):
    """The campaign has a recovery key already (replace it deliberately)."""


def _save_recovery_key(
    session: Session, out: Path, identity: object, recipient: str, *, replace: bool
) -> bool:
    campaign = current_campaign(session)
    if campaign is None:
        raise ValidationError("Start the campaign first: this database holds none yet.")
    if campaign.recovery_recipient and not replace:
        raise RecoveryKeyExistsError(
            "The campaign has a recovery key already. Replace it only if the old one is "
            "lost (files made before keep needing the old one)."
        )
    writer = OpWriter.local(session)
    writer.set("campaign", campaign.id, "recovery_recipient", recipient)
    writer.flush()
    text = (
        f"# canvass recovery key for the campaign '{campaign.name}'\n"
        f"# Keep this offline (printed, or on a stick in a safe). With it the data\n"
        f"# controller can open any exchange file made after {writer.now()[:10]}:\n"
        f"#   age -d -i THIS_FILE export.canvass\n"
        f"# public key: {recipient}\n"
        f"{identity}\n"
    )
    try:
        # Created private (0600) and only if absent: never over another file.
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise ValidationError(
            f"{out} exists already; choose a new file name for the secret key."
        ) from None
    except OSError as exc:
        raise ValidationError(f"Could not write {out}: {exc.strerror or exc}.") from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    writer.audit("recovery-key", {"recipient": recipient})
    return True


__all__ = [
    "DeviceInfo",
    "Enrolment",
    "create_recovery_key",
    "enrol",
    "list_devices",
    "read_enrolment_file",
    "rename_this_device",
    "revoke",
    "this_device",
    "write_enrolment_file",
]
