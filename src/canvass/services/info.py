"""What a database holds: counts, identity and a content digest."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from canvass import __version__
from canvass.services.campaigns import current_campaign
from canvass.storage import migrate
from canvass.storage.counts import count_rows
from canvass.storage.database import Database
from canvass.storage.digest import state_digest
from canvass.storage.local import get_local_device


@dataclass(frozen=True, slots=True)
class Overview:
    """The figures the overview page shows."""

    campaign: str
    counts: dict[str, int]


@dataclass(frozen=True, slots=True)
class DatabaseInfo:
    """Everything ``canvass info`` reports."""

    app_version: str
    database: str
    engine: str
    schema_version: int
    schema_revision: str
    device_id: str
    device_name: str
    campaign: str
    counts: dict[str, int] = field(default_factory=dict)
    state_digest: str = ""

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


def overview(db: Database) -> Overview:
    """Campaign name and counts, cheap enough to refresh often."""
    with db.read() as session:
        campaign = current_campaign(session)
        return Overview(campaign.name if campaign else "", count_rows(session))


def database_info(db: Database, *, with_digest: bool = True) -> DatabaseInfo:
    """Identity, schema, counts and (optionally) the state digest of a database."""
    with db.read() as session:
        revision = migrate.current_revision(session.connection()) or ""
        device = get_local_device(session)
        campaign = current_campaign(session)
        return DatabaseInfo(
            app_version=__version__,
            database=db.target.display,
            engine=db.dialect,
            schema_version=migrate.schema_number(revision),
            schema_revision=revision,
            device_id=device.device_id if device else "",
            device_name=device.name if device else "",
            campaign=campaign.name if campaign else "",
            counts=count_rows(session),
            state_digest=state_digest(session) if with_digest else "",
        )
