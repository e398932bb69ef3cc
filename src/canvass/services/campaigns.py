"""The campaign a database belongs to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from canvass.domain.errors import ValidationError
from canvass.domain.values import MAX_STRING, clean_string
from canvass.services.oplog import OpWriter
from canvass.storage.database import Database
from canvass.storage.tables import Campaign, Device, OperationRow

#: The longest privacy notice stored (the most one text field may hold).
MAX_NOTICE = MAX_STRING


@dataclass(frozen=True, slots=True)
class CampaignSummary:
    """A campaign, for display."""

    id: str
    name: str
    organisation: str


def current_campaign(session: Session) -> Campaign | None:
    """The database's campaign (a database holds one), or None before `init`."""
    return session.scalars(select(Campaign).order_by(Campaign.created_at, Campaign.id)).first()


def require_campaign(session: Session) -> Campaign:
    """The database's campaign, for work that needs one.

    Raises:
        ValidationError: Before `init`: there is no campaign yet.
    """
    campaign = current_campaign(session)
    if campaign is None:
        raise ValidationError("This database has no campaign yet; start one first.")
    return campaign


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
        campaign = require_campaign(session)
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
        campaign = require_campaign(session)
        writer = OpWriter.local(session)
        for name, value in values.items():
            if getattr(campaign, name) != value:
                writer.set("campaign", campaign.id, name, value)
        writer.flush()


def _set_campaign_date(db: Database, name: str, value: dt.date | None) -> None:
    """Record one date of the campaign as an operation (nothing when it holds ``value``)."""
    with db.write() as session:
        campaign = require_campaign(session)
        if getattr(campaign, name) == value:
            return
        writer = OpWriter.local(session)
        writer.set("campaign", campaign.id, name, value.isoformat() if value else None)
        writer.flush()


def set_polling_day(db: Database, day: dt.date | None) -> None:
    """Store polling day (None: not known); the default retention date follows from it.

    Raises:
        ValidationError: If there is no campaign yet.
    """
    _set_campaign_date(db, "polling_day", day)


def set_retention_until(db: Database, day: dt.date | None) -> None:
    """Store the day after which the campaign's personal data is purged (None: the default).

    Raises:
        ValidationError: If there is no campaign yet, or the date is implausibly early.
    """
    if day is not None and day.year < 2000:
        raise ValidationError(f"{day.isoformat()} is not a plausible retention date.")
    _set_campaign_date(db, "retention_until", day)


@dataclass(frozen=True, slots=True)
class PrivacyNotice:
    """The privacy notice canvassers give at the door, and its version."""

    text: str
    version: int


def privacy_notice(db: Database) -> PrivacyNotice:
    """The campaign's doorstep privacy notice ("" when none is written down).

    Raises:
        ValidationError: If there is no campaign yet.
    """
    with db.read() as session:
        campaign = require_campaign(session)
        return PrivacyNotice(campaign.privacy_notice, campaign.privacy_notice_version)


def notice_version_in(session: Session) -> int:
    """The notice version a visit recorded now stores: 0 while no notice is written down."""
    campaign = current_campaign(session)
    if campaign is None or not campaign.privacy_notice:
        return 0
    return campaign.privacy_notice_version


def set_privacy_notice(db: Database, text: str) -> PrivacyNotice:
    """Store the doorstep privacy notice; a change of wording is a new version.

    The first wording written keeps version 1 (no visit recorded a version
    before it: they store 0); every later change adds one, so each visit's
    version names the wording its person was given. Unchanged text changes
    nothing.

    Raises:
        ValidationError: If there is no campaign, or the text is empty or too long.
    """
    text = clean_string(text or "", field="The privacy notice").strip().replace("\r\n", "\n")
    if not text:
        raise ValidationError(
            "The privacy notice is empty. Write what canvassers tell people at the door: who "
            "is collecting what, why, for how long, and how to object or ask for erasure."
        )
    if len(text) > MAX_NOTICE:
        raise ValidationError(
            f"The privacy notice is longer than {MAX_NOTICE:,} characters; shorten it (a "
            "doorstep notice is read out or handed over in a minute)."
        )
    with db.write() as session:
        campaign = require_campaign(session)
        if campaign.privacy_notice == text:
            return PrivacyNotice(text, campaign.privacy_notice_version)
        writer = OpWriter.local(session)
        version = campaign.privacy_notice_version + (1 if campaign.privacy_notice else 0)
        writer.set("campaign", campaign.id, "privacy_notice", text)
        if version != campaign.privacy_notice_version:
            writer.set("campaign", campaign.id, "privacy_notice_version", version)
        writer.flush()
    return PrivacyNotice(text, version)
