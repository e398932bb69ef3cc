"""What the Petitions screen's parts share: what they read, words, fields and styles.

Reads run on the window's reads runner and hand back plain dataclasses
(never sessions or attached rows); writes go through its task runner. A
petition's signatures are judged afresh by :func:`canvass.services.petition_counts.tally`
each time they are read, so signatures merged from other laptops are compared too.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget
from sqlalchemy import func, select

from canvass.services.campaigns import current_campaign
from canvass.services.petition_counts import (
    PetitionSummary,
    list_petitions,
    saved_counts,
    saved_note,
    tally,
)
from canvass.services.petitions import PetitionDraft, find_petition
from canvass.storage.database import Database
from canvass.storage.local import get_local_device
from canvass.storage.tables import Signature
from canvass.ui import theme
from canvass.ui.pages.canvass_common import ERROR_COLOUR, WARNING_COLOUR
from canvass.ui.pages.canvass_common import STYLE as CANVASS_STYLE

#: How each way of signing is named on screen.
METHOD_WORDS = {"doorstep": "Doorstep", "stall": "Stall", "paper": "Paper"}
#: Where the collector's name is remembered between sessions (the GUI's settings file).
COLLECTOR_KEY = "petitions/collector"
#: Height of the stall's fields and buttons: easy to hit with a finger.
TOUCH_HEIGHT = 46


# -- reading ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PetitionList:
    """What the list of petitions shows."""

    db: Database
    campaign: str
    petitions: list[PetitionSummary]


def read_list(db: Database) -> PetitionList:
    """The campaign's name and its petitions with their counts (runs on the reads runner).

    Each count against the threshold includes what a retention purge saved
    (``PetitionSummary.saved_counted``, said in ``saved_note``).
    """
    with db.read() as session:
        campaign = current_campaign(session)
        name = campaign.name if campaign is not None else ""
    return PetitionList(db, name, list_petitions(db))


@dataclass(frozen=True, slots=True)
class PetitionDetails:
    """One petition as the editor and the signing tabs need it."""

    db: Database
    id: str
    draft: PetitionDraft
    text_version: int
    consent_version: int
    signatures: int  # every signature taken, whatever its judgement
    stall_today: int  # taken at a stall on this laptop today

    @property
    def title(self) -> str:
        """The petition's title."""
        return self.draft.title

    def closed(self, today: dt.date | None = None) -> bool:
        """Whether the petition closed before ``today``."""
        closes = self.draft.closes_on
        return closes is not None and closes < (today or dt.date.today())

    def not_open(self, today: dt.date | None = None) -> bool:
        """Whether the petition opens after ``today``."""
        opens = self.draft.opens_on
        return opens is not None and opens > (today or dt.date.today())


def start_of_today() -> str:
    """Midnight this morning (this computer's calendar) as the services stamp times (UTC)."""
    midnight = dt.datetime.combine(dt.date.today(), dt.time()).astimezone()
    return midnight.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def read_details(db: Database, petition_id: str) -> PetitionDetails:
    """A petition's fields and how many signatures it has (runs on the reads runner)."""
    with db.read() as session:
        p = find_petition(session, petition_id)
        draft = PetitionDraft(
            title=p.title,
            text=p.text,
            addressee=p.addressee,
            ward_name=p.ward_name,
            council_address=p.council_address,
            lead_petitioner=p.lead_petitioner,
            opens_on=p.opens_on,
            closes_on=p.closes_on,
            threshold=p.threshold,
            consent_wording=p.consent_wording,
            letter_text=p.letter_text,
        )
        total = session.scalar(
            select(func.count()).select_from(Signature).where(Signature.petition_id == p.id)
        )
        device = get_local_device(session)
        today = session.scalar(
            select(func.count())
            .select_from(Signature)
            .where(
                Signature.petition_id == p.id,
                Signature.method == "stall",
                Signature.device_id == (device.device_id if device else ""),
                Signature.signed_at >= start_of_today(),
            )
        )
        return PetitionDetails(
            db, p.id, draft, p.text_version, p.consent_version, int(total or 0), int(today or 0)
        )


@dataclass(frozen=True, slots=True)
class SignatureRow:
    """One signature as the Signatures view shows it, with its judgement."""

    number: int  # its place in time order, from 1
    id: str
    name: str
    address: str
    postcode: str
    email: str
    phone: str
    method: str
    sheet: int | None
    row: int | None
    collector: str
    signed_at: str
    text_version: int
    contact_ok: bool
    withdrawn: bool
    decision: str  # "", "count" or "exclude"
    decision_reason: str
    counted: bool
    reasons: tuple[str, ...]
    ward: str
    strokes: list[list[int]] = field(default_factory=list)
    consent_version: int = 0  # the privacy and consent wording the signer saw

    @property
    def flagged(self) -> bool:
        """Whether a rule raised something a person should look at and nobody has decided."""
        return bool(self.reasons) and not self.withdrawn and not self.decision

    @property
    def how(self) -> str:
        """How it was taken: "Stall", "Paper 3/12"."""
        word = METHOD_WORDS.get(self.method, self.method)
        if self.method == "paper" and self.sheet is not None:
            return f"{word} {self.sheet}/{self.row if self.row is not None else '?'}"
        return word

    @property
    def status(self) -> str:
        """Counts, Excluded or Withdrawn, and whether a person decided it."""
        if self.withdrawn:
            return "Withdrawn"
        word = "Counts" if self.counted else "Excluded"
        return f"{word} (decided)" if self.decision else word


@dataclass(frozen=True, slots=True)
class SignatureFigures:
    """A petition's judged signatures and its counts."""

    db: Database
    petition_id: str
    title: str
    threshold: int | None
    counted: int
    excluded: dict[str, int]
    flagged: int
    by_ward: dict[str, int]
    by_method: dict[str, int]
    by_collector: dict[str, int]
    rows: list[SignatureRow]
    #: Counted signatures a retention purge saved as a number before erasing them.
    saved_counted: int = 0
    saved_note: str = ""


def _strokes(stored: object) -> list[list[int]]:
    try:
        value = json.loads(stored) if isinstance(stored, str) and stored else []
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def read_signatures(db: Database, petition_id: str) -> SignatureFigures:
    """Every signature of a petition, judged, and the counts (runs on the reads runner)."""
    result = tally(db, petition_id)
    rows = []
    for number, judged in enumerate(result.judged, start=1):
        s = judged.signature
        rows.append(
            SignatureRow(
                number=number,
                id=s.id,
                name=s.name,
                address=s.address,
                postcode=s.postcode,
                email=s.email,
                phone=s.phone,
                method=s.method,
                sheet=s.sheet_number,
                row=s.row_number,
                collector=s.collector,
                signed_at=s.signed_at,
                text_version=s.text_version,
                consent_version=s.consent_version,
                contact_ok=bool(s.contact_ok),
                withdrawn=bool(s.withdrawn),
                decision=s.count_decision or "",
                decision_reason=s.decision_reason or "",
                counted=judged.counted,
                reasons=judged.reasons,
                ward=judged.ward,
                strokes=_strokes(s.strokes),
            )
        )
    p = result.petition
    saved, saved_at = saved_counts(db, p.id)
    return SignatureFigures(
        db,
        p.id,
        p.title,
        p.threshold,
        result.counted,
        dict(result.excluded),
        sum(1 for r in rows if r.flagged),
        _ordered(result.by_ward),
        _ordered(result.by_method),
        _ordered(result.by_collector),
        rows,
        saved,
        saved_note(saved, saved_at),
    )


def _ordered(counts: Counter[str]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


# -- words --------------------------------------------------------------------------------


def progress_words(counted: int, threshold: int | None) -> str:
    """The count against the threshold: 312 of 500 signatures (62%)."""
    word = "signature" if counted == 1 else "signatures"
    if not threshold:
        return f"{counted:,} {word} counted"
    share = min(100, round(100 * counted / threshold))
    return f"{counted:,} of {threshold:,} {word} ({share}%)"


def counts_line(counts: dict[str, int], words: dict[str, str] | None = None) -> str:
    """Counts in a line: Doorstep 10 · Stall 2 (or "none yet")."""
    if not counts:
        return "none yet"
    return " · ".join(f"{(words or {}).get(k, k)} {n:,}" for k, n in counts.items())


def date_words(iso: str | None) -> str:
    """An ISO date for people: 2026-09-01 as 1 Sep 2026 ("" for none)."""
    if not iso:
        return ""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day:%b %Y}"


def period_words(opens_on: str | None, closes_on: str | None) -> str:
    """When a petition is open, in words."""
    if opens_on and closes_on:
        return f"{date_words(opens_on)} to {date_words(closes_on)}"
    if closes_on:
        return f"closes {date_words(closes_on)}"
    if opens_on:
        return f"from {date_words(opens_on)}"
    return "no closing date"


def first_error(message: str) -> str:
    """A service's message as one line for an inline label (it already is one)."""
    return " ".join(message.split())


# -- fields -------------------------------------------------------------------------------


def line_field(placeholder: str = "", *, touch: bool = False, tip: str = "") -> QLineEdit:
    """A styled one-line field (taller on the stall, for fingers)."""
    edit = QLineEdit()
    edit.setObjectName("touchField" if touch else "field")
    edit.setPlaceholderText(placeholder)
    if tip:
        edit.setToolTip(tip)
    if touch:
        edit.setMinimumHeight(TOUCH_HEIGHT)
    return edit


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Show (or stop showing) ``widget`` with a red edge."""
    if bool(widget.property("invalid")) == invalid:
        return
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


# -- style --------------------------------------------------------------------------------

STYLE = (
    CANVASS_STYLE
    + f"""
QTabWidget#methodTabs::pane {{ border: none; }}
QTabWidget#methodTabs > QWidget {{ background: {theme.BACKGROUND}; }}
QTabBar#methodTabBar {{ background: transparent; }}
QTabBar#methodTabBar::tab {{
    background: {theme.SURFACE}; color: {theme.INK}; border: 1px solid #C5CED6;
    padding: 6px 16px; margin-right: 6px; border-radius: 14px; font-size: 10pt;
}}
QTabBar#methodTabBar::tab:hover {{ background: #EEF2F5; }}
QTabBar#methodTabBar::tab:selected {{
    background: {theme.BRAND_TINT}; color: {theme.BRAND_DARK}; border-color: {theme.BRAND};
    font-weight: 600;
}}
QLineEdit#touchField {{
    border: 1px solid #C5CED6; border-radius: 8px; padding: 6px 12px; background: {theme.SURFACE};
    font-size: 13pt;
}}
QLineEdit#touchField:focus, QPlainTextEdit#textField:focus {{ border-color: {theme.BRAND}; }}
QLineEdit#field[invalid="true"], QLineEdit#touchField[invalid="true"],
QCheckBox[invalid="true"] {{
    border: 2px solid {ERROR_COLOUR}; border-radius: 8px;
}}
QPlainTextEdit#textField {{
    border: 1px solid #C5CED6; border-radius: 6px; padding: 4px 6px; background: {theme.SURFACE};
}}
QCheckBox#touchTick {{ font-size: 12pt; spacing: 10px; padding: 6px 4px; }}
QCheckBox#touchTick::indicator {{ width: 26px; height: 26px; }}
QCheckBox#tick {{ spacing: 8px; }}
QLabel#fieldLabel {{ color: {theme.MUTED}; font-size: 9pt; font-weight: 600; }}
QLabel#touchLabel {{ color: {theme.INK}; font-size: 10pt; font-weight: 600; }}
QLabel#petitionText {{ color: {theme.INK}; font-size: 11pt; }}
QLabel#consentText {{ color: {theme.MUTED}; font-size: 9pt; }}
QLabel#signedCount {{ color: {theme.BRAND_DARK}; font-size: 13pt; font-weight: 600; }}
QLabel#thanks {{
    color: {theme.BRAND_DARK}; background: {theme.BRAND_TINT}; border-radius: 6px;
    padding: 6px 10px; font-size: 11pt; font-weight: 600;
}}
QLabel#cardHeading {{ color: {theme.INK}; font-size: 13pt; font-weight: 600; }}
QLabel#cardMeta {{ color: {theme.MUTED}; font-size: 10pt; }}
QLabel#cardFigure {{ color: {theme.BRAND_DARK}; font-size: 11pt; font-weight: 600; }}
QLabel#workTitle {{ color: {theme.INK}; font-size: 16pt; font-weight: 600; }}
QLabel#warningBanner {{
    color: {WARNING_COLOUR}; background: #FFF4D6; border-radius: 6px; padding: 6px 10px;
    font-size: 10pt;
}}
QPushButton#back {{
    background: transparent; color: {theme.BRAND_DARK}; border: none; padding: 4px 6px;
    font-size: 10pt; font-weight: 600;
}}
QPushButton#back:hover {{ text-decoration: underline; }}
QPushButton#signButton {{
    background: {theme.BRAND}; color: white; border: 1px solid {theme.BRAND_DARK};
    border-radius: 8px; padding: 8px 28px; font-size: 13pt; font-weight: 700;
}}
QPushButton#signButton:hover {{ background: {theme.BRAND_DARK}; }}
QPushButton#signButton:disabled {{ background: #9CC7CB; border-color: #9CC7CB; }}
QPushButton#filterChip {{
    background: {theme.SURFACE}; color: {theme.INK}; border: 1px solid #C5CED6;
    border-radius: 15px; padding: 4px 14px; font-size: 10pt;
}}
QPushButton#filterChip:hover {{ background: #EEF2F5; }}
QPushButton#filterChip:checked {{
    background: {theme.BRAND_TINT}; color: {theme.BRAND_DARK}; border-color: {theme.BRAND};
}}
QProgressBar#petitionProgress {{ min-height: 12px; max-height: 12px; border-radius: 6px; }}
QProgressBar#petitionProgress::chunk {{ border-radius: 5px; }}
"""
)

#: The alignment of most labels in forms.
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
