"""The Reports screen: headline figures, charts, the split table, CSV export, empty state.

A small demo campaign (synthetic names only) is shown in the real main
window; what the page shows is compared with what the service reports.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QFileDialog  # noqa: E402
from sqlalchemy import select  # noqa: E402

from canvass.paths import Paths  # noqa: E402
from canvass.services.canvassing import set_voided  # noqa: E402
from canvass.services.reports import Figures, build_report  # noqa: E402
from canvass.storage.database import Database  # noqa: E402
from canvass.storage.tables import Visit  # noqa: E402
from canvass.ui.application import build_main_window  # noqa: E402
from canvass.ui.charts import (  # noqa: E402
    RATE_ROLE,
    Bar,
    BarChart,
    ColumnChart,
    DayChart,
    percent,
    short_day,
)
from canvass.ui.main_window import MainWindow  # noqa: E402
from canvass.ui.pages.reports_models import (  # noqa: E402
    EMPTY_TEXT,
    SPLITS,
    coded_bars,
    rate_text,
    support_bars,
    tiles,
)
from canvass.ui.pages.reports_page import ReportsPage, suggested_name  # noqa: E402
from tests.helpers import close_when_idle, demo_db  # noqa: E402

WAIT = 20_000  # ms: generous, the CI machines are slow and shared


def visit_ids(db: Database) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(Visit.id).order_by(Visit.id)))


@pytest.fixture
def finish(qtbot) -> Iterator[list[MainWindow]]:
    """Windows a test opened, left with no task running when it ends."""
    windows: list[MainWindow] = []
    yield windows  # each closes itself once idle: see close_when_idle


def show_reports(qtbot, db: Database, tmp_path: Path, finish: list[MainWindow]) -> MainWindow:
    """The main window on ``db``, showing the Reports screen once it has read its report."""
    win = build_main_window(db, Paths.under(tmp_path / "home"))
    close_when_idle(qtbot, win)
    finish.append(win)
    win.resize(1366, 768)
    with qtbot.waitSignal(win.live.updated, timeout=WAIT):
        win.show()
    names = [win.nav.item(row).text() for row in range(win.nav.count())]
    with qtbot.waitSignal(win.reports_page.loaded, timeout=WAIT):
        win.nav.setCurrentRow(names.index("Reports"))
    return win


@pytest.fixture
def demo(tmp_path: Path) -> Database:
    return demo_db(str(tmp_path / "demo.db"), 300)


def split_by(qtbot, page: ReportsPage, by: str | None) -> None:
    index = page.split.findData(by)
    assert index >= 0
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.split.setCurrentIndex(index)


def cells(model, row: int) -> list[str]:
    return [model.data(model.index(row, c)) for c in range(model.columnCount())]


# -- the screen ---------------------------------------------------------------------------


def test_reports_replaces_its_coming_soon_page(qtbot, tmp_path, demo, finish) -> None:
    win = show_reports(qtbot, demo, tmp_path, finish)
    names = [win.nav.item(row).text() for row in range(win.nav.count())]
    assert win.stack.widget(names.index("Reports")) is win.reports_page
    assert "Reports" not in [page.planned.title for page in win.placeholders]


def test_headline_figures_and_charts_are_the_services(qtbot, tmp_path, demo, finish) -> None:
    win = show_reports(qtbot, demo, tmp_path, finish)
    page = win.reports_page
    report = build_report(demo)
    total = report.total
    assert total.visits > 0  # the demo campaign has records
    assert page.content.isVisible() and not page.empty_panel.isVisible()
    shown = {key: (card.number.text(), card.caption.text()) for key, card in page.tiles.items()}
    assert shown == {key: (t.number, t.caption) for key, t in tiles(total).items()}
    assert shown["electors"][0] == f"{total.electors:,}"
    assert shown["doors"] == (
        f"{total.doors_knocked:,}",
        f"of {total.doors:,} doors ({rate_text(total.doors_knocked / total.doors)})",
    )
    assert shown["spoken"][0] == f"{total.electors_spoken_to:,}"
    assert shown["rate"][0] == f"{100 * total.contact_rate:.1f}%"

    outcomes = {bar.label: bar.value for bar in page.outcome_chart.bars}
    labels = report.labels["outcomes"]
    assert outcomes == {labels[c]: n for c, n in total.outcomes.items()}
    assert page.outcome_chart.whole == total.visits
    intentions = {bar.label: bar.value for bar in page.intention_chart.bars}
    assert intentions == {report.labels["intentions"][c]: n for c, n in total.intentions.items()}
    assert [bar.value for bar in page.support_chart.bars] == [
        total.support.get(n, 0) for n in range(1, 6)
    ]
    assert sum(bar.value for bar in page.flag_chart.bars) == sum(total.flags.values())
    assert {bar.label for bar in page.issue_chart.bars} <= set(total.issues)
    model = page.canvasser_model
    assert model.rowCount() == len(report.by_canvasser)
    shown_canvassers = {cells(model, r)[0]: cells(model, r)[1] for r in range(model.rowCount())}
    assert shown_canvassers == {n: f"{c['visits']:,}" for n, c in report.by_canvasser.items()}
    assert page.day_chart.days == [
        (day, c.get("visits", 0), c.get("spoke", 0)) for day, c in sorted(report.by_day.items())
    ]
    assert not page.group_panel.isVisible()  # no split chosen
    assert page.export_button.isEnabled()


def test_split_by_district_shows_a_row_per_district(qtbot, qtmodeltester, tmp_path, demo, finish):
    win = show_reports(qtbot, demo, tmp_path, finish)
    page = win.reports_page
    assert [page.split.itemData(n) for n in range(page.split.count())] == [b for b, _ in SPLITS]
    split_by(qtbot, page, "district")
    report = build_report(demo, by="district")
    assert page.group_panel.isVisible()
    assert page.group_panel.title.text() == "By polling district"
    model = page.group_model
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Polling district"
    assert model.rowCount() == len(report.groups) >= 2
    for row, (name, figures) in enumerate(report.groups.items()):
        assert cells(model, row) == [
            name,
            f"{figures.electors:,}",
            f"{figures.doors_knocked:,} of {figures.doors:,}",
            f"{figures.electors_spoken_to:,}",
            rate_text(figures.contact_rate),
        ]
        rate = model.data(model.index(row, 4), RATE_ROLE)
        assert rate == pytest.approx(figures.contact_rate)
    assert sum(f.electors for f in report.groups.values()) == report.total.electors
    # Sorting by contact rate puts the best-reached district last.
    page.group_table.sortByColumn(4, Qt.SortOrder.AscendingOrder)
    best = max(report.groups, key=lambda k: report.groups[k].contact_rate)
    assert cells(model, model.rowCount() - 1)[0] == best
    qtmodeltester.check(model)
    qtmodeltester.check(page.canvasser_model)
    assert not page.group_table.grab().isNull()

    split_by(qtbot, page, "street")
    assert page.group_panel.title.text() == "By street"
    assert model.rowCount() == len(build_report(demo, by="street").groups)
    split_by(qtbot, page, None)
    assert not page.group_panel.isVisible()


def test_export_csv_writes_a_spreadsheet_safe_file(
    qtbot, tmp_path, demo, finish, monkeypatch
) -> None:
    win = show_reports(qtbot, demo, tmp_path, finish)
    page = win.reports_page
    split_by(qtbot, page, "ward")
    asked: list[str] = []

    def save_as(_parent, _title, start, csv_filter):
        asked.append(start)
        return str(tmp_path / "out" / "figures"), csv_filter

    (tmp_path / "out").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    with qtbot.waitSignal(page.exported, timeout=WAIT) as blocker:
        page.export_button.click()
    path = blocker.args[0]
    assert path == tmp_path / "out" / "figures.csv"  # the suffix is added
    assert asked[0].endswith(suggested_name("ward"))
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith('"ward","electors"')
    assert len(text.splitlines()) == 1 + 1 + len(build_report(demo, by="ward").groups)
    assert str(path) in win.statusBar().currentMessage()


def test_export_cancelled_writes_nothing(qtbot, tmp_path, demo, finish, monkeypatch) -> None:
    win = show_reports(qtbot, demo, tmp_path, finish)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    win.reports_page.export_button.click()
    assert not win.tasks.busy
    assert not list(tmp_path.glob("*.csv"))


def test_no_records_shows_the_empty_state(qtbot, tmp_path, demo, finish) -> None:
    set_voided(demo, visit_ids(demo), True)  # every record undone: nothing to report
    win = show_reports(qtbot, demo, tmp_path, finish)
    page = win.reports_page
    assert page.empty_panel.isVisible()
    assert not page.content.isVisible()
    assert page.empty_text.text() == EMPTY_TEXT
    assert "300 electors" in page.empty_figures.text()
    assert not page.export_button.isEnabled()
    assert not win.grab().isNull()


def test_the_report_follows_changes_to_the_database(qtbot, tmp_path, demo, finish) -> None:
    win = show_reports(qtbot, demo, tmp_path, finish)
    page = win.reports_page
    before = build_report(demo).total.visits
    assert page.tiles["spoken"].caption.text().endswith(f"{before:,} doorstep records")
    ids = visit_ids(demo)[:5]
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        win.tasks.start(lambda: set_voided(demo, ids, True))  # e.g. undone on another screen
    qtbot.waitUntil(
        lambda: page.tiles["spoken"].caption.text().endswith(f"{before - 5:,} doorstep records"),
        timeout=WAIT,
    )


# -- charts -------------------------------------------------------------------------------


def test_charts_paint_with_data_and_without(qtbot) -> None:
    bars = BarChart()
    columns = ColumnChart()
    days = DayChart()
    for chart in (bars, columns, days):
        qtbot.addWidget(chart)
        chart.resize(480, chart.height())
        assert not chart.grab().isNull()  # empty: it says so
        assert chart.tooltips() == []
    long_label = "A very long label that will not fit in the space it is given at all"
    bars.set_bars([Bar("Spoke", 30), Bar(long_label, 10, "#C0392B"), Bar("None", 0)], 40)
    assert bars.height() == BarChart.ROW * 3 + 4
    assert not bars.grab().isNull()
    assert bars.tooltips() == ["Spoke: 30  ·  75%", f"{long_label}: 10  ·  25%", "None: 0  ·  0%"]
    columns.set_bars([Bar(str(n), n * 3, "", "note" if n == 1 else "") for n in range(1, 6)], 45)
    assert not columns.grab().isNull()
    assert columns.tooltips()[0] == "1 (note): 3  ·  7%"
    columns.set_bars([Bar("1", 0), Bar("2", 0)], 0)
    assert columns.bars == []  # all zero draws the empty text
    many = {f"2026-{m:02d}-{d:02d}": {"visits": d * 2, "spoke": d} for m in (5, 6) for d in (1, 28)}
    many |= {f"2026-07-{d:02d}": {"visits": d, "spoke": 0} for d in range(1, 31)}
    days.set_days(many)
    assert not days.grab().isNull()
    assert len(days.tooltips()) == len(many)
    days.set_days({"2026-09-01": {"visits": 5, "spoke": 2}})
    days.grab()
    assert days.tooltips() == ["1 Sep: 5 records, spoke to 2 people"]


def test_bar_helpers() -> None:
    assert percent(1, 3) == "33%"
    assert percent(1, 0) == "–"
    assert short_day("2027-04-03") == "3 Apr"
    assert short_day("not a day") == "not a day"
    labels = {"NI": "Not in", "SPK": "Spoke", "R": "Refused"}
    shown = coded_bars({"SPK": 4, "NI": 2, "OLD": 1}, labels)
    # The code set's order, codes nobody used left out, retired codes last as themselves.
    assert [(b.label, b.value) for b in shown] == [("Not in", 2), ("Spoke", 4), ("OLD", 1)]


def test_support_bars_show_every_point() -> None:
    figures = Figures()
    figures.support.update({2: 3, 5: 1})
    assert [(b.label, b.value) for b in support_bars(figures)] == [
        ("1", 0),
        ("2", 3),
        ("3", 0),
        ("4", 0),
        ("5", 1),
    ]
