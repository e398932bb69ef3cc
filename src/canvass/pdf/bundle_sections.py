"""The bundle's written sections: cover letter, text, counts, method, appendices."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

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

from canvass.pdf.bundle_facts import BundleFacts, Counts
from canvass.pdf.fonts import BODY, BOLD
from canvass.pdf.styles import INK, RULE, SHADE, styles


def _p(text: str, style: object) -> Paragraph:
    return Paragraph(escape(text), style)


def _n(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def _was(count: int) -> str:
    return "was" if count == 1 else "were"


class Marked(Flowable):  # type: ignore[misc]
    """A flowable inside a marked-content sequence ``/tag <<props>> BDC ... EMC``.

    ``canvass verify`` finds the petition text on the page by these marks.
    """

    def __init__(self, inner: Flowable, tag: str, props: str) -> None:
        super().__init__()
        self.inner, self.tag, self.props = inner, tag, props

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """As the inner flowable."""
        width, height = self.inner.wrap(avail_width, avail_height)
        self.width, self.height = width, height
        return width, height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """The inner flowable's parts, each marked."""
        parts = self.inner.split(avail_width, avail_height)
        return [Marked(p, self.tag, self.props) for p in parts]

    def draw(self) -> None:
        """Draw the inner flowable between the marks."""
        self.canv.addLiteral(f"/{self.tag} <<{self.props}>> BDC")
        self.inner.drawOn(self.canv, 0, 0)
        self.canv.addLiteral("EMC")


class LateLine(Flowable):  # type: ignore[misc]
    """One line of text known only when it is drawn (the Merkle root, after the rows)."""

    def __init__(self, text: Callable[[], str], label: str) -> None:
        super().__init__()
        self.text, self.label = text, label

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """One line high."""
        return avail_width, 12

    def draw(self) -> None:
        """The label in bold, then the text."""
        self.canv.setFont(BOLD, 8)
        self.canv.setFillColor(INK)
        self.canv.drawString(0, 3, self.label)
        self.canv.setFont(BODY, 8)
        self.canv.drawString(62 * mm, 3, self.text())


def _table(
    rows: Sequence[Sequence[object]], widths: Sequence[float], *, head: bool = True
) -> Table:
    table = Table(
        [list(r) for r in rows], colWidths=list(widths), repeatRows=1 if head else 0, hAlign="LEFT"
    )
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), BODY),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if head:
        commands += [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("FONTNAME", (0, 0), (-1, 0), BOLD)]
    table.setStyle(TableStyle(commands))
    return table


def _count_table(title: str, counts: Counts, total: int | None = None) -> Flowable:
    st = styles()
    rows: list[list[object]] = [[_p(title, st.cell_bold), _p("Signatures", st.cell_bold)]]
    rows += [[_p(label, st.cell), f"{n:,}"] for label, n in counts]
    if total is not None:
        rows.append([_p("Total", st.cell_bold), f"{total:,}"])
    if not counts:
        rows.append([_p("none", st.cell), ""])
    table = _table(rows, [110 * mm, 30 * mm])
    table.setStyle(TableStyle([("ALIGN", (1, 0), (1, -1), "RIGHT")]))
    return KeepTogether([table, Spacer(1, 4 * mm)]) if len(rows) < 30 else table


def _threshold_sentence(facts: BundleFacts) -> str:
    if not facts.threshold:
        return ""
    gap = facts.counted - facts.threshold
    if gap >= 0:
        return (
            f"The council's petition scheme asks for {facts.threshold:,} signatures; this "
            f"petition has {facts.counted:,}, which meets it"
            + (f" with {gap:,} to spare." if gap else " exactly.")
        )
    return (
        f"The council's petition scheme asks for {facts.threshold:,} signatures; this petition "
        f"has {facts.counted:,}, which is {-gap:,} short of it."
    )


def _letter(facts: BundleFacts) -> list[Flowable]:
    st = styles()
    to = [facts.addressee or "The petitions officer"]
    if facts.ward:
        to.append(f"{facts.ward} ward")
    to += [line.strip() for line in facts.council_address.replace(",", "\n").splitlines()]
    story: list[Flowable] = [
        Paragraph("<br/>".join(escape(x) for x in to if x), st.body),
        Spacer(1, 3 * mm),
        _p(facts.made_on, st.body),
        Spacer(1, 5 * mm),
        _p(f"Petition: {facts.title}", st.title),
        Spacer(1, 2 * mm),
        _p(f"Dear {facts.addressee or 'Councillor'},", st.body),
        Spacer(1, 2 * mm),
    ]
    letter = facts.letter_text.strip() or (
        f"On behalf of the {_n(facts.counted, 'person', 'people')} who signed it, we present "
        f"the petition “{facts.title}”. We ask that it be considered under the council's "
        "petition scheme. The exact text they signed, how the signatures were collected and "
        "checked, and every counted signature follow."
    )
    for block in letter.split("\n\n"):
        story += [
            Paragraph(escape(block.strip()).replace("\n", "<br/>"), st.body),
            Spacer(1, 2 * mm),
        ]
    facts_rows = [
        ["Signatures counted", f"{facts.counted:,}"],
        ["Council's threshold", f"{facts.threshold:,}" if facts.threshold else "not stated"],
        ["Collected", facts.period or "—"],
        ["Not counted", f"{sum(n for _, n in facts.excluded):,} (reasons in “Counts”)"],
        ["Lead petitioner", facts.lead_petitioner or "—"],
        ["Copy", "public: streets and house numbers hidden" if facts.redacted else "council: full"],
    ]
    summary = _table(
        [[_p(a, st.cell_bold), _p(b, st.cell)] for a, b in facts_rows],
        [45 * mm, 120 * mm],
        head=False,
    )
    story += [Spacer(1, 1 * mm), summary, Spacer(1, 2 * mm)]
    sentence = _threshold_sentence(facts)
    if sentence:
        story += [_p(sentence, st.body), Spacer(1, 2 * mm)]
    story += [
        _p("Yours sincerely,", st.body),
        Spacer(1, 2 * mm),
        _p(
            f"{facts.lead_petitioner + ', lead petitioner, ' if facts.lead_petitioner else ''}"
            f"on behalf of {facts.campaign}",
            st.body,
        ),
        Spacer(1, 4 * mm),
        *_how_to_check(facts),
    ]
    return story


def _how_to_check(facts: BundleFacts) -> list[Flowable]:
    st = styles()
    name = facts.file_name
    if facts.signing is None:
        return [
            _p("Checking this bundle", st.heading),
            _p(
                "This copy is not signed. Its manifest is attached, and "
                f"“sha256sum -c {name}.sha256” shows whether the file changed since it was made.",
                st.small,
            ),
        ]
    s = facts.signing
    lines = [
        f"This PDF is certified with the campaign's certificate “{s.common_name}” "
        f"(valid until {s.valid_until}). Its SHA-256 fingerprint is:",
    ]
    out: list[Flowable] = [
        _p("Checking this bundle", st.heading),
        _p(lines[0], st.small),
        _p(s.fingerprint, st.cell_bold),
        Spacer(1, 1 * mm),
        Paragraph(
            "A PDF reader shows the signature panel; it reports the certificate as "
            "<i>not trusted</i> until you add the campaign's certificate file (which we send "
            "with this bundle) to its trusted certificates; compare the fingerprint above first. "
            "Then any change to the file shows as an invalid signature. From a terminal:",
            st.small,
        ),
    ]
    commands = [
        (f"canvass verify {name} --cert campaign-certificate.pem", "checks everything below"),
        (f"pdfsig {name}", "poppler: signature valid, document not modified"),
        (f"minisign -Vm {name} -P {s.minisign_key}", f"key id {s.minisign_key_id}"),
        (f"sha256sum -c {name}.sha256", "the file's SHA-256"),
    ]
    rows = [[_p(c, st.cell), _p(why, st.small)] for c, why in commands]
    table = _table(rows, [130 * mm, 52 * mm], head=False)
    return [*out, Spacer(1, 1 * mm), table]


def _quote(text: str) -> Table:
    """Wording quoted exactly, in a shaded box."""
    st = styles()
    paragraphs = [
        Paragraph(escape(b.strip("\n")).replace("\n", "<br/>"), st.body) for b in text.split("\n\n")
    ]
    box = Table([[p] for p in paragraphs], colWidths=[170 * mm], hAlign="LEFT")
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("LINEBEFORE", (0, 0), (0, -1), 2, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return box


def _text_section(facts: BundleFacts) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [_p("The petition", st.title), _p(facts.title, st.heading)]
    for n, block in enumerate(facts.text.split("\n\n")):
        para = Paragraph(escape(block.strip("\n")).replace("\n", "<br/>"), st.body)
        story += [Marked(para, "CanvassText", f"/Part {n}"), Spacer(1, 2 * mm)]
    story += [
        Spacer(1, 2 * mm),
        _p(
            f"This is the exact text signers saw (version {facts.text_version}). Its SHA-256 "
            "(over the text in UTF-8) is:",
            st.small,
        ),
        _p(facts.text_sha256, st.cell_bold),
    ]
    if facts.text_version > 1 or len(facts.versions) > 1:
        story += [
            Spacer(1, 3 * mm),
            _p(
                "The wording changed while signatures were collected. Each signature records "
                "the version its signer saw; counted signatures by version:",
                st.small,
            ),
            Spacer(1, 1 * mm),
            _count_table("Text version", tuple((f"version {v}", n) for v, n in facts.versions)),
        ]
    return story


def _counts_section(facts: BundleFacts) -> list[Flowable]:
    st = styles()
    excluded = sum(n for _, n in facts.excluded)
    story: list[Flowable] = [
        CondPageBreak(60 * mm),
        Spacer(1, 4 * mm),
        _p("Counts", st.title),
        _p(
            f"{_n(facts.counted, 'signature')} counted; {excluded:,} not counted"
            + (f"; {facts.flagged:,} counted but flagged for a check." if facts.flagged else "."),
            st.body,
        ),
        Spacer(1, 2 * mm),
        _count_table("Ward", facts.by_ward, facts.counted),
        _count_table("How it was signed", facts.by_method, facts.counted),
        _count_table("Collected by", facts.by_collector, facts.counted),
        _count_table("Not counted, by reason", facts.excluded, excluded),
    ]
    if facts.erased:
        story.append(
            _p(
                f"Erased on request: {_n(facts.erased, 'signature')} of this campaign "
                f"{_was(facts.erased)} erased at the signer's request before this bundle was "
                "made. They are neither counted nor listed, and no trace of them is kept.",
                st.small,
            )
        )
    if facts.retention_removed:
        story.append(
            _p(
                "Removed at the end of the retention period: "
                f"{_n(facts.retention_removed, 'signature')} of this petition "
                f"({facts.retention_counted:,} counted) {_was(facts.retention_removed)} deleted "
                f"on {facts.retention_on or 'the retention date'}, when the campaign no longer "
                "needed them. Only these numbers are kept; those signatures are neither counted "
                "above nor listed.",
                st.small,
            )
        )
    return story


def _method_section(facts: BundleFacts) -> list[Flowable]:
    st = styles()
    paragraphs = [
        "<b>Collection.</b> Signatures were taken at the door (name and address from the "
        "electoral register), at street stalls, and on paper collection sheets typed in "
        "afterwards with their sheet and row numbers (the sheets are kept). Signers drew their "
        "signature on a laptop or signed on paper; drawn signatures are reproduced as drawn. "
        "No timing or pressure of the pen is recorded.",
        "<b>Duplicates.</b> Signatures are taken in time order. The first signature of a person "
        "counts; a later one with the same name (ignoring case, accents, punctuation and "
        "titles) and postcode, or the same email address (ignoring case, +tags and Gmail dots), "
        "is a duplicate and does not count. Signatures taken on different laptops are compared "
        "with each other after merging. More than six signatures at one address are flagged "
        "for a person to check, but still count. A withdrawn signature never counts. Where a "
        "person decided about a flagged signature, their decision and reason are recorded.",
        "<b>Area.</b> Doorstep signatures are matched to the register and counted by ward; "
        "other signatures give an address and postcode but are not matched to a ward "
        "(“not matched to the register”).",
        "<b>Consent.</b> Every signer ticked the consent box to this wording "
        f"(version {facts.consent_version}):",
    ]
    story: list[Flowable] = [
        PageBreak(),
        _p("How the signatures were collected and checked", st.title),
    ]
    for text in paragraphs[:3]:
        story += [Paragraph(text, st.body), Spacer(1, 2 * mm)]
    story += [
        Paragraph(paragraphs[3], st.body),
        Spacer(1, 1 * mm),
        _quote(facts.consent_wording),
        Spacer(1, 1 * mm),
        Paragraph(
            "A separate, optional tick asked whether the signer also wants to hear from the "
            "campaign; it plays no part in the count.",
            st.body,
        ),
        Spacer(1, 2 * mm),
        Paragraph(
            "<b>Integrity.</b> The attached manifest (manifest.json) holds the counts, a salted "
            "SHA-256 digest of every counted row and the Merkle root over them, the exchange "
            "files merged from canvassers' laptops and those laptops' public keys. The salt is "
            "secret to the campaign, so the digests reveal nobody; the campaign can show any "
            "signer, or the council, that a given row is in the bundle.",
            st.body,
        ),
    ]
    if facts.files_merged:
        story += [
            Spacer(1, 2 * mm),
            _p(f"Exchange files merged ({len(facts.files_merged):,}):", st.small),
        ]
        rows: list[list[object]] = [["File", "From laptop", "SHA-256 (start)", "Merged"]]
        rows += [
            [f.file_id[:8], _p(f.device, st.cell), f.sha256[:16], f.imported_on]
            for f in facts.files_merged
        ]
        for start in range(0, len(rows) - 1, 40):
            part = [rows[0], *rows[1 + start : 41 + start]]
            story.append(_table(part, [22 * mm, 70 * mm, 40 * mm, 30 * mm]))
    return story


def front_story(facts: BundleFacts) -> list[Flowable]:
    """Cover letter, text, counts and method: what comes before the signature pages."""
    return [
        *_letter(facts),
        PageBreak(),
        *_text_section(facts),
        *_counts_section(facts),
        *_method_section(facts),
    ]


def appendix_story(facts: BundleFacts, merkle_root: Callable[[], str]) -> list[Flowable]:
    """What comes after the signature pages: exclusions, and checking a row."""
    st = styles()
    story: list[Flowable] = [
        _p("Appendix A: signatures not counted", st.title),
        _p(
            "By row id and reason; names only, no addresses. Rows with the same name are "
            "usually a person who signed twice: the first signature counts.",
            st.small,
        ),
        Spacer(1, 2 * mm),
    ]
    if not facts.exclusions:
        story.append(_p("None: every signature counts.", st.body))
    head = [_p("Row id", st.cell_bold), _p("Name", st.cell_bold), _p("Reason", st.cell_bold)]
    # One small table per page's worth: a long table is slow to lay out (DESIGN §6).
    for start in range(0, len(facts.exclusions), 45):
        part = facts.exclusions[start : start + 45]
        rows: list[list[object]] = [head]
        rows += [[e.row_id, _p(e.name, st.cell), _p(e.reason, st.cell)] for e in part]
        story.append(_table(rows, [22 * mm, 70 * mm, 90 * mm]))
    story += [
        Spacer(1, 6 * mm),
        CondPageBreak(50 * mm),
        _p("Appendix B: checking a row", st.title),
        Paragraph(
            "Each counted row's digest is SHA-256 over a secret salt followed by the row as "
            "canonical JSON (id, name, full address, postcode, time, method, sheet and row, "
            "text version). The digests, in page order, are listed in the manifest and marked "
            "on the pages; the Merkle root (RFC 6962) over them is below and in the manifest. "
            "The salt is derived from this bundle's id with the campaign's signing key and "
            "never published: the campaign can recompute it to prove a row is included.",
            st.body,
        ),
        Spacer(1, 2 * mm),
        LateLine(merkle_root, "Merkle root of the rows"),
        LateLine(lambda: facts.bundle_id, "Bundle id"),
    ]
    return story
