"""Counting what a database holds."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from canvass.storage.tables import (
    Address,
    Campaign,
    Elector,
    OperationRow,
    Petition,
    PollingDistrict,
    Signature,
    Street,
    Visit,
    Ward,
)

_COUNTED = {
    "campaigns": Campaign,
    "wards": Ward,
    "polling_districts": PollingDistrict,
    "streets": Street,
    "households": Address,
    "electors": Elector,
    "visits": Visit,
    "petitions": Petition,
    "signatures": Signature,
    "operations": OperationRow,
}


def count_rows(session: Session) -> dict[str, int]:
    """Number of rows of each counted kind, keyed by a plain name."""
    return {
        name: int(session.scalar(select(func.count()).select_from(model)) or 0)
        for name, model in _COUNTED.items()
    }
