"""A small simulated campaign for the merge property tests.

Devices edit a few electors, record visits, erase and suppress people, and
pass their whole operation sets to each other; every pass is a "file". The
operations are real :class:`Operation` objects stamped by each device's own
hybrid logical clock, with bases taken from what that device had seen, so
concurrent edits arise exactly as they do between laptops.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from hypothesis import strategies as st

from canvass.services.apply import Applied, apply_operations, check_operation
from canvass.services.oplog import OpWriter
from canvass.storage import oplog
from canvass.storage.database import Database
from canvass.sync.hlc import HybridClock, Stamp, SteppingWall
from canvass.sync.merge import field_heads
from canvass.sync.ops import Operation, OpKind

ELECTORS = 4
DEVICES = 3
SURNAMES = ("Testington", "Sampleford", "Mockwell", "Fakeborough")
OUTCOMES = ("not-in", "spoke", "refused")


def device_id(n: int) -> str:
    return f"00000000-0000-4000-8000-{n + 1:012d}"


def fixed_id(kind: int, n: int) -> str:
    return f"00000000-0000-4000-{8000 + kind:04d}-{n + 1:012d}"


GENESIS_DEVICE = "00000000-0000-4000-8000-00000000ffff"


def build_genesis(db: Database) -> tuple[list[Operation], list[str]]:
    """Campaign, geography and electors every replica starts from; returns (ops, elector ids)."""
    counter = iter(range(1, 10_000))
    with db.write() as session:
        writer = OpWriter(
            session,
            GENESIS_DEVICE,
            HybridClock(Stamp(0, 0), SteppingWall(1_790_000_000_000)),
            0,
            ids=lambda: fixed_id(9, next(counter)),
        )
        campaign = writer.create("campaign", {"name": "Model Campaign", "created_at": "2026-01-01"})
        ward = writer.create("ward", {"campaign_id": campaign, "name": "Model Ward"})
        district = writer.create("polling_district", {"ward_id": ward, "code": "MA"})
        street = writer.create("street", {"polling_district_id": district, "name": "Model Row"})
        address = writer.create("address", {"street_id": street, "house_number": 1})
        electors = [
            writer.create(
                "elector",
                {
                    "polling_district_id": district,
                    "address_id": address,
                    "elector_number": n + 1,
                    "surname": "Modelsby",
                },
            )
            for n in range(ELECTORS)
        ]
        writer.flush()
        ops = list(oplog.iter_operations(session))
    return ops, electors


@dataclass
class Device:
    """One simulated laptop: what it knows and its own clock."""

    number: int
    known: dict[str, Operation]
    clock: HybridClock
    seq: int = 0
    ids: Iterator[int] = field(default_factory=lambda: iter(range(1, 1_000_000)))

    @property
    def id(self) -> str:
        return device_id(self.number)

    def stamp(self, kind: OpKind, entity: str, entity_id: str, name: str | None, value, bases=()):  # type: ignore[no-untyped-def]
        self.seq += 1
        op = Operation(
            op_id=fixed_id(self.number, next(self.ids)),
            device_id=self.id,
            seq=self.seq,
            stamp=self.clock.now(),
            kind=kind,
            entity=entity,
            entity_id=entity_id,
            field=name,
            value=value,
            bases=tuple(sorted(bases)),
        )
        self.known[op.op_id] = op
        return op

    def erased(self) -> set[str]:
        return {op.entity_id for op in self.known.values() if op.kind is OpKind.ERASE}

    def on(self, entity_id: str) -> list[Operation]:
        return [op for op in self.known.values() if op.entity_id == entity_id]


# One step of the simulation: (action, device, elector, detail)
steps = st.lists(
    st.tuples(
        st.sampled_from(["edit", "edit", "visit", "sync", "sync", "erase", "suppress", "resolve"]),
        st.integers(0, DEVICES - 1),
        st.integers(0, ELECTORS - 1),
        st.integers(0, 3),
    ),
    max_size=14,
)


def simulate(
    genesis: list[Operation], electors: list[str], script: list[tuple[str, int, int, int]]
) -> tuple[list[list[Operation]], list[Device]]:
    """Run a script; returns the files made (a device's whole set at each sync) and devices."""
    base = {op.op_id: op for op in genesis}
    devices = [
        Device(n, dict(base), HybridClock(Stamp(0, 0), SteppingWall(1_790_000_100_000 + n * 7)))
        for n in range(DEVICES)
    ]
    files: list[list[Operation]] = []
    for action, d, e, detail in script:
        dev = devices[d]
        elector = electors[e]
        if elector in dev.erased() and action != "sync":
            continue  # a laptop cannot edit someone it has erased
        if action == "edit":
            name = ("surname", "forenames")[detail % 2]
            heads = [op.op_id for op in field_heads(dev.on(elector), name)]
            dev.stamp(OpKind.SET, "elector", elector, name, SURNAMES[detail], heads)
        elif action == "visit":
            dev.stamp(
                OpKind.CREATE,
                "visit",
                fixed_id(dev.number + 20, dev.seq + 1),
                None,
                {
                    "elector_id": elector,
                    "device_id": dev.id,
                    "visited_at": "2026-11-01T18:00:00Z",
                    "outcome": OUTCOMES[detail % 3],
                    "canvasser": f"Canvasser {dev.number}",
                },
            )
        elif action == "erase" and detail == 0:  # erasures are rarer than edits
            dev.stamp(
                OpKind.ERASE,
                "elector",
                elector,
                None,
                {"reason_code": "subject-request", "erased_at": "2026-11-02T10:00:00Z"},
            )
        elif action == "suppress":
            dev.stamp(
                OpKind.CREATE,
                "suppression",
                fixed_id(dev.number + 40, dev.seq + 1),
                None,
                {"elector_id": elector, "created_at": "2026-11-02T10:00:00Z"},
            )
        elif action == "resolve":
            name = ("surname", "forenames")[detail % 2]
            heads = field_heads(dev.on(elector), name)
            if (
                len(
                    {repr(h.value if h.kind is not OpKind.CREATE else h.value[name]) for h in heads}
                )
                > 1
            ):  # type: ignore[index]
                dev.stamp(
                    OpKind.RESOLVE,
                    "elector",
                    elector,
                    name,
                    SURNAMES[detail],
                    [h.op_id for h in heads],
                )
        elif action == "sync":
            other = devices[(d + 1 + detail) % DEVICES]
            files.append(list(dev.known.values()))
            other.known.update(dev.known)
            for op in dev.known.values():
                with contextlib.suppress(Exception):
                    other.clock.observe(op.stamp)
    for dev in devices:  # everyone's final export
        files.append(list(dev.known.values()))
    return files, devices


class _Rollback(Exception):  # noqa: N818 - a signal
    pass


@contextlib.contextmanager
def scratch(db: Database):  # type: ignore[no-untyped-def]
    """A write transaction that is always rolled back: one example, one clean database."""
    try:
        with db.write() as session:
            yield session
            raise _Rollback
    except _Rollback:
        pass


def merge_ops(session, ops: list[Operation]) -> Applied:  # type: ignore[no-untyped-def]
    """Merge one file's operations through the real validation and apply path."""
    return apply_operations(session, [check_operation(op, op.wire_json()) for op in ops])
