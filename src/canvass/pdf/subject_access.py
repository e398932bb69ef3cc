"""The subject-access PDF: a cover page in plain words, then every record held, readable.

It is laid out from the same plain data that is written as the JSON file
(:mod:`canvass.services.subject_access` documents its keys), so the two
cannot disagree. Drawn signatures are vector paths, as on the petition bundle.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from canvass.pdf.bundle_pages import SIGNATURE_ASPECT, stroke_ops
from canvass.pdf.fonts import BODY
from canvass.pdf.styles import BRAND, INK, RULE, SHADE, styles
from canvass.pdf.templates import build_document

Data = Mapping[str, Any]

#: Each list of the export: its heading in the PDF.
TITLES = {
    "register_entries": "Register entries",
    "linked_records": "Linked records",
    "visits": "Doorstep records",
    "signatures": "Petition signatures",
    "suppressions": "Do-not-contact requests",
    "supporters": "Reply slips and sign-ups",
    "operations": "Change log",
    "audit_entries": "Audit trail entries",
}
_WIDTH = 182 * mm  # A4 between the 14 mm margins
_LABEL = 42 * mm
_SIGNATURE_HEIGHT = 16 * mm
#: Longest operation value printed; the JSON file holds every value in full.
_VALUE_CHARS = 500
_METHODS = {"doorstep": "at the door", "stall": "at a street stall", "paper": "on a paper sheet"}


def when(text: str | None) -> str:
    """An ISO time or date as people read it: "1 Sep 2026, 09:00 UTC", "1 Sep 2026"."""
    if not text:
        return ""
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return f"{day.day} {day.strftime('%b')} {day.year}"
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    return f"{moment.day} {moment.strftime('%b')} {moment.year}, {moment.strftime('%H:%M')} UTC"


def _yes(value: object) -> str:
    return "Yes" if value else "No"


def _p(text: object, style: Any) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


class DrawnSignature(Flowable):  # type: ignore[misc]
    """A signature as it was drawn on the pad: vector strokes in a ruled box."""

    def __init__(self, strokes: Sequence[Sequence[int]], height: float = _SIGNATURE_HEIGHT):
        super().__init__()
        self.strokes = strokes
        self.height = height
        self.width = height * SIGNATURE_ASPECT

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Always the same size: the pad's shape."""
        return self.width, self.height

    def draw(self) -> None:
        """The box, then the strokes in ink."""
        c = self.canv
        c.saveState()
        c.setStrokeColor(RULE)
        c.setLineWidth(0.5)
        c.rect(0, 0, self.width, self.height)
        c.setStrokeColor(INK)
        c.addLiteral(stroke_ops(self.strokes, 0, 0, self.height))
        c.restoreState()


def _card(heading: str, fields: Sequence[tuple[str, object]]) -> Table:
    """One record: a shaded heading, then label and value rows."""
    st = styles()
    data: list[list[object]] = [[_p(heading, st.cell_bold), ""]]
    for label, value in fields:
        if value is None or value == "":
            continue
        cell = value if isinstance(value, Flowable) else _p(value, st.cell)
        data.append([_p(label, st.small), cell])
    table = Table(data, colWidths=[_LABEL, _WIDTH - _LABEL])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), BODY),
                ("SPAN", (0, 0), (-1, 0)),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, BRAND),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _grid(columns: Sequence[tuple[str, float]], rows: Sequence[Sequence[str]]) -> Table:
    """A table of many short rows (the change log, the audit entries)."""
    st = styles()
    data: list[list[object]] = [[_p(h, st.cell_bold) for h, _ in columns]]
    data += [[_p(v, st.small) for v in row] for row in rows]
    table = Table(data, colWidths=[w for _, w in columns], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), BODY),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, BRAND),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.8),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


# --- the cover page -----------------------------------------------------------------


def _cover(data: Data) -> list[Flowable]:
    st = styles()
    bullet = ParagraphStyle(
        "bullet",
        parent=st.body,
        fontSize=8.6,
        leading=10.4,
        leftIndent=9,
        bulletIndent=1,
        bulletFontName=BODY,
    )
    heading = ParagraphStyle("keep", parent=st.heading, keepWithNext=1)
    about = data["about"]
    controller = data["controller"]
    who = controller.get("organisation") or controller.get("campaign") or "the campaign"
    facts = [
        ("Prepared for", data["person"]["name"] or "(no name held)"),
        ("Reference", data["reference"]),
        ("Prepared on", when(data["prepared_on"])),
        (
            "Data controller",
            "\n".join(
                p
                for p in (
                    f"{who}, running {controller['campaign']}"
                    if controller.get("campaign") and controller["campaign"] != who
                    else who,
                    f"Promoted by {controller['promoter']}" if controller.get("promoter") else "",
                    controller.get("address", ""),
                )
                if p
            ),
        ),
    ]
    story: list[Flowable] = [
        _p("Your personal data: a copy of what the campaign holds", st.title),
        _p(
            "This is the answer to a subject access request under the UK GDPR (Article 15). "
            "It holds every record the campaign's canvass app keeps about you, and says where "
            "each came from and what you can do about it.",
            st.body,
        ),
        Spacer(1, 3 * mm),
        _card("About this copy", facts),
        _p("What is in this document", heading),
    ]
    rows = [
        [f"{n}. {TITLES[name]}", about["sections"][name], f"{data['counts'][name]:,}"]
        for n, name in enumerate(TITLES, start=1)
    ]
    story.append(_grid((("Part", 38 * mm), ("What it is", 126 * mm), ("Records", 18 * mm)), rows))
    for title, key in (
        ("Where the data came from", "sources"),
        ("Why it is held and who sees it", "purposes"),
        (None, "recipients"),
        ("How long it is kept", "retention"),
        ("Correction, erasure and complaints", "rights"),
    ):
        if title:
            story.append(_p(title, heading))
        story += [Paragraph(escape(line), bullet, bulletText="•") for line in about[key]]
    story += [Spacer(1, 3 * mm), _p(about["machine_readable_copy"], st.small), PageBreak()]
    return story


# --- the records --------------------------------------------------------------------


def _others(fields: Mapping[str, object]) -> str:
    """Fields without a row of their own (added to canvass later), as "name: value" lines."""
    return "\n".join(
        f"{name.replace('_', ' ')}: {json.dumps(value, ensure_ascii=False)}"
        for name, value in fields.items()
        if not name.endswith("_id")  # links between records: in the JSON file
    )


def _register_entry(e: Data, numbers: Mapping[str, str]) -> Flowable:
    name = " ".join(p for p in (e["title"], e["forenames"], e["surname"]) if p)
    address = e["address"]
    return _card(
        f"{e['elector_number']} — {name}",
        [
            ("Name", name),
            ("Elector number", e["elector_number"]),
            ("Address", f"{address['line']}, {address['postcode']}" if address else "(none)"),
            ("Polling district", f"{e['polling_district']} in {e['ward']} ward"),
            ("Franchise markers", e["markers"] or "none"),
            ("Attainment date", when(e["attainment_date"])),
            ("Register edition", e["register_edition"]),
            ("On the register", "No: removed" if e["removed_from_register"] else "Yes"),
            ("Why it is included", e["included_because"]),
            ("Other fields", _others(e["other_fields"])),
            ("Record id", e["id"]),
        ],
    )


def _visit(v: Data, numbers: Mapping[str, str]) -> Flowable:
    def score(value: int | None) -> str:
        return f"{value} of 5" if value is not None else ""

    intention = f"{v['intention_label']} ({v['intention']})" if v["intention"] else ""
    answers = "\n".join(f"{a['question']} — {a['answer']}" for a in v["survey_answers"])
    return _card(
        f"{when(v['visited_at'])} — {v['outcome_label']}",
        [
            ("Register entry", numbers.get(v["elector_id"] or "", "")),
            ("Outcome", f"{v['outcome_label']} ({v['outcome']})"),
            ("Voting intention", intention),
            ("Support", score(v["support"])),
            ("Likelihood to vote", score(v["likelihood"])),
            ("Flags", ", ".join(f["label"] for f in v["flags"])),
            ("Issues raised", ", ".join(v["issues"])),
            ("Survey answers", answers),
            ("Notes", v["notes"]),
            ("How recorded", "on a paper sheet" if v["method"] == "paper" else "at the door"),
            ("Recorded by", v["recorded_by"]),
            ("Undone", "Yes: it counts for nothing" if v["voided"] else "No"),
            ("Laptop", v["device_id"]),
            ("Other fields", _others(v["other_fields"])),
            ("Record id", v["id"]),
        ],
    )


def _signature(s: Data, numbers: Mapping[str, str]) -> Flowable:
    petition = s["petition"]
    method = str(_METHODS.get(s["method"], s["method"]))
    if s["sheet_number"] is not None:
        method += f", sheet {s['sheet_number']} row {s['row_number']}"
    counted = "Yes" if s["counted"] else "No"
    if s["count_reasons"]:
        counted += ": " + "; ".join(s["count_reasons"])
    decision = s["count_decision"]
    if decision:
        decision = f"{decision}: {s['decision_reason'] or 'no reason given'}"
    drawn = s["drawn_signature"]
    return _card(
        f"Petition: {petition['title']}",
        [
            ("Petition text signed", f"version {s['text_version']}"),
            ("Petition text", petition["text"]),
            ("Signed", when(s["signed_at"])),
            ("How", method),
            ("Name", s["name"]),
            ("Address", s["address"]),
            ("Postcode", s["postcode"]),
            ("Email", s["email"]),
            ("Phone", s["phone"]),
            ("Consent", f"{_yes(s['consent'])} (consent wording version {s['consent_version']})"),
            ("Contact me about it", _yes(s["contact_ok"])),
            ("Withdrawn", _yes(s["withdrawn"])),
            ("Counts", counted),
            ("A person's decision", decision),
            ("Collected by", s["collected_by"]),
            ("Why it is included", s["included_because"]),
            ("Other fields", _others(s["other_fields"])),
            ("Record id", s["id"]),
            (
                "Drawn signature",
                DrawnSignature(drawn["strokes"]) if drawn else "not drawn on the pad",
            ),
        ],
    )


def _suppression(x: Data, numbers: Mapping[str, str]) -> Flowable:
    return _card(
        f"Do not contact ({x['scope']})",
        [
            ("Register entry", numbers.get(x["elector_id"] or "", "")),
            ("Scope", x["scope"]),
            ("Reason", x["reason"]),
            ("Recorded", when(x["created_at"])),
            ("Key to recognise you", x["match_key"]),
            ("Other fields", _others(x["other_fields"])),
            ("Record id", x["id"]),
        ],
    )


def _supporter(p: Data, numbers: Mapping[str, str]) -> Flowable:
    return _card(
        f"Reply slip: {p['name']}",
        [
            ("Name", p["name"]),
            ("Address", p["address"]),
            ("Postcode", p["postcode"]),
            ("Email", p["email"]),
            ("Phone", p["phone"]),
            ("Ticked", ", ".join(p["ticks"])),
            ("Consent", _yes(p["consent"])),
            ("Where from", p["source"]),
            ("Typed in", when(p["entered_at"])),
            ("Typed in by", p["entered_by"]),
            ("Why it is included", p["included_because"]),
            ("Other fields", _others(p["other_fields"])),
            ("Record id", p["id"]),
        ],
    )


def _link(link: Data, numbers: Mapping[str, str]) -> Flowable:
    return _card(
        f"Link {link['id'][:8]}",
        [
            ("Meaning", link["meaning"]),
            (
                "Register entries",
                "\n".join(f"{numbers.get(i, '')}  {i}".strip() for i in link["elector_ids"]),
            ),
            ("Record id", link["id"]),
        ],
    )


def _value_text(value: object) -> str:
    """An operation's value, short enough to read: record ids are left to the JSON file."""
    if isinstance(value, dict):
        parts = []
        for key, item in value.items():
            if key.endswith("_id"):
                continue
            if key == "strokes" and item:
                points = sum(len(s) // 2 for s in item)
                parts.append(f"strokes: (drawn signature, {points} points)")
            elif item not in (None, "", [], {}):
                parts.append(f"{key}: {json.dumps(item, ensure_ascii=False)}")
        text = "; ".join(parts)
    else:
        text = json.dumps(value, ensure_ascii=False)
    if len(text) > _VALUE_CHARS:
        text = text[:_VALUE_CHARS] + " … (in full in the JSON file)"
    return text


def _operations(ops: Sequence[Data]) -> Flowable:
    rows = [
        (
            when(o["at"]),
            f"{o['entity'].replace('_', ' ')} {o['entity_id'][:8]}",
            o["kind"],
            (o["field"] or "").replace("_", " "),
            _value_text(o["value"]),
            o["device"],
        )
        for o in ops
    ]
    columns = (
        ("When", 27 * mm),
        ("Record", 25 * mm),
        ("Change", 13 * mm),
        ("Field", 22 * mm),
        ("Value", 71 * mm),
        ("Laptop", 24 * mm),
    )
    return _grid(columns, rows)


def _audit(entries: Sequence[Data]) -> Flowable:
    rows = [
        (
            when(e["at"]),
            e["action"],
            json.dumps(e["detail"], ensure_ascii=False, sort_keys=True),
            e["by"],
        )
        for e in entries
    ]
    columns = (("When", 27 * mm), ("Action", 25 * mm), ("Detail", 100 * mm), ("By", 30 * mm))
    return _grid(columns, rows)


_CARDS = {
    "register_entries": _register_entry,
    "linked_records": _link,
    "visits": _visit,
    "signatures": _signature,
    "suppressions": _suppression,
    "supporters": _supporter,
}


def build_subject_access(data: Data) -> list[Flowable]:
    """The story: the cover page, then one part per kind of record."""
    st = styles()
    numbers = {e["id"]: e["elector_number"] for e in data["register_entries"]}
    story = _cover(data)
    for n, name in enumerate(TITLES, start=1):
        records = data[name]
        head: list[Flowable] = [
            _p(f"{n}. {TITLES[name]}", st.title),
            _p(data["about"]["sections"][name], st.small),
            Spacer(1, 2 * mm),
        ]
        body: list[Flowable]
        if not records:
            body = [_p("None held.", st.body), Spacer(1, 3 * mm)]
        elif name == "operations":
            body = [_operations(records), Spacer(1, 3 * mm)]
        elif name == "audit_entries":
            body = [_audit(records), Spacer(1, 3 * mm)]
        else:
            # Each record on one page where it fits (KeepTogether must not nest: an
            # inner one claims the whole page).
            body = [KeepTogether([_CARDS[name](r, numbers), Spacer(1, 3 * mm)]) for r in records]
            body[0] = _CARDS[name](records[0], numbers)
            body.insert(1, Spacer(1, 3 * mm))
        # A part's heading never stands alone at the foot of a page.
        story += [CondPageBreak(30 * mm), KeepTogether([*head, body[0]]), *body[1:]]
    return story


def write_subject_access_pdf(path: Path, data: Data) -> int:
    """Write the PDF to ``path``; returns the number of pages."""
    campaign = data["controller"].get("campaign") or "canvass"
    who = data["controller"].get("organisation") or campaign
    return build_document(
        path,
        build_subject_access(data),
        title=f"Subject access · reference {data['reference']}",
        campaign=campaign,
        footer=f"Personal data of the person named on page 1, prepared by {who} on "
        f"{when(data['prepared_on'])} in answer to their request. Keep it safe; give it only "
        "to them.",
        author=who,
    )
