"""The campaign a database belongs to."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from canvass.domain.errors import ValidationError
from canvass.domain.values import clean_string
from canvass.services.oplog import OpWriter
from canvass.storage.database import Database
from canvass.storage.tables import Campaign, Device, OperationRow


@dataclass(frozen=True, slots=True)
class CampaignSummary:
    """A campaign, for display."""

    id: str
    name: str
    organisation: str


def current_campaign(session: Session) -> Campaign | None:
    """The database's campaign (a database holds one), or None before `init`."""
    return session.scalars(select(Campaign).order_by(Campaign.created_at, Campaign.id)).first()


def is_coordinator(session: Session, device_id: str) -> bool:
    """Whether a device speaks for the campaign: marked coordinator, or it started it.

    With no campaign yet (a new laptop) every device it enrolled counts: its
    first file brings the campaign from whoever it chose to trust.
    """
    device = session.get(Device, device_id)
    if device is not None and device.role == "coordinator":
        return True
    campaign = current_campaign(session)
    if campaign is None:
        return True
    creator = session.scalar(
        select(OperationRow.device_id).where(
            OperationRow.entity == "campaign",
            OperationRow.entity_id == campaign.id,
            OperationRow.kind == "create",
        )
    )
    return creator == device_id


def create_campaign(db: Database, name: str, organisation: str = "") -> CampaignSummary:
    """Start the campaign this database is for.

    Raises:
        ValidationError: If the name is empty or too long, or a campaign exists already.
    """
    name = clean_string(name.strip(), field="The campaign name")
    if not name:
        raise ValidationError(
            "Give the campaign a name, for example --campaign 'Save Our Library'."
        )
    if len(name) > 200:
        raise ValidationError("The campaign name is longer than 200 characters; shorten it.")
    organisation = clean_string(organisation.strip(), field="The organisation")
    with db.write() as session:
        existing = current_campaign(session)
        if existing is not None:
            raise ValidationError(
                f"This database already holds the campaign '{existing.name}'. "
                "Use another --db for a new campaign."
            )
        writer = OpWriter.local(session)
        campaign_id = writer.create(
            "campaign",
            {"name": name, "organisation": organisation, "created_at": writer.now()},
        )
        # The database that starts a campaign is its coordinator: canvassers'
        # exports are encrypted to it by default.
        writer.set("device", writer.device_id, "role", "coordinator")
        writer.flush()
    return CampaignSummary(campaign_id, name, organisation)


@dataclass(frozen=True, slots=True)
class Imprint:
    """The imprint UK electoral law requires on election material."""

    promoter: str
    on_behalf_of: str
    address: str
    printer: str = ""


def campaign_imprint(db: Database) -> Imprint:
    """The campaign's imprint as stored (empty fields when not filled in).

    Raises:
        ValidationError: If there is no campaign yet.
    """
    with db.read() as session:
        campaign = current_campaign(session)
        if campaign is None:
            raise ValidationError("This database has no campaign yet; start one first.")
        return Imprint(
            campaign.imprint_promoter,
            campaign.imprint_on_behalf_of,
            campaign.imprint_address,
            campaign.imprint_printer,
        )


def set_campaign_imprint(db: Database, imprint: Imprint) -> None:
    """Store the campaign's imprint (as operations, so every laptop prints the same one).

    Raises:
        ValidationError: For a missing promoter, address or "on behalf of", or text
            that is too long.
    """
    fields = {
        "imprint_promoter": ("the promoter's name", imprint.promoter, 200, True),
        "imprint_address": ("the promoter's address", imprint.address, 500, True),
        "imprint_on_behalf_of": (
            "on whose behalf it is published",
            imprint.on_behalf_of,
            200,
            True,
        ),
        "imprint_printer": ("the printer's name and address", imprint.printer, 500, False),
    }
    values: dict[str, str] = {}
    missing = []
    for name, (label, text, limit, required) in fields.items():
        value = " ".join(clean_string(text or "", field=label.capitalize()).split())
        if required and not value:
            missing.append(label)
        if len(value) > limit:
            raise ValidationError(f"{label.capitalize()} is longer than {limit} characters.")
        values[name] = value
    if missing:
        raise ValidationError(
            "The imprint needs " + " and ".join(missing) + ": UK electoral law requires them on "
            "election material. The printer is needed only when a print shop prints it."
        )
    with db.write() as session:
        campaign = current_campaign(session)
        if campaign is None:
            raise ValidationError("This database has no campaign yet; start one first.")
        writer = OpWriter.local(session)
        for name, value in values.items():
            if getattr(campaign, name) != value:
                writer.set("campaign", campaign.id, name, value)
        writer.flush()
