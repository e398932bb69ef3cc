"""This database's own device identity and persisted clock."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from canvass.crypto.keys import DeviceKeys
from canvass.storage.tables_log import LocalDevice


def get_local_device(session: Session, *, for_update: bool = False) -> LocalDevice | None:
    """The one local device row, locked for update when the caller will tick the clock."""
    query = select(LocalDevice)
    if for_update:
        query = query.with_for_update()
    return session.scalars(query).first()


def create_local_device(
    session: Session, device_id: str, name: str, created_at: str, keys: DeviceKeys
) -> None:
    """Record this database's device identity and private keys (first run only)."""
    session.add(
        LocalDevice(
            device_id=device_id,
            name=name,
            last_seq=0,
            hlc_ms=0,
            hlc_counter=0,
            created_at=created_at,
            signing_key=keys.signing_key,
            age_identity=keys.age_identity,
        )
    )
