"""The Leaflets screen: the editor's live preview, PDFs, the imprint, delivery rounds, supporters.

A small synthetic demo campaign (made-up names in the non-existent ZZ
postcode area) in the real main window. The preview is made slow on purpose
where a test must see the window keep working while it renders.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PIL import Image  # noqa: E402
from PySide6.QtCore import QDate, QTimer  # noqa: E402
from PySide6.QtWidgets import QFileDialog  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from canvass.domain.leaflet_spec import (  # noqa: E402
    Event,
    LeafletImage,
    LeafletSpec,
    Letter,
    QRCode,
    ReplySlip,
    Signatory,
    Welsh,
    parse_spec,
)
from canvass.paths import Paths  # noqa: E402
from canvass.services import leaflets as leaflet_service  # noqa: E402
from canvass.services.campaigns import create_campaign, current_campaign  # noqa: E402
from canvass.services.databases import open_db  # noqa: E402
from canvass.services.leaflets import list_leaflets  # noqa: E402
from canvass.services.mail_merge import recipients  # noqa: E402
from canvass.services.oplog import OpWriter  # noqa: E402
from canvass.services.rounds import list_rounds  # noqa: E402
from canvass.services.supporters import list_supporters  # noqa: E402
from canvass.services.walk_lists import create_walk_list  # noqa: E402
from canvass.storage.database import Database  # noqa: E402
from canvass.storage.tables import OperationRow  # noqa: E402
from canvass.ui.application import build_main_window  # noqa: E402
from canvass.ui.main_window import MainWindow  # noqa: E402
from canvass.ui.pages import leaflets_output, leaflets_preview, leaflets_rounds  # noqa: E402
from canvass.ui.pages.leaflets_common import paper_words, plain_warning  # noqa: E402
from canvass.ui.pages.leaflets_editor import REFUSAL_TITLE, LeafletEditor  # noqa: E402
from canvass.ui.pages.leaflets_form import LeafletForm  # noqa: E402
from canvass.ui.pages.leaflets_page import ROUNDS, SUPPORTERS, LeafletsPage  # noqa: E402
from canvass.ui.pages.leaflets_preview import Preview  # noqa: E402
from canvass.ui.pages.placeholder import SIDEBAR_SCREENS  # noqa: E402
from tests.helpers import close_when_idle, demo_db  # noqa: E402

WAIT = 20_000  # ms: generous, the CI machines are slow and shared


# -- set-up -----------------------------------------------------------------------------------


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Database]:
    db = demo_db(str(tmp_path / "demo.db"), 120)
    yield db
    db.close()  # closing twice is harmless; the window closes the one it shows


@pytest.fixture
def finish(qtbot) -> Iterator[list[MainWindow]]:
    """Windows a test opened, left with nothing running when it ends."""
    windows: list[MainWindow] = []
    yield windows  # each closes itself once idle (see close_when_idle), and the
    # window's close shuts the leaflet preview down


def idle(qtbot, win: MainWindow) -> None:
    page = win.leaflets_page
    qtbot.waitUntil(
        lambda: not page.busy and not win.tasks.busy and not win.reads.busy, timeout=WAIT
    )


def show(qtbot, db: Database, tmp_path: Path, finish: list[MainWindow]) -> MainWindow:
    """The main window on ``db``, on the Leaflets screen once it has read its choices."""
    win = build_main_window(db, Paths.under(tmp_path / "home"))
    close_when_idle(qtbot, win, also=lambda: not win.leaflets_page.busy)
    finish.append(win)
    win.resize(1366, 768)
    with qtbot.waitSignal(win.live.updated, timeout=WAIT):
        win.show()
    names = [win.nav.item(row).text() for row in range(win.nav.count())]
    with qtbot.waitSignal(win.leaflets_page.loaded, timeout=WAIT):
        win.nav.setCurrentRow(names.index("Leaflets"))
    idle(qtbot, win)
    return win


def shows(editor: LeafletEditor, check=None):
    """A waitSignal check: the preview of what the form holds now."""

    def matches(preview: Preview) -> bool:
        return preview.spec == editor.spec() and (check is None or check(preview))

    return matches


def example(editor: LeafletEditor, template: str):
    return next(e for e in editor.examples if e.spec.template == template)


def save_as(monkeypatch, path: Path, asked: list[str] | None = None) -> None:
    def chooser(_parent, _title, start, file_filter):
        if asked is not None:
            asked.append(start)
        return str(path), file_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", chooser)


def operations(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(OperationRow)) or 0)


# -- the screen -------------------------------------------------------------------------------


def test_leaflets_sits_between_petitions_and_print(qtbot, tmp_path, demo, finish) -> None:
    win = show(qtbot, demo, tmp_path, finish)
    names = [win.nav.item(row).text() for row in range(win.nav.count())]
    assert names.index("Leaflets") == names.index("Petitions") + 1 == names.index("Print") - 1
    assert SIDEBAR_SCREENS.index("Leaflets") == SIDEBAR_SCREENS.index("Print") - 1
    page = win.leaflets_page
    assert win.stack.widget(names.index("Leaflets")) is page
    assert "Leaflets" not in [p.planned.title for p in win.placeholders]
    assert (page.NAV_TITLE, page.NAV_ICON) == ("Leaflets", "leaflets")
    assert [page.tabs.tabText(n) for n in range(3)] == ["Editor", "Delivery rounds", "Supporters"]
    assert page.editor.pane.pages >= 1  # the empty leaflet's preview is on show


def test_typing_updates_the_preview_without_blocking_the_window(
    qtbot, tmp_path, demo, finish, monkeypatch
) -> None:
    win = show(qtbot, demo, tmp_path, finish)
    editor = win.leaflets_page.editor
    renderer = editor.renderer
    before = editor.pane.current_pixmap().toImage()
    real = leaflets_preview.preview_png
    calls: list[tuple[str, int]] = []

    def slow_preview(db, spec, **kwargs):
        calls.append((spec.headline, threading.get_ident()))
        time.sleep(0.8)  # a big poster on a slow laptop
        return real(db, spec, **kwargs)

    monkeypatch.setattr(leaflets_preview, "preview_png", slow_preview)
    ticks: list[float] = []
    clock = QTimer()
    clock.setInterval(20)
    clock.timeout.connect(lambda: ticks.append(time.monotonic()))
    clock.start()
    shown: list[Preview] = []
    editor.preview_shown.connect(shown.append)
    try:
        editor.form.headline.setFocus()
        with qtbot.waitSignal(renderer.started, timeout=WAIT):
            qtbot.keyClicks(editor.form.headline, "Meeting tonight")
        # The render sleeps on its worker while the GUI thread goes on handling events.
        ticks.clear()
        qtbot.waitUntil(lambda: len(ticks) >= 10, timeout=WAIT)
        assert renderer.runner.busy, "the render finished before the window did anything"
        assert editor.pane.state.text() == "Updating…"
        # Typing on while it renders: that render is out of date and is never shown.
        qtbot.keyClicks(editor.form.headline, " at 7")
        with qtbot.waitSignal(editor.preview_shown, timeout=WAIT, check_params_cb=shows(editor)):
            pass
    finally:
        clock.stop()
    assert [headline for headline, _ in calls] == ["Meeting tonight", "Meeting tonight at 7"]
    assert all(thread != threading.get_ident() for _, thread in calls)
    assert renderer.dropped == 1
    assert [p.spec.headline for p in shown] == ["Meeting tonight at 7"]
    after = editor.pane.current_pixmap().toImage()
    assert not after.isNull() and after != before
    assert editor.state.text() == "New leaflet · not saved yet"


def test_every_shipped_example_renders_a_preview(qtbot, tmp_path, demo, finish) -> None:
    win = show(qtbot, demo, tmp_path, finish)
    editor = win.leaflets_page.editor
    assert {e.spec.template for e in editor.examples} >= {"a4-poster", "reply-slip", "a4-letter"}
    assert [a.text().split("  (")[0] for a in editor.examples_menu.actions()] == [
        e.spec.title for e in editor.examples
    ]
    for ex in editor.examples:
        check = shows(editor, lambda p, ex=ex: p.spec == ex.spec)
        with qtbot.waitSignal(editor.preview_shown, timeout=WAIT, check_params_cb=check) as got:
            editor.start_from(ex)
        preview: Preview = got.args[0]
        assert editor.spec() == ex.spec  # the form holds every field of the example
        assert editor.template.currentData() == ex.spec.template
        assert preview.pages and not preview.error and not preview.refusal
        assert preview.warnings == []  # the examples fit their paper
        assert editor.pane.page_label.text() == f"Page 1 of {len(preview.pages)}"
        assert not editor.pane.current_pixmap().isNull()
    # Zoom: 100% is the rendered page's real size, + and − step, Fit fits.
    pane = editor.pane
    pane.actual.click()
    assert pane.current_pixmap().size() == pane.preview.pages[0].size()
    pane.larger.click()
    assert pane.zoom == 1.25 and pane.zoom_label.text() == "125%"
    pane.smaller.click()
    pane.smaller.click()
    assert pane.zoom == 0.75
    pane.fit_button.click()
    assert pane.zoom is None and pane.fit_button.isChecked()
    room = pane.scroller.viewport().size()
    assert pane.current_pixmap().height() <= room.height()


def test_page_navigation_on_a_folded_leaflet(qtbot, tmp_path, demo, finish) -> None:
    win = show(qtbot, demo, tmp_path, finish)
    editor = win.leaflets_page.editor
    editor.template.setCurrentIndex(editor.template.findData("a4-folded"))
    with qtbot.waitSignal(editor.preview_shown, timeout=WAIT, check_params_cb=shows(editor)):
        editor.template.activated.emit(editor.template.currentIndex())
        editor.form.headline.setText("Our library, our future")
    pane = editor.pane
    assert pane.pages == 2 and pane.page_label.text() == "Page 1 of 2"
    assert not pane.previous.isEnabled() and pane.next.isEnabled()
    first = pane.current_pixmap().toImage()
    pane.next.click()
    assert pane.page_label.text() == "Page 2 of 2" and not pane.next.isEnabled()
    assert pane.current_pixmap().toImage() != first


# -- PDFs, saving and sharing -------------------------------------------------------------------


def test_make_pdf_passes_n_up_bleed_and_cmyk(qtbot, tmp_path, demo, finish, monkeypatch) -> None:
    win = show(qtbot, demo, tmp_path, finish)
    editor = win.leaflets_page.editor
    with qtbot.waitSignal(editor.preview_shown, timeout=WAIT, check_params_cb=shows(editor)):
        editor.form.title_field.setText("Library flyer")
        editor.form.headline.setText("Save Sampleton Library")
        editor.form.body.setPlainText("Come to the **meeting**.\n\n- bring a friend")
    rendered: list[dict] = []
    real = leaflets_output.render

    def spy(db, spec, out, **kwargs):
        rendered.append(kwargs)
        return real(db, spec, out, **kwargs)

    monkeypatch.setattr(leaflets_output, "render", spy)
    (tmp_path / "out").mkdir()
    asked: list[str] = []
    save_as(monkeypatch, tmp_path / "out" / "two-up", asked)
    dialog = editor.ask_make_pdf()
    assert dialog is not None and set(dialog.n_up_buttons) == {1, 2}
    assert not dialog.merge.isVisibleTo(dialog)  # only letters are personalised
    dialog.n_up_buttons[2].setChecked(True)
    assert not dialog.bleed.isEnabled()  # bleed is for single copies
    with qtbot.waitSignal(editor.pdf_made, timeout=WAIT) as got:
        dialog.accept()
    report = got.args[0]
    assert rendered[-1] == {"n_up": 2, "bleed": False, "cmyk": False}  # no mail merge
    assert asked[0].endswith("library-flyer-A5-2up-on-A4-1pp.pdf")
    assert report.path == str(tmp_path / "out" / "two-up.pdf")
    assert Path(report.path).read_bytes().startswith(b"%PDF")
    assert report.size_mm == pytest.approx((297, 210))
    assert editor.result.isVisible() and "A4 landscape" in editor.result.text.text()
    idle(qtbot, win)

    save_as(monkeypatch, tmp_path / "out" / "print-shop.pdf")
    dialog = editor.ask_make_pdf()
    assert dialog is not None
    dialog.bleed.setChecked(True)
    dialog.cmyk.setChecked(True)
    with qtbot.waitSignal(editor.pdf_made, timeout=WAIT) as got:
        dialog.accept()
    assert rendered[-1] == {"n_up": 1, "bleed": True, "cmyk": True}
    assert got.args[0].size_mm == pytest.approx((154, 216))  # A5 and 3 mm all round
    assert "A5 with 3 mm bleed" in editor.result.text.text()
    assert paper_words((99, 210)) == "DL (99 × 210 mm)"


def test_a_letter_personalised_for_a_walk_list(qtbot, tmp_path, demo, finish, monkeypatch):
    create_walk_list(demo, "Sample Street odds", districts=["NA"], canvasser="Ada")
    households = recipients(demo, walk_list="Sample Street odds")
    win = show(qtbot, demo, tmp_path, finish)
    editor = win.leaflets_page.editor
    letter = example(editor, "a4-letter")
    with qtbot.waitSignal(editor.preview_shown, timeout=WAIT, check_params_cb=shows(editor)):
        editor.start_from(letter)
    save_as(monkeypatch, tmp_path / "letters.pdf")
    dialog = editor.ask_make_pdf()
    assert dialog is not None and dialog.merge.isEnabled() and not dialog.walk_list.isEnabled()
    dialog.merge.setChecked(True)
    assert dialog.walk_list.isEnabled() and dialog.walk_list.currentData() == "Sample Street odds"
    with qtbot.waitSignal(editor.pdf_made, timeout=WAIT) as got:
        dialog.accept()
    assert got.args[0].pages == len(households) > 1  # a one-page letter per household


def test_election_material_without_an_imprint_is_refused(
    qtbot, tmp_path, demo, finish, monkeypatch
) -> None:
    with demo.write() as session:
        campaign = current_campaign(session)
        assert campaign is not None
        writer = OpWriter.local(session)
        for name in ("imprint_promoter", "imprint_address", "imprint_on_behalf_of"):
            writer.set("campaign", campaign.id, name, "")
        writer.flush()
    win = show(qtbot, demo, tmp_path, finish)
    editor = win.leaflets_page.editor
    pane = editor.pane
    with qtbot.waitSignal(editor.preview_shown, timeout=WAIT, check_params_cb=shows(editor)):
        editor.start_from(example(editor, "a4-poster"))
    assert not pane.refusal_box.isVisible()  # community material needs no imprint
    refused = shows(editor, lambda p: bool(p.refusal))
    with qtbot.waitSignal(editor.preview_shown, timeout=WAIT, check_params_cb=refused):
        editor.form.election.click()
    assert pane.refusal_box.isVisible()
    words = pane.refusal.text()
    assert "election material" in words and "imprint" in words
    assert "Settings" in words and "promoter's name" in words  # what is missing, where to fix it
    assert pane.pages == 1  # the preview still shows the leaflet

    # Make PDF says why at once, without asking where to save.
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: pytest.fail("asked for a file"))
    assert editor.ask_make_pdf() is None
    box = editor.message_box
    assert box is not None and box.isVisible() and box.text() == REFUSAL_TITLE
    assert "on whose behalf" in box.informativeText()
    box.close()

    # The render itself refuses too (say the preview had not caught up): nothing is written.
    save_as(monkeypatch, tmp_path / "poster.pdf")
    with qtbot.waitSignal(editor.refused, timeout=WAIT):
        editor.make_pdf(editor.spec(), leaflets_output.PdfOptions())
    assert not (tmp_path / "poster.pdf").exists()
    editor.message_box.close()

    with qtbot.waitSignal(editor.preview_shown, timeout=WAIT, check_params_cb=shows(editor)):
        pane.community_button.click()
    assert editor.form.community.isChecked() and not pane.refusal_box.isVisible()


def test_save_open_export_import(qtbot, tmp_path, demo, finish, monkeypatch) -> None:
    win = show(qtbot, demo, tmp_path, finish)
    editor = win.leaflets_page.editor
    editor.save()  # an empty leaflet: every missing field named, nothing saved
    assert editor.error.isVisible() and "'title'" in editor.error.text()
    assert "'headline'" in editor.error.text() and list_leaflets(demo) == []
    slip = example(editor, "reply-slip")
    editor.start_from(slip)
    assert not editor.error.isVisible()
    before = operations(demo)
    with qtbot.waitSignal(editor.saved, timeout=WAIT) as got:
        editor.save_button.click()
    [summary] = list_leaflets(demo)
    assert summary.id == got.args[0] == editor.leaflet_id and summary.title == slip.spec.title
    assert operations(demo) > before  # saved as operations, so it travels
    assert editor.state.text() == "Saved"
    editor.form.subheading.setText("Sign today")
    assert editor.state.text() == "Changed since it was saved"

    (tmp_path / "shared").mkdir()
    save_as(monkeypatch, tmp_path / "shared" / "petition")
    with qtbot.waitSignal(editor.exported, timeout=WAIT) as got:
        editor.export_button.click()
    path = got.args[0]
    assert path == tmp_path / "shared" / "petition.toml"
    changed = editor.spec()
    assert parse_spec(path.read_text(encoding="utf-8")) == changed

    editor.new_button.click()
    assert editor.spec().headline == "" and editor.leaflet_id is None
    idle(qtbot, win)
    editor.open_button.click()
    qtbot.waitUntil(lambda: editor.open_dialog is not None, timeout=WAIT)
    dialog = editor.open_dialog
    assert dialog is not None and dialog.list.count() == 1 and dialog.chosen() == summary.id
    with qtbot.waitSignal(editor.loaded, timeout=WAIT):
        dialog.accept()
    assert editor.spec() == slip.spec and editor.leaflet_id == summary.id

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(path), ""))
    with qtbot.waitSignal(editor.loaded, timeout=WAIT):
        editor.import_button.click()
    assert editor.spec() == changed and editor.leaflet_id is None
    assert editor.state.text() == "Imported from petition.toml · not saved yet"
    (tmp_path / "broken.toml").write_text('template = "a5-flyer"\ntitel = "x"\n')
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a: (str(tmp_path / "broken.toml"), "")
    )
    editor.import_button.click()
    qtbot.waitUntil(editor.error.isVisible, timeout=WAIT)
    assert "did you mean 'title'" in editor.error.text()
    assert editor.spec() == changed  # the form is left as it was


def test_warnings_are_in_plain_words() -> None:
    raw = (
        "dl: the image 'small.png' (images[1].path) prints at only 44 dpi at its size and may "
        "look blurred; use a larger original (about 679 pixels across)."
    )
    assert plain_warning(raw) == (
        "The image 'small.png' prints at only 44 dpi at its size and may look blurred; "
        "use a larger original (about 679 pixels across)."
    )
    assert plain_warning("a5-flyer: the body does not fit. Shorten it, or choose sides = 2.") == (
        "The body does not fit. Shorten it, or choose two sides."
    )


def test_the_form_holds_every_part_of_a_leaflet(qtbot, tmp_path) -> None:
    picture = tmp_path / "hall.png"
    Image.new("RGB", (900, 600), "#88aacc").save(picture)
    spec = LeafletSpec(
        template="a5-flyer",
        title="Hall meeting",
        election_material=True,
        printed_commercially=True,
        headline="Save the hall",
        subheading="Come along",
        body="**Bold** and *italic*.\n\n- one\n- two",
        sides=2,
        images=(
            LeafletImage(str(picture), "The hall", "hero"),
            LeafletImage(str(picture), "", "logo"),
        ),
        qr=QRCode("https://example.org/hall", "More"),
        contact="hello@example.org",
        colour="purple",
        font="source-serif",
        bilingual_welsh=Welsh("Achub y neuadd", "Dewch", "Testun", "welsh-first"),
        event=Event("Public meeting", "Monday 7pm", "The hall", ("A. Speaker",), "Free"),
    )
    form = LeafletForm()
    qtbot.addWidget(form)
    changes: list[int] = []
    form.changed.connect(lambda: changes.append(1))
    form.load(spec)
    assert form.spec() == spec and changes == [1]  # one change for the whole leaflet
    assert form.meeting.optional.isChecked() and form.commercial.isChecked()
    form.images.list.setCurrentRow(1)
    qtbot.keyClicks(form.images.caption, "Our logo")
    assert form.spec().images[1].caption == "Our logo" and len(changes) > 1
    letter = Letter(
        body="Dear all",
        recipient=("Cllr A. Testperson", "Civic Centre"),
        salutation="Dear Councillor",
        signatories=(Signatory("Dr B. Example", "Chair, Friends"), Signatory("Ada")),
        date="1 May 2027",
    )
    other = LeafletSpec(template="a4-letter", title="Letter", letter=letter)
    form.load(other)
    assert form.spec() == other
    assert form.words.isHidden() and not form.letter.isHidden() and form.slip.isHidden()
    form.images.set_value(())
    form.set_template("reply-slip")
    assert form.spec().reply_slip == ReplySlip() and form.spec().letter is None


# -- delivery rounds ----------------------------------------------------------------------------


def test_rounds_plan_print_save_and_mark_delivered(
    qtbot, qtmodeltester, tmp_path, demo, finish, monkeypatch
) -> None:
    flyer = leaflet_service.save_leaflet(
        demo, LeafletSpec(template="a5-flyer", title="Autumn flyer", headline="Hello")
    )
    win = show(qtbot, demo, tmp_path, finish)
    page: LeafletsPage = win.leaflets_page
    page.tabs.setCurrentIndex(ROUNDS)
    tab = page.rounds
    assert tab.district.currentData() == "NA" and tab.district.count() == 1  # NB has no homes
    assert not tab.print_button.isEnabled() and tab.saved_empty.isVisible()
    tab.round_size.setValue(20)
    with qtbot.waitSignal(tab.planned, timeout=WAIT):
        tab.plan_button.click()
    model = tab.plan_model
    qtmodeltester.check(model)
    assert len(tab.rounds) == 4 and model.rowCount() == sum(len(r.streets) for r in tab.rounds)
    first = tab.rounds[0]
    assert model.data(model.index(0, 0)) == first.name
    assert model.data(model.index(0, 2)) == first.streets[0].houses
    assert tab.summary.text().startswith("4 rounds in NA, 64 letterboxes")

    printed: list[list] = []
    real = leaflets_rounds.print_rounds

    def spy(db, out, rounds):
        printed.append(list(rounds))
        return real(db, out, rounds)

    monkeypatch.setattr(leaflets_rounds, "print_rounds", spy)
    tab.leaflet.setCurrentIndex(tab.leaflet.findData(flyer))
    save_as(monkeypatch, tmp_path / "rounds")
    with qtbot.waitSignal(tab.printed, timeout=WAIT) as got:
        tab.print_button.click()
    assert [r.leaflet for r in printed[0]] == ["Autumn flyer"] * 4  # named on the sheets
    report = got.args[0]
    assert report.path == str(tmp_path / "rounds.pdf") and Path(report.path).exists()
    assert report.pages >= 4
    idle(qtbot, win)

    with (
        qtbot.waitSignal(page.loaded, timeout=WAIT),
        qtbot.waitSignal(tab.rounds_saved, timeout=WAIT),
    ):
        tab.save_button.click()
    saved = tab.saved_model
    qtmodeltester.check(saved)
    assert saved.rowCount() == 4 and tab.saved_view.isVisible()
    assert [saved.data(saved.index(r, 2)) for r in range(4)] == ["Not yet"] * 4
    assert saved.data(saved.index(0, 3)) == "Autumn flyer"
    tab.saved_view.selectRow(1)
    dialog = tab.ask_delivered()
    assert dialog is not None
    yesterday = dt.date.today() - dt.timedelta(days=1)
    dialog.date.setDate(QDate(yesterday.year, yesterday.month, yesterday.day))
    dialog.by.setText("Ada")
    with qtbot.waitSignal(page.loaded, timeout=WAIT), qtbot.waitSignal(tab.delivered, timeout=WAIT):
        dialog.accept()
    stored = list_rounds(demo)
    assert stored[1].delivered_on == yesterday and stored[1].delivered_by == "Ada"
    assert saved.data(saved.index(1, 2)).endswith("by Ada")
    assert saved.data(saved.index(0, 2)) == "Not yet"


# -- supporters ---------------------------------------------------------------------------------


def test_supporters_add_search_and_export(
    qtbot, qtmodeltester, tmp_path, demo, finish, monkeypatch
) -> None:
    win = show(qtbot, demo, tmp_path, finish)
    page: LeafletsPage = win.leaflets_page
    with qtbot.waitSignal(page.supporters.listed, timeout=WAIT):
        page.tabs.setCurrentIndex(SUPPORTERS)
    tab = page.supporters
    assert tab.empty.isVisible() and "No supporters yet" in tab.empty.text()
    assert not tab.export_button.isEnabled()

    dialog = tab.ask_add()
    dialog.name.setText("Zoë Testwell")
    qtbot.keyClicks(dialog.postcode, "not a postcode")
    dialog.keep_informed.setChecked(True)
    dialog.consent.setChecked(True)
    before = operations(demo)
    dialog.add_button.click()
    assert dialog.error.isVisible() and "postcode" in dialog.error.text().lower()
    assert dialog.postcode.property("invalid") is True
    assert not page.writes.busy and operations(demo) == before and list_supporters(demo) == []
    dialog.postcode.setText("zz1 1aa")
    with qtbot.waitSignal(tab.added, timeout=WAIT):
        dialog.add_button.click()
    with qtbot.waitSignal(tab.listed, timeout=WAIT):
        pass
    [zoe] = list_supporters(demo)
    assert (zoe.postcode, zoe.ticks, zoe.consent) == ("ZZ1 1AA", ("keep me informed",), True)

    dialog = tab.ask_add()
    dialog.name.setText("Ben Example")
    dialog.postcode.setText("ZZ9 9ZZ")
    dialog.email.setText("ben@example.org")
    dialog.can_help.setChecked(True)
    dialog.consent.setChecked(True)
    with qtbot.waitSignal(tab.listed, timeout=WAIT):
        dialog.add_button.click()
    model = tab.model
    qtmodeltester.check(model)
    assert [model.data(model.index(r, 0)) for r in range(2)] == ["Zoë Testwell", "Ben Example"]
    assert tab.count.text() == "2 supporters" and tab.view.isVisible()

    # A slip typed in twice is refused in the form, and can be added anyway.
    dialog = tab.ask_add()
    dialog.name.setText("Ben Example")
    dialog.postcode.setText("ZZ9 9ZZ")
    dialog.consent.setChecked(True)
    dialog.add_button.click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=WAIT)
    assert dialog.anyway.isVisible() and "supporter already" in dialog.error.text()
    dialog.reject()

    with qtbot.waitSignal(tab.listed, timeout=WAIT):
        qtbot.keyClicks(tab.search, "zz11")  # postcodes match without their space
    assert model.rowCount() == 1 and model.data(model.index(0, 0)) == "Zoë Testwell"
    assert tab.count.text() == "1 of 2 supporters"
    with qtbot.waitSignal(tab.listed, timeout=WAIT):
        tab.search.setText("nobody like this")
    assert tab.empty.isVisible() and "Nobody matches" in tab.empty.text()
    with qtbot.waitSignal(tab.listed, timeout=WAIT):
        tab.search.setText("")

    save_as(monkeypatch, tmp_path / "supporters")
    with qtbot.waitSignal(tab.exported, timeout=WAIT) as got:
        tab.export_button.click()
    count, path = got.args
    assert count == 2 and path == tmp_path / "supporters.csv"
    text = path.read_text(encoding="utf-8-sig")
    assert "Zoë Testwell" in text and "ben@example.org" in text


# -- empty states -------------------------------------------------------------------------------


def test_empty_states(qtbot, tmp_path, finish) -> None:
    bare = open_db(str(tmp_path / "bare.db"), create=True)
    win = show(qtbot, bare, tmp_path, finish)
    page = win.leaflets_page
    assert page.empty_panel.isVisible() and not page.tabs.isVisible()
    assert page.empty_title.text() == "No campaign yet"

    fresh = open_db(str(tmp_path / "fresh.db"), create=True)
    create_campaign(fresh, "Save Exampleton Library")
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        win.switch_database(fresh)
        win.nav.setCurrentRow(
            [win.nav.item(r).text() for r in range(win.nav.count())].index("Leaflets")
        )
    idle(qtbot, win)
    assert page.tabs.isVisible() and not page.empty_panel.isVisible()
    page.tabs.setCurrentIndex(ROUNDS)
    assert not page.rounds.plan_button.isEnabled()
    assert "import the council's register" in page.rounds.summary.text()
    assert page.rounds.saved_empty.isVisible()
    with qtbot.waitSignal(page.supporters.listed, timeout=WAIT):
        page.tabs.setCurrentIndex(SUPPORTERS)
    assert "No supporters yet" in page.supporters.empty.text()
    assert leaflet_service.list_leaflets(fresh) == []
