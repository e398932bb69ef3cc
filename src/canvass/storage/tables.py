"""Every table, and the registry of entities that operations may touch."""

from __future__ import annotations

from canvass.storage.base import Base, Shared
from canvass.storage.tables_activity import (
    CodeSet,
    DeliveryRound,
    Erasure,
    Leaflet,
    PersonLink,
    Petition,
    Signature,
    Supporter,
    Suppression,
    SurveyQuestion,
    Visit,
    WalkList,
)
from canvass.storage.tables_log import (
    AuditEvent,
    BundleKey,
    Conflict,
    HeldRecord,
    ImportedFile,
    LocalDevice,
    OperationRow,
)
from canvass.storage.tables_people import (
    Address,
    Campaign,
    Device,
    Elector,
    PollingDistrict,
    Street,
    Ward,
)

#: Shared tables in foreign-key order: parents before children. Rebuilding
#: from operations inserts in this order and deletes in the reverse.
SHARED_MODELS: tuple[type[Shared], ...] = (
    Campaign,
    Device,
    Ward,
    PollingDistrict,
    Street,
    Address,
    Elector,
    WalkList,
    CodeSet,
    SurveyQuestion,
    Visit,
    Petition,
    Signature,
    Leaflet,
    DeliveryRound,
    Supporter,
    Suppression,
    Erasure,
    PersonLink,
)

ENTITIES: dict[str, type[Shared]] = {m.__entity__: m for m in SHARED_MODELS}

__all__ = [
    "ENTITIES",
    "SHARED_MODELS",
    "Address",
    "AuditEvent",
    "Base",
    "BundleKey",
    "Campaign",
    "CodeSet",
    "Conflict",
    "DeliveryRound",
    "Device",
    "Elector",
    "Erasure",
    "HeldRecord",
    "ImportedFile",
    "Leaflet",
    "LocalDevice",
    "OperationRow",
    "PersonLink",
    "Petition",
    "PollingDistrict",
    "Shared",
    "Signature",
    "Street",
    "Supporter",
    "Suppression",
    "SurveyQuestion",
    "Visit",
    "WalkList",
    "Ward",
]
