"""Campaign, devices, geography and electors."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from canvass.storage.base import JSON_TEXT, UUID_LEN, Shared


def _fk(target: str, *, nullable: bool = False) -> Mapped[str]:
    return mapped_column(String(UUID_LEN), ForeignKey(target), nullable=nullable, index=True)


class Campaign(Shared):
    """The organisation running the campaign, and what its printed material must say."""

    __tablename__ = "campaigns"
    __entity__ = "campaign"

    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    # The imprint UK electoral law requires on election material (DESIGN §5).
    imprint_promoter: Mapped[str] = mapped_column(String(200), default="")
    imprint_on_behalf_of: Mapped[str] = mapped_column(String(200), default="")
    imprint_address: Mapped[str] = mapped_column(Text, default="")
    imprint_printer: Mapped[str] = mapped_column(Text, default="")
    code_set_id: Mapped[str | None] = mapped_column(String(UUID_LEN), nullable=True)
    # age recipient (age1...) of the data controller's offline recovery key:
    # every laptop export is also encrypted to it, so a lost coordinator
    # laptop loses nothing.
    recovery_recipient: Mapped[str] = mapped_column(String(128), default="")
    polling_day: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[str] = mapped_column(String(32))
    # The day after which canvass data is no longer needed and is purged
    # (UK GDPR storage limitation); None: polling day plus the default period.
    retention_until: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # The privacy notice canvassers give at the door, and its version: each
    # new visit records the version in force, so the campaign can show what a
    # person was told. A change of wording is a new version.
    privacy_notice: Mapped[str] = mapped_column(Text, default="")
    privacy_notice_version: Mapped[int] = mapped_column(Integer, default=1)
    # Figures saved by a retention purge, before the records behind them were
    # erased, so reports and petition counts still show them (canonical JSON,
    # no personal data): the canvass report's totals, and per petition counts.
    retained_at: Mapped[str] = mapped_column(String(32), default="")
    retained_report: Mapped[str] = mapped_column(Text, default="{}", info=JSON_TEXT)
    retained_petitions: Mapped[str] = mapped_column(Text, default="{}", info=JSON_TEXT)


class Device(Shared):
    """A laptop that records changes. Keys are filled in when it is enrolled."""

    __tablename__ = "devices"
    __entity__ = "device"
    __grow_only__ = frozenset({"enrolled", "revoked"})

    name: Mapped[str] = mapped_column(String(200))
    # Ed25519 public key (hex) that signs the device's exchange files, and
    # the age recipient files for the device are encrypted to.
    signing_public_key: Mapped[str] = mapped_column(String(128), default="")
    age_recipient: Mapped[str] = mapped_column(String(128), default="")
    # "coordinator" devices receive every canvasser's export by default.
    role: Mapped[str] = mapped_column(String(16), default="canvasser")
    # Set when a person enrolled the device after checking its fingerprint;
    # only enrolled, unrevoked devices' files are merged.
    enrolled: Mapped[bool] = mapped_column(Boolean, default=False)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    registered_at: Mapped[str] = mapped_column(String(32))


class Ward(Shared):
    """An electoral ward of the council."""

    __tablename__ = "wards"
    __entity__ = "ward"

    campaign_id: Mapped[str] = _fk("campaigns.id")
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(32), default="")


class PollingDistrict(Shared):
    """A polling district; its code prefixes elector numbers (``AB-124/1``)."""

    __tablename__ = "polling_districts"
    __entity__ = "polling_district"

    ward_id: Mapped[str] = _fk("wards.id")
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200), default="")


class Street(Shared):
    """A street within one polling district, with its place in the walk."""

    __tablename__ = "streets"
    __entity__ = "street"

    polling_district_id: Mapped[str] = _fk("polling_districts.id")
    name: Mapped[str] = mapped_column(String(200))
    town: Mapped[str] = mapped_column(String(200), default="")
    walk_order: Mapped[int] = mapped_column(Integer, default=0)


class Address(Shared):
    """A household: one door a canvasser knocks on."""

    __tablename__ = "addresses"
    __entity__ = "address"

    street_id: Mapped[str] = _fk("streets.id")
    house_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    house_suffix: Mapped[str] = mapped_column(String(8), default="")
    house_name: Mapped[str] = mapped_column(String(200), default="")
    flat: Mapped[str] = mapped_column(String(64), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    walk_order: Mapped[int] = mapped_column(Integer, default=0)
    side: Mapped[str] = mapped_column(String(4), default="")
    inaccessible: Mapped[bool] = mapped_column(Boolean, default=False)
    address_key: Mapped[str] = mapped_column(String(400), default="", index=True)


class Elector(Shared):
    """A person on the electoral register (or a signer matched to it)."""

    __tablename__ = "electors"
    __entity__ = "elector"
    __table_args__ = (Index("ix_electors_pd_number", "polling_district_id", "elector_number"),)

    polling_district_id: Mapped[str] = mapped_column(
        String(UUID_LEN), ForeignKey("polling_districts.id")
    )
    # "Other electors" on the register have no address.
    address_id: Mapped[str | None] = _fk("addresses.id", nullable=True)
    elector_number: Mapped[int] = mapped_column(Integer)
    elector_suffix: Mapped[int] = mapped_column(Integer, default=0)
    markers: Mapped[str] = mapped_column(String(16), default="")
    title: Mapped[str] = mapped_column(String(32), default="")
    forenames: Mapped[str] = mapped_column(String(200), default="")
    surname: Mapped[str] = mapped_column(String(200), default="")
    attainment_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    register_edition: Mapped[str] = mapped_column(String(64), default="")
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
