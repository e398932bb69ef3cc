"""What campaigners record and print: visits, petitions, codes, leaflets, supporters."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from canvass.storage.base import JSON_TEXT, UUID_LEN, Shared


def _fk(target: str, *, nullable: bool = False) -> Mapped[str]:
    return mapped_column(String(UUID_LEN), ForeignKey(target), nullable=nullable, index=True)


class CodeSet(Shared):
    """A campaign's doorstep codes (outcomes, intentions, flags). Edits never rewrite history."""

    __tablename__ = "code_sets"
    __entity__ = "code_set"

    campaign_id: Mapped[str] = _fk("campaigns.id")
    name: Mapped[str] = mapped_column(String(200))
    codes: Mapped[str] = mapped_column(Text, default="{}", info=JSON_TEXT)


class SurveyQuestion(Shared):
    """A question canvassers ask at the door."""

    __tablename__ = "survey_questions"
    __entity__ = "survey_question"

    campaign_id: Mapped[str] = _fk("campaigns.id")
    code: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    answer_kind: Mapped[str] = mapped_column(String(16), default="choice")
    choices: Mapped[str] = mapped_column(Text, default="[]", info=JSON_TEXT)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Visit(Shared):
    """One doorstep response: an append-only fact."""

    __tablename__ = "visits"
    __entity__ = "visit"

    elector_id: Mapped[str | None] = _fk("electors.id", nullable=True)
    address_id: Mapped[str | None] = _fk("addresses.id", nullable=True)
    canvasser: Mapped[str] = mapped_column(String(200), default="")
    device_id: Mapped[str] = mapped_column(String(UUID_LEN))
    visited_at: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(32))
    intention: Mapped[str] = mapped_column(String(16), default="")
    support: Mapped[int | None] = mapped_column(Integer, nullable=True)
    likelihood: Mapped[int | None] = mapped_column(Integer, nullable=True)
    flags: Mapped[str] = mapped_column(String(200), default="")  # sorted, comma-separated
    issues: Mapped[str] = mapped_column(String(400), default="")
    survey_answers: Mapped[str] = mapped_column(Text, default="{}", info=JSON_TEXT)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Undo sets this; redo clears it. Voided visits count for nothing.
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    method: Mapped[str] = mapped_column(String(16), default="doorstep")  # or "paper"
    # The campaign's privacy-notice version when this was recorded; 0: not
    # recorded (visits made before canvass kept it, or with no notice set).
    notice_version: Mapped[int] = mapped_column(Integer, default=0)


class Petition(Shared):
    """A petition: its exact text (versioned), addressee and consent wording."""

    __tablename__ = "petitions"
    __entity__ = "petition"

    campaign_id: Mapped[str] = _fk("campaigns.id")
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    text_version: Mapped[int] = mapped_column(Integer, default=1)
    addressee: Mapped[str] = mapped_column(String(300), default="")
    ward_name: Mapped[str] = mapped_column(String(200), default="")
    council_address: Mapped[str] = mapped_column(Text, default="")
    lead_petitioner: Mapped[str] = mapped_column(String(200), default="")
    opens_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    closes_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    threshold: Mapped[int | None] = mapped_column(Integer, nullable=True)
    consent_wording: Mapped[str] = mapped_column(Text, default="")
    consent_version: Mapped[int] = mapped_column(Integer, default=1)
    # The campaign's covering letter to the councillor, printed on the bundle.
    letter_text: Mapped[str] = mapped_column(Text, default="")


class Signature(Shared):
    """One signature on a petition: an append-only fact (withdrawal is a later set)."""

    __tablename__ = "signatures"
    __entity__ = "signature"

    petition_id: Mapped[str] = _fk("petitions.id")
    elector_id: Mapped[str | None] = _fk("electors.id", nullable=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    method: Mapped[str] = mapped_column(String(16))  # doorstep / stall / paper
    sheet_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    row_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    collector: Mapped[str] = mapped_column(String(200), default="")
    device_id: Mapped[str] = mapped_column(String(UUID_LEN))
    signed_at: Mapped[str] = mapped_column(String(32))
    text_version: Mapped[int] = mapped_column(Integer, default=1)
    strokes: Mapped[str] = mapped_column(Text, default="", info=JSON_TEXT)
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_ok: Mapped[bool] = mapped_column(Boolean, default=False)  # "and contact me"
    # A person's decision on a flagged duplicate: "", "count" or "exclude".
    count_decision: Mapped[str] = mapped_column(String(16), default="")
    decision_reason: Mapped[str] = mapped_column(String(200), default="")
    consent_version: Mapped[int] = mapped_column(Integer, default=1)


class WalkList(Shared):
    """A named part of the area for one round of canvassing, assigned to a canvasser.

    ``scope`` is canonical JSON: {"districts": [codes], "streets": [street ids],
    "numbers": [from, to] or null}. Suppressed and off-register electors are
    left out whenever the list is used, so the list never goes stale.
    """

    __tablename__ = "walk_lists"
    __entity__ = "walk_list"

    campaign_id: Mapped[str] = _fk("campaigns.id")
    name: Mapped[str] = mapped_column(String(120))
    canvasser: Mapped[str] = mapped_column(String(200), default="")
    scope: Mapped[str] = mapped_column(Text, default="{}", info=JSON_TEXT)
    created_at: Mapped[str] = mapped_column(String(32))
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


class Leaflet(Shared):
    """A leaflet design: template, content and imprint."""

    __tablename__ = "leaflets"
    __entity__ = "leaflet"

    campaign_id: Mapped[str] = _fk("campaigns.id")
    template: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text, default="{}", info=JSON_TEXT)
    imprint: Mapped[str] = mapped_column(Text, default="")


class DeliveryRound(Shared):
    """A round of leaflet delivery over part of the area.

    ``plan`` is canonical JSON: {"district": code, "size": letterboxes asked for,
    "streets": [{"street_id", "street", "town", "side", "low", "high", "named",
    "letterboxes", "skip"}]}, the streets (or house-number ranges of a long
    street) in walking order, as planned.
    """

    __tablename__ = "delivery_rounds"
    __entity__ = "delivery_round"

    # None: a round planned before (or without) choosing the leaflet.
    leaflet_id: Mapped[str | None] = _fk("leaflets.id", nullable=True)
    name: Mapped[str] = mapped_column(String(200))
    polling_district_id: Mapped[str | None] = _fk("polling_districts.id", nullable=True)
    delivered_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    plan: Mapped[str] = mapped_column(Text, default="{}", info=JSON_TEXT)
    letterboxes: Mapped[int] = mapped_column(Integer, default=0)
    delivered_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[str] = mapped_column(String(32), default="")


class Supporter(Shared):
    """Someone who sent back a reply slip (or signed up): need not be on the register.

    ``ticks`` is a JSON list of what they ticked ("keep me informed", "I can help", ...).
    """

    __tablename__ = "supporters"
    __entity__ = "supporter"

    campaign_id: Mapped[str] = _fk("campaigns.id")
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    ticks: Mapped[str] = mapped_column(Text, default="[]", info=JSON_TEXT)
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    # Which leaflet or slip it came from, in words; and the leaflet, when known.
    source: Mapped[str] = mapped_column(String(300), default="")
    leaflet_id: Mapped[str | None] = _fk("leaflets.id", nullable=True)
    entered_by: Mapped[str] = mapped_column(String(200), default="")
    device_id: Mapped[str] = mapped_column(String(UUID_LEN))
    entered_at: Mapped[str] = mapped_column(String(32))


class Suppression(Shared):
    """Do not contact: grow-only, kept with the minimum needed to match the person again."""

    __tablename__ = "suppressions"
    __entity__ = "suppression"

    elector_id: Mapped[str | None] = mapped_column(String(UUID_LEN), nullable=True, index=True)
    match_key: Mapped[str] = mapped_column(String(64), default="")
    scope: Mapped[str] = mapped_column(String(32), default="do-not-contact")
    reason: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[str] = mapped_column(String(32))


class Erasure(Shared):
    """The tombstone of a data-subject erasure: no personal data, only ids and reason."""

    __tablename__ = "erasures"
    __entity__ = "erasure"

    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(UUID_LEN), index=True)
    reason_code: Mapped[str] = mapped_column(String(32))
    erased_at: Mapped[str] = mapped_column(String(32))


class PersonLink(Shared):
    """Two records are the same person (merging of duplicates)."""

    __tablename__ = "person_links"
    __entity__ = "person_link"

    elector_a_id: Mapped[str] = mapped_column(String(UUID_LEN), index=True)
    elector_b_id: Mapped[str] = mapped_column(String(UUID_LEN), index=True)
