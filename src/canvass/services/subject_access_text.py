"""The plain words of a subject-access export: what each part is, where it came from, rights.

The ICO's right-of-access guidance asks for more than the data: its
sources, the purposes, who receives it, how long it is kept, and the rights
to correction, erasure and complaint. The same words go on the PDF's cover
and into the JSON file's ``about`` key, so both say the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

#: What each list of the export holds, in the person's terms.
SECTION_TEXT = {
    "register_entries": "Your entry in the campaign's copy of the electoral register, and any "
    "other entry found to be you (from another edition or address).",
    "linked_records": "Where two register entries were found to be the same person, the link "
    "between them.",
    "visits": "Each call a canvasser recorded at your door: whether you were in, what you said "
    "about voting and the issues you raised, and any notes. A record marked “undone” counts "
    "for nothing but is still held.",
    "signatures": "Your signatures on the campaign's petitions: what you gave, your consent, "
    "how it was taken, whether it counts, and the signature you drew.",
    "suppressions": "Requests that you are not contacted, kept so that they can be honoured.",
    "supporters": "Reply slips or sign-up forms with your name and postcode, or your email.",
    "operations": "The change log: every change to the records above, when, and on which of "
    "the campaign's laptops.",
    "audit_entries": "Audit trail entries that mention your records, such as an earlier "
    "request like this one.",
}

_METHOD_SOURCES = {
    "register_entries": "The electoral register{editions}, which the council's electoral "
    "registration officer supplies to campaigns entitled to it.",
    "visits": "The doorstep: what you, or someone at your door, told a canvasser.",
    "suppressions": "Your own request, at the door or in writing, not to be contacted.",
    "operations": "The canvass app itself, which logs every change and keeps an audit trail.",
}


def about_text(
    *,
    reference: str,
    controller: Mapping[str, str],
    counts: Mapping[str, int],
    editions: Sequence[str],
    petitions: Mapping[str, str],
    supporter_sources: Sequence[str],
    retention_until: str | None,
    polling_day: str | None,
    json_name: str,
) -> dict[str, object]:
    """The ``about`` part of the export (and the cover page's words).

    Args:
        reference: The short reference the person quotes back.
        controller: The campaign's name, organisation, promoter and address.
        counts: Records held, by list.
        editions: The register editions the person's entries came from.
        petitions: Each signed petition's title and the consent wording shown to signers.
        supporter_sources: Where the matching reply slips came from, in words.
        retention_until: The campaign's retention date (ISO), when one is set.
        polling_day: Polling day (ISO), when one is set.
        json_name: The JSON file's name, which the PDF refers to.
    """
    who = controller.get("organisation") or controller.get("campaign") or "the campaign"
    sources: list[str] = []
    for name in ("register_entries", "visits"):
        if counts.get(name):
            quoted = ", ".join(f"“{e}”" for e in editions)
            label = f" (edition{'s' if len(editions) > 1 else ''} {quoted})" if editions else ""
            sources.append(_METHOD_SOURCES[name].format(editions=label))
    if petitions:
        titles = ", ".join(f"“{title}”" for title in petitions)
        sources.append(
            f"The petition{'s' if len(petitions) > 1 else ''} {titles}: what you gave when you "
            "signed, at your door, at a street stall or on a paper sheet."
        )
    if counts.get("supporters"):
        slips = "; ".join(supporter_sources) or "a reply slip or sign-up form"
        sources.append(f"What you wrote on a reply slip or sign-up form ({slips}).")
    if counts.get("suppressions"):
        sources.append(_METHOD_SOURCES["suppressions"])
    if counts.get("operations") or counts.get("audit_entries"):
        sources.append(_METHOD_SOURCES["operations"])

    retention: list[str] = []
    if retention_until:
        retention.append(
            f"{who} deletes its doorstep records and other campaign data on {retention_until} "
            "(its retention date), or sooner if you ask."
        )
    elif polling_day:
        retention.append(
            f"{who} keeps doorstep records only for this campaign, which ends with polling day "
            f"({polling_day}), and deletes them once it no longer needs them."
        )
    else:
        retention.append(
            f"{who} keeps doorstep records only while it needs them for this campaign, and "
            "deletes them when the campaign ends."
        )
    for title, wording in petitions.items():
        if wording.strip():
            retention.append(f"For the petition “{title}” signers were told: “{wording.strip()}”")
    retention.append(
        "A request not to be contacted is kept for as long as the campaign holds any data, so "
        "that it can be honoured; it holds only what is needed to recognise you."
    )

    address = (controller.get("address") or "").replace("\n", ", ").strip()
    contact = (
        f"write to {who} at {address}"
        if address
        else f"ask {who} (the person who gave you this document can tell you how)"
    )
    rights = [
        f"To have anything here corrected or erased, {contact}, quoting reference "
        f"{reference}. An erasure removes your records from every laptop the campaign uses, "
        "and older copies cannot bring them back.",
        "Your register entry is a copy of the council's electoral register: to change the "
        "register itself, contact your council's electoral registration office.",
        f"You can object at any time to being contacted by {who}: you will be put on its "
        "do-not-contact list.",
        "If you are unhappy with how your data was handled, you can complain to the "
        "Information Commissioner's Office: ico.org.uk/make-a-complaint, telephone "
        "0303 123 1113.",
    ]
    return {
        "sections": dict(SECTION_TEXT),
        "sources": sources,
        "purposes": [
            f"To run {who}'s campaign: to know whom it has spoken to and what they said, to "
            "avoid calling on people who asked not to be contacted, and to present its "
            "petitions to the people they are addressed to."
        ],
        "recipients": [
            "Campaign volunteers, on the campaign's own laptops; the app exchanges records "
            "only between those laptops, encrypted.",
            "For a petition: the person or council it is addressed to, in the petition bundle "
            "(your name, address and signature; not your email or phone number).",
        ],
        "retention": retention,
        "rights": rights,
        "machine_readable_copy": f"Everything in this document is also in the file "
        f"{json_name}, in a form a computer can read.",
    }
