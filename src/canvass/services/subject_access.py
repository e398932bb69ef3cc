"""Subject access (UK GDPR Art. 15): everything held about one person, as a PDF and a JSON file.

A person may ask the campaign what it holds about them; the controller must
answer within a month with a copy of the data, where it came from, why it is
held, who sees it, how long it is kept and how to have it corrected or
erased. This gathers it in one read, writes a readable PDF and a JSON file
beside it, and records the export in the audit trail.

What counts as "the person": the record asked about; for an elector, every
register entry joined to it by person links (duplicates), however many steps
away; signatures whose elector id is one of those entries; and records with
no link at all (off-register signatures, reply-slip supporters) that match
one of the person's own records by normalised name and postcode or by
canonical email, each saying why it was included. Household members are
never followed, and the names of canvassers, collectors and typists (a third
party's personal data) are given as their role. Audit entries are found by
the ids they mention; any other record's id in them is blanked.

The JSON file (UTF-8, indented; dates ISO 8601, times UTC) has these keys,
stable from ``format_version`` 1 on (later versions only add keys):

- ``format``, ``format_version``, ``reference`` (the first 8 characters of the
  record asked about, also in the file names), ``prepared_at``, ``prepared_on``.
- ``person``: ``name`` as held, ``asked_about`` {``kind``, ``id``}.
- ``controller``: ``campaign``, ``organisation``, ``promoter``, ``on_behalf_of``, ``address``.
- ``about``: ``sections`` (what each list below is), ``sources``, ``purposes``,
  ``recipients``, ``retention``, ``rights``: the cover page's wording.
- ``counts``: how many records each list holds.
- ``register_entries``, ``linked_records``, ``visits``, ``signatures``,
  ``suppressions``, ``supporters``, ``operations``, ``audit_entries``: lists of
  records; each record's keys are those in :data:`RECORD_KEYS`. A record's
  ``other_fields`` holds any stored field it does not name (fields added to
  canvass later), so nothing held is left out.

Finding the records is in :mod:`~canvass.services.subject_access_find`, shaping
them in :mod:`~canvass.services.subject_access_records`, the cover's words in
:mod:`~canvass.services.subject_access_text`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from canvass.domain.errors import ValidationError
from canvass.services import audit_log
from canvass.services.printing import write_atomically
from canvass.services.subject_access_find import PersonRef, find_person
from canvass.services.subject_access_records import (
    FORMAT,
    FORMAT_VERSION,
    RECORD_KEYS,
    ROLES,
    SECTIONS,
    HeldDocument,
)
from canvass.storage.database import Database

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "RECORD_KEYS",
    "ROLES",
    "SECTIONS",
    "PersonRef",
    "SubjectAccessResult",
    "export",
    "file_names",
    "find_person",
]


@dataclass(frozen=True, slots=True)
class SubjectAccessResult:
    """What was written."""

    pdf: Path
    json: Path
    pages: int
    counts: Mapping[str, int]

    @property
    def records(self) -> int:
        """All records exported, of every kind."""
        return sum(self.counts.values())


def file_names(ref: PersonRef, day: dt.date) -> tuple[str, str]:
    """The PDF's and the JSON file's names: no personal data, only the short reference."""
    stem = f"subject-access-{ref.reference}-{day.isoformat()}"
    return f"{stem}.pdf", f"{stem}.json"


def export(
    db: Database, person: PersonRef, out_dir: Path, *, today: dt.date | None = None
) -> SubjectAccessResult:
    """Write the PDF and the JSON file for ``person`` into ``out_dir``, and audit it.

    Raises:
        ValidationError: If the folder is missing, a file of that name exists
            already, or the person's record is gone.
    """
    from canvass.pdf.subject_access import write_subject_access_pdf

    day = today or dt.date.today()
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise ValidationError(f"The folder {out_dir} does not exist; create it or choose another.")
    pdf_name, json_name = file_names(person, day)
    pdf_path, json_path = out_dir / pdf_name, out_dir / json_name
    for path in (pdf_path, json_path):
        if path.exists():
            raise ValidationError(
                f"{path} exists already; move it away or choose another folder (an export "
                "is never written over an earlier one)."
            )
    with db.read() as session:
        data = HeldDocument(session, person).document(day, json_name)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    pages: list[int] = []
    write_atomically(json_path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    try:
        write_atomically(pdf_path, lambda tmp: pages.append(write_subject_access_pdf(tmp, data)))
    except BaseException:
        json_path.unlink(missing_ok=True)
        raise
    counts = dict(data["counts"])
    audit_log.record(
        db,
        "subject-access",
        {
            "kind": person.kind,
            "id": person.id,
            "ids": data["person"]["record_ids"],
            "files": [pdf_name, json_name],
            "counts": counts,
        },
    )
    return SubjectAccessResult(pdf_path, json_path, pages[0] if pages else 0, counts)
