"""Faults while writing or merging exchange files: all or nothing, and a retry completes.

Reference: sync-format-and-merge.md §5 step 7, §6 and §11 C1, C2 and C5 (SQLite's
"fail the N-th operation" loop and crash simulation). Each fault is injected at
every position in turn: the N-th write, fsync, rename or folder sync of an
export; the N-th SQL statement of a merge; and SIGKILL at random moments of a
large merge.
"""

from __future__ import annotations

import errno
import os
import random
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import make_url

from canvass.domain.errors import ExchangeFileError
from canvass.services import exchange, keys
from canvass.services.databases import open_db
from canvass.services.erasure import erase, suppress
from canvass.services.exchange import export_file
from canvass.services.merge_files import merge_data
from canvass.services.oplog import OpWriter
from canvass.storage.database import Database
from canvass.storage.tables import Elector, Visit
from tests.exchange_fixtures import (
    World,
    build_world,
    copy_sqlite,
    device_of,
    imported_ids,
    snapshot,
)
from tests.helpers import demo_db


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("world"))


# --- C2: the N-th write, fsync or rename of an export fails --------------------------


class FlakyOs:
    """The ``os`` module as services/exchange.py sees it, failing its ``fail_at``-th call.

    Counted calls: ``open`` (the temp file), ``write`` (at most a third of the
    data each, so an export takes three), ``fsync``, ``replace``, ``open-dir``
    and ``fsync-dir`` (the folder's sync after the rename).
    """

    def __init__(self, fail_at: int | None, error: int = errno.EIO) -> None:
        self.fail_at = fail_at
        self.error = error
        self.calls: list[str] = []
        self._chunk: int | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def _call(self, name: str) -> None:
        self.calls.append(name)
        if len(self.calls) == self.fail_at:
            raise OSError(self.error, os.strerror(self.error))

    def open(self, path: Any, flags: int, mode: int = 0o777) -> int:
        self._call("open-dir" if Path(path).is_dir() else "open")
        return os.open(path, flags, mode)

    def write(self, fd: int, data: Any) -> int:
        if self._chunk is None:
            self._chunk = -(-len(data) // 3)
        self._call("write")
        return os.write(fd, data[: self._chunk])

    def fsync(self, fd: int) -> None:
        self._call("fsync-dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync")
        os.fsync(fd)

    def replace(self, src: Any, dst: Any) -> None:
        self._call("replace")
        os.replace(src, dst)


CALLS = ("open", "write", "write", "write", "fsync", "replace", "open-dir", "fsync-dir")
#: Calls after the rename: the complete new file already stands under its name.
AFTER_RENAME = CALLS.index("replace") + 1


@pytest.fixture
def laptop(world: World, tmp_path: Path) -> Iterator[Database]:
    db = world.laptop(tmp_path)
    yield db
    db.close()


def test_an_export_makes_exactly_these_file_system_calls(
    laptop: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # The parametrised test below fails each of these in turn: so every one is covered.
    flaky = FlakyOs(None)
    monkeypatch.setattr(exchange, "os", flaky)
    export_file(laptop, tmp_path / "export.canvass")
    assert tuple(flaky.calls) == CALLS


@pytest.mark.parametrize("previous", [False, True], ids=["new-name", "over-previous"])
@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EIO], ids=["ENOSPC", "EIO"])
@pytest.mark.parametrize(
    "n",
    [pytest.param(n, id=f"{n}-{name}") for n, name in enumerate(CALLS, start=1)],
)
def test_an_export_failing_at_any_call_leaves_no_partial_file(
    world: World,
    laptop: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    n: int,
    error: int,
    previous: bool,
):
    folder = tmp_path / "stick"
    folder.mkdir()
    target = folder / "export.canvass"
    if previous:
        target.write_bytes(world.small)
    flaky = FlakyOs(n, error)
    monkeypatch.setattr(exchange, "os", flaky)
    if n > AFTER_RENAME:
        # Syncing the folder failed after the rename (FAT sticks refuse it): the
        # file is whole and was read back, so the export succeeds.
        made = export_file(laptop, target)
        assert sorted(p.name for p in folder.iterdir()) == [target.name]
        assert target.stat().st_size == made.size
        assert target.read_bytes() != world.small
        return
    with pytest.raises(ExchangeFileError) as failed:
        export_file(laptop, target)
    assert failed.value.reason == "write-failed"
    assert os.strerror(error) in str(failed.value)
    assert flaky.calls[-1] == CALLS[n - 1]
    left = sorted(p.name for p in folder.iterdir())  # no temp file either
    if previous:
        assert left == [target.name]
        assert target.read_bytes() == world.small
    else:
        assert left == []
    # Once the disk behaves, the same export writes the whole file.
    monkeypatch.setattr(exchange, "os", os)
    made = export_file(laptop, target)
    assert sorted(p.name for p in folder.iterdir()) == [target.name]
    assert target.stat().st_size == made.size


# --- C1: the N-th SQL statement of a merge fails -------------------------------------


class InjectedStatementError(Exception):
    """Raised by a test in place of a SQL statement."""


class FailAt:
    """A before_cursor_execute hook that raises at the ``n``-th statement."""

    def __init__(self, n: int, error: Callable[[str], BaseException]) -> None:
        self.n = n
        self.error = error
        self.count = 0
        self.fired: str | None = None

    def __call__(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.count += 1
        if self.count == self.n:
            self.fired = statement
            raise self.error(f"injected fault at statement {self.n}")


def _rich_merge(tmp_path: Path, url: str) -> tuple[Database, bytes, str]:
    """A laptop at ``url`` holding the campaign, and a second coordinator file to merge.

    The second file brings edits, one of them concurrent with the laptop's own
    (a conflict), an erasure with its cascade, and a suppression: every path of
    the merge, not just inserts.
    """
    coordinator = demo_db(str(tmp_path / "coordinator.db"), 120)
    laptop = open_db(url, create=True)
    try:
        enrolment = tmp_path / "coordinator.enrol"
        keys.write_enrolment_file(coordinator, enrolment)
        keys.enrol(laptop, keys.read_enrolment_file(enrolment), role="coordinator")
        to = [device_of(laptop)[1].age_recipient]
        first = export_file(coordinator, tmp_path / "first.canvass", to=to)
        assert merge_data(laptop, "first", first.path.read_bytes()).status == "merged"
        with coordinator.read() as session:
            edited, renamed, quiet = session.scalars(
                select(Elector.id).order_by(Elector.id).limit(3)
            ).all()
            visited = session.scalars(select(Visit.elector_id).order_by(Visit.id)).first()
        assert visited is not None and visited not in (edited, renamed, quiet)
        with coordinator.write() as session:
            writer = OpWriter.local(session)
            writer.set("elector", edited, "surname", "Testedited")
            writer.set("elector", renamed, "forenames", "Testforename")
        erase(coordinator, "elector", visited, "subject-request")
        suppress(coordinator, quiet, reason="test")
        with laptop.write() as session:
            OpWriter.local(session).set("elector", edited, "surname", "Mockedited")
        second = export_file(coordinator, tmp_path / "second.canvass", to=to)
        return laptop, second.path.read_bytes(), second.file_id
    except BaseException:
        laptop.close()
        raise
    finally:
        coordinator.close()


def _pg_admin(url: str, sql: str) -> None:
    u = make_url(url)
    with psycopg.connect(
        host=u.host, port=u.port, user=u.username, dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def _twin(db: Database, url: str, tmp_path: Path) -> tuple[Database, Database, Callable[[], None]]:
    """Close ``db`` and reopen it beside an exact copy of it: (db, copy, drop the copy)."""
    db.close()
    if db.dialect == "sqlite":
        copy_url = str(copy_sqlite(Path(url), tmp_path / "twin.db"))
        return open_db(url), open_db(copy_url), lambda: None
    name = make_url(url).database
    twin = f"{name}_twin"
    _pg_admin(url, f'CREATE DATABASE "{twin}" TEMPLATE "{name}"')
    copy_url = make_url(url).set(database=twin).render_as_string(hide_password=False)
    return open_db(url), open_db(copy_url), lambda: _pg_admin(url, f'DROP DATABASE "{twin}"')


def test_a_merge_failing_at_any_statement_changes_nothing(tmp_path: Path, db_url: str):
    laptop, data, file_id = _rich_merge(tmp_path, db_url)
    laptop, twin, drop_twin = _twin(laptop, db_url, tmp_path)
    try:
        clean = merge_data(twin, "second.canvass", data)
        assert clean.status == "merged", clean.message
        assert clean.conflicts >= 1 and clean.new > 0
        expected = snapshot(twin)[0]
        twin.close()
        before = snapshot(laptop)
        assert before[0] != expected
        driver_error = laptop.engine.dialect.loaded_dbapi.OperationalError
        n = 0
        while True:
            n += 1
            # Odd N: the driver's own error (told to the user); even N: any other
            # exception (propagates). Either way nothing may change.
            hook = FailAt(n, driver_error if n % 2 else InjectedStatementError)
            event.listen(laptop.engine, "before_cursor_execute", hook)
            try:
                if n % 2:
                    report = merge_data(laptop, "second.canvass", data)
                else:
                    try:
                        report = merge_data(laptop, "second.canvass", data)
                    except InjectedStatementError:
                        report = None
            finally:
                event.remove(laptop.engine, "before_cursor_execute", hook)
            if hook.fired is None:
                break
            if n % 2:
                assert report is not None
                assert (report.status, report.reason) == ("refused", "error"), (n, report)
                assert "injected fault" in report.message
            else:
                assert report is None, (n, report)
            assert snapshot(laptop) == before, (n, hook.fired)
        # The retry with no fault: the same result as the merge that never failed.
        assert report is not None and report.status == "merged", report
        assert n > 20, "too few statements: was the hook on the right engine?"
        assert snapshot(laptop)[0] == expected
        assert file_id in imported_ids(laptop)
    finally:
        laptop.close()
        drop_twin()


# --- C5: SIGKILL during a large merge -----------------------------------------------

KILL_ELECTORS = 20_000

#: Merges a file into a database; says when it has read the file and when the
#: write transaction starts, so the test can aim its kill.
MERGE_SCRIPT = """
import sys
from pathlib import Path

from sqlalchemy import event

from canvass.services.databases import open_db
from canvass.services.merge_files import merge_data

db = open_db(sys.argv[1])


@event.listens_for(db.engine, "begin")
def writing(conn):
    if conn.get_execution_options().get("canvass_write"):
        print("writing", flush=True)


data = Path(sys.argv[2]).read_bytes()
print("ready", flush=True)
report = merge_data(db, "big.canvass", data)
print(report.status, flush=True)
"""


class WriteStarts:
    """Times when write transactions begin on a database (its ``begin`` event)."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def __call__(self, conn: Any) -> None:
        if conn.get_execution_options().get("canvass_write"):
            self.times.append(time.monotonic())


def _integrity(path: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()


def test_a_merge_killed_at_random_moments_leaves_a_sound_database(tmp_path: Path):
    coordinator = demo_db(str(tmp_path / "coordinator.db"), KILL_ELECTORS)
    template = tmp_path / "laptop.db"
    laptop = open_db(str(template), create=True)
    keys.write_enrolment_file(coordinator, tmp_path / "coordinator.enrol")
    keys.enrol(laptop, keys.read_enrolment_file(tmp_path / "coordinator.enrol"), role="coordinator")
    made = export_file(
        coordinator, tmp_path / "big.canvass", to=[device_of(laptop)[1].age_recipient]
    )
    coordinator.close()
    assert made.operations > 30_000
    data = made.path.read_bytes()
    before = snapshot(laptop)
    laptop.close()

    # The clean merge, timed in its two phases (checking the file, then writing).
    reference = open_db(str(copy_sqlite(template, tmp_path / "reference.db")))
    starts = WriteStarts()
    event.listen(reference.engine, "begin", starts)
    start = time.monotonic()
    report = merge_data(reference, "big.canvass", data)
    end = time.monotonic()
    event.remove(reference.engine, "begin", starts)
    assert report.status == "merged", report.message
    assert len(starts.times) == 1  # one write transaction
    expected = snapshot(reference)[0]
    reference.close()
    checking, writing = starts.times[0] - start, end - starts.times[0]

    rng = random.Random(5_150)
    # One kill while the file is being checked, one inside the write transaction and
    # one near its end, aimed at the commit (which it may just miss).
    attempts = [("ready", 0.05, 0.85), ("writing", 0.05, 0.85), ("writing", 0.6, 1.0)]
    for attempt, (phase, low, high) in enumerate(attempts):
        path = copy_sqlite(template, tmp_path / f"killed-{attempt}.db")
        proc = subprocess.Popen(
            [sys.executable, "-c", MERGE_SCRIPT, str(path), str(made.path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        for line in iter(proc.stdout.readline, ""):
            if line.strip() == phase:
                break
        else:
            pytest.fail(f"the merge process ended early: {proc.stderr.read()}")  # type: ignore[union-attr]
        time.sleep(rng.uniform(low, high) * (checking if phase == "ready" else writing))
        running = proc.poll() is None
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()  # type: ignore[union-attr]
        assert running or high == 1.0, f"attempt {attempt}: the merge ended before the kill"

        assert _integrity(path) == [("ok",)]
        db = open_db(str(path))
        try:
            digest, rows = snapshot(db)
            # All or nothing: the file is merged whole and recorded, or not at all.
            merged = made.file_id in {row[0] for row in rows}
            assert digest == (expected if merged else before[0]), attempt
            retry = merge_data(db, "big.canvass", data)
            assert retry.status == ("already imported" if merged else "merged"), retry.message
            assert snapshot(db)[0] == expected
        finally:
            db.close()
