"""Delivery rounds: a district's streets split into rounds of about N letterboxes.

A letterbox is a household where at least one person may get leaflets (on the
register, not do-not-contact or do-not-leaflet). Rounds follow the walking
order and keep each street whole; only a street longer than one and a half
rounds is split, odd side and even side apart, into house-number ranges. A
saved round is a ``delivery_round`` record, and marking it delivered is an
operation, so both travel to every laptop.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from canvass.domain.errors import ValidationError
from canvass.domain.values import clean_string
from canvass.pdf.round_sheets import RoundSheet, SheetSegment, build_round_sheets
from canvass.pdf.templates import build_document
from canvass.services.campaigns import require_campaign
from canvass.services.mail_merge import Household, households
from canvass.services.oplog import OpWriter
from canvass.services.printing import PrintReport, campaign_footer, write_atomically
from canvass.storage.database import Database
from canvass.storage.tables import DeliveryRound, Leaflet, PollingDistrict

#: Letterboxes per round a volunteer can be asked to take.
MIN_SIZE, MAX_SIZE = 5, 5000
#: A street is split only when it alone is longer than this many rounds.
SPLIT_AT = 1.5


@dataclass(frozen=True, slots=True)
class RoundStreet:
    """A street of a round, or a house-number range of a long street."""

    street_id: str
    street: str
    town: str
    side: str  # "" (both sides), "odd" or "even"
    low: int | None  # lowest and highest house number covered, None with none
    high: int | None
    named: int  # letterboxes without a house number (named houses)
    letterboxes: int
    skip: tuple[str, ...] = ()  # doors not to deliver to: everyone there asked for none
    whole: bool = True  # the whole street, not a range of it

    @property
    def houses(self) -> str:
        """The houses covered, in words: "1–57, odd numbers and 2 named houses"."""
        if self.low is None or self.high is None:
            numbers = ""
        elif self.low == self.high:
            numbers = str(self.low)
        else:
            numbers = f"{self.low}–{self.high}"
        if numbers and self.side:
            numbers += f", {self.side} numbers"
        named = f"{self.named} named house{'s' if self.named != 1 else ''}" if self.named else ""
        text = " and ".join(p for p in (numbers, named) if p)
        if self.whole:
            return f"whole street ({text})" if text else "whole street"
        return text

    def to_value(self) -> dict[str, Any]:
        """As stored in a saved round's plan."""
        return {
            "street_id": self.street_id,
            "street": self.street,
            "town": self.town,
            "side": self.side,
            "low": self.low,
            "high": self.high,
            "named": self.named,
            "letterboxes": self.letterboxes,
            "skip": list(self.skip),
            "whole": self.whole,
        }

    @classmethod
    def from_value(cls, data: dict[str, Any]) -> RoundStreet:
        """From a saved round's plan."""
        return cls(
            str(data.get("street_id", "")),
            str(data.get("street", "")),
            str(data.get("town", "")),
            str(data.get("side", "")),
            data.get("low"),
            data.get("high"),
            int(data.get("named", 0)),
            int(data.get("letterboxes", 0)),
            tuple(str(s) for s in data.get("skip", ())),
            bool(data.get("whole", True)),
        )


@dataclass(frozen=True, slots=True)
class Round:
    """One delivery round: streets in walking order. ``id`` is set once it is saved."""

    name: str
    district: str
    streets: tuple[RoundStreet, ...]
    size: int = 0
    id: str = ""
    leaflet: str = ""
    delivered_on: dt.date | None = None
    delivered_by: str = ""

    @property
    def letterboxes(self) -> int:
        """Letterboxes to deliver to."""
        return sum(s.letterboxes for s in self.streets)

    def plan(self) -> dict[str, Any]:
        """What a saved round stores."""
        return {
            "district": self.district,
            "size": self.size,
            "streets": [s.to_value() for s in self.streets],
        }


# --- planning ---------------------------------------------------------------------


def _segment(homes: Sequence[Household], *, side: str, whole: bool) -> RoundStreet | None:
    boxes = sum(1 for h in homes if h.deliver)
    if not boxes:
        return None
    numbers = [h.house_number for h in homes if h.house_number is not None]
    first = homes[0].door
    return RoundStreet(
        street_id=homes[0].street_id,
        street=first.street,
        town=homes[0].town,
        side=side,
        low=min(numbers) if numbers else None,
        high=max(numbers) if numbers else None,
        named=sum(1 for h in homes if h.deliver and h.house_number is None),
        letterboxes=boxes,
        skip=tuple(h.door.label for h in homes if not h.deliver),
        whole=whole,
    )


def _split_side(homes: Sequence[Household], size: int) -> list[list[Household]]:
    """One side of a long street in about equal ranges, never parting one house number."""
    groups: list[list[Household]] = []
    for home in homes:  # flats share their building's number: one group
        if groups and groups[-1][0].house_number == home.house_number:
            groups[-1].append(home)
        else:
            groups.append([home])
    boxes = sum(1 for h in homes if h.deliver)
    parts = max(1, round(boxes / size))
    target = boxes / parts
    chunks: list[list[Household]] = [[]]
    done = 0
    for group in groups:
        if done >= target * len(chunks) and len(chunks) < parts and chunks[-1]:
            chunks.append([])
        chunks[-1].extend(group)
        done += sum(1 for h in group if h.deliver)
    return chunks


def _street_segments(homes: Sequence[Household], size: int) -> list[RoundStreet]:
    boxes = sum(1 for h in homes if h.deliver)
    if boxes <= size * SPLIT_AT:
        whole = _segment(homes, side="", whole=True)
        return [whole] if whole else []
    out: list[RoundStreet] = []
    for side, parity in (("odd", 1), ("even", 0)):
        on_side = [h for h in homes if h.house_number is not None and h.house_number % 2 == parity]
        on_side.sort(key=lambda h: h.house_number or 0)  # stable: walking order within a number
        for chunk in _split_side(on_side, size) if on_side else []:
            part = _segment(chunk, side=side, whole=False)
            if part:
                out.append(part)
    named = [h for h in homes if h.house_number is None]
    if named:
        extra = _segment(named, side="", whole=False)
        if extra and out:
            last = out[-1]
            out[-1] = replace(
                last,
                named=last.named + extra.named,
                letterboxes=last.letterboxes + extra.letterboxes,
                skip=last.skip + extra.skip,
            )
        elif extra:
            out.append(extra)
    return out


def _pack(segments: Sequence[RoundStreet], size: int) -> list[list[RoundStreet]]:
    """Consecutive segments into rounds as close to ``size`` letterboxes as they allow.

    The split with the least squared difference from ``size`` over all rounds
    (dynamic programming over the walking order), so no round is left a scrap.
    """
    n = len(segments)
    best: list[float] = [0.0] + [float("inf")] * n
    cut: list[int] = [0] * (n + 1)
    for end in range(1, n + 1):
        total = 0
        for start in range(end - 1, -1, -1):
            total += segments[start].letterboxes
            if start < end - 1 and total > 3 * size:
                break  # longer rounds never beat shorter ones here
            cost = best[start] + (total - size) ** 2
            if cost < best[end]:
                best[end], cut[end] = cost, start
    rounds: list[list[RoundStreet]] = []
    end = n
    while end > 0:
        rounds.append(list(segments[cut[end] : end]))
        end = cut[end]
    return rounds[::-1]


def check_size(size: int) -> int:
    """A round size a person can deliver.

    Raises:
        ValidationError: Outside MIN_SIZE..MAX_SIZE.
    """
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise ValidationError(
            f"A round is {MIN_SIZE} to {MAX_SIZE:,} letterboxes; {size:,} is not."
        )
    return size


def plan_rounds(db: Database, district: str, size: int) -> list[Round]:
    """Split a polling district's streets, in walking order, into rounds of about ``size``.

    Raises:
        ValidationError: For an unknown district or a size out of range.
    """
    check_size(size)
    code = district.strip().upper()
    homes = households(db, district=code)
    streets: dict[str, list[Household]] = {}
    for home in homes:  # walking order: streets in order, then doors
        streets.setdefault(home.street_id, []).append(home)
    segments = [seg for on_street in streets.values() for seg in _street_segments(on_street, size)]
    return [
        Round(f"{code} round {i}", code, tuple(part), size)
        for i, part in enumerate(_pack(segments, size), start=1)
    ]


# --- saved rounds -------------------------------------------------------------------


def _find_leaflet(session: Session, text: str) -> Leaflet:
    text = text.strip()
    leaflets = list(session.scalars(select(Leaflet)))
    found = [x for x in leaflets if text in (x.id, x.title)]
    if not found and len(text) >= 8:
        found = [x for x in leaflets if x.id.startswith(text.lower())]
    if len(found) == 1:
        return found[0]
    if not found:
        titles = "; ".join(sorted(x.title for x in leaflets)) or "none yet"
        raise ValidationError(f"There is no leaflet '{text}'. Leaflets here: {titles}.")
    raise ValidationError(f"More than one leaflet matches '{text}'; give its id.")


def for_leaflet(db: Database, leaflet: str, rounds: Sequence[Round]) -> list[Round]:
    """The rounds labelled with a leaflet (by id or title), without saving them.

    Raises:
        ValidationError: For an unknown leaflet.
    """
    with db.read() as session:
        title = _find_leaflet(session, leaflet).title
    return [replace(r, leaflet=title) for r in rounds]


def save_rounds(db: Database, leaflet: str | None, rounds: Sequence[Round]) -> list[Round]:
    """Record planned rounds (for a leaflet, by id or title, or for none yet).

    A name already used gets a number: "NA round 1 (2)". Returns the rounds with their ids.

    Raises:
        ValidationError: For no rounds, an unknown leaflet or district.
    """
    if not rounds:
        raise ValidationError("There are no rounds to save: the district has no letterboxes.")
    with db.write() as session:
        leaflet_row = _find_leaflet(session, leaflet) if leaflet else None
        codes = {r.district for r in rounds}
        districts = dict(
            session.execute(
                select(PollingDistrict.code, PollingDistrict.id).where(
                    PollingDistrict.code.in_(codes)
                )
            ).all()
        )
        missing = sorted(codes - districts.keys())
        if missing:
            raise ValidationError(f"There is no polling district {', '.join(missing)}.")
        taken = set(session.scalars(select(DeliveryRound.name)))
        writer = OpWriter.local(session)
        saved: list[Round] = []
        for r in rounds:
            name = clean_string(r.name.strip(), field="The round's name")[:190] or "Round"
            base, n = name, 1
            while name in taken:
                n += 1
                name = f"{base} ({n})"
            taken.add(name)
            round_id = writer.create(
                "delivery_round",
                {
                    "leaflet_id": leaflet_row.id if leaflet_row else None,
                    "name": name,
                    "polling_district_id": districts[r.district],
                    "plan": r.plan(),
                    "letterboxes": r.letterboxes,
                    "created_at": writer.now(),
                },
            )
            saved.append(
                replace(r, id=round_id, name=name, leaflet=leaflet_row.title if leaflet_row else "")
            )
        writer.flush()
    return saved


def _round_of(row: DeliveryRound, code: str | None, leaflet: str | None) -> Round:
    plan: dict[str, Any] = json.loads(row.plan or "{}")
    return Round(
        name=row.name,
        district=code or str(plan.get("district", "")),
        streets=tuple(RoundStreet.from_value(s) for s in plan.get("streets", ())),
        size=int(plan.get("size", 0)),
        id=row.id,
        leaflet=leaflet or "",
        delivered_on=row.delivered_on,
        delivered_by=row.delivered_by,
    )


def list_rounds(db: Database) -> list[Round]:
    """Every saved round, oldest first, with whether and when it was delivered."""
    with db.read() as session:
        return [
            _round_of(row, code, title)
            for row, code, title in session.execute(
                select(DeliveryRound, PollingDistrict.code, Leaflet.title)
                .outerjoin(PollingDistrict, PollingDistrict.id == DeliveryRound.polling_district_id)
                .outerjoin(Leaflet, Leaflet.id == DeliveryRound.leaflet_id)
                .order_by(DeliveryRound.created_at, DeliveryRound.name, DeliveryRound.id)
            )
        ]


def _find_round(session: Session, text: str) -> DeliveryRound:
    text = text.strip()
    rows = list(session.scalars(select(DeliveryRound)))
    found = [r for r in rows if r.id == text]
    if not found and len(text) >= 8:
        found = [r for r in rows if r.id.startswith(text.lower())]
    if not found:
        found = [r for r in rows if r.name == text]
    if len(found) == 1:
        return found[0]
    if not found:
        raise ValidationError(
            f"There is no delivery round '{text}'; canvass rounds list shows their ids."
        )
    raise ValidationError(f"More than one round matches '{text}'; give more of its id.")


def mark_delivered(
    db: Database, round_id: str, on: dt.date | None = None, *, by: str = ""
) -> Round:
    """Record that a round was delivered (today unless ``on`` says), and by whom.

    Raises:
        ValidationError: For an unknown round or a date in the future.
    """
    day = on or dt.date.today()
    if day > dt.date.today():
        raise ValidationError(f"{day.isoformat()} is in the future; give the day it was delivered.")
    who = " ".join(clean_string(by or "", field="Who delivered it").split())
    if len(who) > 200:
        raise ValidationError("The deliverer's name is longer than 200 characters.")
    with db.write() as session:
        row = _find_round(session, round_id)
        writer = OpWriter.local(session)
        if row.delivered_on != day:
            writer.set("delivery_round", row.id, "delivered_on", day.isoformat())
        if who and row.delivered_by != who:
            writer.set("delivery_round", row.id, "delivered_by", who)
        writer.flush()
        round_id = row.id
    return next(r for r in list_rounds(db) if r.id == round_id)


# --- printing -----------------------------------------------------------------------


def _sheet(r: Round) -> RoundSheet:
    return RoundSheet(
        name=r.name,
        district=r.district,
        leaflet=r.leaflet,
        segments=tuple(
            SheetSegment(s.street, s.town, s.houses, s.letterboxes, s.skip) for s in r.streets
        ),
        delivered_on=r.delivered_on.isoformat() if r.delivered_on else "",
        delivered_by=r.delivered_by,
    )


def print_rounds(db: Database, out: Path, rounds: Sequence[Round]) -> PrintReport:
    """Write a round sheet per round (after an overview of them all) to ``out`` (a PDF).

    Raises:
        ValidationError: For no rounds, no campaign, or a folder that cannot be written.
    """
    if not rounds:
        raise ValidationError("There are no rounds to print: the district has no letterboxes.")
    with db.read() as session:
        campaign = require_campaign(session)
        name, footer = campaign.name, campaign_footer(campaign)
    districts = sorted({r.district for r in rounds})
    title = f"Delivery rounds — {', '.join(districts)}"
    sheets = [_sheet(r) for r in rounds]
    today = dt.date.today()
    printed_on = f"{today.day} {today.strftime('%B')} {today.year}"
    pages: list[int] = []

    def build(path: Path) -> None:
        story = build_round_sheets(sheets, title=title, printed_on=printed_on)
        pages.append(build_document(path, story, title=title, campaign=name, footer=footer))

    write_atomically(out, build)
    return PrintReport(
        str(out),
        pages[0] if pages else 0,
        sum(len(r.streets) for r in rounds),
        sum(r.letterboxes for r in rounds),
        0,
        {"asked for no leaflets": sum(len(s.skip) for r in rounds for s in r.streets)},
    )
