"""Start and stop a throwaway PostgreSQL cluster for the tests.

``initdb`` refuses to run as root, so as root the cluster belongs to the
``postgres`` system user (created by Debian's package) and commands run
through ``runuser``. The server listens only on 127.0.0.1 and a private
socket folder, with fsync off: it holds nothing worth keeping.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


class PgUnavailableError(RuntimeError):
    """PostgreSQL is not installed and could not be installed or started."""


def _find_bin() -> Path | None:
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[4]) if Path(p).parts[4].isdigit() else 0,
    )
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _install() -> None:
    script = REPO / "scripts" / "install-system-deps"
    result = subprocess.run([str(script), "test"], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise PgUnavailableError(f"installing PostgreSQL failed: {result.stderr.strip()[-500:]}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PgCluster:
    """A running throwaway cluster."""

    bindir: Path
    root: Path
    port: int
    as_user: list[str]

    @classmethod
    def start(cls) -> PgCluster:
        bindir = _find_bin()
        if bindir is None:
            _install()
            bindir = _find_bin()
        if bindir is None:
            raise PgUnavailableError("initdb not found after installing postgresql")
        root = Path(tempfile.mkdtemp(prefix="canvass-pg-"))
        as_user: list[str] = []
        if os.geteuid() == 0:
            as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(root, "postgres", "postgres")
        os.chmod(root, 0o700)
        cluster = cls(bindir, root, _free_port(), as_user)
        cluster._run(
            "initdb",
            "-D",
            str(root / "data"),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
            "--locale=C",
        )
        cluster._run(
            "pg_ctl",
            "-D",
            str(root / "data"),
            "-w",
            "-t",
            "60",
            "-l",
            str(root / "log"),
            "-o",
            f"-p {cluster.port} -k {root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            "start",
        )
        return cluster

    def _run(self, tool: str, *args: str) -> None:
        result = subprocess.run(
            [*self.as_user, str(self.bindir / tool), *args],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            log = (self.root / "log").read_text() if (self.root / "log").exists() else ""
            raise PgUnavailableError(f"{tool} failed: {result.stderr.strip()} {log[-800:]}")

    def url(self, name: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def create_database(self, name: str) -> None:
        self._admin(f'CREATE DATABASE "{name}"')

    def drop_database(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
