"""Erasure that leaves nothing in the file, and an audit trail that shows tampering."""

from __future__ import annotations

import sqlite3

from sqlalchemy import select, update

from canvass.cli.main import run
from canvass.paths import Paths
from canvass.services import audit_log, canvassing, erasure, search
from canvass.services.oplog import OpWriter
from canvass.storage.tables import AuditEvent, Elector
from tests.helpers import demo_db


def test_an_erased_person_is_gone_from_the_database_file_itself(tmp_path):
    path = tmp_path / "c.db"
    db = demo_db(str(path), 80)
    with db.read() as s:
        person = s.scalars(select(Elector).order_by(Elector.elector_number)).first()
        person_id = person.id
    # A distinctive note makes the person's data easy to look for in raw bytes.
    door = next(
        d for d in canvassing.doors(db, district="NA") if person_id in {e.id for e in d.electors}
    )
    marker = "Unmistakablenote Zqxjv"
    for n in range(3):  # a few records, so their bytes are spread over several pages
        canvassing.record(db, person_id, canvassing.Entry("SPK", notes=f"{marker} {n}"))
    # A surname nobody else has, found once by search so the full-text index holds it too.
    with db.write() as s:
        OpWriter.local(s).set("elector", person_id, "surname", "Qwxzsurname")
    assert [hit.elector_id for hit in search.search_electors(db, "Qwxzsurname")] == [person_id]
    db.scrub()
    assert marker.encode() in path.read_bytes()
    assert b"qwxzsurname" in path.read_bytes().lower()
    erasure.erase(db, "elector", person_id, "subject-request")
    db.close()
    raw = path.read_bytes() + (
        path.with_name(path.name + "-wal").read_bytes()
        if path.with_name(path.name + "-wal").exists()
        else b""
    )
    assert marker.encode() not in raw
    assert b"qwxzsurname" not in raw.lower()  # not in a table, the log or the search index
    assert person_id.encode() in raw  # the tombstone keeps the id, and nothing else
    assert door.address_id


def test_the_audit_trail_detects_a_changed_entry(tmp_path):
    db = demo_db(str(tmp_path / "c.db"), 40)
    with db.read() as s:
        person_id = s.scalars(select(Elector.id)).first()
    erasure.erase(db, "elector", person_id, "subject-request")
    erasure.erase(db, "elector", s_first_other(db, person_id), "duplicate")
    check = audit_log.verify_chain(db)
    assert check.ok and check.entries >= 2
    with db.write() as s:
        first = s.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).first()
        s.execute(update(AuditEvent).where(AuditEvent.id == first).values(actor="someone else"))
    check = audit_log.verify_chain(db)
    assert not check.ok and check.broken_at == first
    db.close()


def s_first_other(db, person_id):
    with db.read() as s:
        return s.scalars(select(Elector.id).where(Elector.id != person_id)).first()


def test_erase_and_audit_from_the_command_line(tmp_path, capsys):
    paths = Paths.under(tmp_path / "home")
    path = tmp_path / "c.db"

    def canvass(*args: str) -> int:
        return run(list(args), paths=paths, launch_gui=lambda *_: 0)

    assert canvass("--db", str(path), "demo", "--electors", "40") == 0
    capsys.readouterr()
    assert (
        canvass(
            "--db", str(path), "privacy", "erase", "NA-1", "--reason", "subject-request", "--yes"
        )
        == 0
    )
    assert "Erased NA-1" in capsys.readouterr().out
    assert (
        canvass("--db", str(path), "privacy", "erase", "NA-9999", "--reason", "other", "--yes") == 1
    )
    assert canvass("--db", str(path), "audit", "verify") == 0
    conn = sqlite3.connect(path)
    conn.execute(
        "UPDATE audit_events SET detail = '{}' WHERE id = (SELECT min(id) FROM audit_events)"
    )
    conn.commit()
    conn.close()
    capsys.readouterr()
    assert canvass("--db", str(path), "audit", "verify") == 1
    assert "broken at entry" in capsys.readouterr().err


def test_no_file_made_before_an_erasure_brings_any_of_the_person_back(tmp_path, db_url):
    """On SQLite and PostgreSQL: the person's register entry, notes, signature
    and drawn strokes stay gone, whichever old file is merged, in whatever order."""
    from canvass.domain.progress import run_to_end
    from canvass.services import exchange, keys, merge_files
    from canvass.services import petition_counts as pc
    from canvass.services import petitions as p
    from canvass.services.databases import open_db
    from canvass.storage.tables import OperationRow, Signature, Visit

    coord = demo_db(db_url, 80)
    lap = open_db(str(tmp_path / "lap.db"), create=True)
    keys.write_enrolment_file(coord, tmp_path / "c.enrol")
    keys.write_enrolment_file(lap, tmp_path / "l.enrol")
    keys.enrol(lap, keys.read_enrolment_file(tmp_path / "c.enrol"), role="coordinator")
    keys.enrol(coord, keys.read_enrolment_file(tmp_path / "l.enrol"))
    lap_id = keys.this_device(lap).id
    exchange.export_file(coord, tmp_path / "assign.canvass", to=[lap_id])
    run_to_end(merge_files.merge_files(lap, [tmp_path / "assign.canvass"]))

    with lap.read() as s:
        person = s.scalars(select(Elector).order_by(Elector.id)).first()
        person_id, surname = person.id, person.surname
    petition = pc.list_petitions(lap)[0].id
    marker = "Zqxjvnote Stalefile"
    canvassing.record(lap, person_id, canvassing.Entry("SPK", notes=f"{marker} one"))
    signature_id = p.sign(
        lap,
        petition,
        p.Signer(
            name=f"Ada {surname}",
            postcode="ZZ1 1AA",
            email="zqxjv.stale@example.org",
            consent=True,
            strokes=[[10, 10, 200, 120, 380, 40]],
        ),
        method="doorstep",
        elector_id=person_id,
    )
    first = exchange.export_file(lap, tmp_path / "first.canvass").path
    canvassing.record(lap, person_id, canvassing.Entry("SPK", notes=f"{marker} two"))
    second = exchange.export_file(lap, tmp_path / "second.canvass").path

    run_to_end(merge_files.merge_files(coord, [first]))  # the coordinator sees the first file
    erasure.erase(coord, "elector", person_id, "subject-request")
    # ... and then both files, the one it had already and the later one, arrive again
    reports = run_to_end(merge_files.merge_files(coord, [second, first]))
    # the later file (which holds the earlier one's records too) is new; the earlier one is known
    assert [r.status for r in reports] == ["merged", "already imported"]
    assert reports[0].dropped_erased > 0

    with coord.read() as s:
        assert s.get(Elector, person_id) is None
        assert s.get(Signature, signature_id) is None
        assert not s.scalars(select(Visit).where(Visit.elector_id == person_id)).all()
        leftovers = s.scalars(
            select(OperationRow.op_id).where(
                OperationRow.value.contains(marker)
                | OperationRow.value.contains("zqxjv.stale")
                | OperationRow.value.contains("[10,10,200,120,380,40]")
                | (OperationRow.entity_id == signature_id) & (OperationRow.kind != "erase")
            )
        ).all()
        assert leftovers == []
        texts = s.scalars(select(Visit.notes).where(Visit.notes.contains(marker))).all()
        assert texts == []
    coord.close()
    lap.close()


def test_a_new_database_file_is_readable_by_its_owner_only(tmp_path):
    """Other accounts on a shared computer must not read a campaign's data."""
    import stat

    from canvass.services.databases import open_db

    path = tmp_path / "c.db"
    db = demo_db(str(path), 20)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir() if p.is_file()}
    db.close()
    assert modes["c.db"] == 0o600
    assert modes.get("c.db-wal", 0o600) == 0o600 and modes.get("c.db-shm", 0o600) == 0o600
    open_db(str(path)).close()  # and it opens as usual
