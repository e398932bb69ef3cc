"""Editing a campaign's codes and survey questions, and sharing them as a small file.

Recorded visits keep the codes they were recorded with: changing the code
set renames or adds codes for the future and never rewrites the past. The
four outcomes the canvass screen relies on (not in, spoke, moved, do not
contact) must stay, though their labels may change.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select

from canvass.domain import codes
from canvass.domain.errors import ValidationError
from canvass.domain.values import clean_string
from canvass.services.campaigns import current_campaign
from canvass.services.canvassing import (
    DO_NOT_CONTACT,
    MOVED,
    NOT_IN,
    SPOKE,
    CodeBook,
    Question,
    code_book,
)
from canvass.services.oplog import OpWriter
from canvass.storage.database import Database
from canvass.storage.tables import CodeSet, SurveyQuestion

FILE_FORMAT = "canvass-codes/1"
REQUIRED_OUTCOMES = (NOT_IN, SPOKE, MOVED, DO_NOT_CONTACT)
_CODE = re.compile(r"[A-Z0-9]{1,6}")


def _check_codes(kind: str, items: Sequence[codes.Code]) -> list[list[str]]:
    seen: set[str] = set()
    out = []
    for code, label in items:
        code = code.strip().upper()
        label = clean_string(label.strip(), field="A code's label")
        if not _CODE.fullmatch(code):
            raise ValidationError(
                f"'{code}' is not a usable code: 1 to 6 capital letters or digits."
            )
        if code in seen:
            raise ValidationError(f"The code '{code}' appears twice in the {kind}.")
        if not label or len(label) > 60:
            raise ValidationError(f"Give the code '{code}' a label of 1 to 60 characters.")
        seen.add(code)
        out.append([code, label])
    if not out:
        raise ValidationError(f"The {kind} need at least one code.")
    return out


def check_book(book: CodeBook) -> dict[str, list[list[str]]]:
    """Validate a code book; returns it as stored.

    Raises:
        ValidationError: For a malformed or duplicated code, or a required outcome removed.
    """
    stored = {
        "outcomes": _check_codes("outcomes", book.outcomes),
        "intentions": _check_codes("intentions", book.intentions),
        "flags": _check_codes("flags", book.flags),
    }
    present = {c for c, _ in stored["outcomes"]}
    missing = [c for c in REQUIRED_OUTCOMES if c not in present]
    if missing:
        names = {NOT_IN: "not in", SPOKE: "spoke", MOVED: "moved", DO_NOT_CONTACT: "do not contact"}
        listed = ", ".join(f"{c} ({names[c]})" for c in missing)
        it = "its label" if len(missing) == 1 else "their labels"
        raise ValidationError(
            f"The outcomes must keep {listed}: the canvass screen relies on "
            f"{'it' if len(missing) == 1 else 'them'}. Rename {it} instead of removing "
            f"{'it' if len(missing) == 1 else 'them'}."
        )
    questions = [q.code.strip().upper() for q in book.questions]
    if len(set(questions)) != len(questions):
        raise ValidationError("Two survey questions share a code.")
    for q in book.questions:
        if not _CODE.fullmatch(q.code.strip().upper()) or not q.text.strip():
            raise ValidationError(
                f"Survey question '{q.code}' needs a code (capital letters or digits) and a text."
            )
    return stored


def save_code_book(db: Database, book: CodeBook) -> None:
    """Store the campaign's codes and survey questions (as operations, so they travel).

    Raises:
        ValidationError: See :func:`check_book`; also when there is no campaign.
    """
    stored = check_book(book)
    with db.write() as session:
        campaign = current_campaign(session)
        if campaign is None:
            raise ValidationError("Start the campaign first: there are no codes to edit yet.")
        writer = OpWriter.local(session)
        existing = session.scalars(
            select(CodeSet).where(CodeSet.campaign_id == campaign.id).order_by(CodeSet.id)
        ).first()
        if existing is None:
            writer.create(
                "code_set", {"campaign_id": campaign.id, "name": "Campaign codes", "codes": stored}
            )
        elif json.loads(existing.codes or "{}") != stored:
            writer.set("code_set", existing.id, "codes", stored)
        current = {
            q.code: q
            for q in session.scalars(
                select(SurveyQuestion).where(SurveyQuestion.campaign_id == campaign.id)
            )
        }
        for position, q in enumerate(book.questions):
            code = q.code.strip().upper()
            values = {
                "text": q.text.strip(),
                "choices": [c.strip() for c in q.choices if c.strip()],
                "position": position,
            }
            row = current.get(code)
            if row is None:
                writer.create(
                    "survey_question",
                    {"campaign_id": campaign.id, "code": code, "answer_kind": "choice", **values},
                )
                continue
            for name, value in values.items():
                have = json.loads(row.choices) if name == "choices" else getattr(row, name)
                if have != value:
                    writer.set("survey_question", row.id, name, value)
        writer.flush()


def export_code_book(db: Database, path: Path, book: CodeBook | None = None) -> None:
    """Write codes and questions to a small JSON file to share.

    Args:
        db: The database (its saved codes are written when ``book`` is None).
        path: The file.
        book: Codes to write instead, e.g. what an editor shows before saving.
    """
    book = book if book is not None else code_book(db)
    data = {
        "format": FILE_FORMAT,
        "outcomes": [list(c) for c in book.outcomes],
        "intentions": [list(c) for c in book.intentions],
        "flags": [list(c) for c in book.flags],
        "questions": [
            {"code": q.code, "text": q.text, "choices": list(q.choices)} for q in book.questions
        ],
    }
    try:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise ValidationError(f"Could not write {path}: {exc.strerror or exc}.") from None


def read_code_book(path: Path) -> CodeBook:
    """Read a code file written by :func:`export_code_book` (or by hand).

    Raises:
        ValidationError: If it cannot be read or is not a canvass code file.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ValidationError(f"Could not read {path.name} as a code file: {exc}.") from None
    if not isinstance(data, dict) or data.get("format") != FILE_FORMAT:
        raise ValidationError(
            f'{path.name} is not a canvass code file (it should say "format": "{FILE_FORMAT}").'
        )

    def pairs(kind: str) -> tuple[codes.Code, ...]:
        items = data.get(kind, [])
        if not isinstance(items, list) or not all(
            isinstance(i, list) and len(i) == 2 and all(isinstance(x, str) for x in i)
            for i in items
        ):
            raise ValidationError(f"The {kind} in {path.name} must be [code, label] pairs.")
        return tuple((i[0], i[1]) for i in items)

    raw_questions = data.get("questions", [])
    if not isinstance(raw_questions, list) or not all(isinstance(q, dict) for q in raw_questions):
        raise ValidationError(f"The questions in {path.name} are malformed.")
    book = CodeBook(
        pairs("outcomes"),
        pairs("intentions"),
        pairs("flags"),
        tuple(
            Question(
                str(q.get("code", "")),
                str(q.get("text", "")),
                tuple(str(c) for c in q.get("choices", []) if isinstance(c, str)),
            )
            for q in raw_questions
        ),
    )
    check_book(book)
    return book
