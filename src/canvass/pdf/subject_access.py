"""The subject-access PDF: a cover page in plain words, then every record held, readable.

It is laid out from the same plain data that is written as the JSON file
(:mod:`canvass.services.subject_access` documents its keys), so the two
cannot disagree. Drawn signatures are vector paths, as on the petition bundle.
"""

from __future__ import annotations

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
from canvass.pdf.privacy_audit_words import action_name, audit_detail_words
from canvass.pdf.privacy_words import (
    RECORD_WORDS,
    Lookup,
    capital,
    change_words,
    field_label,
    value_words,
    version_words,
    when,
)
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
#: Longest change printed; the JSON file holds every value in full.
_CHANGE_CHARS = 600
_METHODS = {"doorstep": "at the door", "stall": "at a street stall", "paper": "on a paper sheet"}

__all__ = ["build_subject_access", "lookup_of", "when", "write_subject_access_pdf"]


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


def lookup_of(data: Data) -> Lookup:
    """What the codes in the records stand for, gathered from the records themselves.

    Device ids become the laptop in words, as the change log gives it: the PDF
    never prints a laptop's id (the JSON file keeps it).
    """
    outcomes: dict[str, str] = {}
    intentions: dict[str, str] = {}
    flags: dict[str, str] = {}
    questions: dict[str, str] = {}
    for v in data["visits"]:
        outcomes[v["outcome"]] = v["outcome_label"]
        if v["intention"]:
            intentions[v["intention"]] = v["intention_label"]
        flags.update({f["code"]: f["label"] for f in v["flags"]})
        questions.update({a["code"]: a["question"] for a in v["survey_answers"]})
    return Lookup(
        numbers={e["id"]: e["elector_number"] for e in data["register_entries"]},
        outcomes=outcomes,
        intentions=intentions,
        flags=flags,
        questions=questions,
        devices={o["device_id"]: o["device"] for o in data["operations"]},
    )


def _others(fields: Mapping[str, object], look: Lookup) -> list[tuple[str, object]]:
    """Fields without a row of their own (added to canvass later), each under its label.

    Links to other records (``…_id``) are left to the JSON file.
    """
    return [
        (
            field_label(name),
            version_words(value)
            if name.endswith("_version")
            else value_words(name, value, look, quote=False) or "none",
        )
        for name, value in fields.items()
        if not name.endswith("_id")
    ]


def _register_entry(e: Data, look: Lookup) -> Flowable:
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
            *_others(e["other_fields"], look),
            ("Record id", e["id"]),
        ],
    )


def _visit(v: Data, look: Lookup) -> Flowable:
    def score(value: int | None) -> str:
        return f"{value} of 5" if value is not None else ""

    intention = f"{v['intention_label']} ({v['intention']})" if v["intention"] else ""
    answers = "\n".join(f"{a['question']} — {a['answer']}" for a in v["survey_answers"])
    return _card(
        f"{when(v['visited_at'])} — {v['outcome_label']}",
        [
            ("Register entry", look.numbers.get(v["elector_id"] or "", "")),
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
            ("Laptop", value_words("device_id", v["device_id"], look)),
            *_others(v["other_fields"], look),
            ("Record id", v["id"]),
        ],
    )


def _signature(s: Data, look: Lookup) -> Flowable:
    petition = s["petition"]
    method = str(_METHODS.get(s["method"], s["method"]))
    if s["sheet_number"] is not None:
        method += f", sheet {s['sheet_number']} row {s['row_number']}"
    counted = "Yes" if s["counted"] else "No"
    if s["count_reasons"]:
        counted += ": " + "; ".join(s["count_reasons"])
    decision = value_words("count_decision", s["count_decision"], look)
    if decision:
        decision = f"{capital(decision)}: {s['decision_reason'] or 'no reason given'}"
    drawn = s["drawn_signature"]
    consent = f"{_yes(s['consent'])} (consent wording {version_words(s['consent_version'])})"
    return _card(
        f"Petition: {petition['title']}",
        [
            ("Petition text signed", version_words(s["text_version"])),
            ("Petition text", petition["text"]),
            ("Signed", when(s["signed_at"])),
            ("How", method),
            ("Name", s["name"]),
            ("Address", s["address"]),
            ("Postcode", s["postcode"]),
            ("Email", s["email"]),
            ("Phone", s["phone"]),
            ("Consent", consent),
            ("Contact me about it", _yes(s["contact_ok"])),
            ("Withdrawn", _yes(s["withdrawn"])),
            ("Counts", counted),
            ("Decided by hand", decision),
            ("Collected by", s["collected_by"]),
            ("Why it is included", s["included_because"]),
            *_others(s["other_fields"], look),
            ("Record id", s["id"]),
            (
                "Drawn signature",
                DrawnSignature(drawn["strokes"]) if drawn else "not drawn on the pad",
            ),
        ],
    )


def _suppression(x: Data, look: Lookup) -> Flowable:
    scope = value_words("scope", x["scope"], look)
    return _card(
        capital(scope),
        [
            ("Register entry", look.numbers.get(x["elector_id"] or "", "")),
            ("What it stops", scope),
            ("Reason", x["reason"]),
            ("Recorded", when(x["created_at"])),
            ("Key to recognise you", x["match_key"]),
            *_others(x["other_fields"], look),
            ("Record id", x["id"]),
        ],
    )


def _supporter(p: Data, look: Lookup) -> Flowable:
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
            *_others(p["other_fields"], look),
            ("Record id", p["id"]),
        ],
    )


def _link(link: Data, look: Lookup) -> Flowable:
    return _card(
        f"Link {link['id'][:8]}",
        [
            ("Meaning", link["meaning"]),
            (
                "Register entries",
                "\n".join(f"{look.numbers.get(i, '')}  {i}".strip() for i in link["elector_ids"]),
            ),
            ("Record id", link["id"]),
        ],
    )


def _record_words(entity: str, entity_id: str, look: Lookup) -> str:
    """The record a change is to: "Register entry NA-68", "Doorstep record 16d15896"."""
    what = capital(RECORD_WORDS.get(entity, entity.replace("_", " ")))
    return f"{what}\n{look.numbers.get(entity_id) or entity_id[:8]}"


def _operations(ops: Sequence[Data], look: Lookup) -> Flowable:
    rows = []
    for o in ops:
        change = change_words(o["entity"], o["kind"], o["field"], o["value"], look)
        if len(change) > _CHANGE_CHARS:
            change = change[:_CHANGE_CHARS].rstrip() + " … (in full in the JSON file)"
        rows.append(
            (when(o["at"]), _record_words(o["entity"], o["entity_id"], look), change, o["device"])
        )
    columns = (
        ("When", 27 * mm),
        ("Record", 32 * mm),
        ("What changed", 95 * mm),
        ("Laptop", 28 * mm),
    )
    return _grid(columns, rows)


def _audit(entries: Sequence[Data]) -> Flowable:
    rows = [
        (
            when(e["at"]),
            action_name(e["action"]),
            audit_detail_words(e["action"], e["detail"]),
            e["by"],
        )
        for e in entries
    ]
    columns = (("When", 27 * mm), ("What was done", 36 * mm), ("Detail", 89 * mm), ("By", 30 * mm))
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
    look = lookup_of(data)
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
            body = [_operations(records, look), Spacer(1, 3 * mm)]
        elif name == "audit_entries":
            body = [_audit(records), Spacer(1, 3 * mm)]
        else:
            # Each record on one page where it fits (KeepTogether must not nest: an
            # inner one claims the whole page).
            body = [KeepTogether([_CARDS[name](r, look), Spacer(1, 3 * mm)]) for r in records]
            body[0] = _CARDS[name](records[0], look)
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
