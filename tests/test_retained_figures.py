"""After a retention purge the counts stay: wherever the live counts show, the saved ones show too.

A small demo campaign (synthetic names only) is purged early; `canvass report`,
the Reports screen, the petition list and `canvass petition list` must then
show what the purge saved, apart from the live figures and labelled as saved
(a petition's count against its threshold adds them, and says how many).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import dataclasses  # noqa: E402
import json  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from canvass.cli.main import run  # noqa: E402
from canvass.domain.progress import run_to_end  # noqa: E402
from canvass.paths import Paths  # noqa: E402
from canvass.services import petition_counts, petitions, reports, retention  # noqa: E402
from canvass.storage.database import Database  # noqa: E402
from canvass.ui.application import build_main_window  # noqa: E402
from canvass.ui.main_window import MainWindow  # noqa: E402
from canvass.ui.pages.petitions_common import progress_words, read_details, read_list  # noqa: E402
from canvass.ui.pages.petitions_list import PetitionCard  # noqa: E402
from canvass.ui.pages.reports_models import coded_bars, saved_tiles, tiles  # noqa: E402
from canvass.ui.pages.reports_page import ReportsPage  # noqa: E402
from tests.helpers import close_when_idle, demo_db  # noqa: E402

WAIT = 20_000  # ms: generous, the CI machines are slow and shared
TITLE = "Keep Exampleton Library Open (demo)"


@dataclasses.dataclass
class Purged:
    """A demo campaign purged early, and what it counted just before."""

    path: Path
    db: Database
    by_district: reports.Report
    by_ward: reports.Report
    counted: int  # the demo petition's counted signatures


@pytest.fixture
def purged(tmp_path: Path) -> Iterator[Purged]:
    path = tmp_path / "demo.db"
    db = demo_db(str(path), 120)
    by_district = reports.build_report(db, by="district")
    by_ward = reports.build_report(db, by="ward")
    counted = petition_counts.tally(db, TITLE).counted
    assert by_district.total.visits > 0 and counted > 0  # so the checks below mean something
    run_to_end(retention.purge(db, early=True))
    yield Purged(path, db, by_district, by_ward, counted)
    db.close()


def saved_day(db: Database) -> str:
    retained = reports.build_report(db).retained
    assert retained is not None
    return retained.saved_on


def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    code = run(list(args), paths=Paths.under(tmp_path / "home"), launch_gui=lambda *_: 0)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def summary_line(f: reports.Figures) -> str:
    return (
        f"{f.electors:,} electors at {f.doors:,} doors; {f.doors_knocked:,} doors knocked, "
        f"{f.electors_spoken_to:,} people spoken to (contact rate {100 * f.contact_rate:.1f}%), "
        f"{f.visits:,} records."
    )


# -- canvass report --------------------------------------------------------------------------


def test_report_text_shows_the_saved_figures_apart_from_the_live_ones(
    tmp_path, capsys, purged
) -> None:
    before = purged.by_district
    db = str(purged.path)
    out = cli(tmp_path, capsys, "--db", db, "report", "--by", "district")
    heading = f"Saved at the retention purge of {saved_day(purged.db)}: the records behind them"
    assert heading in out
    live, saved = out.split(heading)
    # The live figures count what is held now (nothing), labelled as such; nothing is mixed in.
    assert "Records held now: 0 electors" in live
    assert "0 doors knocked, 0 people spoken to" in live
    assert summary_line(before.total) in saved
    assert summary_line(before.total) not in live
    outcomes = before.labels["outcomes"]
    spoke, n = before.total.outcomes.most_common(1)[0]
    assert f"{outcomes[spoke]} {n:,}" in saved.split("Outcomes: ")[1].splitlines()[0]
    intentions = saved.split("Intentions: ")[1].splitlines()[0]
    for code, count in before.total.intentions.items():
        assert f"{before.labels['intentions'].get(code, code)} {count:,}" in intentions
    for district, figures in before.groups.items():
        row = next(line for line in saved.splitlines() if f" {district} " in line)
        assert f"{figures.doors_knocked:,} of {figures.doors:,}" in row
        assert f" {figures.electors_spoken_to:,} " in row

    out = cli(tmp_path, capsys, "--db", db, "report", "--by", "ward")
    [(ward, figures)] = purged.by_ward.groups.items()
    saved = out.split("Saved at the retention purge of")[1]
    row = next(line for line in saved.splitlines() if ward in line)
    assert f"{figures.doors_knocked:,} of {figures.doors:,}" in row

    out = cli(tmp_path, capsys, "--db", db, "report", "--by", "street")
    assert summary_line(before.total) in out
    assert "not by street" in out and "--by district" in out


def test_report_text_has_no_saved_section_before_any_purge(tmp_path, capsys) -> None:
    path = tmp_path / "demo.db"
    demo_db(str(path), 40).close()
    out = cli(tmp_path, capsys, "--db", str(path), "report")
    assert "retention purge" not in out and "Records held now" not in out


# -- the Reports screen ----------------------------------------------------------------------


def show_reports(qtbot, db: Database, tmp_path: Path) -> MainWindow:
    """The main window on ``db``, showing the Reports screen once it has read its report."""
    win = build_main_window(db, Paths.under(tmp_path / "home"))
    close_when_idle(qtbot, win)
    win.resize(1366, 768)
    with qtbot.waitSignal(win.live.updated, timeout=WAIT):
        win.show()
    names = [win.nav.item(row).text() for row in range(win.nav.count())]
    with qtbot.waitSignal(win.reports_page.loaded, timeout=WAIT):
        win.nav.setCurrentRow(names.index("Reports"))
    return win


def split_by(qtbot, page: ReportsPage, by: str | None) -> None:
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.split.setCurrentIndex(page.split.findData(by))


def cells(model, row: int) -> list[str]:
    return [model.data(model.index(row, c)) for c in range(model.columnCount())]


def test_build_report_keeps_the_saved_figures_apart(purged) -> None:
    report = reports.build_report(purged.db, by="district")
    assert report.total.visits == 0  # the live figures count nothing now
    assert report.retained is not None
    assert report.retained.total.to_json() == purged.by_district.total.to_json()
    assert report.retained.heading.startswith(
        f"Saved at the retention purge of {saved_day(purged.db)}"
    )
    assert report.retained.groups_by("district") == purged.by_district.groups
    assert report.retained.groups_by("street") is None
    assert report.retained.groups_by(None) is None


def test_the_reports_screen_shows_the_saved_panel_not_an_empty_state(
    qtbot, tmp_path, purged
) -> None:
    win = show_reports(qtbot, purged.db, tmp_path)
    page = win.reports_page
    before = purged.by_district
    saved = page.retained_panel
    assert saved.isVisible()
    assert not page.empty_panel.isVisible() and not page.content.isVisible()
    assert page.since_purge.isVisible()
    assert "No doorstep records since the retention purge" in page.since_purge.text()
    assert saved.title.text() == (
        f"Saved at the retention purge of {saved_day(purged.db)}: the records behind them "
        "were erased"
    )
    shown = {key: (f.number.text(), f.caption.text()) for key, f in saved.figures.items()}
    assert shown == {key: (t.number, t.caption) for key, t in saved_tiles(before.total).items()}
    assert shown["doors"][0] == f"{before.total.doors_knocked:,}"
    assert shown["spoken"][0] == f"{before.total.electors_spoken_to:,}"
    assert shown["rate"][0] == f"{100 * before.total.contact_rate:.1f}%"
    assert saved.outcome_chart.bars == coded_bars(before.total.outcomes, before.labels["outcomes"])
    assert saved.outcome_chart.whole == before.total.visits
    intentions = {bar.label: bar.value for bar in saved.intention_chart.bars}
    labels = before.labels["intentions"]
    assert intentions == {labels[c]: n for c, n in before.total.intentions.items()}
    assert not saved.groups.isVisible() and not saved.group_note.isVisible()  # no split
    assert page.export_button.isEnabled()  # the CSV carries the saved row

    split_by(qtbot, page, "district")
    assert saved.isVisible() and saved.groups.isVisible()
    assert saved.group_heading.text() == "By polling district"
    model = saved.group_model
    rows = {cells(model, r)[0]: cells(model, r)[1:] for r in range(model.rowCount())}
    assert rows == {
        name: [
            f"{g.electors:,}",
            f"{g.doors_knocked:,} of {g.doors:,}",
            f"{g.electors_spoken_to:,}",
            f"{100 * g.contact_rate:.1f}%",
        ]
        for name, g in before.groups.items()
    }

    split_by(qtbot, page, "street")
    assert saved.isVisible() and not saved.groups.isVisible()
    assert saved.group_note.isVisible() and "not by street" in saved.group_note.text()
    win.grab().save(str(tmp_path / "reports-after-purge.png"))


def test_live_and_saved_figures_show_side_by_side(qtbot, tmp_path, purged) -> None:
    live_db = demo_db(str(tmp_path / "live.db"), 60)
    page = show_reports(qtbot, live_db, tmp_path).reports_page
    report = reports.build_report(live_db)
    assert report.total.visits > 0 and report.retained is None
    report.retained = reports.build_report(purged.db).retained
    page.show_report(report)
    assert page.content.isVisible() and page.retained_panel.isVisible()
    assert not page.since_purge.isVisible() and not page.empty_panel.isVisible()
    # Each in its own place: the live tiles show live figures, the panel the saved ones.
    assert page.tiles["spoken"].number.text() == tiles(report.total)["spoken"].number
    assert page.retained_panel.figures["spoken"].number.text() == (
        f"{purged.by_district.total.electors_spoken_to:,}"
    )
    assert report.total.electors_spoken_to != purged.by_district.total.electors_spoken_to


# -- petitions -------------------------------------------------------------------------------


def test_list_petitions_counts_what_the_purge_saved(purged) -> None:
    [summary] = petition_counts.list_petitions(purged.db)
    assert (summary.counted, summary.saved_counted) == (purged.counted, purged.counted)
    assert petition_counts.tally(purged.db, TITLE).counted == 0  # tally stays the live count
    day = saved_day(purged.db)
    assert summary.saved_note == (
        f"{purged.counted:,} of them were saved at the retention purge of {day}: the "
        "signatures behind them were erased."
    )
    # A signature taken after the purge adds to the saved count against the threshold.
    draft = read_details(purged.db, summary.id).draft
    petitions.update_petition(
        purged.db, summary.id, dataclasses.replace(draft, opens_on=None, closes_on=None)
    )
    petitions.sign(
        purged.db,
        TITLE,
        petitions.Signer(name="Ada Sampleton", postcode="ZZ9 9ZZ", consent=True),
    )
    [summary] = petition_counts.list_petitions(purged.db)
    assert (summary.counted, summary.saved_counted) == (purged.counted + 1, purged.counted)
    assert petition_counts.tally(purged.db, TITLE).counted == 1


def test_no_saved_counts_before_any_purge(tmp_path) -> None:
    db = demo_db(str(tmp_path / "demo.db"), 40)
    try:
        [summary] = petition_counts.list_petitions(db)
        assert summary.counted == petition_counts.tally(db, TITLE).counted
        assert (summary.saved_counted, summary.saved_at, summary.saved_note) == (0, "", "")
    finally:
        db.close()


def test_petition_list_command_shows_the_counts_kept(tmp_path, capsys, purged) -> None:
    db = str(purged.path)
    out = cli(tmp_path, capsys, "--db", db, "petition", "list")
    assert f"{TITLE}: {purged.counted:,} signatures of 500 needed" in out
    assert (
        f"{purged.counted:,} of them were saved at the retention purge of {saved_day(purged.db)}"
    ) in out
    [row] = json.loads(cli(tmp_path, capsys, "--db", db, "petition", "list", "--json"))
    assert (row["counted"], row["saved_counted"]) == (purged.counted, purged.counted)
    assert row["saved_at"]


def test_the_petitions_screen_card_counts_what_the_purge_saved(qtbot, purged) -> None:
    listing = read_list(purged.db)
    [summary] = listing.petitions
    card = PetitionCard(summary)
    qtbot.addWidget(card)
    assert card.figure.text() == progress_words(purged.counted, summary.threshold)
    assert card.progress.value() == min(purged.counted, summary.threshold or 0)
    assert not card.saved.isHidden()
    assert card.saved.text() == summary.saved_note and "retention purge" in card.saved.text()


def test_a_card_before_any_purge_has_no_saved_line(qtbot, tmp_path) -> None:
    db = demo_db(str(tmp_path / "demo.db"), 40)
    try:
        [summary] = read_list(db).petitions
        card = PetitionCard(summary)
        qtbot.addWidget(card)
        assert card.saved.isHidden()
    finally:
        db.close()


def test_the_signatures_view_counts_the_saved_signatures_with_a_note(purged) -> None:
    from canvass.ui.pages.petitions_common import read_signatures

    [summary] = petition_counts.list_petitions(purged.db)
    figures = read_signatures(purged.db, summary.id)
    assert figures.rows == [] and figures.counted == 0  # the signatures themselves are gone
    assert figures.saved_counted == purged.counted
    assert figures.saved_note.startswith(f"{purged.counted:,} of them")
