"""The Petitions screen and the signature pad.

A small synthetic demo campaign (made-up names in the non-existent ZZ
postcode area, with a demo petition) in the real main window: keys and
mouse drags go where a person's would, and the database is checked
afterwards, down to the signatures' stored strokes.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QWidget,
)
from sqlalchemy import func, select  # noqa: E402

from canvass.domain.signers import BOX, MAX_POINTS  # noqa: E402
from canvass.paths import Paths  # noqa: E402
from canvass.services import petition_counts as pc  # noqa: E402
from canvass.services import petitions as p  # noqa: E402
from canvass.services.campaigns import create_campaign  # noqa: E402
from canvass.services.databases import open_db  # noqa: E402
from canvass.storage.database import Database  # noqa: E402
from canvass.storage.tables import OperationRow, Petition, Signature  # noqa: E402
from canvass.ui.application import build_main_window  # noqa: E402
from canvass.ui.main_window import MainWindow  # noqa: E402
from canvass.ui.pages.petitions_common import progress_words, read_signatures  # noqa: E402
from canvass.ui.pages.petitions_models import (  # noqa: E402
    FILTERS,
    PaperRow,
    PaperRowsModel,
    SignatureColumn,
    SignatureModel,
)
from canvass.ui.pages.petitions_page import EDITOR, LIST, WORK, PetitionsPage  # noqa: E402
from canvass.ui.pages.petitions_paper import import_problems  # noqa: E402
from canvass.ui.pages.petitions_workspace import (  # noqa: E402
    PAPER,
    REGISTER,
    SIGNATURES,
    STALL,
    Workspace,
)
from canvass.ui.signature_pad import SignaturePad  # noqa: E402
from tests.helpers import close_when_idle, demo_db  # noqa: E402

WAIT = 20_000  # ms: generous, the CI machines are slow and shared


# -- set-up -----------------------------------------------------------------------------------


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Database]:
    db = demo_db(str(tmp_path / "demo.db"), 150)
    yield db
    db.close()  # closing twice is harmless; the window closes the one it shows


@pytest.fixture
def finish(qtbot) -> Iterator[list[MainWindow]]:
    """Windows a test opened, left with nothing running when it ends."""
    windows: list[MainWindow] = []
    yield windows  # each closes itself once idle: see close_when_idle


def idle(qtbot, win: MainWindow) -> None:
    page = win.petitions_page
    qtbot.waitUntil(
        lambda: not page.busy and not win.tasks.busy and not win.reads.busy, timeout=WAIT
    )


def show(qtbot, db: Database, tmp_path: Path, finish: list[MainWindow]) -> MainWindow:
    """The main window on ``db``, on the Petitions screen once it has read its list."""
    win = build_main_window(db, Paths.under(tmp_path / "home"))
    close_when_idle(qtbot, win, also=lambda: not win.petitions_page.busy)
    finish.append(win)
    win.resize(1366, 768)
    with qtbot.waitSignal(win.live.updated, timeout=WAIT):
        win.show()
    names = [win.nav.item(row).text() for row in range(win.nav.count())]
    with qtbot.waitSignal(win.petitions_page.loaded, timeout=WAIT):
        win.nav.setCurrentRow(names.index("Petitions"))
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=WAIT)
    idle(qtbot, win)
    return win


def open_petition(qtbot, win: MainWindow, petition_id: str, method: int = STALL) -> Workspace:
    page: PetitionsPage = win.petitions_page
    with qtbot.waitSignal(page.work.loaded, timeout=WAIT):
        page.open_petition(petition_id)
    page.work.methods.setCurrentIndex(method)
    idle(qtbot, win)
    return page.work


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def type_in(qtbot, text: str, then: Qt.Key | None = Qt.Key.Key_Return) -> None:
    """Type ``text`` where the focus is, then press ``then``."""
    qtbot.keyClicks(focused(), text)
    if then is not None:
        qtbot.keyClick(focused(), then)


def draw(qtbot, pad: SignaturePad, *strokes: list[tuple[float, float]]) -> None:
    """Drag the mouse over ``pad`` along each stroke (points as shares of the signing area)."""
    box = pad.box()

    def at(point: tuple[float, float]) -> QPoint:
        return QPoint(
            round(box.left() + point[0] * box.width()), round(box.top() + point[1] * box.height())
        )

    for stroke in strokes:
        qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=at(stroke[0]))
        for point in stroke[1:]:
            qtbot.mouseMove(pad, at(point))
        qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=at(stroke[-1]))


ZIGZAG = [(0.1 + 0.05 * n, 0.7 if n % 2 else 0.3) for n in range(12)]


def demo_petition(db: Database) -> pc.PetitionSummary:
    return pc.list_petitions(db)[0]


def signatures(db: Database, petition_id: str) -> list[Signature]:
    with db.read() as session:
        rows = list(
            session.scalars(
                select(Signature)
                .where(Signature.petition_id == petition_id)
                .order_by(Signature.signed_at, Signature.id)
            )
        )
        session.expunge_all()
    return rows


def operations(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(OperationRow)) or 0)


# -- the signature pad ------------------------------------------------------------------------


def test_a_drawn_signature_is_strokes_of_points_in_the_box(qtbot) -> None:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(620, 220)
    pad.show()
    qtbot.waitExposed(pad)
    changes: list[int] = []
    pad.changed.connect(lambda: changes.append(pad.point_count()))
    box = pad.box()
    assert box.width() == pytest.approx(3 * box.height(), abs=1)  # the signing area's shape
    draw(qtbot, pad, [(0.0, 0.0), (0.5, 0.5), (1.0, 1.0)], ZIGZAG)
    strokes = pad.strokes()
    assert len(strokes) == 2
    first = strokes[0]
    assert first[:2] == [0, 0] and first[-2:] == [BOX, BOX]  # corners of the 0–1000 box
    assert abs(first[2] - 500) <= 3 and abs(first[3] - 500) <= 3
    assert len(strokes[1]) == 2 * len(ZIGZAG)
    for stroke in strokes:
        assert len(stroke) % 2 == 0  # x, y pairs: no timing, no pressure
        assert all(type(v) is int and 0 <= v <= BOX for v in stroke)
    assert changes == [3, 3 + len(ZIGZAG)]  # one change per stroke, when it ends

    # Outside the area, a drag is held to its edge; y grows downwards.
    draw(qtbot, pad, [(-0.5, 0.9), (2.0, 0.1)])
    assert pad.strokes()[2] == [0, 900, BOX, 100]

    pad.undo_stroke()
    assert pad.strokes() == strokes
    copy = pad.strokes()
    copy[0][0] = 999
    assert pad.strokes() == strokes  # strokes() hands out a copy
    pad.clear()
    assert pad.is_empty() and pad.strokes() == []
    pad.set_strokes(strokes)
    assert pad.strokes() == strokes
    pad.set_strokes([[1, 2, 3]])  # not pairs: shows nothing rather than fail
    assert pad.is_empty()


def test_the_pad_stops_at_the_points_cap(qtbot) -> None:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(620, 220)
    pad.show()
    qtbot.waitExposed(pad)
    almost = [[x % 1000, (x // 1000) * 100] for x in range(0, 2 * (MAX_POINTS - 3), 2)]
    pad.set_strokes([[v for point in almost for v in point]])
    assert pad.point_count() == MAX_POINTS - 3
    with qtbot.waitSignal(pad.filled, timeout=WAIT):
        draw(qtbot, pad, ZIGZAG)
    assert pad.point_count() == MAX_POINTS
    assert pad.full
    draw(qtbot, pad, ZIGZAG)  # refused: no new stroke
    assert pad.point_count() == MAX_POINTS
    pad.undo_stroke()
    assert not pad.full and pad.point_count() == MAX_POINTS - 3


def test_touch_and_pen_draw_too(qtbot) -> None:
    from PySide6.QtGui import QPointingDevice, QTabletEvent
    from PySide6.QtTest import QTest

    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(620, 220)
    pad.show()
    qtbot.waitExposed(pad)
    box = pad.box()
    mid = QPoint(round(box.center().x()), round(box.center().y()))
    device = QTest.createTouchDevice()
    QTest.touchEvent(pad, device).press(0, mid).commit()
    QTest.touchEvent(pad, device).move(0, mid + QPoint(60, 20)).commit()
    QTest.touchEvent(pad, device).release(0, mid + QPoint(60, 20)).commit()
    assert len(pad.strokes()) == 1 and len(pad.strokes()[0]) == 4

    pen = QPointingDevice.primaryPointingDevice()
    for kind, where in (
        (QTabletEvent.Type.TabletPress, QPointF(mid)),
        (QTabletEvent.Type.TabletMove, QPointF(mid) + QPointF(-80, 10)),
        (QTabletEvent.Type.TabletRelease, QPointF(mid) + QPointF(-80, 10)),
    ):
        event = QTabletEvent(
            kind,
            pen,
            where,
            pad.mapToGlobal(where),
            0.8,  # pressure: never kept
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            Qt.KeyboardModifier.NoModifier,
            Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton,
        )
        QApplication.sendEvent(pad, event)
    assert len(pad.strokes()) == 2 and len(pad.strokes()[1]) == 4


# -- the list and the editor --------------------------------------------------------------------


def test_petitions_replaces_its_coming_soon_page(qtbot, tmp_path, demo, finish) -> None:
    win = show(qtbot, demo, tmp_path, finish)
    names = [win.nav.item(row).text() for row in range(win.nav.count())]
    page = win.petitions_page
    assert win.stack.widget(names.index("Petitions")) is page
    assert "Petitions" not in [placeholder.planned.title for placeholder in win.placeholders]
    summary = demo_petition(demo)
    assert page.stack.currentIndex() == LIST
    [card] = page.list.cards
    assert card.title.text() == summary.title
    assert card.figure.text() == progress_words(summary.counted, summary.threshold)
    assert card.progress.maximum() == summary.threshold == 500
    assert card.progress.value() == summary.counted > 0
    assert not page.list.empty_panel.isVisible()
    work = open_petition(qtbot, win, summary.id)
    assert page.stack.currentIndex() == WORK
    assert work.title.text() == summary.title
    assert work.sheets_button.isEnabled() and work.bundle_button.isEnabled()


def test_empty_states(qtbot, tmp_path, finish) -> None:
    bare = open_db(str(tmp_path / "bare.db"), create=True)
    win = show(qtbot, bare, tmp_path, finish)
    page = win.petitions_page
    assert page.list.empty_title.text() == "No campaign yet"
    assert not page.list.new_button.isEnabled()
    create_campaign(bare, "Save Exampleton Library")
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.reload()
    assert page.list.empty_title.text() == "No petitions yet"
    assert page.list.empty_panel.isVisible() and page.list.new_button.isEnabled()
    assert page.list.cards == []


def test_create_a_petition_in_the_editor(qtbot, tmp_path, demo, finish) -> None:
    win = show(qtbot, demo, tmp_path, finish)
    page = win.petitions_page
    qtbot.mouseClick(page.list.new_button, Qt.MouseButton.LeftButton)
    assert page.stack.currentIndex() == EDITOR
    editor = page.editor
    assert focused() is editor.title
    # Nothing typed: the service's refusal shows inline and nothing is saved.
    before = operations(demo)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    idle(qtbot, win)
    assert editor.error.isVisible() and "title" in editor.error.text()
    assert operations(demo) == before

    qtbot.keyClicks(editor.title, "Fix the Sample Street lights")
    qtbot.keyClicks(editor.text, "We ask the council to repair the street lights this winter.")
    qtbot.keyClicks(editor.addressee, "Councillor B. Example")
    qtbot.keyClicks(editor.ward, "Northmock")
    qtbot.keyClicks(editor.lead, "C. Organiser")
    editor.closes.tick.setChecked(True)
    editor.closes.edit.setDate(editor.closes.edit.date().addDays(30))
    editor.threshold.setValue(250)
    qtbot.keyClicks(editor.letter, "Dear Councillor, please find our petition enclosed.")
    with qtbot.waitSignal(page.work.loaded, timeout=WAIT):
        qtbot.keyClick(editor.title, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    idle(qtbot, win)
    assert page.stack.currentIndex() == WORK
    assert page.work.title.text() == "Fix the Sample Street lights"
    with demo.read() as session:
        created = session.scalars(
            select(Petition).where(Petition.title == "Fix the Sample Street lights")
        ).one()
        assert created.threshold == 250 and created.addressee == "Councillor B. Example"
        assert created.closes_on is not None and created.opens_on is None
        assert created.letter_text.startswith("Dear Councillor")
        assert created.consent_wording  # the standard wording, as none was given
        assert created.text_version == 1

    # The Signatures view of a new petition: an empty state.
    with qtbot.waitSignal(page.work.figures_loaded, timeout=WAIT):
        page.work.tabs.setCurrentIndex(SIGNATURES)
    assert page.work.signatures.stack.currentWidget() is page.work.signatures.message


def test_changing_the_text_starts_a_new_version(qtbot, tmp_path, demo, finish) -> None:
    win = show(qtbot, demo, tmp_path, finish)
    page = win.petitions_page
    summary = demo_petition(demo)
    with qtbot.waitSignal(page.editing, timeout=WAIT):
        qtbot.mouseClick(page.list.cards[0].edit_button, Qt.MouseButton.LeftButton)
    editor = page.editor
    assert editor.title.text() == summary.title
    assert "Version 1" in editor.version_note.text()
    editor.text.moveCursor(editor.text.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor.text, " And open on Sundays.")
    assert "starts version 2" in editor.version_note.text()
    assert "keep version 1" in editor.version_note.text()
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    idle(qtbot, win)
    assert page.stack.currentIndex() == LIST  # back where the editor was opened from
    with demo.read() as session:
        petition = session.get(Petition, summary.id)
        assert petition is not None and petition.text_version == 2
        assert petition.text.endswith("And open on Sundays.")
    assert {s.text_version for s in signatures(demo, summary.id)} == {1}
    assert "text version 2" in page.list.cards[0].meta.text()


# -- taking signatures ----------------------------------------------------------------------------


def test_sign_at_the_stall_by_keyboard_and_a_drawn_signature(qtbot, tmp_path, demo, finish):
    win = show(qtbot, demo, tmp_path, finish)
    summary = demo_petition(demo)
    work = open_petition(qtbot, win, summary.id, STALL)
    work.collector.setText("Ada Example")
    form = work.stall.form
    before = work.stall.today
    assert form.count.text() == f"Signed: {before} today at this stall"
    assert form.consent_text.text().startswith("Your details are used only")
    assert work.stall.text.text().startswith("We the undersigned")
    assert focused() is form.name  # ready to type as soon as the petition opens
    type_in(qtbot, "Zoe Testwell")  # QTest types ASCII only
    assert focused() is form.address
    type_in(qtbot, "12 Example Road")
    type_in(qtbot, "zz1 1aa")
    type_in(qtbot, "zoe@example.org", Qt.Key.Key_Tab)
    assert focused() is form.phone
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is form.consent
    qtbot.keyClick(focused(), Qt.Key.Key_Space)
    assert form.consent.isChecked() and not form.contact.isChecked()
    draw(qtbot, form.signature.pad, [(0.1, 0.5), (0.3, 0.2), (0.5, 0.6)], ZIGZAG)
    assert form.signature.undo_button.isEnabled()
    drawn = form.signature.pad.strokes()
    with qtbot.waitSignal(work.stall.signed, timeout=WAIT) as signed:
        qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    idle(qtbot, win)
    [saved] = [s for s in signatures(demo, summary.id) if s.id == signed.args[0]]
    assert (saved.name, saved.address, saved.postcode) == (
        "Zoe Testwell",
        "12 Example Road",
        "ZZ1 1AA",
    )
    assert saved.method == "stall" and saved.collector == "Ada Example"
    assert saved.consent and not saved.contact_ok and saved.email == "zoe@example.org"
    strokes = json.loads(saved.strokes)
    assert strokes == drawn and len(strokes) == 2
    assert all(0 <= v <= BOX for stroke in strokes for v in stroke)
    # Cleared for the next signer, with the day's count and the same thanks for everyone.
    assert form.name.text() == "" and form.signature.pad.is_empty()
    assert not form.consent.isChecked()
    assert form.thanks.isVisible() and "Ready for the next signer" in form.thanks.text()
    assert form.count.text() == f"Signed: {before + 1} today at this stall"
    assert focused() is form.name
    settings = win.settings.qsettings
    work._remember_collector()
    assert settings.value("petitions/collector") == "Ada Example"


@pytest.mark.parametrize(
    ("name", "postcode", "consent", "field", "message"),
    [
        ("Zoë Testwell", "NOT A CODE", True, "postcode", "not a UK postcode"),
        ("", "ZZ1 1AA", True, "name", "The name is empty"),
        ("=HYPERLINK(1)", "ZZ1 1AA", True, "name", "cannot start with '='"),
        ("Zoë Testwell", "ZZ1 1AA", False, "consent", "I agree to sign"),
    ],
)
def test_bad_input_at_the_stall_is_shown_inline_and_saves_nothing(
    qtbot, tmp_path, demo, finish, name, postcode, consent, field, message
) -> None:
    win = show(qtbot, demo, tmp_path, finish)
    summary = demo_petition(demo)
    work = open_petition(qtbot, win, summary.id, STALL)
    form = work.stall.form
    form.name.setText(name)
    form.postcode.setText(postcode)
    form.consent.setChecked(consent)
    draw(qtbot, form.signature.pad, ZIGZAG)
    before = operations(demo)
    qtbot.mouseClick(form.sign_button, Qt.MouseButton.LeftButton)
    idle(qtbot, win)
    assert form.error.isVisible() and message in form.error.text()
    widget = getattr(form, field)
    assert widget.property("invalid") is True
    assert focused() is widget
    assert operations(demo) == before
    assert form.name.text() == name and not form.signature.pad.is_empty()  # nothing lost
    assert not form.thanks.isVisible()


def test_a_refusal_from_the_service_is_shown_inline(qtbot, tmp_path, demo, finish) -> None:
    win = show(qtbot, demo, tmp_path, finish)
    summary = demo_petition(demo)
    work = open_petition(qtbot, win, summary.id, STALL)
    form = work.stall.form
    form.fill(p.Signer(name="Zoë Testwell", address="x" * 600, postcode="ZZ1 1AA"))
    form.consent.setChecked(True)
    before = operations(demo)
    qtbot.mouseClick(form.sign_button, Qt.MouseButton.LeftButton)
    idle(qtbot, win)
    assert "longer than 500" in form.error.text() and form.sign_button.isEnabled()
    assert operations(demo) == before


def test_a_closed_petition_says_so_and_takes_no_signature(qtbot, tmp_path, demo, finish):
    import datetime as dt

    summary = demo_petition(demo)
    yesterday = dt.date.today() - dt.timedelta(days=1)
    p.update_petition(
        demo, summary.id, p.PetitionDraft(summary.title, "Keep it open.", closes_on=yesterday)
    )
    win = show(qtbot, demo, tmp_path, finish)
    work = open_petition(qtbot, win, summary.id, STALL)
    assert work.banner.isVisible() and "closed on" in work.banner.text()
    form = work.stall.form
    form.fill(p.Signer(name="Zoe Testwell", postcode="ZZ1 1AA"))
    form.consent.setChecked(True)
    before = operations(demo)
    qtbot.mouseClick(form.sign_button, Qt.MouseButton.LeftButton)
    idle(qtbot, win)
    assert form.error.isVisible() and "closed on" in form.error.text()
    assert operations(demo) == before


def test_sign_from_the_register_prefilled(qtbot, tmp_path, demo, finish) -> None:
    win = show(qtbot, demo, tmp_path, finish)
    summary = demo_petition(demo)
    work = open_petition(qtbot, win, summary.id, REGISTER)
    tab = work.register
    assert focused() is tab.search.box
    type_in(qtbot, "Sample Street", None)
    qtbot.waitUntil(lambda: tab.search.model.rowCount() > 0, timeout=WAIT)
    idle(qtbot, win)
    hit = tab.search.model.hits[0]
    with qtbot.waitSignal(tab.prefilled, timeout=WAIT):
        qtbot.keyClick(tab.search.box, Qt.Key.Key_Return)
    expected = p.signer_from_elector(demo, hit.elector_id)
    form = tab.form
    assert (form.name.text(), form.address.text(), form.postcode.text()) == (
        expected.name,
        expected.address,
        expected.postcode,
    )
    assert tab.stack.currentWidget() is form and hit.name in tab.who.text()
    assert focused() is form.consent
    qtbot.keyClick(focused(), Qt.Key.Key_Space)
    draw(qtbot, form.signature.pad, ZIGZAG)
    with qtbot.waitSignal(tab.signed, timeout=WAIT) as signed:
        qtbot.mouseClick(form.sign_button, Qt.MouseButton.LeftButton)
    idle(qtbot, win)
    [saved] = [s for s in signatures(demo, summary.id) if s.id == signed.args[0]]
    assert saved.method == "doorstep" and saved.elector_id == hit.elector_id
    assert saved.name == expected.name and json.loads(saved.strokes)
    assert tab.hit is None and focused() is tab.search.box
    assert f"Signed: {expected.name}" in tab.status.text()


def test_paper_sheets_typed_in_with_rows_moving_on(qtbot, tmp_path, demo, finish) -> None:
    win = show(qtbot, demo, tmp_path, finish)
    summary = demo_petition(demo)
    work = open_petition(qtbot, win, summary.id, PAPER)
    paper = work.paper
    paper.row.setValue(7)
    paper.sheet.setValue(3)
    assert paper.row.value() == 1  # a new sheet starts at its first row
    assert focused() is paper.name
    for name, address, postcode in (
        ("Ifeoma Testwell", "3 Sample Street", "ZZ1 7FH"),
        ("Rhys Mockridge", "5 Sample Street", "zz17fh"),
    ):
        type_in(qtbot, name)
        type_in(qtbot, address)
        with qtbot.waitSignal(paper.signed, timeout=WAIT):
            type_in(qtbot, postcode)
        idle(qtbot, win)
        assert focused() is paper.name
    assert paper.row.value() == 3 and paper.sheet.value() == 3
    assert "Next: row 3" in paper.status.text()
    assert [(r.sheet, r.row, r.name) for r in paper.model.rows] == [
        (3, 2, "Rhys Mockridge"),
        (3, 1, "Ifeoma Testwell"),
    ]
    typed = [s for s in signatures(demo, summary.id) if s.sheet_number == 3]
    assert sorted((s.row_number, s.postcode, s.method, s.consent) for s in typed) == [
        (1, "ZZ1 7FH", "paper", True),
        (2, "ZZ1 7FH", "paper", True),
    ]
    # A bad row: said inline, nothing saved, the row number stays.
    before = operations(demo)
    type_in(qtbot, "Nia Example")
    type_in(qtbot, "")
    type_in(qtbot, "nowhere")
    idle(qtbot, win)
    assert paper.error.isVisible() and "not a UK postcode" in paper.error.text()
    assert paper.row.value() == 3 and operations(demo) == before


def test_csv_import_lists_broken_rows_and_imports_nothing(
    qtbot, tmp_path, demo, finish, monkeypatch
) -> None:
    win = show(qtbot, demo, tmp_path, finish)
    summary = demo_petition(demo)
    work = open_petition(qtbot, win, summary.id, PAPER)
    paper = work.paper
    broken = tmp_path / "broken.csv"
    broken.write_text(
        "name,address,postcode,sheet,row\n"
        "Ada Testwell,1 Sample Street,ZZ1 7FH,9,1\n"
        "Bo Example,2 Sample Street,NOPE,9,2\n"
        "Cy Example,3 Sample Street,ZZ1 7FH,9,3\n"
        ",4 Sample Street,ZZ1 7FH,9,4\n",
        encoding="utf-8",
    )
    chosen = [broken]
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a, **k: (str(chosen[0]), "CSV files (*.csv)")
    )
    before = len(signatures(demo, summary.id))
    qtbot.mouseClick(paper.import_button, Qt.MouseButton.LeftButton)
    idle(qtbot, win)
    text = paper.import_error.text()
    assert paper.import_error.isVisible() and "Nothing was imported" in text
    assert "• line 3:" in text and "• line 5:" in text and "line 2" not in text
    assert len(signatures(demo, summary.id)) == before

    good = tmp_path / "good.csv"
    good.write_text(
        "name,postcode,sheet,row\nAda Testwell,ZZ1 7FH,9,1\nCy Example,ZZ1 7FH,9,3\n",
        encoding="utf-8",
    )
    chosen[0] = good
    with qtbot.waitSignal(paper.imported, timeout=WAIT):
        qtbot.mouseClick(paper.import_button, Qt.MouseButton.LeftButton)
    idle(qtbot, win)
    assert not paper.import_error.isVisible()
    assert paper.import_result.text() == "Imported 2 signatures from good.csv."
    assert len(signatures(demo, summary.id)) == before + 2


def test_import_problems_are_listed_a_line_each() -> None:
    message = "Nothing was imported: 2 row(s) of x.csv need fixing: line 3: bad; line 9: worse."
    assert import_problems(message) == (
        "Nothing was imported: 2 row(s) of x.csv need fixing:\n• line 3: bad\n• line 9: worse"
    )
    assert import_problems("Could not read x.csv.") == "Could not read x.csv."


# -- the signatures -------------------------------------------------------------------------------


def show_signatures(qtbot, win: MainWindow, work: Workspace) -> None:
    with qtbot.waitSignal(work.figures_loaded, timeout=WAIT):
        work.tabs.setCurrentIndex(SIGNATURES)
    idle(qtbot, win)


def test_a_duplicate_is_shown_only_in_the_signatures_view(qtbot, tmp_path, demo, finish) -> None:
    win = show(qtbot, demo, tmp_path, finish)
    summary = demo_petition(demo)
    earlier = signatures(demo, summary.id)[0]
    work = open_petition(qtbot, win, summary.id, STALL)
    form = work.stall.form
    thanks: list[str] = []
    for name in ("Unique Newcomer", earlier.name):  # the second signed before
        form.fill(p.Signer(name=name, address=earlier.address, postcode=earlier.postcode))
        form.consent.setChecked(True)
        with qtbot.waitSignal(work.stall.signed, timeout=WAIT):
            qtbot.mouseClick(form.sign_button, Qt.MouseButton.LeftButton)
        idle(qtbot, win)
        thanks.append(form.thanks.text())
        assert not form.error.isVisible()
    assert thanks[0] == thanks[1]  # the stall never tells
    duplicate_id = signatures(demo, summary.id)[-1].id

    show_signatures(qtbot, win, work)
    view = work.signatures
    figures = read_signatures(demo, summary.id)
    assert view.progress_text.text() == progress_words(figures.counted, figures.threshold)
    assert view.model.rowCount() == len(figures.rows)
    assert "Stall" in view.by["method"].text() and "Doorstep" in view.by["method"].text()
    view.set_filter("excluded")
    row = view.model.find(duplicate_id)
    assert row >= 0
    index = view.model.index(row, SignatureColumn.STATUS)
    assert view.model.data(index) == "Excluded"
    why = view.model.data(view.model.index(row, SignatureColumn.REASONS))
    assert why == "duplicate: same name and postcode"
    view.set_filter("flagged")
    assert view.select(duplicate_id)
    assert view.count_button.isEnabled() and not view.exclude_button.isEnabled()
    assert "duplicate" in view.judgement.text()

    with qtbot.waitSignal(work.figures_loaded, timeout=WAIT):
        qtbot.mouseClick(view.count_button, Qt.MouseButton.LeftButton)
    idle(qtbot, win)
    judged = {r.id: r for r in read_signatures(demo, summary.id).rows}
    assert judged[duplicate_id].counted and judged[duplicate_id].decision == "count"
    assert read_signatures(demo, summary.id).counted == figures.counted + 1
    view.set_filter("counted")
    assert view.select(duplicate_id)
    assert view.selected().status == "Counts (decided)"
    assert view.rules_button.isEnabled() and view.exclude_button.isEnabled()
    with qtbot.waitSignal(work.figures_loaded, timeout=WAIT):
        qtbot.mouseClick(view.rules_button, Qt.MouseButton.LeftButton)
    idle(qtbot, win)
    assert not {r.id: r for r in read_signatures(demo, summary.id).rows}[duplicate_id].counted


def test_exclude_with_a_reason_and_withdraw(qtbot, tmp_path, demo, finish, monkeypatch) -> None:
    win = show(qtbot, demo, tmp_path, finish)
    summary = demo_petition(demo)
    work = open_petition(qtbot, win, summary.id, STALL)
    show_signatures(qtbot, win, work)
    view = work.signatures
    first, second = view.model.rows[0], view.model.rows[1]
    assert first.counted and second.counted

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Lives outside the area", True))
    assert view.select(first.id)
    with qtbot.waitSignal(work.figures_loaded, timeout=WAIT):
        qtbot.mouseClick(view.exclude_button, Qt.MouseButton.LeftButton)
    idle(qtbot, win)
    row = view.model.row_at(view.model.find(first.id))
    assert row is not None and not row.counted
    assert "excluded by a person: Lives outside the area" in row.reasons

    asked: list[str] = []

    def answer(_parent, title, text, *_a, **_k):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    assert view.select(second.id)
    with qtbot.waitSignal(work.figures_loaded, timeout=WAIT):
        qtbot.mouseClick(view.withdraw_button, Qt.MouseButton.LeftButton)
    idle(qtbot, win)
    assert second.name in asked[0]
    row = view.model.row_at(view.model.find(second.id))
    assert row is not None and row.withdrawn and row.status == "Withdrawn"
    assert view.selected() is not None and view.selected().id == second.id
    assert not view.withdraw_button.isEnabled() and not view.count_button.isEnabled()
    stored = {s.id: s for s in signatures(demo, summary.id)}
    assert stored[second.id].withdrawn
    assert view.filter_buttons["excluded"].text().endswith(" 2")


def test_the_models_pass_qtmodeltester(qtmodeltester, demo) -> None:
    summary = demo_petition(demo)
    p.sign(
        demo,
        summary.id,
        p.Signer(name="Zoë Testwell", postcode="ZZ1 1AA", consent=True),
        method="stall",
    )
    rows = read_signatures(demo, summary.id).rows
    model = SignatureModel()
    model.set_rows(rows)
    qtmodeltester.check(model)
    for key, _text, _tip in FILTERS:
        model.set_filter(key, "")
        qtmodeltester.check(model)
    model.set_filter("all", "zz1 1aa")
    assert model.rowCount() >= 1
    qtmodeltester.check(model)
    paper = PaperRowsModel()
    qtmodeltester.check(paper)
    paper.add(PaperRow(1, 1, "Ada Testwell", "ZZ1 7FH"))
    paper.add(PaperRow(1, 2, "Bo Example", "ZZ1 7FH"))
    qtmodeltester.check(paper)
    assert paper.data(paper.index(0, 2)) == "Bo Example"


# -- paper out ------------------------------------------------------------------------------------


def test_collection_sheets_and_the_bundle_are_written(
    qtbot, tmp_path, demo, finish, monkeypatch
) -> None:
    win = show(qtbot, demo, tmp_path, finish)
    summary = demo_petition(demo)
    work = open_petition(qtbot, win, summary.id, STALL)
    targets = [tmp_path / "sheets", tmp_path / "bundle.pdf"]  # ".pdf" is added when missing
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(targets.pop(0)), "PDF files (*.pdf)")
    )
    dialog = work.output.ask_sheets()
    assert dialog is not None and dialog.rows.value() == 20
    dialog.sheets.setValue(2)
    with qtbot.waitSignal(work.output.written, timeout=WAIT) as written:
        dialog.accept()
    assert written.args[0] == str(tmp_path / "sheets.pdf")
    assert (tmp_path / "sheets.pdf").read_bytes().startswith(b"%PDF")
    assert "2 pages of collection sheets" in work.output.result.text.text()

    bundle = work.output.ask_bundle()
    assert bundle is not None and bundle.sign.isChecked() and not bundle.redacted.isChecked()
    bundle.sign.setChecked(False)  # quicker; signing is the bundle service's own test
    with qtbot.waitSignal(work.output.written, timeout=WAIT):
        bundle.accept()
    idle(qtbot, win)
    assert (tmp_path / "bundle.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "bundle.pdf.sha256").exists()
    assert "not signed" in work.output.result.text.text()
