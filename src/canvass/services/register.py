"""Importing the electoral register, and later editions of it as a diff.

The file is read first (no database). Then, inside one transaction, the
import is planned against what the database holds (districts, streets,
households, electors) and, unless it is a dry run, written through the
operation log. Electors missing from a later edition are marked as off the
register, never deleted: their visits, signatures and suppressions stay.

Electors are matched across editions on name and household, then on elector
number with the same surname: numbers are re-sequenced every year, so a
number alone never identifies a person. Someone who both moved and was
renumbered is a new record; their suppressions follow them by match key
(name and postcode, :class:`canvass.services.suppressions.CarryOver`), or,
when they moved to another postcode, to the one newcomer of their name when
nobody else of that name left or joined in the same import. Where several
could be them, nothing is carried and the report lists them to check by hand.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from canvass.domain.address_lines import ParsedAddress
from canvass.domain.addresses import side_of, walk_key
from canvass.domain.electors import ElectorNumber
from canvass.domain.errors import ValidationError
from canvass.domain.progress import Progress, Task
from canvass.domain.values import Value
from canvass.registers.reader import RegisterEntry, RegisterFile, read_register
from canvass.services.campaigns import current_campaign
from canvass.services.oplog import OpWriter
from canvass.services.register_report import ImportReport as ImportReport  # re-exported
from canvass.services.suppressions import (
    CarryOver,
    EditionPerson,
    Mover,
    Moves,
    carried_values,
)
from canvass.storage.database import Database
from canvass.storage.tables import Address, Elector, PollingDistrict, Street, Ward

UNASSIGNED_WARD = "Ward not yet known"
_COMPARED = (
    "elector_number",
    "elector_suffix",
    "markers",
    "title",
    "attainment_date",
    "address_id",
    "polling_district_id",
    "removed",
)
DETAIL_LIMIT = 500
#: Most suppressed people to check by hand that an import's audit entry names.
CHECK_LIMIT = 100


@dataclass(slots=True)
class _Existing:
    id: str
    district_id: str
    surname: str
    forenames: str
    values: dict[str, Any]


class _Planner:
    """Works out the creates and sets an import needs, then writes them."""

    def __init__(self, session: Session, campaign_id: str, edition: str) -> None:
        self.s = session
        self.campaign_id = campaign_id
        self.edition = edition
        self.districts: dict[str, str] = {}
        self.streets: dict[tuple[str, str, str], str] = {}
        self.street_order: dict[str, int] = defaultdict(int)
        self.addresses: dict[tuple[str, str], str] = {}
        self.address_parts: dict[str, tuple[str, ParsedAddress | None, int]] = {}
        self.by_identity: dict[tuple[str, str, str], list[_Existing]] = defaultdict(list)
        self.by_number: dict[tuple[str, int, int], list[_Existing]] = defaultdict(list)
        self.district_code: dict[str, str] = {}
        self.all_existing: list[_Existing] = []
        self._load()

    def _load(self) -> None:
        s = self.s
        rows = s.execute(
            select(PollingDistrict.id, PollingDistrict.code)
            .join(Ward, Ward.id == PollingDistrict.ward_id)
            .where(Ward.campaign_id == self.campaign_id)
        )
        for district_id, code in rows:
            self.districts[code.upper()] = district_id
            self.district_code[district_id] = code.upper()
        for sid, did, name, _town, order in s.execute(
            select(
                Street.id, Street.polling_district_id, Street.name, Street.town, Street.walk_order
            )
        ):
            if did in self.district_code:
                self.streets[(did, name.casefold(), "")] = sid
                self.street_order[did] = max(self.street_order[did], order + 1)
        for aid, sid, key, order in s.execute(
            select(Address.id, Address.street_id, Address.address_key, Address.walk_order)
        ):
            self.addresses[(sid, key)] = aid
            self.address_parts[aid] = (sid, None, order)
        cols = [
            Elector.id,
            Elector.polling_district_id,
            Elector.address_id,
            Elector.forenames,
            Elector.surname,
            *(getattr(Elector, c) for c in _COMPARED),
        ]
        keys = {aid: key for (_, key), aid in self.addresses.items()}
        for row in s.execute(select(*cols)):
            if row.polling_district_id not in self.district_code:
                continue
            values = {c: getattr(row, c) for c in _COMPARED}
            if values["attainment_date"] is not None:
                values["attainment_date"] = values["attainment_date"].isoformat()
            known = _Existing(
                row.id,
                row.polling_district_id,
                row.surname.casefold(),
                row.forenames.casefold(),
                values,
            )
            self.all_existing.append(known)
            key = keys.get(row.address_id or "", "")
            self.by_identity[(row.surname.casefold(), row.forenames.casefold(), key)].append(known)
            self.by_number[
                (
                    self.district_code[row.polling_district_id],
                    values["elector_number"],
                    values["elector_suffix"],
                )
            ].append(known)


def import_register(
    db: Database,
    path: Path,
    *,
    mapping: Path | None = None,
    edition: str | None = None,
    dry_run: bool = False,
    confirm_removals: bool = False,
) -> Task[ImportReport]:
    """Import a register file (first edition or a later one); returns the report.

    Raises:
        ValidationError: If there is no campaign yet, or the file is unusable.
    """
    read: RegisterFile = yield from read_register(path, mapping)
    label = (edition or path.stem).strip()[:64]
    report = ImportReport(
        str(path),
        label,
        read.layout,
        read.encoding,
        {"\t": "tab"}.get(read.delimiter, read.delimiter),
        dry_run,
        rows=read.rows,
        rejected=[{"line": r.line, "reason": r.reason} for r in read.rejected],
    )
    opener = db.read if dry_run else db.write
    with opener() as session:
        campaign = current_campaign(session)
        if campaign is None:
            raise ValidationError(
                "This database has no campaign yet; start one first "
                "(canvass init --campaign NAME) and then import its register."
            )
        yield Progress(0, len(read.entries), "Matching electors with the database")
        planner = _Planner(session, campaign.id, label)
        suppressions = CarryOver(session, campaign.id)  # before anything changes
        report.first_import = not planner.all_existing
        writer = None if dry_run else OpWriter.local(session)
        people: list[EditionPerson] = []
        moves = Moves()
        wanted = (people, moves) if suppressions.total else None  # most imports have none
        yield from _apply(planner, writer, read.entries, report, confirm_removals, wanted)

        def suppress(elector_id: str, scope: str, key: str, reason: str) -> None:
            if writer is not None:
                writer.create(
                    "suppression", carried_values(elector_id, scope, key, writer.now(), reason)
                )

        carried = suppressions.carry(people, suppress, moves)
        report.suppressions_carried = carried.carried
        report.suppressions_unmatched = carried.unmatched
        report.suppressions_moved = carried.moved
        report.suppressions_to_check = carried.to_check
        report.suppressions_check = [case.to_json() for case in carried.maybe_moved]
        if writer is not None:
            writer.flush()
            report.operations = writer.recorded
            writer.audit("register-import", _audit_detail(path, report))
    return report


def _audit_detail(path: Path, report: ImportReport) -> dict[str, Value]:
    """What the audit trail keeps of an import: the file's name and the counts, no names."""
    counts = ("rows", "electors", "added", "changed", "removed", "unchanged", "operations")
    return {
        "file": path.name,
        "edition": report.edition,
        **{name: getattr(report, name) for name in counts},
        "rejected": len(report.rejected),
        "suppressions_carried": report.suppressions_carried,
        "suppressions_unmatched": report.suppressions_unmatched,
        "suppressions_moved": report.suppressions_moved,
        "suppressions_to_check": report.suppressions_to_check,
        # Elector numbers only, for the coordinator to check after the report is closed.
        "suppressions_check": [dict(case) for case in report.suppressions_check[:CHECK_LIMIT]],
    }


def _apply(
    planner: _Planner,
    w: OpWriter | None,
    entries: list[RegisterEntry],
    report: ImportReport,
    confirm_removals: bool = False,
    wanted: tuple[list[EditionPerson], Moves] | None = None,
) -> Task[None]:
    """Plan every entry and (with a writer) record it; fills in the report.

    ``wanted`` receives each elector of the edition (id, name and postcode),
    and who joined and left, for carrying suppressions over.
    """
    people, moves = wanted if wanted is not None else (None, None)
    counter = iter(range(1, 1 << 62))

    def new_id() -> str:
        return w.new_id() if w is not None else f"planned-{next(counter)}"

    def create(entity: str, values: dict[str, Any]) -> str:
        entity_id = new_id()
        if w is not None:
            w.create(entity, values, entity_id=entity_id)
        return entity_id

    def set_field(entity: str, entity_id: str, name: str, value: Any) -> None:
        if w is not None:
            w.set(entity, entity_id, name, value)

    ward_id: str | None = None
    seen_districts: set[str] = set()
    households: set[str] = set()
    streets_seen: set[str] = set()
    touched_streets: dict[str, list[str]] = defaultdict(list)
    matched: set[str] = set()
    plans: list[tuple[RegisterEntry, str, str | None]] = []

    for n, entry in enumerate(entries, start=1):
        code = entry.number.district
        district_id = planner.districts.get(code)
        if district_id is None:
            if ward_id is None:
                ward_id = _unassigned_ward(planner, create)
            district_id = create(
                "polling_district", {"ward_id": ward_id, "code": code, "name": f"District {code}"}
            )
            planner.districts[code] = district_id
            planner.district_code[district_id] = code
            report.new_polling_districts += 1
        seen_districts.add(district_id)
        address_id = None
        if entry.address is None:
            report.without_address += 1
        else:
            a = entry.address
            # One street per name in a district, however the town lines are written
            # ("Sampleton", "Sampleton ZZ1 1AB", none): the first spelling names it.
            street_key = (district_id, (a.street or a.house_name).casefold(), "")
            street_id = planner.streets.get(street_key)
            if street_id is None:
                street_id = create(
                    "street",
                    {
                        "polling_district_id": district_id,
                        "name": a.street or a.house_name,
                        "town": a.town,
                        "walk_order": planner.street_order[district_id],
                    },
                )
                planner.street_order[district_id] += 1
                planner.streets[street_key] = street_id
                report.new_streets += 1
            streets_seen.add(street_id)
            address_id = planner.addresses.get((street_id, a.key))
            if address_id is None:
                address_id = new_id()
                planner.addresses[(street_id, a.key)] = address_id
                planner.address_parts[address_id] = (street_id, a, -1)
                touched_streets[street_id].append(address_id)
                report.new_households += 1
            households.add(address_id)
        plans.append((entry, district_id, address_id))
        if n % 10_000 == 0:
            yield Progress(n, len(entries), "Grouping households and streets")

    # Households in walking order, before any elector refers to them.
    for street_id, new_ids in touched_streets.items():
        _order_street(planner, street_id, new_ids, w, create)

    matches = _match_all(planner, plans)
    matched = {known.id for known in matches if known is not None}
    for n, (entry, district_id, address_id) in enumerate(plans, start=1):
        values = {
            "polling_district_id": district_id,
            "address_id": address_id,
            "elector_number": entry.number.number,
            "elector_suffix": entry.number.suffix,
            "markers": entry.markers,
            "title": entry.title,
            "attainment_date": entry.attainment_date,
            "removed": False,
        }
        known = matches[n - 1]
        if known is None:
            elector_id = create(
                "elector",
                {
                    **values,
                    "forenames": entry.forenames,
                    "surname": entry.surname,
                    "register_edition": planner.edition,
                },
            )
            report.added += 1
            _detail(report, "added", entry)
            if moves is not None:
                moves.joined.append(
                    Mover(elector_id, str(entry.number), entry.forenames, entry.surname)
                )
        else:
            elector_id = known.id
            differ = [c for c in _COMPARED if known.values[c] != values[c]]
            if differ:
                for name in differ:
                    set_field("elector", known.id, name, values[name])
                set_field("elector", known.id, "register_edition", planner.edition)
                report.changed += 1
                _detail(report, "changed", entry, ", ".join(differ))
            else:
                report.unchanged += 1
        if people is not None:
            postcode = entry.address.postcode if entry.address is not None else ""
            people.append((elector_id, entry.forenames, entry.surname, postcode))
        if n % 10_000 == 0:
            yield Progress(n, len(plans), "Recording electors")

    leaving = [
        known
        for known in planner.all_existing
        if known.id not in matched
        and known.district_id in seen_districts
        and not known.values["removed"]
    ]
    in_districts = sum(
        1
        for k in planner.all_existing
        if k.district_id in seen_districts and not k.values["removed"]
    )
    report.held_removals = _hold_reason(report, len(leaving), in_districts, confirm_removals)
    report.missing = len(leaving)
    for known in leaving:
        if not report.held_removals:
            report.removed += 1
            set_field("elector", known.id, "removed", True)
            number = str(
                ElectorNumber(
                    planner.district_code[known.district_id],
                    known.values["elector_number"],
                    known.values["elector_suffix"] or 0,
                )
            )
            if moves is not None:
                moves.left.append(Mover(known.id, number, known.forenames, known.surname))
            if len(report.details) < DETAIL_LIMIT:
                report.details.append(
                    {
                        "change": "removed",
                        "elector": number,
                        "name": "",
                        "what": "no longer on the register",
                    }
                )
    report.electors = len(plans)
    report.households = len(households)
    report.streets = len(streets_seen)
    report.polling_districts = len(seen_districts)


def _unassigned_ward(planner: _Planner, create: Any) -> str:
    existing = planner.s.scalars(
        select(Ward.id).where(Ward.campaign_id == planner.campaign_id, Ward.name == UNASSIGNED_WARD)
    ).first()
    if existing is not None:
        return existing
    return str(create("ward", {"campaign_id": planner.campaign_id, "name": UNASSIGNED_WARD}))


def _order_street(
    planner: _Planner, street_id: str, new_ids: list[str], w: OpWriter | None, create: Any
) -> None:
    """Create a street's new households, and re-number the walk with the old ones."""
    if w is None:  # a dry run only counts
        return
    old = planner.s.execute(
        select(
            Address.id,
            Address.house_number,
            Address.house_suffix,
            Address.house_name,
            Address.flat,
            Address.walk_order,
        ).where(Address.street_id == street_id)
    ).all()
    doors: list[tuple[tuple[object, ...], str, int]] = [
        (walk_key(r.house_number, r.house_suffix, r.house_name, r.flat), r.id, r.walk_order)
        for r in old
    ]
    for address_id in new_ids:
        a = planner.address_parts[address_id][1]
        assert a is not None
        doors.append(
            (walk_key(a.house_number, a.house_suffix, a.house_name, a.flat), address_id, -1)
        )
    doors.sort(key=lambda d: d[0])
    fresh = set(new_ids)
    for order, (_, address_id, previous) in enumerate(doors):
        if address_id in fresh:
            a = planner.address_parts[address_id][1]
            assert a is not None
            w.create(
                "address",
                {
                    "street_id": street_id,
                    "house_number": a.house_number,
                    "house_suffix": a.house_suffix,
                    "house_name": a.house_name,
                    "flat": a.flat,
                    "postcode": a.postcode,
                    "walk_order": order,
                    "side": side_of(a.house_number),
                    "address_key": a.key,
                },
                entity_id=address_id,
            )
        elif previous != order:
            w.set("address", address_id, "walk_order", order)


def _match_all(
    planner: _Planner, plans: list[tuple[RegisterEntry, str, str | None]]
) -> list[_Existing | None]:
    """Which existing elector each row of the new edition is, if any.

    Two passes, so that one row's fallback cannot take the record another row
    matches exactly: first the same name at the same household (preferring the
    same elector number, for two people of one name at one door), then, for
    rows still unmatched, the same number with the same surname and forenames
    (a person whose address was re-spelt). Anyone else is new; a person who
    moved and was renumbered shows as one added and one off the register.
    """
    taken: set[str] = set()
    found: list[_Existing | None] = [None] * len(plans)
    for i, (entry, _, _) in enumerate(plans):
        key = entry.address.key if entry.address is not None else ""
        candidates = [
            k
            for k in planner.by_identity.get(
                (entry.surname.casefold(), entry.forenames.casefold(), key), ()
            )
            if k.id not in taken
        ]
        if candidates:
            same_number = [
                k
                for k in candidates
                if (k.values["elector_number"], k.values["elector_suffix"])
                == (entry.number.number, entry.number.suffix)
            ]
            found[i] = (same_number or candidates)[0]
            taken.add(found[i].id)  # type: ignore[union-attr]
    for i, (entry, _, _) in enumerate(plans):
        if found[i] is not None:
            continue
        number = (entry.number.district, entry.number.number, entry.number.suffix)
        for known in planner.by_number.get(number, ()):
            if (
                known.id not in taken
                and known.surname == entry.surname.casefold()
                and known.forenames == entry.forenames.casefold()
            ):
                found[i] = known
                taken.add(known.id)
                break
    return found


#: A later edition that would take this share of its districts' electors off the
#: register is probably a partial file (a monthly list of changes only).
MASS_REMOVAL = 0.25


def _hold_reason(report: ImportReport, leaving: int, in_districts: int, confirmed: bool) -> str:
    """Why electors missing from the file are not marked off the register ("" to go ahead)."""
    if not leaving or confirmed:
        return ""
    if report.rejected:
        return (
            f"{len(report.rejected):,} rows could not be read, so the {leaving:,} electors "
            "missing from this file may just be on those rows; nobody was taken off the "
            "register. Fix the file and import it again."
        )
    if in_districts and leaving / in_districts > MASS_REMOVAL:
        return (
            f"This file would take {leaving:,} of {in_districts:,} electors off the register; "
            "it may hold only the month's changes. Nobody was taken off; if it really is the "
            "whole register, import it again confirming the removals."
        )
    return ""


def _detail(report: ImportReport, change: str, entry: RegisterEntry, what: str = "") -> None:
    # A first import adds everyone: listing them would only bury the real changes.
    if len(report.details) < DETAIL_LIMIT and not report.first_import:
        report.details.append(
            {
                "change": change,
                "elector": str(entry.number),
                "name": f"{entry.forenames} {entry.surname}".strip(),
                "what": what,
            }
        )
