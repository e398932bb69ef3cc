"""Erasure that leaves nothing in the file, and an audit trail that shows tampering."""

from __future__ import annotations

import sqlite3

from sqlalchemy import select, update

from canvass.cli.main import run
from canvass.paths import Paths
from canvass.services import audit_log, canvassing, erasure
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
    db.scrub()
    assert marker.encode() in path.read_bytes()
    erasure.erase(db, "elector", person_id, "subject-request")
    db.close()
    raw = path.read_bytes() + (
        path.with_name(path.name + "-wal").read_bytes()
        if path.with_name(path.name + "-wal").exists()
        else b""
    )
    assert marker.encode() not in raw
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
