"""Test set-up: offscreen Qt, isolated folders, and a throwaway PostgreSQL cluster.

The storage and service tests run on SQLite and on PostgreSQL (the ``db_url``
fixture). The cluster is created in a temporary folder on a free loopback port
when the first PostgreSQL test needs it, and removed at the end of the run.
If PostgreSQL is missing, it is installed with apt-get (the README's test
command already does that). Set CANVASS_SKIP_POSTGRES=1 to skip those tests on
a machine where that is impossible; otherwise failing to start is an error.
"""

from __future__ import annotations

import os
import tempfile

# Before anything imports Qt (DESIGN §8): tests never need a display, and never
# touch the user's real data folders.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["CANVASS_HOME"] = tempfile.mkdtemp(prefix="canvass-test-home-")

import uuid  # noqa: E402
from collections.abc import Iterator  # noqa: E402

import pytest  # noqa: E402

from tests.pgcluster import PgCluster, PgUnavailableError  # noqa: E402


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """A PostgreSQL server on loopback, private to this test run."""
    if os.environ.get("CANVASS_SKIP_POSTGRES") == "1":
        pytest.skip("CANVASS_SKIP_POSTGRES=1")
    try:
        cluster = PgCluster.start()
    except PgUnavailableError as exc:
        pytest.fail(f"PostgreSQL could not be started for the tests: {exc}")
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: PgCluster) -> Iterator[str]:
    """A fresh, empty PostgreSQL database, dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    pg_cluster.create_database(name)
    try:
        yield pg_cluster.url(name)
    finally:
        pg_cluster.drop_database(name)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """Where to put a new database: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "canvass.db")
    return request.getfixturevalue("pg_url")
