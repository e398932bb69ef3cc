"""Recording electors in bulk (the register import builds on this)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

from canvass.domain.progress import Progress, Task
from canvass.services.oplog import OpWriter
from canvass.storage.database import Database


@dataclass(frozen=True, slots=True)
class NewElector:
    """One elector to record, as read from a register."""

    polling_district_id: str
    address_id: str | None
    elector_number: int
    elector_suffix: int = 0
    markers: str = ""
    title: str = ""
    forenames: str = ""
    surname: str = ""
    attainment_date: str | None = None  # YYYY-MM-DD
    register_edition: str = ""


_FIELDS = tuple(f.name for f in fields(NewElector))


def add_electors(
    db: Database,
    electors: Iterable[NewElector] | Sequence[NewElector],
    *,
    total: int = 0,
    every: int = 5_000,
) -> Task[list[str]]:
    """Record electors (rows and operations) in one transaction; returns their ids."""
    ids: list[str] = []
    with db.write() as session:
        writer = OpWriter.local(session)
        for n, elector in enumerate(electors, start=1):
            # Not dataclasses.asdict: it deep-copies every value (a quarter of the time).
            ids.append(writer.create("elector", {f: getattr(elector, f) for f in _FIELDS}))
            if n % every == 0:
                yield Progress(n, total, "Recording electors")
        writer.flush()
    return ids
