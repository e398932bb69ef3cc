"""The Privacy screen: people's rights, the suppression list, retention, the audit trail.

A small synthetic demo campaign (made-up names in the non-existent ZZ
postcode area) in the real main window. Each test acts as a person would
(typing in the search box, filling in the dialogs, pressing the buttons) and
then checks the database, not only what the screen says.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt  # noqa: E402
import json  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtWidgets import QFileDialog  # noqa: E402
from sqlalchemy import func, select, update  # noqa: E402

from canvass.domain.suppression import DO_NOT_CONTACT, DO_NOT_KNOCK, DO_NOT_LEAFLET  # noqa: E402
from canvass.paths import Paths  # noqa: E402
from canvass.services import audit_log, erasure  # noqa: E402
from canvass.services.campaigns import set_polling_day  # noqa: E402
from canvass.storage.database import Database  # noqa: E402
from canvass.storage.tables import (  # noqa: E402
    AuditEvent,
    Campaign,
    Elector,
    Erasure,
    Signature,
    Suppression,
    Visit,
)
from canvass.ui.application import build_main_window  # noqa: E402
from canvass.ui.main_window import MainWindow  # noqa: E402
from canvass.ui.pages.privacy_common import PersonHit  # noqa: E402
from canvass.ui.pages.privacy_dialogs import confirms  # noqa: E402
from canvass.ui.pages.privacy_page import PrivacyPage  # noqa: E402
from tests.helpers import close_when_idle, demo_db  # noqa: E402

WAIT = 20_000  # ms: generous, the CI machines are slow and shared


# -- set-up -----------------------------------------------------------------------------------


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Database]:
    db = demo_db(str(tmp_path / "demo.db"), 150)
    yield db
    db.close()  # closing twice is harmless; the window closes the one it shows


def idle(qtbot, win: MainWindow) -> None:
    page = win.privacy_page
    qtbot.waitUntil(
        lambda: not page.busy and not win.tasks.busy and not win.reads.busy, timeout=WAIT
    )


def open_window(qtbot, db: Database, tmp_path: Path) -> MainWindow:
    """The main window on ``db``, once it has checked whether a purge is due."""
    win = build_main_window(db, Paths.under(tmp_path / "home"))
    close_when_idle(qtbot, win, also=lambda: not win.privacy_page.busy)
    win.resize(1366, 768)
    with qtbot.waitSignal(win.privacy_page.purge_checked, timeout=WAIT):
        win.show()
    idle(qtbot, win)
    return win


def show_privacy(qtbot, db: Database, tmp_path: Path) -> MainWindow:
    """The main window on ``db``, on the Privacy screen."""
    win = open_window(qtbot, db, tmp_path)
    names = [win.nav.item(row).text() for row in range(win.nav.count())]
    win.nav.setCurrentRow(names.index("Privacy"))
    idle(qtbot, win)
    return win


def find(qtbot, win: MainWindow, text: str) -> PersonHit:
    """Type ``text`` in the People search box, then choose the first person found."""
    people = win.privacy_page.people
    with qtbot.waitSignal(people.searched, timeout=WAIT):
        if text.isascii():
            qtbot.keyClicks(people.box, text)
        else:
            people.box.setText(text)  # pasted: QTest cannot type every accented letter
    assert people.model.rowCount(), f"nobody found for {text!r}: {people.status.text()}"
    with qtbot.waitSignal(people.shown, timeout=WAIT):
        people.results.selectRow(0)
    assert people.summary is not None
    return people.summary.person


def elector_with_records(db: Database) -> tuple[str, str]:
    """(id, surname) of an elector with doorstep records and a signature."""
    with db.read() as session:
        eid = session.scalar(
            select(Visit.elector_id)
            .join(Signature, Signature.elector_id == Visit.elector_id)
            .order_by(Visit.elector_id)
            .limit(1)
        )
        elector = session.get(Elector, eid)
        assert elector is not None
        surname = elector.surname
    return str(eid), surname


def count(db: Database, model: object, *where: object) -> int:
    with db.read() as session:
        query = select(func.count()).select_from(model)  # type: ignore[arg-type]
        for clause in where:
            query = query.where(clause)  # type: ignore[arg-type]
        return int(session.scalar(query) or 0)


# -- the screen ---------------------------------------------------------------------------------


def test_privacy_sits_above_settings_in_the_sidebar(qtbot, tmp_path, demo) -> None:
    win = open_window(qtbot, demo, tmp_path)
    names = [win.nav.item(row).text() for row in range(win.nav.count())]
    assert names.index("Privacy") == names.index("Settings") - 1
    assert win.stack.widget(names.index("Privacy")) is win.privacy_page
    page: PrivacyPage = win.privacy_page
    assert [page.tabs.tabText(n) for n in range(page.tabs.count())] == [
        "People",
        "Suppressions",
        "Retention",
        "Audit trail",
    ]
    assert not win.nav.item(names.index("Privacy")).icon().isNull()


# -- people: erasure ----------------------------------------------------------------------------


def test_a_person_found_and_erased_through_the_dialog_is_gone(qtbot, tmp_path, demo) -> None:
    elector_id, surname = elector_with_records(demo)
    assert count(demo, Visit, Visit.elector_id == elector_id)
    win = show_privacy(qtbot, demo, tmp_path)
    people = win.privacy_page.people
    hit = find(qtbot, win, surname)
    if hit.id != elector_id:  # two people of that name: choose ours
        row = next(n for n, r in enumerate(people.model.rows) if r.item.id == elector_id)
        with qtbot.waitSignal(people.shown, timeout=WAIT):
            people.results.selectRow(row)
        hit = people.summary.person
    summary = people.summary
    assert summary.visits >= 1 and summary.signatures >= 1
    assert people.card.facts["visits"][1].text() == (
        f"{summary.visits} record" + ("s" if summary.visits != 1 else "")
    )

    dialog = people.ask_erase()
    assert dialog is not None and dialog.isVisible()
    words = dialog.what.text()
    assert "register entry" in words and "doorstep record" in words and "signature" in words
    assert not dialog.erase_button.isEnabled()  # a reason and the confirmation first
    dialog.reason.setCurrentIndex(dialog.reason.findData("subject-request"))
    assert not dialog.erase_button.isEnabled()
    qtbot.keyClicks(dialog.confirm, "somebody else")
    assert not dialog.erase_button.isEnabled()
    dialog.confirm.clear()
    qtbot.keyClicks(dialog.confirm, hit.number.lower())  # case does not matter
    assert dialog.erase_button.isEnabled()
    with qtbot.waitSignal(people.erased, timeout=WAIT) as erased:
        dialog.erase_button.click()
    idle(qtbot, win)

    assert erased.args[0].erased_records >= 3
    assert count(demo, Elector, Elector.id == elector_id) == 0
    assert count(demo, Visit, Visit.elector_id == elector_id) == 0
    assert count(demo, Signature, Signature.elector_id == elector_id) == 0
    assert count(demo, Erasure, Erasure.entity_id == elector_id) == 1
    # Gone from the screen too: no name in the box, no summary; the result is shown.
    assert people.summary is None and not people.card.person_box.isVisible()
    assert people.box.text() == "" and people.model.rowCount() == 0
    assert people.card.outcome.isVisible() and people.card.outcome.text().startswith("Erased:")
    assert surname not in people.card.outcome.text()
    with demo.read() as session:
        entry = session.scalars(select(AuditEvent).where(AuditEvent.action == "erase")).one()
        assert json.loads(entry.detail)["reason"] == "subject-request"


def test_search_results_say_how_many_were_found_and_show_whole_addresses(
    qtbot, tmp_path, demo
) -> None:
    _, surname = elector_with_records(demo)
    win = show_privacy(qtbot, demo, tmp_path)
    people = win.privacy_page.people
    find(qtbot, win, surname)
    hits = [r.item for r in people.model.rows]
    text = people.status.text()
    assert text.startswith(f"{len(hits)} found")
    assert "electors on the register" not in text  # not the size of the register
    view = people.results
    header = view.horizontalHeader()
    widths = [header.sectionSize(c) for c in range(4) if not view.isColumnHidden(c)]
    assert sum(widths) <= view.viewport().width()  # no sideways scrolling
    assert view.isColumnHidden(3) == (not any(h.note for h in hits))
    # At 1366x768 the address has the room it needs: nothing cut, no empty column beside it.
    assert header.sectionSize(2) >= view.sizeHintForColumn(2)

    win.resize(1024, 640)
    qtbot.waitUntil(lambda: view.viewport().width() < 500, timeout=WAIT)
    widths = [header.sectionSize(c) for c in range(4) if not view.isColumnHidden(c)]
    assert sum(widths) <= view.viewport().width()
    assert not view.horizontalScrollBar().isVisible()


def test_the_footer_counts_what_was_found() -> None:
    from canvass.ui.pages.privacy_people import found_text

    elector = PersonHit("elector", "e", "Ada Testwell", "ZZ-1", "1 Test Row", "ZZ1 1ZZ")
    signer = PersonHit("signature", "s", "Bo Sampleton", "", "", "ZZ9 9ZZ", "Petition signer")
    assert found_text([elector] * 4) == "4 found, all on the register."
    assert found_text([elector]) == "1 found, on the register."
    assert found_text([elector, elector, signer]) == "3 found, 2 on the register, 1 not on it."
    assert found_text([signer]).startswith("1 found, not on the register")
    assert found_text([]).startswith("Nobody found")


def test_cancelling_the_erasure_leaves_the_person(qtbot, tmp_path, demo) -> None:
    elector_id, surname = elector_with_records(demo)
    win = show_privacy(qtbot, demo, tmp_path)
    people = win.privacy_page.people
    hit = find(qtbot, win, surname)
    dialog = people.ask_erase()
    assert dialog is not None
    dialog.reason.setCurrentIndex(dialog.reason.findData("other"))
    dialog.confirm.setText(hit.name)
    assert dialog.erase_button.isEnabled()
    dialog.reject()
    idle(qtbot, win)
    assert count(demo, Elector, Elector.id == hit.id) == 1
    assert count(demo, Erasure) == 0
    assert count(demo, AuditEvent, AuditEvent.action == "erase") == 0
    assert people.summary is not None and people.summary.person.id == hit.id


def test_the_confirmation_takes_the_number_or_the_name_and_nothing_else(demo) -> None:
    from canvass.ui.pages.privacy_common import PersonSummary

    person = PersonHit("elector", "x", "Ada  Testwell", "ZZ-12/1", "", "")
    summary = PersonSummary(demo, person, "", 0, 0, 0, (), (), ())
    assert confirms(summary, "zz-12/1") and confirms(summary, " ada testwell ")
    assert not confirms(summary, "ZZ-12") and not confirms(summary, "Ada")
    assert not confirms(summary, "")
    signer = PersonHit("signature", "y", "Bo Sampleton", "", "", "")
    assert confirms(PersonSummary(demo, signer, "", 0, 1, 0, (), (), ()), "BO SAMPLETON")


def test_a_signer_not_on_the_register_is_found_and_erased(qtbot, tmp_path, demo) -> None:
    with demo.read() as session:
        signature = session.scalars(
            select(Signature).where(Signature.elector_id.is_(None)).order_by(Signature.id)
        ).first()
        assert signature is not None
        signature_id, name = signature.id, signature.name
    win = show_privacy(qtbot, demo, tmp_path)
    people = win.privacy_page.people
    with qtbot.waitSignal(people.searched, timeout=WAIT):
        people.box.setText(name)  # pasted: QTest cannot type every accented letter
    rows = [r.item for r in people.model.rows]
    ours = next(n for n, hit in enumerate(rows) if hit.id == signature_id)
    assert rows[ours].kind == "signature" and rows[ours].note == "Petition signer"
    assert rows[ours].number == ""
    with qtbot.waitSignal(people.shown, timeout=WAIT):
        people.results.selectRow(ours)
    assert people.card.facts["signatures"][1].text() == "1 signature"
    assert not people.card.suppress_button.isEnabled()  # the list finds people by the register
    dialog = people.ask_erase()
    assert dialog is not None
    dialog.reason.setCurrentIndex(dialog.reason.findData("subject-request"))
    dialog.confirm.setText(name)
    with qtbot.waitSignal(people.erased, timeout=WAIT):
        dialog.erase_button.click()
    idle(qtbot, win)
    assert count(demo, Signature, Signature.id == signature_id) == 0
    assert count(demo, Erasure, Erasure.entity == "signature") == 1


# -- people: subject access and suppression ------------------------------------------------------


def test_subject_access_writes_both_files(qtbot, tmp_path, demo, monkeypatch) -> None:
    elector_id, surname = elector_with_records(demo)
    folder = tmp_path / "for the person"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    win = show_privacy(qtbot, demo, tmp_path)
    people = win.privacy_page.people
    hit = find(qtbot, win, surname)
    with qtbot.waitSignal(people.exported, timeout=WAIT) as exported:
        people.card.export_button.click()
    idle(qtbot, win)
    result = exported.args[0]
    written = sorted(p.name for p in folder.iterdir())
    assert written == sorted([result.pdf.name, result.json.name])
    assert result.pdf.read_bytes().startswith(b"%PDF")
    held = json.loads(result.json.read_text(encoding="utf-8"))
    assert hit.name in json.dumps(held, ensure_ascii=False)
    text = people.card.outcome.text()
    assert result.pdf.name in text and result.json.name in text and str(folder) in text
    assert people.card.open_folder_button.isVisible() and people.card.last_folder == folder
    assert count(demo, AuditEvent, AuditEvent.action == "subject-access") == 1
    with demo.read() as session:
        detail = session.scalar(
            select(AuditEvent.detail).where(AuditEvent.action == "subject-access")
        )
    assert elector_id in detail and hit.name not in detail  # ids, not names


def test_choosing_no_folder_writes_nothing(qtbot, tmp_path, demo, monkeypatch) -> None:
    _, surname = elector_with_records(demo)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: "")
    win = show_privacy(qtbot, demo, tmp_path)
    find(qtbot, win, surname)
    win.privacy_page.people.card.export_button.click()
    idle(qtbot, win)
    assert count(demo, AuditEvent, AuditEvent.action == "subject-access") == 0


def test_suppress_adds_a_row_to_the_list(qtbot, tmp_path, demo) -> None:
    _, surname = elector_with_records(demo)
    win = show_privacy(qtbot, demo, tmp_path)
    page = win.privacy_page
    people = page.people
    hit = find(qtbot, win, surname)
    dialog = people.ask_suppress()
    assert dialog is not None
    assert not dialog.suppress_button.isEnabled()
    dialog.boxes[DO_NOT_CONTACT].setChecked(True)  # covers the others: they cannot be ticked
    assert not dialog.boxes[DO_NOT_KNOCK].isEnabled()
    dialog.boxes[DO_NOT_CONTACT].setChecked(False)
    dialog.boxes[DO_NOT_KNOCK].setChecked(True)
    dialog.boxes[DO_NOT_LEAFLET].setChecked(True)
    assert not dialog.suppress_button.isEnabled()  # a reason too
    qtbot.keyClicks(dialog.reason, "asked by letter")
    assert dialog.scopes == [DO_NOT_KNOCK, DO_NOT_LEAFLET]
    win.statusBar().showMessage("Subject-access files written to somewhere", 10000)
    with qtbot.waitSignal(people.suppressed, timeout=WAIT):
        dialog.suppress_button.click()
    # At once, before the person is read again: the card, its badge, and the status bar.
    card = people.card
    assert card.facts["suppressions"][1].text() == "do not knock, do not leaflet"
    assert card.suppressed_badge.isVisible()
    assert card.suppressed_badge.text() == "Suppressed"
    assert card.suppressed_badge.toolTip() == "Suppressed: do not knock, do not leaflet"
    assert card.outcome.isVisible() and card.outcome.text().startswith("Suppressed (")
    assert win.statusBar().currentMessage() == (
        f"Suppression recorded for {hit.label}: do not knock, do not leaflet."
    )
    idle(qtbot, win)
    # Read back from the database, the card still says so.
    assert card.outcome.isVisible() and card.outcome.text().startswith("Suppressed (")
    assert people.summary is not None
    assert set(people.summary.suppressions) == {DO_NOT_KNOCK, DO_NOT_LEAFLET}
    with demo.read() as session:
        rows = session.execute(
            select(Suppression.scope, Suppression.reason).where(Suppression.elector_id == hit.id)
        ).all()
    assert sorted(rows) == [(DO_NOT_KNOCK, "asked by letter"), (DO_NOT_LEAFLET, "asked by letter")]
    assert people.card.facts["suppressions"][1].text() == "do not knock, do not leaflet"

    with qtbot.waitSignal(page.suppressions.loaded, timeout=WAIT):
        page.show_tab(page.suppressions)
    cells = [r.cells for r in page.suppressions.model.rows]
    number = hit.number
    assert ("Do not knock", number) in [(c[0], c[1]) for c in cells]
    assert ("Do not leaflet", number) in [(c[0], c[1]) for c in cells]
    assert all(c[3] == "asked by letter" for c in cells)
    assert "2 suppressions" in page.suppressions.count.text()

    # The scopes they have are ticked and fixed when suppressing them again.
    dialog = people.ask_suppress()
    assert dialog is not None
    assert dialog.boxes[DO_NOT_KNOCK].isChecked() and not dialog.boxes[DO_NOT_KNOCK].isEnabled()
    assert dialog.scopes == []
    dialog.reject()


def test_the_list_shows_suppressions_of_people_no_longer_held(qtbot, tmp_path, demo) -> None:
    elector_id, _ = elector_with_records(demo)
    erasure.suppress(demo, elector_id, DO_NOT_CONTACT, "asked at the door")
    erasure.erase(demo, "elector", elector_id, "subject-request")
    win = show_privacy(qtbot, demo, tmp_path)
    page = win.privacy_page
    with qtbot.waitSignal(page.suppressions.loaded, timeout=WAIT):
        page.show_tab(page.suppressions)
    (row,) = page.suppressions.model.rows
    assert row.cells[0] == "Do not contact" and row.cells[1] == "Not in the current register"
    assert row.muted


# -- the audit trail -----------------------------------------------------------------------------


def test_the_audit_tab_lists_entries_and_reports_a_tampered_chain(qtbot, tmp_path, demo) -> None:
    elector_id, _ = elector_with_records(demo)
    erasure.suppress(demo, elector_id, DO_NOT_KNOCK, "asked at the door")
    audit_log.record(demo, "print-walk-sheets", {"file": "walk-sheets.pdf", "electors": 12})
    audit_log.record(demo, "print-walk-sheets", {"file": "walk-sheets-2.pdf", "electors": 7})
    win = show_privacy(qtbot, demo, tmp_path)
    page = win.privacy_page
    audit = page.audit
    with qtbot.waitSignal(audit.loaded, timeout=WAIT):
        page.show_tab(audit)
    rows = [r.cells for r in audit.model.rows]
    assert [r[2] for r in rows] == [
        "Printed walk sheets",
        "Printed walk sheets",
        "Suppressed a person",
    ]
    assert rows[0][3] == "walk-sheets-2.pdf: 7 electors"  # newest first
    assert rows[2][3] == "Do not knock"
    assert audit.count.text() == "3 entries."

    # The filter offers the actions in words, and filters by them.
    offered = [audit.filter.itemText(n) for n in range(audit.filter.count())]
    assert offered == ["Every action", "Printed walk sheets", "Suppressed a person"]
    with qtbot.waitSignal(audit.loaded, timeout=WAIT):
        audit.filter.setCurrentIndex(audit.filter.findText("Suppressed a person"))
    assert audit.action == "suppress"
    assert [r.cells[2] for r in audit.model.rows] == ["Suppressed a person"]
    assert audit.count.text() == "1 “Suppressed a person” entry."
    with qtbot.waitSignal(audit.loaded, timeout=WAIT):
        audit.filter.setCurrentIndex(0)  # every action again
    assert audit.model.rowCount() == 3

    with qtbot.waitSignal(audit.checked, timeout=WAIT):
        audit.check_button.click()
    assert audit.check is not None and audit.check.ok
    assert audit.result.objectName() == "good"
    assert audit.result.text().startswith("The trail holds: 3 entries")

    with demo.write() as session:
        second = session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()[1]
        session.execute(
            update(AuditEvent).where(AuditEvent.id == second).values(detail='{"electors":1}')
        )
    with qtbot.waitSignal(audit.checked, timeout=WAIT):
        audit.check_button.click()
    assert audit.check is not None and audit.check.broken_at == second
    assert audit.result.objectName() == "bad"
    assert f"broken at entry {second}" in audit.result.text()
    assert "changed after it was written" in audit.result.text()
    (selected,) = audit.table.selectionModel().selectedRows()
    assert audit.model.item(selected.row()).id == second  # the entry is shown, when listed


def test_the_audit_tab_words_each_action_and_keeps_the_whole_entry_in_the_tooltip(
    qtbot, tmp_path, demo
) -> None:
    device = "0efa7b53-ded1-5953-8296-5bb9b941c93c"
    person = "01b11584-7caa-4bea-9d4e-9d6ff503eb65"
    recorded = {
        "subject-access": {
            "kind": "elector",
            "id": person,
            "ids": [person],
            "files": ["subject-access-01b11584-2026-11-03.pdf", "x.json"],
            "counts": {"audit_entries": 0, "operations": 3, "register_entries": 1, "visits": 2},
        },
        "merge": {"file_id": person, "sender": device, "new": 1204, "dropped_erased": 3},
        "erase": {"entity": "elector", "id": person, "reason": "subject-request", "records": 3},
        "purge": {"electors": 500, "visits": 163, "signatures": 70, "records": 733, "early": False},
        "print-knock-up": {"file": "knock-up.pdf", "pages": 2, "doors": 40, "electors": 61},
        "some-new-action": {"widgets": 4, "device": device, "note_text": "short"},
    }
    for action, detail in recorded.items():
        audit_log.record(demo, action, detail)
    win = show_privacy(qtbot, demo, tmp_path)
    page = win.privacy_page
    audit = page.audit
    with qtbot.waitSignal(audit.loaded, timeout=WAIT):
        page.show_tab(audit)
    shown = {r.item.action: r for r in audit.model.rows}
    words = {action: (row.cells[2], row.cells[3]) for action, row in shown.items()}
    assert words == {
        "subject-access": (
            "Subject-access export",
            "6 records about a register entry, in subject-access-01b11584-2026-11-03.pdf",
        ),
        "merge": ("Merged a file", "1,204 new changes; 3 about erased people left out"),
        "erase": (
            "Erased a person",
            "Register entry erased (they asked to be erased): 3 records removed",
        ),
        "purge": (
            "Purged old data",
            "733 records removed: 500 register entries, 163 doorstep records, "
            "70 petition signatures",
        ),
        "print-knock-up": (
            "Printed knock-up sheets",
            "knock-up.pdf: 2 pages, 40 doors, 61 electors",
        ),
        "some-new-action": ("Some new action", "Note text: short; Widgets: 4"),
    }
    for row in shown.values():
        assert "{" not in row.cells[3] and device not in row.cells[3] and person not in row.cells[3]
    # The whole entry, ids included, is one pointer away.
    tip = audit.model.data(audit.model.index(audit.model.rows.index(shown["merge"]), 3), 3)
    assert f"sender: {device}" in tip and "new: 1204" in tip
    action_tip = audit.model.data(audit.model.index(0, 2), 3)
    assert "in the trail" in action_tip


# -- retention ------------------------------------------------------------------------------------


def test_the_retention_plan_shows_and_a_purge_removes_the_data(qtbot, tmp_path, demo) -> None:
    elector_id, _ = elector_with_records(demo)
    erasure.suppress(demo, elector_id, DO_NOT_CONTACT, "asked at the door")
    set_polling_day(demo, dt.date(2020, 5, 7))  # the default date passed long ago
    electors, visits = count(demo, Elector), count(demo, Visit)
    win = show_privacy(qtbot, demo, tmp_path)
    page = win.privacy_page
    retention = page.retention
    with qtbot.waitSignal(retention.loaded, timeout=WAIT):
        page.show_tab(retention)
    assert retention.until.text() == "Kept until 7 November 2020"
    assert "6 months after polling day (7 May 2020)" in retention.source.text()
    assert retention.state.objectName() == "bad"
    plan = {r.cells[0]: r.cells[1:3] for r in retention.model.rows}
    assert plan["Doorstep records"] == ("Removed", f"{visits:,}")
    assert plan["Register entries (electors)"] == ("Removed", f"{electors:,}")
    assert plan["Do-not-contact entries (suppressions)"] == ("Kept", "1")
    assert retention.purge_button.isEnabled()

    dialog = retention.ask_purge()
    assert dialog is not None
    qtbot.keyClicks(dialog.confirm, "purge")  # the word, deliberately typed (case aside)
    assert dialog.purge_button.isEnabled()
    with qtbot.waitSignal(retention.purged, timeout=WAIT):
        dialog.purge_button.click()
    idle(qtbot, win)
    assert count(demo, Elector) == 0 and count(demo, Visit) == 0 and count(demo, Signature) == 0
    assert count(demo, Suppression) == 1
    assert count(demo, AuditEvent, AuditEvent.action == "purge") == 1
    assert retention.result.text().startswith("Purged:")
    qtbot.waitUntil(lambda: not retention.purge_button.isEnabled(), timeout=WAIT)


def test_the_purge_waits_for_the_word_and_enter_never_purges(qtbot, tmp_path, demo) -> None:
    from PySide6.QtCore import Qt

    set_polling_day(demo, dt.date(2020, 5, 7))
    electors = count(demo, Elector)
    win = show_privacy(qtbot, demo, tmp_path)
    page = win.privacy_page
    retention = page.retention
    with qtbot.waitSignal(retention.loaded, timeout=WAIT):
        page.show_tab(retention)
    dialog = retention.ask_purge()
    assert dialog is not None and dialog.isVisible()
    assert dialog.cancel_button.isDefault() and not dialog.purge_button.isDefault()
    assert not dialog.purge_button.autoDefault()
    assert "This removes, for good" in dialog.what.text()
    assert not dialog.purge_button.isEnabled()
    dialog.accept()  # however it is asked, nothing happens until the word is typed
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.confirm, "PURGATORY")
    assert not dialog.purge_button.isEnabled()
    dialog.confirm.clear()
    qtbot.keyClicks(dialog.confirm, "PURGE")
    assert dialog.purge_button.isEnabled()
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)  # Enter in the field: neither way
    assert dialog.isVisible()
    with qtbot.waitSignal(dialog.rejected, timeout=WAIT):
        dialog.cancel_button.click()
    idle(qtbot, win)
    assert count(demo, Elector) == electors
    assert count(demo, AuditEvent, AuditEvent.action == "purge") == 0


def test_no_purge_before_the_retention_date(qtbot, tmp_path, demo) -> None:
    set_polling_day(demo, dt.date.today() + dt.timedelta(days=30))
    win = show_privacy(qtbot, demo, tmp_path)
    page = win.privacy_page
    with qtbot.waitSignal(page.retention.loaded, timeout=WAIT):
        page.show_tab(page.retention)
    assert not page.retention.purge_button.isEnabled()
    assert page.retention.purge_dialog() is None
    assert page.retention.state.objectName() == "good"
    assert "due in" in page.retention.state.text()


def test_a_date_of_the_campaigns_own_is_saved(qtbot, tmp_path, demo) -> None:
    win = show_privacy(qtbot, demo, tmp_path)
    page = win.privacy_page
    retention = page.retention
    with qtbot.waitSignal(retention.loaded, timeout=WAIT):
        page.show_tab(retention)
    assert retention.until.text() == "No retention date"
    assert retention.state.objectName() == "warning"
    # Polling day is not known: it says so, and Save refuses rather than guess today.
    assert retention.by_default.isChecked()
    assert retention.polling_day.text() == "choose polling day"
    retention.save_button.click()
    assert "choose polling day first" in retention.save_error.text()
    with demo.read() as session:
        assert session.scalars(select(Campaign.polling_day)).one() is None
    retention.own_date.setChecked(True)
    retention.until_date.setDate(dt.date(2031, 3, 4))
    with qtbot.waitSignal(retention.saved, timeout=WAIT):
        retention.save_button.click()
    idle(qtbot, win)  # and read again
    with demo.read() as session:
        campaign = session.scalars(select(Campaign)).one()
        assert campaign.retention_until == dt.date(2031, 3, 4)
    assert retention.until.text() == "Kept until 4 March 2031"
    assert retention.source.text() == "A date the campaign chose."

    retention.by_default.setChecked(True)  # back to the default, from polling day
    retention.polling_day.setDate(dt.date(2030, 5, 2))
    assert "2 November 2030" in retention.default_result.text()
    with qtbot.waitSignal(retention.saved, timeout=WAIT):
        retention.save_button.click()
    idle(qtbot, win)
    with demo.read() as session:
        campaign = session.scalars(select(Campaign)).one()
        assert campaign.retention_until is None
        assert campaign.polling_day == dt.date(2030, 5, 2)
    assert retention.until.text() == "Kept until 2 November 2030"


# -- the start-up offer ---------------------------------------------------------------------------


def test_the_start_up_offer_appears_when_a_purge_is_due(qtbot, tmp_path, demo) -> None:
    set_polling_day(demo, dt.date(2020, 5, 7))
    win = open_window(qtbot, demo, tmp_path)
    offer = win.purge_offer
    assert offer.isVisible()
    assert "7 November 2020" in offer.text.text() and "records" in offer.text.text()
    assert win.stack.currentWidget() is win.overview  # it offers; it does not take over
    with qtbot.waitSignal(win.privacy_page.retention.loaded, timeout=WAIT):
        offer.review_button.click()
    assert not offer.isVisible()
    assert win.stack.currentWidget() is win.privacy_page
    assert win.privacy_page.tabs.currentWidget() is win.privacy_page.retention


def test_later_hides_the_offer(qtbot, tmp_path, demo) -> None:
    set_polling_day(demo, dt.date(2020, 5, 7))
    win = open_window(qtbot, demo, tmp_path)
    assert win.purge_offer.isVisible()
    win.purge_offer.later_button.click()
    assert not win.purge_offer.isVisible()
    assert win.stack.currentWidget() is win.overview


def test_no_start_up_offer_before_the_date(qtbot, tmp_path, demo) -> None:
    set_polling_day(demo, dt.date.today() + dt.timedelta(days=10))
    win = open_window(qtbot, demo, tmp_path)
    assert win.purge_offer.status is None and not win.purge_offer.isVisible()


def test_no_start_up_offer_without_a_retention_date(qtbot, tmp_path, demo) -> None:
    win = open_window(qtbot, demo, tmp_path)
    assert win.purge_offer.status is None and not win.purge_offer.isVisible()


def test_reading_again_keeps_the_date_being_chosen(qtbot, tmp_path, demo) -> None:
    set_polling_day(demo, dt.date(2030, 5, 2))
    win = show_privacy(qtbot, demo, tmp_path)
    page = win.privacy_page
    retention = page.retention
    with qtbot.waitSignal(retention.loaded, timeout=WAIT):
        page.show_tab(retention)
    retention.own_date.setChecked(True)
    retention.until_date.setDate(dt.date(2031, 1, 9))
    with qtbot.waitSignal(retention.loaded, timeout=WAIT):
        retention.reload()  # as after any task (a merge, an erasure) while the person chooses
    assert retention.own_date.isChecked()
    assert retention.until_date.date().toPython() == dt.date(2031, 1, 9)


def test_the_signature_view_names_the_versions_a_signer_saw() -> None:
    from types import SimpleNamespace

    from canvass.ui.pages.petitions_signatures import versions_line

    seen = SimpleNamespace(text_version=2, consent_version=3)
    assert versions_line(seen) == "Text version 2 · consent wording version 3"  # type: ignore[arg-type]
    older = SimpleNamespace(text_version=1, consent_version=0)  # signed before it was recorded
    assert versions_line(older) == "Text version 1"  # type: ignore[arg-type]
