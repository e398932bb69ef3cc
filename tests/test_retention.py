"""Retention: the date, the purge that keeps only figures, and privacy-notice versions."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from canvass.cli import privacy_retention
from canvass.cli.main import run
from canvass.cli.privacy_commands import privacy_group
from canvass.domain.errors import ValidationError
from canvass.domain.progress import run_to_end
from canvass.paths import Paths
from canvass.services import (
    bundles,
    campaigns,
    canvassing,
    erasure,
    exchange,
    keys,
    merge_files,
    petition_counts,
    petitions,
    reports,
    retention,
    search,
    supporters,
)
from canvass.services.apply import ERASABLE
from canvass.services.databases import open_db
from canvass.services.oplog import OpWriter
from canvass.storage.tables import (
    AuditEvent,
    Campaign,
    Elector,
    Erasure,
    HeldRecord,
    OperationRow,
    PersonLink,
    Petition,
    Signature,
    Supporter,
    Suppression,
    Visit,
)
from tests.helpers import demo_db

TITLE = "Keep Exampleton Library Open (demo)"
PAST = dt.date(2026, 1, 31)
# Distinctive words, easy to look for in the database file's raw bytes.
NOTE = "Zqxjvnote Retentionmarker"
SURNAME = "Qwzxyretentionsurname"
SIGNER = "Vexqorsigner Exampleton"
SUPPORTER = "Jukzwsupporter Sampleton"


def _counts(db) -> dict[str, int]:
    with db.read() as s:
        return {
            m.__tablename__: int(s.scalar(select(func.count()).select_from(m)) or 0)
            for m in (Visit, Signature, Supporter, Elector, PersonLink, Suppression, Erasure)
        }


def _petition_counts(db) -> dict[str, int]:
    with db.read() as s:
        ids = list(s.scalars(select(Petition.id)))
    return {pid: petition_counts.tally(db, pid).counted for pid in ids}


def _raw(path: Path) -> bytes:
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _personal_data(db) -> str:
    """Adds a record of every kind the purge erases, each with a word to look for."""
    with db.read() as s:
        a, b = s.scalars(select(Elector.id).order_by(Elector.elector_number).limit(2)).all()
    with db.write() as s:
        writer = OpWriter.local(s)
        writer.set("elector", a, "surname", SURNAME)
        writer.create("person_link", {"elector_a_id": a, "elector_b_id": b})
        writer.flush()
    canvassing.record(db, a, canvassing.Entry("SPK", "S", 2, notes=NOTE))
    petitions.sign(
        db,
        TITLE,
        petitions.Signer(
            name=SIGNER, address="3 Mock Street, Exampleton", postcode="ZZ1 3DB", consent=True
        ),
    )
    supporters.add_supporter(
        db, supporters.SupporterEntry(name=SUPPORTER, postcode="ZZ2 5YL", consent=True)
    )
    erasure.suppress(db, b, reason="asked at the door")
    return a


def test_a_purge_erases_every_personal_record_and_keeps_the_figures(tmp_path):
    path = tmp_path / "c.db"
    db = demo_db(str(path), 150)
    _personal_data(db)
    search.ensure_index(db)  # the search index holds names too
    campaigns.set_retention_until(db, PAST)
    before = reports.build_report(db, by="district")
    before_ward = reports.build_report(db, by="ward")
    before_petitions = _petition_counts(db)
    counts = _counts(db)
    assert counts["suppressions"] == 1 and counts["person_links"] == 1
    db.scrub()
    for word in (NOTE, SURNAME, SIGNER, SUPPORTER):
        assert word.encode() in _raw(path)  # so their absence below means something

    result = run_to_end(retention.purge(db))

    assert result.erased == {
        "visit": counts["visits"],
        "signature": counts["signatures"],
        "supporter": counts["supporters"],
        "elector": counts["electors"],
    }
    after = _counts(db)
    assert {
        k: after[k] for k in ("visits", "signatures", "supporters", "electors")
    } == dict.fromkeys(("visits", "signatures", "supporters", "electors"), 0)
    assert after["person_links"] == 0
    assert after["suppressions"] == counts["suppressions"]  # kept: honours the objection
    assert after["erasures"] == sum(result.erased.values()) + 1  # + the linked person link
    with db.read() as s:
        reasons = set(s.scalars(select(Erasure.reason_code)))
        assert reasons == {"retention", "linked-record"}
        # Only erasures are left in the log of any erased record.
        kinds = set(
            s.scalars(
                select(OperationRow.kind).where(
                    OperationRow.entity.in_(("visit", "signature", "supporter", "elector"))
                )
            )
        )
        assert kinds == {"erase"}
        [purge] = s.scalars(select(AuditEvent).where(AuditEvent.action == "purge")).all()
        detail = json.loads(purge.detail)
        assert detail["electors"] == counts["electors"] and detail["early"] is False
    assert search.search_electors(db, SURNAME) == []
    db.close()
    raw = _raw(path).lower()  # the search index keeps words in lower case
    for word in (NOTE, SURNAME, SIGNER, SUPPORTER):
        assert word.lower().encode() not in raw, word

    db = open_db(str(path))
    report = reports.build_report(db, by="district")
    assert report.total.visits == 0 and report.retained is not None
    assert report.retained.total.to_json() == before.total.to_json()
    saved = report.to_json()["retained"]
    assert saved["groups"] == {k: v.to_json() for k, v in before.groups.items()}
    assert "retention purge" in saved["label"]
    ward = reports.build_report(db, by="ward").to_json()["retained"]["groups"]
    assert ward == {k: v.to_json() for k, v in before_ward.groups.items()}
    assert report.retained.by_canvasser == before.by_canvasser
    assert {k: v.counted for k, v in report.retained.petitions.items()} == before_petitions
    assert "retention purge" in reports.report_csv(report)
    db.close()


def test_a_bundle_made_after_the_purge_keeps_the_count_as_an_anonymous_line(tmp_path):
    db = demo_db(str(tmp_path / "c.db"), 60)
    counted = petition_counts.tally(db, TITLE).counted
    with db.read() as s:
        signed = int(s.scalar(select(func.count()).select_from(Signature)) or 0)
    run_to_end(retention.purge(db, early=True))
    out = tmp_path / "after.pdf"
    run_to_end(bundles.make_bundle(db, TITLE, out, sign=False))
    db.close()
    text = " ".join(
        subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout.split()
    )
    assert (
        f"Removed at the end of the retention period: {signed:,} signatures of this petition "
        f"({counted:,} counted) were deleted" in text
    )
    assert "Erased on request" not in text  # a purge is not a signer's request


def test_the_purge_covers_every_kind_of_record_an_erasure_can_remove():
    assert {entity for entity, _, _ in retention.ERASED} == ERASABLE


def test_the_purge_is_refused_before_the_date_and_nothing_changes(tmp_path):
    db = demo_db(str(tmp_path / "c.db"), 40)
    today = dt.date(2027, 3, 1)
    status = retention.retention_status(db, today=today)
    assert status.until is None and not status.due
    assert "no retention date" in status.message and "--until" in status.message
    before = _counts(db)
    with pytest.raises(ValidationError, match="no retention date"):
        run_to_end(retention.purge(db, today=today))

    campaigns.set_polling_day(db, dt.date(2026, 8, 31))
    status = retention.retention_status(db, today=today)
    # Six months after polling day, on the last day of a shorter month.
    assert (status.until, status.source) == (dt.date(2027, 2, 28), "polling day")
    assert status.due

    campaigns.set_retention_until(db, dt.date(2027, 3, 11))
    status = retention.retention_status(db, today=today)
    assert (status.until, status.source, status.due) == (dt.date(2027, 3, 11), "set", False)
    assert "in 10 days" in status.message
    erase = {line.record: line.count for line in status.plan.lines if line.action == "erase"}
    assert erase["register entries (electors)"] == before["electors"]
    assert erase["doorstep records"] == before["visits"]
    with pytest.raises(ValidationError, match="kept until 2027-03-11 .10 days"):
        run_to_end(retention.purge(db, today=today))
    assert _counts(db) == before
    with db.read() as s:
        assert s.scalar(select(Campaign.retained_at)) == ""

    result = run_to_end(retention.purge(db, today=today, early=True))
    assert result.early and _counts(db)["electors"] == 0
    with pytest.raises(ValidationError, match="nothing to purge"):
        run_to_end(retention.purge(db, early=True))
    db.close()


def test_a_second_purge_adds_its_figures_to_the_first(tmp_path):
    db = demo_db(str(tmp_path / "c.db"), 40)
    first = petition_counts.tally(db, TITLE).counted
    run_to_end(retention.purge(db, early=True))
    petitions.sign(
        db, TITLE, petitions.Signer(name="Ada Latecomer", postcode="ZZ9 9ZZ", consent=True)
    )
    run_to_end(retention.purge(db, early=True))
    report = reports.build_report(db)
    assert report.retained is not None
    [saved] = report.retained.petitions.values()
    assert saved.counted == first + 1
    db.close()


def test_only_the_coordinator_purges(tmp_path):
    coord, lap, lap_id = _pair(tmp_path, str(tmp_path / "coord.db"))
    exchange.export_file(coord, tmp_path / "a.canvass", to=[lap_id])
    _merge(lap, tmp_path / "a.canvass")
    with pytest.raises(ValidationError, match="Only the coordinator"):
        run_to_end(retention.purge(lap, early=True))
    assert _counts(lap)["electors"] > 0
    coord.close()
    lap.close()


def _pair(tmp_path, url):
    coord = demo_db(url, 120)
    lap = open_db(str(tmp_path / "lap.db"), create=True)
    keys.write_enrolment_file(coord, tmp_path / "c.enrol")
    keys.write_enrolment_file(lap, tmp_path / "l.enrol")
    keys.enrol(lap, keys.read_enrolment_file(tmp_path / "c.enrol"), role="coordinator")
    keys.enrol(coord, keys.read_enrolment_file(tmp_path / "l.enrol"))
    return coord, lap, keys.this_device(lap).id


def _merge(db, *paths):
    return run_to_end(merge_files.merge_files(db, list(paths)))


def test_the_purge_travels_and_an_old_file_brings_nothing_back(tmp_path, db_url):
    coord, lap, lap_id = _pair(tmp_path, db_url)
    exchange.export_file(coord, tmp_path / "a.canvass", to=[lap_id])
    [r] = _merge(lap, tmp_path / "a.canvass")
    assert r.status == "merged"
    # The laptop records a visit of its own and sends it in, then keeps a copy
    # of everything it had from before the purge.
    door = next(
        d for d in canvassing.doors(lap, district="NA") if any(e.can_record for e in d.electors)
    )
    person = next(e for e in door.electors if e.can_record)
    canvassing.record(lap, person.id, canvassing.Entry("SPK", notes=NOTE))
    [r] = _merge(coord, exchange.export_file(lap, tmp_path / "sent.canvass").path)
    assert r.status == "merged"
    # Files from before the purge, merged only after it.
    stale_lap = exchange.export_file(lap, tmp_path / "stale-lap.canvass").path
    stale_coord = exchange.export_file(coord, tmp_path / "stale-coord.canvass", to=[lap_id]).path
    before = reports.build_report(coord)
    before_petitions = _petition_counts(coord)
    assert _counts(lap)["electors"] == _counts(coord)["electors"] > 0

    campaigns.set_retention_until(coord, PAST)
    run_to_end(retention.purge(coord))
    exchange.export_file(coord, tmp_path / "b.canvass", to=[lap_id])
    [r] = _merge(lap, tmp_path / "b.canvass")
    assert r.status == "merged"
    for db in (coord, lap):
        counts = _counts(db)
        assert counts["visits"] == counts["signatures"] == counts["electors"] == 0
        report = reports.build_report(db)
        assert report.retained is not None
        assert report.retained.total.to_json() == before.total.to_json()
        assert {k: v.counted for k, v in report.retained.petitions.items()} == before_petitions

    # A file from before the purge, merged late into either, brings nobody back.
    for db, stale in ((coord, stale_lap), (lap, stale_coord)):
        [again] = _merge(db, stale)
        assert again.status == "merged" and again.dropped_erased > 0
        counts = _counts(db)
        assert counts["visits"] == counts["signatures"] == counts["electors"] == 0
        with db.read() as s:
            assert s.scalar(select(func.count()).select_from(HeldRecord)) == 0
    coord.close()
    lap.close()


def test_notice_versions_are_stored_on_each_visit_and_read_back(db_url):
    db = demo_db(db_url, 60)
    assert campaigns.privacy_notice(db) == campaigns.PrivacyNotice("", 1)
    doors = [d for d in canvassing.doors(db, district="NA") if d.electors[0].can_record]
    first, second, third = (d.electors[0] for d in doors[:3])
    untold = canvassing.record(db, first.id, canvassing.Entry("NI"))
    with pytest.raises(ValidationError, match="empty"):
        campaigns.set_privacy_notice(db, "  ")
    assert campaigns.set_privacy_notice(db, "We are the demo campaign.") == (
        campaigns.PrivacyNotice("We are the demo campaign.", 1)
    )
    told_v1 = canvassing.record(db, second.id, canvassing.Entry("NI"))
    assert campaigns.set_privacy_notice(db, "We are the demo campaign.").version == 1
    assert campaigns.set_privacy_notice(db, "We keep notes until May.").version == 2
    household = canvassing.household_not_in(db, doors[2].address_id)
    told_v2 = canvassing.record(db, third.id, canvassing.Entry("NI"), allow_moved=True)
    with db.read() as s:
        stored = {i: n for i, n in s.execute(select(Visit.id, Visit.notice_version))}
        ops = s.scalars(
            select(OperationRow.value).where(
                OperationRow.entity_id == told_v2, OperationRow.kind == "create"
            )
        ).all()
    assert (stored[untold], stored[told_v1], stored[told_v2]) == (0, 1, 2)
    assert {stored[v] for v in household} == {2}
    assert json.loads(ops[0])["notice_version"] == 2  # it travels with the visit
    history = {
        v.id: v.notice_version
        for d in canvassing.doors(db, district="NA")
        for e in d.electors
        for v in e.visits
    }
    assert (history[untold], history[told_v1], history[told_v2]) == (0, 1, 2)
    report = reports.build_report(db).to_json()
    assert report["privacy_notice_version"] == 2
    assert report["notice_versions"]["2"] == len(household) + 1
    assert report["notice_versions"]["1"] == 1
    db.close()


def _cli(tmp_path):
    paths = Paths.under(tmp_path / "home")
    for command in privacy_retention.COMMANDS:
        if command.name not in privacy_group.commands:
            privacy_group.add_command(command)

    def canvass(*args: str) -> int:
        return run(list(args), paths=paths, launch_gui=lambda *_: 0)

    return canvass


def test_retention_purge_and_notice_from_the_command_line(tmp_path, capsys):
    canvass = _cli(tmp_path)
    db = str(tmp_path / "c.db")
    assert canvass("--db", db, "demo", "--electors", "40") == 0
    capsys.readouterr()
    assert canvass("--db", db, "privacy", "retention") == 0
    assert "no retention date" in capsys.readouterr().out
    assert canvass("--db", db, "privacy", "retention", "--until", "31/01/2026") == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert canvass("--db", db, "privacy", "purge", "--yes") == 1
    assert "nothing was purged" in capsys.readouterr().err
    assert canvass("--db", db, "privacy", "retention", "--until", "2026-01-31", "--json") == 0
    status = json.loads(capsys.readouterr().out)
    assert status["retention_until"] == "2026-01-31" and status["due"]
    plan = {line["record"]: line for line in status["plan"]}
    assert plan["register entries (electors)"]["count"] == 40
    assert plan["do-not-contact entries (suppressions)"]["action"] == "keep"
    assert canvass("--db", db, "privacy", "retention", "--until", "none", "--json") == 0
    assert json.loads(capsys.readouterr().out)["source"] == "none"
    assert canvass("--db", db, "privacy", "retention", "--polling-day", "2025-07-01") == 0
    assert "2026-01-01 (6 months after polling day, 2025-07-01)" in capsys.readouterr().out
    assert canvass("--db", db, "privacy", "purge", "--dry-run") == 0
    assert "What a purge does now" in capsys.readouterr().out
    assert canvass("--db", db, "report", "--json") == 0
    before = json.loads(capsys.readouterr().out)
    assert before["retained"] is None
    assert canvass("--db", db, "privacy", "purge", "--yes") == 0
    assert "40 electors" in capsys.readouterr().out
    assert canvass("--db", db, "report", "--json") == 0
    after = json.loads(capsys.readouterr().out)
    assert after["total"]["electors"] == 0
    assert after["retained"]["total"] == before["total"]

    notice = tmp_path / "notice.txt"
    notice.write_text("Exampleton Residents keep your answers until polling day.\n", "utf-8")
    assert canvass("--db", db, "privacy", "notice") == 0
    assert "No privacy notice" in capsys.readouterr().out
    assert canvass("--db", db, "privacy", "notice", "--text-file", str(notice)) == 0
    assert "version 1" in capsys.readouterr().out
    notice.write_text("Exampleton Residents keep your answers for six months.", "utf-8")
    assert canvass("--db", db, "privacy", "notice", "--text-file", str(notice), "--json") == 0
    assert json.loads(capsys.readouterr().out)["version"] == 2
