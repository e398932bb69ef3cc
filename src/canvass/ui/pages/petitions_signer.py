"""The form a signer fills in at a stall (or a canvasser at the door): details, consent, signature.

The fields are checked here, field by field, with the same rules the
services use (:mod:`canvass.domain.signers`), so a mistake is shown beside
its field at once and nothing is sent; the service checks everything again
when it saves. Nothing on the form ever says whether someone signed before
(reference "petitions and bundles" §3): every signer gets the same thanks.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from canvass.domain.errors import ValidationError
from canvass.domain.signers import check_email, check_name, check_phone, check_postcode
from canvass.services.petitions import Signer
from canvass.ui.pages.common import label, panel
from canvass.ui.pages.petitions_common import TOUCH_HEIGHT, line_field, mark_invalid
from canvass.ui.signature_pad import SignatureBox

CONSENT_TEXT = "I agree to sign (required)"
CONTACT_TEXT = "Keep me informed about the campaign"
NO_CONSENT = "Tick “I agree to sign”: nobody is signed up without saying so."


class SignerForm(QWidget):
    """Name, address, postcode, optional email and phone, two ticks, the pad and Sign.

    Two columns: the details on the left (under :attr:`top`, where the page
    puts what the signer should see first), consent and signature on the right.

    Signals:
        sign_requested: A :class:`~canvass.services.petitions.Signer` that passed the checks.
    """

    sign_requested = Signal(object)

    def __init__(self, *, touch: bool, sign_text: str = "Sign", parent: QWidget | None = None):
        super().__init__(parent)
        self.touch = touch
        self.saving = False
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(16)

        left_frame, left = panel()
        left.setContentsMargins(20, 14, 20, 16)
        left.setSpacing(6 if touch else 4)
        self.top = QVBoxLayout()
        self.top.setSpacing(6)
        left.addLayout(self.top)
        self.name = line_field("First name and surname", touch=touch)
        self.address = line_field("House number and street", touch=touch)
        self.postcode = line_field("e.g. ZZ1 1AA", touch=touch)
        self.email = line_field("Optional", touch=touch)
        self.phone = line_field("Optional", touch=touch)
        self.postcode.setMaxLength(12)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        self._field(grid, 0, 0, "Name", self.name, span=2)
        self._field(grid, 2, 0, "Address", self.address, span=2)
        self._field(grid, 4, 0, "Postcode", self.postcode)
        self._field(grid, 6, 0, "Email", self.email)
        self._field(grid, 6, 1, "Phone", self.phone)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        left.addLayout(grid)
        left.addStretch(1)
        row.addWidget(left_frame, 4)

        right_frame, right = panel()
        right.setContentsMargins(20, 14, 20, 16)
        right.setSpacing(6)
        self.consent_text = label("", "consentText", wrap=True)
        right.addWidget(self.consent_text)
        tick_name = "touchTick" if touch else "tick"
        self.consent = QCheckBox(CONSENT_TEXT)
        self.consent.setObjectName(tick_name)
        self.contact = QCheckBox(CONTACT_TEXT)
        self.contact.setObjectName(tick_name)
        self.contact.setToolTip("Only if the signer wants to hear about the campaign; optional")
        ticks: QBoxLayout = QVBoxLayout() if touch else QHBoxLayout()
        ticks.setSpacing(2 if touch else 16)
        ticks.addWidget(self.consent)
        ticks.addWidget(self.contact)
        if not touch:
            ticks.addStretch(1)
        right.addLayout(ticks)
        self.signature = SignatureBox(large=touch)
        right.addWidget(self.signature)
        right.addStretch(1)
        self.error = label("", "inlineError", wrap=True)
        self.error.hide()
        right.addWidget(self.error)
        self.thanks = label("", "thanks", wrap=True)
        self.thanks.hide()
        right.addWidget(self.thanks)
        actions = QHBoxLayout()
        actions.setSpacing(12)
        self.count = label("", "signedCount")
        actions.addWidget(self.count, 1)
        self.sign_button = QPushButton(sign_text)
        self.sign_button.setObjectName("signButton")
        self.sign_button.setAutoDefault(True)
        self.sign_button.setMinimumHeight(TOUCH_HEIGHT + 6 if touch else 40)
        self.sign_button.setMinimumWidth(180)
        self.sign_button.setToolTip("Save this signature (Ctrl+Enter)")
        self.sign_button.clicked.connect(self.submit)
        actions.addWidget(self.sign_button)
        right.addLayout(actions)
        row.addWidget(right_frame, 6)

        order: list[QWidget] = [
            self.name,
            self.address,
            self.postcode,
            self.email,
            self.phone,
            self.consent,
            self.contact,
            self.signature.undo_button,
            self.signature.clear_button,
            self.sign_button,
        ]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)
        fields = [self.name, self.address, self.postcode, self.email, self.phone]
        for n, edit in enumerate(fields):
            following: QWidget = fields[n + 1] if n + 1 < len(fields) else self.consent
            edit.returnPressed.connect(lambda w=following: w.setFocus())
            edit.textEdited.connect(lambda _t, w=edit: self._edited(w))
        self.consent.toggled.connect(lambda _on: self._edited(self.consent))
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.submit)

    def _field(
        self, grid: QGridLayout, row: int, column: int, text: str, edit: QLineEdit, span: int = 1
    ) -> None:
        caption = label(text, "touchLabel" if self.touch else "fieldLabel")
        caption.setBuddy(edit)
        grid.addWidget(caption, row, column, 1, span)
        grid.addWidget(edit, row + 1, column, 1, span)

    # -- filling in ---------------------------------------------------------------------------

    def set_consent_wording(self, text: str) -> None:
        """The privacy and consent wording the signer agrees to."""
        self.consent_text.setText(text)
        self.consent_text.setVisible(bool(text.strip()))

    def fill(self, signer: Signer) -> None:
        """Put ``signer``'s details in the fields (the register's), leaving the ticks alone."""
        self.name.setText(signer.name)
        self.address.setText(signer.address)
        self.postcode.setText(signer.postcode)
        self.email.setText(signer.email)
        self.phone.setText(signer.phone)
        self._clear_marks()

    def reset(self) -> None:
        """An empty form for the next signer."""
        for edit in (self.name, self.address, self.postcode, self.email, self.phone):
            edit.clear()
        self.consent.setChecked(False)
        self.contact.setChecked(False)
        self.signature.pad.clear()
        self._clear_marks()
        self.error.hide()

    def _clear_marks(self) -> None:
        for widget in (self.name, self.postcode, self.email, self.phone, self.consent):
            mark_invalid(widget, False)

    def _edited(self, widget: QWidget) -> None:
        mark_invalid(widget, False)
        self.thanks.hide()

    # -- checking and signing ------------------------------------------------------------

    def problems(self) -> list[tuple[QWidget, str]]:
        """Each field that fails the rules, with the rule's words (empty when all is well)."""
        checks: list[tuple[QWidget, Callable[[], object]]] = [
            (self.name, lambda: check_name(self.name.text())),
            (self.postcode, lambda: check_postcode(self.postcode.text())),
            (self.email, lambda: check_email(self.email.text())),
            (self.phone, lambda: check_phone(self.phone.text())),
        ]
        out: list[tuple[QWidget, str]] = []
        for widget, check in checks:
            try:
                check()
            except ValidationError as exc:
                out.append((widget, str(exc)))
        if not self.consent.isChecked():
            out.append((self.consent, NO_CONSENT))
        return out

    def signer(self) -> Signer:
        """What the form holds, as the services take it."""
        return Signer(
            name=self.name.text(),
            address=self.address.text(),
            postcode=self.postcode.text(),
            email=self.email.text(),
            phone=self.phone.text(),
            consent=self.consent.isChecked(),
            contact_ok=self.contact.isChecked(),
            strokes=self.signature.pad.strokes() or None,
        )

    @Slot()
    def submit(self) -> None:
        """Check the form; if it passes, ask for the signature to be saved."""
        if self.saving or not self.sign_button.isEnabled():
            return
        self.thanks.hide()
        problems = self.problems()
        self._clear_marks()
        if problems:
            for widget, _message in problems:
                mark_invalid(widget, True)
            self.show_error("\n".join(message for _w, message in problems))
            problems[0][0].setFocus()
            return
        self.error.hide()
        self.saving = True
        self.sign_button.setEnabled(False)
        self.sign_requested.emit(self.signer())

    def show_error(self, message: str) -> None:
        """Say what is wrong, above the Sign button."""
        self.error.setText(message)
        self.error.show()

    def saved(self, thanks: str) -> None:
        """The signature was saved: clear for the next signer and thank this one."""
        self.saving = False
        self.sign_button.setEnabled(True)
        self.reset()
        self.thanks.setText(thanks)
        self.thanks.show()

    def refused(self, message: str) -> None:
        """The service refused: keep everything as typed and say why."""
        self.saving = False
        self.sign_button.setEnabled(True)
        self.show_error(message)
