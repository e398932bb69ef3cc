"""Subject access, part two: the person's records as the JSON document's plain data.

Every list is shaped from the rows found by
:class:`~canvass.services.subject_access_find.Held`; names of canvassers,
collectors and typists (a third party's personal data) become their role,
and any id in an audit entry that is not one of the person's records is
blanked. The keys are documented in :mod:`canvass.services.subject_access`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import or_, select

from canvass.domain.address_lines import ParsedAddress
from canvass.services import canvassing
from canvass.services.campaigns import current_campaign
from canvass.services.petition_counts import tally_in
from canvass.services.subject_access_find import ID_PATTERN, Held, chunks
from canvass.services.subject_access_text import about_text
from canvass.storage.tables import (
    Address,
    AuditEvent,
    Device,
    OperationRow,
    Petition,
    PollingDistrict,
    Street,
    Suppression,
    Visit,
    Ward,
)
from canvass.sync.hlc import Stamp

FORMAT = "canvass-subject-access"
FORMAT_VERSION = 1
SECTIONS = (
    "register_entries",
    "linked_records",
    "visits",
    "signatures",
    "suppressions",
    "supporters",
    "operations",
    "audit_entries",
)
#: The keys of each record in the JSON file, by list (documented, stable).
RECORD_KEYS: dict[str, tuple[str, ...]] = {
    "register_entries": (
        "id", "elector_number", "title", "forenames", "surname", "markers", "attainment_date",
        "register_edition", "removed_from_register", "address", "polling_district", "ward",
        "included_because", "other_fields",
    ),
    "linked_records": ("id", "elector_ids", "meaning"),
    "visits": (
        "id", "elector_id", "visited_at", "method", "outcome", "outcome_label", "intention",
        "intention_label", "support", "likelihood", "flags", "issues", "survey_answers", "notes",
        "voided", "recorded_by", "device_id", "other_fields",
    ),
    "signatures": (
        "id", "elector_id", "petition", "signed_at", "method", "sheet_number", "row_number",
        "name", "address", "postcode", "email", "phone", "consent", "consent_version",
        "contact_ok", "text_version", "withdrawn", "count_decision", "decision_reason",
        "counted", "count_reasons", "drawn_signature", "collected_by", "device_id",
        "included_because", "other_fields",
    ),
    "suppressions": (
        "id", "elector_id", "scope", "reason", "created_at", "match_key", "other_fields",
    ),
    "supporters": (
        "id", "name", "address", "postcode", "email", "phone", "ticks", "consent", "source",
        "leaflet_id", "entered_at", "entered_by", "device_id", "included_because",
        "other_fields",
    ),
    "operations": (
        "op_id", "at", "entity", "entity_id", "kind", "field", "value", "device_id", "device",
    ),
    "audit_entries": ("id", "at", "action", "detail", "by", "device_id"),
}  # fmt: skip
#: Fields naming whoever did the work (a third party), and the role shown instead.
ROLES = {
    "canvasser": "a canvasser",
    "collector": "a petition collector",
    "entered_by": "a campaign volunteer",
}
OTHER_RECORD = "(another record)"

Json = dict[str, Any]


def _iso_ms(ms: int) -> str:
    moment = dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


class HeldDocument(Held):
    """The records found, shaped as the export's plain data."""

    def document(self, day: dt.date, json_name: str) -> Json:
        """The whole export: what the JSON file holds and the PDF is laid out from."""
        visits = self._visits()
        suppressions = self._suppressions()
        records: dict[str, Sequence[str]] = {
            "elector": sorted(self.electors),
            "visit": [v["id"] for v in visits],
            "signature": sorted(self.signatures),
            "suppression": [x["id"] for x in suppressions],
            "supporter": sorted(self.supporters),
            "person_link": sorted(self.links),
        }
        ours = {i for ids in records.values() for i in ids}
        lists: dict[str, list[Json]] = {
            "register_entries": self._register_entries(),
            "linked_records": [
                {
                    "id": link.id,
                    "elector_ids": [link.elector_a_id, link.elector_b_id],
                    "meaning": "these two register entries are the same person",
                }
                for link in sorted(self.links.values(), key=lambda x: x.id)
            ],
            "visits": visits,
            "signatures": self._signatures(),
            "suppressions": suppressions,
            "supporters": self._supporters(),
            "operations": self._operations(records),
            "audit_entries": self._audit(ours),
        }
        campaign = current_campaign(self.s)
        controller = {
            "campaign": campaign.name if campaign else "",
            "organisation": campaign.organisation if campaign else "",
            "promoter": campaign.imprint_promoter if campaign else "",
            "on_behalf_of": campaign.imprint_on_behalf_of if campaign else "",
            "address": campaign.imprint_address if campaign else "",
        }
        counts = {name: len(lists[name]) for name in SECTIONS}
        petitions = {
            s["petition"]["title"]: s["petition"]["consent_wording"] for s in lists["signatures"]
        }
        about = about_text(
            reference=self.person.reference,
            controller=controller,
            counts=counts,
            editions=sorted({e.register_edition for e in self.electors.values()} - {""}),
            petitions=petitions,
            supporter_sources=sorted({p.source for p in self.supporters.values()} - {""}),
            retention_until=_day(getattr(campaign, "retention_until", None)),
            polling_day=_day(campaign.polling_day) if campaign else None,
            json_name=json_name,
        )
        identity = list(records["elector"])
        if self.person.kind != "elector":
            identity += [*records["signature"], *records["supporter"]]
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "reference": self.person.reference,
            "prepared_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "prepared_on": day.isoformat(),
            "person": {
                "name": self._name(),
                "asked_about": {"kind": self.person.kind, "id": self.person.id},
                "record_ids": sorted(identity),
            },
            "controller": controller,
            "about": about,
            "counts": counts,
            **lists,
        }

    def _name(self) -> str:
        anchor = self.electors.get(self.person.id)
        if anchor is not None:
            return " ".join(p for p in (anchor.title, anchor.forenames, anchor.surname) if p)
        own = self.signatures.get(self.person.id) or self.supporters.get(self.person.id)
        return own.name if own is not None else ""

    def _register_entries(self) -> list[Json]:
        out = []
        for e in sorted(self.electors.values(), key=lambda x: (x.id != self.person.id, x.id)):
            row = self.s.execute(
                select(Address, Street)
                .join(Street, Street.id == Address.street_id)
                .where(Address.id == e.address_id)
            ).first()
            address = None
            if row is not None:
                a, street = row
                parsed = ParsedAddress(
                    a.flat, a.house_number, a.house_suffix, a.house_name, street.name, street.town
                )
                address = {"line": parsed.one_line(), "postcode": a.postcode}
            ward = self.s.execute(
                select(PollingDistrict.code, Ward.name)
                .join(Ward, Ward.id == PollingDistrict.ward_id)
                .where(PollingDistrict.id == e.polling_district_id)
            ).first()
            out.append(
                {
                    "id": e.id,
                    "elector_number": self.numbers[e.id],
                    "title": e.title,
                    "forenames": e.forenames,
                    "surname": e.surname,
                    "markers": e.markers,
                    "attainment_date": _day(e.attainment_date),
                    "register_edition": e.register_edition,
                    "removed_from_register": e.removed,
                    "address": address,
                    "polling_district": ward[0] if ward else None,
                    "ward": ward[1] if ward else None,
                    "included_because": self.because[e.id],
                    "other_fields": _other_fields("elector", e),
                }
            )
        return out

    def _visits(self) -> list[Json]:
        book = canvassing.code_book_of(self.s)
        questions = {q.code: q.text for q in book.questions}
        out = []
        for chunk in chunks(self.electors):
            for v in self.s.scalars(select(Visit).where(Visit.elector_id.in_(chunk))):
                answers = json.loads(v.survey_answers or "{}")
                out.append(
                    {
                        "id": v.id,
                        "elector_id": v.elector_id,
                        "visited_at": v.visited_at,
                        "method": v.method,
                        "outcome": v.outcome,
                        "outcome_label": book.label("outcomes", v.outcome),
                        "intention": v.intention,
                        "intention_label": book.label("intentions", v.intention)
                        if v.intention
                        else "",
                        "support": v.support,
                        "likelihood": v.likelihood,
                        "flags": [
                            {"code": f, "label": book.label("flags", f)}
                            for f in v.flags.split(",")
                            if f
                        ],
                        "issues": [i for i in v.issues.split(",") if i],
                        "survey_answers": [
                            {"code": code, "question": questions.get(code, code), "answer": answer}
                            for code, answer in sorted(answers.items())
                        ],
                        "notes": v.notes,
                        "voided": v.voided,
                        "recorded_by": ROLES["canvasser"] if v.canvasser else "",
                        "device_id": v.device_id,
                        "other_fields": _other_fields("visit", v),
                    }
                )
        return sorted(out, key=lambda x: (x["visited_at"], x["id"]))

    def _signatures(self) -> list[Json]:
        verdicts: dict[str, tuple[bool, tuple[str, ...]]] = {}
        petitions: dict[str, Petition | None] = {}
        for pid in sorted({s.petition_id for s in self.signatures.values()}):
            petition = petitions[pid] = self.s.get(Petition, pid)
            if petition is not None:
                for judged in tally_in(self.s, petition).judged:
                    if judged.signature.id in self.signatures:
                        verdicts[judged.signature.id] = (judged.counted, judged.reasons)
        out = []
        for s in sorted(self.signatures.values(), key=lambda x: (x.signed_at, x.id)):
            p = petitions[s.petition_id]
            strokes = json.loads(s.strokes) if s.strokes else []
            counted, reasons = verdicts.get(s.id, (False, ()))
            out.append(
                {
                    "id": s.id,
                    "elector_id": s.elector_id,
                    "petition": {
                        "id": s.petition_id,
                        "title": p.title if p else "",
                        "text_version_now": p.text_version if p else None,
                        # The exact words only when they are still the version signed.
                        "text": p.text if p and p.text_version == s.text_version else None,
                        "consent_wording": p.consent_wording if p else "",
                        "consent_version_now": p.consent_version if p else None,
                    },
                    "signed_at": s.signed_at,
                    "method": s.method,
                    "sheet_number": s.sheet_number,
                    "row_number": s.row_number,
                    "name": s.name,
                    "address": s.address,
                    "postcode": s.postcode,
                    "email": s.email,
                    "phone": s.phone,
                    "consent": s.consent,
                    "consent_version": s.consent_version,
                    "contact_ok": s.contact_ok,
                    "text_version": s.text_version,
                    "withdrawn": s.withdrawn,
                    "count_decision": s.count_decision,
                    "decision_reason": s.decision_reason,
                    "counted": counted,
                    "count_reasons": list(reasons),
                    "drawn_signature": {
                        "box": "x and y from 0 to 1000, y downwards, on a pad 3 times as "
                        "wide as high",
                        "points": sum(len(stroke) // 2 for stroke in strokes),
                        "strokes": strokes,
                    }
                    if strokes
                    else None,
                    "collected_by": ROLES["collector"] if s.collector else "",
                    "device_id": s.device_id,
                    "included_because": self.because[s.id],
                    "other_fields": _other_fields("signature", s),
                }
            )
        return out

    def _suppressions(self) -> list[Json]:
        out = []
        for chunk in chunks(self.electors):
            for x in self.s.scalars(select(Suppression).where(Suppression.elector_id.in_(chunk))):
                out.append(
                    {
                        "id": x.id,
                        "elector_id": x.elector_id,
                        "scope": x.scope,
                        "reason": x.reason,
                        "created_at": x.created_at,
                        "match_key": x.match_key,
                        "other_fields": _other_fields("suppression", x),
                    }
                )
        return sorted(out, key=lambda x: (x["created_at"], x["id"]))

    def _supporters(self) -> list[Json]:
        return [
            {
                "id": p.id,
                "name": p.name,
                "address": p.address,
                "postcode": p.postcode,
                "email": p.email,
                "phone": p.phone,
                "ticks": json.loads(p.ticks or "[]"),
                "consent": p.consent,
                "source": p.source,
                "leaflet_id": p.leaflet_id,
                "entered_at": p.entered_at,
                "entered_by": ROLES["entered_by"] if p.entered_by else "",
                "device_id": p.device_id,
                "included_because": self.because[p.id],
                "other_fields": _other_fields("supporter", p),
            }
            for p in sorted(self.supporters.values(), key=lambda x: (x.entered_at, x.id))
        ]

    def _operations(self, records: Mapping[str, Sequence[str]]) -> list[Json]:
        rows: list[OperationRow] = []
        for entity, ids in records.items():
            for chunk in chunks(ids):
                rows += self.s.scalars(
                    select(OperationRow).where(
                        OperationRow.entity == entity, OperationRow.entity_id.in_(chunk)
                    )
                ).all()
        roles = dict(self.s.execute(select(Device.id, Device.role)).all())
        rows.sort(key=lambda r: (r.hlc_ms, r.hlc_counter, r.device_id, r.seq))
        return [
            {
                "op_id": r.op_id,
                "at": _iso_ms(Stamp(r.hlc_ms, r.hlc_counter).ms),
                "entity": r.entity,
                "entity_id": r.entity_id,
                "kind": r.kind,
                "field": r.field,
                "value": _without_names(r.field, json.loads(r.value)),
                "device_id": r.device_id,
                "device": _device(roles.get(r.device_id)),
            }
            for r in rows
        ]

    def _audit(self, ours: set[str]) -> list[Json]:
        found: dict[int, AuditEvent] = {}
        for chunk in chunks(ours):
            for event in self.s.scalars(
                select(AuditEvent).where(or_(*(AuditEvent.detail.contains(i) for i in chunk)))
            ):
                found[event.id] = event
        return [
            {
                "id": e.id,
                "at": e.at,
                "action": e.action,
                "detail": _blank_other_ids(json.loads(e.detail or "{}"), ours),
                "by": "a member of the campaign team",
                "device_id": e.device_id,
            }
            for e in (found[i] for i in sorted(found))
        ]


#: Columns each kind of record shows under a name of its own (or as the role, or
#: within another field); any other column, one added later included, goes
#: into ``other_fields`` so nothing held is left out.
_SHOWN: dict[str, frozenset[str]] = {
    "elector": frozenset(
        {
            "id", "polling_district_id", "address_id", "elector_number", "elector_suffix",
            "markers", "title", "forenames", "surname", "attainment_date",
            "register_edition", "removed",
        }
    ),
    "visit": frozenset(
        {
            "id", "elector_id", "visited_at", "method", "outcome", "intention", "support",
            "likelihood", "flags", "issues", "survey_answers", "notes", "voided", "device_id",
        }
    ),
    "signature": frozenset(
        {
            "id", "petition_id", "elector_id", "name", "address", "postcode", "email", "phone",
            "consent", "method", "sheet_number", "row_number", "device_id", "signed_at",
            "text_version", "strokes", "withdrawn", "contact_ok", "count_decision",
            "decision_reason", "consent_version",
        }
    ),
    "suppression": frozenset({"id", "elector_id", "scope", "reason", "created_at", "match_key"}),
    "supporter": frozenset(
        {
            "id", "campaign_id", "name", "address", "postcode", "email", "phone", "ticks",
            "consent", "source", "leaflet_id", "device_id", "entered_at",
        }
    ),
}  # fmt: skip


def _other_fields(entity: str, row: Any) -> Json:
    """The columns of ``row`` not shown by name elsewhere in its record."""
    out: Json = {}
    for column in row.__table__.columns:
        name = column.key
        if name in _SHOWN[entity] or name in ROLES:
            continue
        value = getattr(row, name)
        out[name] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def _device(role: str | None) -> str:
    if role == "coordinator":
        return "the campaign office laptop"
    if role == "canvasser":
        return "a canvasser's laptop"
    return "a laptop of the campaign"


def _without_names(field: str | None, value: Any) -> Any:
    """An operation's value with the names of whoever did the work replaced by their role."""
    if field in ROLES:
        return ROLES[field] if value else value
    if field is None and isinstance(value, dict):
        return {k: (ROLES[k] if k in ROLES and v else v) for k, v in value.items()}
    return value


def _blank_other_ids(value: Any, ours: set[str]) -> Any:
    """An audit detail with every id that is not one of the person's records blanked."""
    if isinstance(value, str):
        return ID_PATTERN.sub(lambda m: m.group() if m.group() in ours else OTHER_RECORD, value)
    if isinstance(value, list):
        return [_blank_other_ids(v, ours) for v in value]
    if isinstance(value, dict):
        return {k: _blank_other_ids(v, ours) for k, v in value.items()}
    return value
