"""A synthetic campaign to try canvass with: same seed, same data, on any machine.

Demo operations are attributed to a device and a clock derived from the seed,
not to this computer's, and every id comes from the seeded generator, so two
databases filled with the same seed hold identical operations and rows (and so
print the same ``state_digest``), on SQLite or PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass
from pathlib import Path

from canvass.domain import demo_data as dd
from canvass.domain.addresses import side_of, walk_key
from canvass.domain.codes import default_code_set
from canvass.domain.errors import DatabaseError, ValidationError
from canvass.domain.progress import Progress, Task
from canvass.services.campaigns import current_campaign
from canvass.services.databases import open_db
from canvass.services.oplog import OpWriter
from canvass.storage.database import Database
from canvass.sync.hlc import HybridClock, Stamp, SteppingWall

#: Demo clocks start at 09:00 UTC on 1 September 2026.
DEMO_EPOCH_MS = 1_788_253_200_000
_DEMO_NAMESPACE = uuid.UUID("5b0c1f3e-7a52-4c1e-9c0e-3d2f6a8b9e10")
MAX_DEMO_ELECTORS = 1_000_000

_OUTCOMES = (("NI", 35), ("SPK", 50), ("R", 7), ("MV", 3), ("DNC", 2), ("CB", 3))
_INTENTIONS = ("S", "S", "L", "U", "U", "A", "W")
_FLAGS = ("P", "PV", "WPV", "LIFT", "VOL")
_ISSUES = (
    "library hours",
    "bus route",
    "potholes",
    "council tax",
    "street lighting",
    "youth club",
    "bin collections",
)
_CANVASSERS = (
    "Ada Testwell (volunteer)",
    "Rhys Sampleford (volunteer)",
    "Zoë Mockridge (volunteer)",
    "Łukasz Demoby (volunteer)",
)


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What a demo run created."""

    campaign_id: str
    electors: int
    households: int
    visits: int
    signatures: int
    operations: int


def demo_device_id(seed: int) -> str:
    """The made-up device that demo data for ``seed`` is attributed to."""
    return str(uuid.uuid5(_DEMO_NAMESPACE, f"demo-seed-{seed}"))


def create_demo(db: Database, electors: int = 5000, seed: int = 7) -> Task[DemoSummary]:
    """Create a synthetic campaign in a database that holds no campaign yet.

    Made-up electors must never join a real campaign (its walk sheets, counts
    and exports), so a database that already holds one is refused.
    Yields progress; closing the task before it ends rolls everything back.

    Raises:
        ValidationError: For a bad elector count or a database with a campaign.
    """
    if not 1 <= electors <= MAX_DEMO_ELECTORS:
        raise ValidationError(
            f"The number of electors must be between 1 and {MAX_DEMO_ELECTORS:,}."
        )
    with db.write() as session:
        existing = current_campaign(session)
        if existing is not None:
            raise ValidationError(
                f"This database holds the campaign “{existing.name}”; demo data goes into a "
                "database of its own. Give a new one, for example --db demo.db."
            )
        device_id = demo_device_id(seed)
        rng = random.Random(seed)
        clock = HybridClock(Stamp(0, 0), SteppingWall(DEMO_EPOCH_MS))
        writer = OpWriter(session, device_id, clock, 0, ids=lambda: dd.seeded_uuid(rng))
        summary = yield from _DemoBuilder(writer, rng, seed).build(electors)
        writer.flush()
    return summary


def create_demo_database(
    path: Path, electors: int = 5000, seed: int = 7
) -> Task[tuple[Database, DemoSummary]]:
    """Create a new SQLite database at ``path`` holding only a demo campaign.

    This is how the desktop app offers demo data without mixing made-up people
    into a real campaign. On failure or Cancel the new files are removed.

    Returns:
        The open database (the caller closes it) and what was created.

    Raises:
        DatabaseError: If ``path`` exists already or cannot be created.
    """
    if path.exists():
        raise DatabaseError(f"There is already a file at {path}; choose another name.")
    db = open_db(str(path), create=True)
    try:
        summary = yield from create_demo(db, electors, seed)
    except BaseException:
        db.close()
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    return db, summary


class _DemoBuilder:
    """Lays out wards, districts, streets and households, then the activity."""

    def __init__(self, writer: OpWriter, rng: random.Random, seed: int) -> None:
        self.w = writer
        self.rng = rng
        self.seed = seed
        self.households = 0
        self.visits = 0
        # (elector id, display name, address text, postcode) of people spoken to
        self.spoken: list[tuple[str, str, str, str]] = []

    def build(self, electors: int) -> Task[DemoSummary]:
        w, rng = self.w, self.rng
        w.create(
            "device",
            {"name": f"Demo data (seed {self.seed})", "registered_at": w.now()},
            entity_id=w.device_id,
        )
        campaign_id = w.create(
            "campaign",
            {
                "name": "Exampleton Fair Budget Campaign (demo)",
                "organisation": "Exampleton Residents' Association (demo)",
                "imprint_promoter": "A. Testwell",
                "imprint_on_behalf_of": "Exampleton Residents' Association (demo)",
                "imprint_address": "1 Sample Road, Exampleton ZZ1 1AA",
                "created_at": w.now(),
            },
        )
        self._codes(campaign_id)
        districts = self._districts(campaign_id, electors)
        streets = max(1, electors // 120)
        quotas = [
            electors // streets + (1 if i < electors % streets else 0) for i in range(streets)
        ]
        names = dd.street_names(rng, streets)
        numbers = dict.fromkeys(districts, 0)
        done = 0
        for index, (name, quota) in enumerate(zip(names, quotas, strict=True)):
            district_no, district_id = list(districts.items())[index % len(districts)]
            numbers[district_no] = self._street(
                district_no, district_id, name, index, quota, numbers[district_no]
            )
            done += quota
            yield Progress(done, electors, "Creating streets and households")
        signatures = self._petition(campaign_id)
        yield Progress(electors, electors, "Demo campaign ready")
        return DemoSummary(
            campaign_id, electors, self.households, self.visits, signatures, w.recorded
        )

    def _codes(self, campaign_id: str) -> None:
        self.w.create(
            "code_set",
            {"campaign_id": campaign_id, "name": "Default codes", "codes": default_code_set()},
        )
        for pos, (code, text, choices) in enumerate(
            (
                ("LIB", "Do you use the library?", ["weekly", "monthly", "rarely", "never"]),
                (
                    "TAX",
                    "Would you pay more council tax to keep services?",
                    ["yes", "no", "unsure"],
                ),
            )
        ):
            self.w.create(
                "survey_question",
                {
                    "campaign_id": campaign_id,
                    "code": code,
                    "text": text,
                    "choices": choices,
                    "position": pos,
                },
            )

    def _districts(self, campaign_id: str, electors: int) -> dict[int, str]:
        wards = max(1, min(len(dd.WARDS), electors // 1500 + 1))
        out: dict[int, str] = {}
        for ward_no in range(wards):
            ward_id = self.w.create(
                "ward",
                {
                    "campaign_id": campaign_id,
                    "name": f"{dd.WARDS[ward_no]} (demo)",
                    "code": f"W{ward_no + 1}",
                },
            )
            for part in ("A", "B"):
                code = f"{dd.WARDS[ward_no][0]}{part}" if ward_no < 3 else f"X{part}"
                pd_id = self.w.create(
                    "polling_district",
                    {"ward_id": ward_id, "code": code, "name": f"{code} district"},
                )
                out[len(out) + 1] = pd_id
        return out

    def _street(
        self, district_no: int, district_id: str, name: str, order: int, quota: int, number: int
    ) -> int:
        w, rng = self.w, self.rng
        street_id = w.create(
            "street",
            {
                "polling_district_id": district_id,
                "name": name,
                "town": dd.TOWN,
                "walk_order": order,
            },
        )
        postcodes = [dd.postcode(district_no, rng) for _ in range(rng.randint(1, 3))]
        homes: list[tuple[int | None, str, str, str, int]] = []  # number, suffix, name, flat, size
        left, house = quota, 0
        while left > 0:
            house += 1
            if rng.random() < 0.03:  # a block of flats at this number
                for flat_no in range(1, rng.randint(3, 8) + 1):
                    size = min(left, rng.choice((1, 1, 2)))
                    homes.append((house, "", "", f"Flat {flat_no}", size))
                    left -= size
                    if left <= 0:
                        break
                continue
            size = min(left, rng.choices((1, 2, 3, 4, 5), (30, 40, 18, 9, 3))[0])
            suffix = "A" if rng.random() < 0.02 else ""
            named = rng.random() < 0.01
            homes.append(
                (None if named else house, suffix, dd.house_name(rng) if named else "", "", size)
            )
            left -= size
        homes.sort(key=lambda h: walk_key(h[0], h[1], h[2], h[3]))
        for walk, (num, suffix, hname, flat, size) in enumerate(homes):
            pc = postcodes[min(len(postcodes) - 1, walk * len(postcodes) // len(homes))]
            key = f"{flat}|{num or ''}{suffix}|{hname}|{name}|{pc}".casefold()
            address_id = w.create(
                "address",
                {
                    "street_id": street_id,
                    "house_number": num,
                    "house_suffix": suffix,
                    "house_name": hname,
                    "flat": flat,
                    "postcode": pc,
                    "walk_order": walk,
                    "side": side_of(num),
                    "address_key": key,
                },
            )
            self.households += 1
            text = ", ".join(p for p in (flat, f"{num}{suffix}" if num else hname, name) if p)
            family = dd.surname(rng)
            members = []
            for _ in range(size):
                number += 1
                surname = family if rng.random() < 0.7 else dd.surname(rng)
                forenames = dd.forenames(rng)
                elector_id = w.create(
                    "elector",
                    {
                        "polling_district_id": district_id,
                        "address_id": address_id,
                        "elector_number": number,
                        "elector_suffix": 0,
                        "markers": rng.choices(("", "G", "M", "F"), (94, 3, 2, 1))[0],
                        "title": rng.choice(dd.TITLES),
                        "forenames": forenames,
                        "surname": surname,
                        "attainment_date": f"2027-{rng.randint(1, 12):02d}-01"
                        if rng.random() < 0.01
                        else None,
                        "register_edition": "2026-12 (demo)",
                    },
                )
                members.append((elector_id, f"{forenames} {surname}"))
            if rng.random() < 0.3:
                self._visit(address_id, members, f"{text}, {dd.TOWN}", pc)
        return number

    def _visit(
        self, address_id: str, members: list[tuple[str, str]], address: str, postcode: str
    ) -> None:
        w, rng = self.w, self.rng
        canvasser = rng.choice(_CANVASSERS)
        outcome = rng.choices([o for o, _ in _OUTCOMES], [p for _, p in _OUTCOMES])[0]
        for elector_id, name in members:
            spoke = outcome == "SPK"
            w.create(
                "visit",
                {
                    "elector_id": elector_id,
                    "address_id": address_id,
                    "canvasser": canvasser,
                    "device_id": w.device_id,
                    "visited_at": w.now(),
                    "outcome": outcome,
                    "intention": rng.choice(_INTENTIONS) if spoke else "",
                    "support": rng.randint(1, 5) if spoke else None,
                    "likelihood": rng.randint(1, 5) if spoke else None,
                    "flags": ",".join(sorted(rng.sample(_FLAGS, rng.choice((0, 0, 0, 1, 2)))))
                    if spoke
                    else "",
                    "issues": rng.choice(_ISSUES) if spoke and rng.random() < 0.4 else "",
                    "survey_answers": {"LIB": rng.choice(("weekly", "monthly", "rarely", "never"))}
                    if spoke
                    else {},
                    "notes": "Asked for a call back about the library"
                    if spoke and rng.random() < 0.05
                    else "",
                },
            )
            self.visits += 1
            if spoke:
                self.spoken.append((elector_id, name, address, postcode))

    def _petition(self, campaign_id: str) -> int:
        w, rng = self.w, self.rng
        petition_id = w.create(
            "petition",
            {
                "campaign_id": campaign_id,
                "title": "Keep Exampleton Library Open (demo)",
                "text": "We the undersigned call on Exampleton Council to keep the library open "
                "six days a week and to withdraw the proposed cuts to its budget.",
                "addressee": "Councillor D. Sampleford (demo)",
                "ward_name": dd.WARDS[0],
                "council_address": "Exampleton Town Hall, Sample Square, Exampleton ZZ1 9ZZ",
                "lead_petitioner": "A. Testwell",
                "opens_on": "2026-09-01",
                "closes_on": _demo_closing_day().isoformat(),
                "threshold": 500,
                "consent_wording": "Your details are used only for this petition and deleted "
                "three months after it is presented.",
            },
        )
        signed = 0
        for elector_id, name, address, postcode in self.spoken:
            if rng.random() < 0.6:
                self._sign(petition_id, elector_id, name, address, postcode, "doorstep")
                signed += 1
        for n in range(max(1, signed // 3)):
            name = f"{dd.forenames(rng)} {dd.surname(rng)}"
            address = f"{rng.randint(1, 120)} {dd.street_names(rng, 1)[0]}, {dd.TOWN}"
            method = "stall" if n % 2 else "paper"
            self._sign(
                petition_id,
                None,
                name,
                address,
                dd.postcode(rng.randint(1, 6), rng),
                method,
                sheet=n // 20 + 1 if method == "paper" else None,
                row=n % 20 + 1 if method == "paper" else None,
            )
            signed += 1
        return signed

    def _sign(
        self,
        petition_id: str,
        elector_id: str | None,
        name: str,
        address: str,
        postcode: str,
        method: str,
        sheet: int | None = None,
        row: int | None = None,
    ) -> None:
        email = ""
        if self.rng.random() < 0.3:
            email = name.split()[0].casefold().encode("ascii", "ignore").decode() + "@example.org"
        self.w.create(
            "signature",
            {
                "petition_id": petition_id,
                "elector_id": elector_id,
                "name": name,
                "address": address,
                "postcode": postcode,
                "email": email,
                "consent": True,
                "method": method,
                "sheet_number": sheet,
                "row_number": row,
                "collector": self.rng.choice(_CANVASSERS),
                "device_id": self.w.device_id,
                "signed_at": self.w.now(),
            },
        )


def _demo_closing_day(today: dt.date | None = None) -> dt.date:
    """The demo petition's closing day: the end of 2026, or two months ahead once that is past.

    A demo made later must still take signatures (people try the stall screen
    on it, and the tests sign it), so its petition is never already closed.
    """
    today = today or dt.date.today()
    return max(dt.date(2026, 12, 31), today + dt.timedelta(days=61))
