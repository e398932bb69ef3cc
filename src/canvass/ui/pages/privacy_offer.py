"""The offer to purge, shown across the top of the main window when the retention date has passed.

A campaign must not keep people's opinions longer than it needs them, and
nobody remembers a date months after polling day. So when the window opens
on a database whose retention date has passed and which still holds data a
purge would remove, a banner says so. It never blocks: "Review…" goes to the
Privacy screen's Retention tab, "Later" hides it until the next time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from canvass.domain.errors import CanvassError
from canvass.services.campaigns import current_campaign, is_coordinator
from canvass.services.retention import RetentionStatus, retention_date, retention_status
from canvass.storage.database import Database
from canvass.storage.local import get_local_device
from canvass.ui import theme
from canvass.ui.pages.privacy_common import WARNING_COLOUR, WARNING_TINT, date_text, plural
from canvass.ui.pages.privacy_plan import purge_due

STYLE = f"""
QFrame#purgeOffer {{
    background: {WARNING_TINT}; border: none; border-bottom: 1px solid #E8D6A6;
}}
QFrame#purgeOffer QLabel {{ color: {WARNING_COLOUR}; font-size: 10pt; background: transparent; }}
QFrame#purgeOffer QLabel#offerTitle {{ font-weight: 600; }}
QFrame#purgeOffer QPushButton {{
    background: {theme.SURFACE}; color: {theme.INK}; border: 1px solid #D9C48D;
    border-radius: 6px; padding: 5px 14px;
}}
QFrame#purgeOffer QPushButton:hover {{ background: #FFFBEF; }}
QFrame#purgeOffer QPushButton#offerReview {{
    background: {WARNING_COLOUR}; color: white; border-color: #6E4700; font-weight: 600;
}}
QFrame#purgeOffer QPushButton#offerReview:hover {{ background: #6E4700; }}
"""


@dataclass(frozen=True, slots=True)
class PurgeCheck:
    """Whether a purge is due in one database (``status`` None when it is not)."""

    db: Database
    status: RetentionStatus | None


def check_purge(db: Database) -> PurgeCheck:
    """Whether the retention date has passed with data left to purge (runs on the reads runner).

    A database with no campaign yet has nothing to purge. The plan (which
    counts every record) is only worked out once the date has passed, so
    opening a big database before then costs one small read.
    """
    with db.read() as session:
        campaign = current_campaign(session)
        until = retention_date(campaign)[0] if campaign is not None else None
        device = get_local_device(session)
        # Only the coordinator's database purges (the laptops follow its file).
        coordinator = device is not None and is_coordinator(session, device.device_id)
    if until is None or dt.date.today() < until or not coordinator:
        return PurgeCheck(db, None)
    try:
        status = retention_status(db)
    except CanvassError:
        return PurgeCheck(db, None)
    return PurgeCheck(db, status if purge_due(status) else None)


def offer_words(status: RetentionStatus) -> str:
    """What the banner says."""
    return (
        f"The retention date passed on {date_text(status.until)}, and this database still "
        f"holds {plural(status.plan.to_erase, 'record')} of personal data that a purge removes."
    )


class PurgeOffer(QFrame):
    """The banner: what is due, "Review…" and "Later".

    Signals:
        review: The person wants to see the retention plan.
    """

    review = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("purgeOffer")
        self.setStyleSheet(STYLE)
        self.status: RetentionStatus | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(20, 9, 16, 9)
        row.setSpacing(10)
        title = QLabel("Time to purge")
        title.setObjectName("offerTitle")
        row.addWidget(title)
        self.text = QLabel("")
        self.text.setWordWrap(True)
        row.addWidget(self.text, 1)
        self.review_button = QPushButton("Review…")
        self.review_button.setObjectName("offerReview")
        self.review_button.setToolTip("See what a purge removes and keeps, on the Privacy screen")
        self.review_button.clicked.connect(self._on_review)
        self.later_button = QPushButton("Later")
        self.later_button.setToolTip("Hide this until canvass next opens the database")
        self.later_button.clicked.connect(self.hide)
        for button in (self.review_button, self.later_button):
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def offer(self, status: RetentionStatus | None) -> None:
        """Show the banner for ``status``, or hide it when no purge is due."""
        self.status = status
        if status is None:
            self.hide()
            return
        self.text.setText(offer_words(status))
        self.show()

    @Slot()
    def _on_review(self) -> None:
        self.hide()
        self.review.emit()
