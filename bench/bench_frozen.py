"""The desktop builds: size against a bare PySide6 window, start time against the installed app.

    python -m bench.bench_frozen [--repeat K] [--electors N] [--reuse-baseline]

Needs the canvass build (``make build``: dist/canvass/ and dist/canvass-onefile)
and the build environment it made (build/venv, with the pinned PyInstaller). The
baseline is measured in the same run: packaging/bare/bare_window.spec freezes a
bare PySide6 window with the same options as canvass.spec (Qt exclusions, file
filter, strip), one folder and one file, into build/bench-frozen/.

Figures (DESIGN §6: ratios to a baseline measured in the same run):

- size: the one-folder app and the one-file executable against the bare window's
  (target <= 1.5x);
- start: ``canvass --version`` and the GUI up to its first window shown
  (offscreen, on a demo campaign), frozen against the installed app (.venv); the
  one-file build's starts beside them, since it unpacks itself every time. Each
  is the best of K runs, timed from launching the process to its exit.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXE = ".exe" if sys.platform == "win32" else ""
DIST = ROOT / "dist"
WORK = ROOT / "build" / "bench-frozen"
BUILD_PY = ROOT / "build" / "venv" / ("Scripts/python.exe" if EXE else "bin/python")
INSTALLED = Path(sys.executable).parent / f"canvass{EXE}"
LAUNCHER = ROOT / "packaging" / "launcher.py"


def size_of(path: Path) -> int:
    """Bytes on disk of a file, or of every file under a folder."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def build_baseline(reuse: bool) -> tuple[Path, Path]:
    """Freeze the bare window (one folder, one file) with the build environment's PyInstaller."""
    folder = WORK / "dist" / "bare-window"
    onefile = WORK / "dist" / f"bare-window-onefile{EXE}"
    if reuse and folder.is_dir() and onefile.is_file():
        return folder, onefile
    if not BUILD_PY.is_file():
        raise SystemExit(f"bench_frozen: no build environment at {BUILD_PY}: run `make build`")
    shutil.rmtree(WORK, ignore_errors=True)
    subprocess.run(
        [
            str(BUILD_PY), "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
            "--distpath", str(WORK / "dist"), "--workpath", str(WORK / "work"),
            str(ROOT / "packaging" / "bare" / "bare_window.spec"),
        ],
        check=True,
    )  # fmt: skip
    return folder, onefile


def best_time(cmd: list[str], env: dict[str, str], repeat: int) -> float:
    """Best wall time of ``repeat`` runs of ``cmd``, which must exit 0."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        if result.returncode != 0:
            raise SystemExit(f"bench_frozen: {cmd} failed:\n{result.stdout}\n{result.stderr}")
        times.append(elapsed)
    return min(times)


def run(electors: int, repeat: int, reuse_baseline: bool = False) -> dict[str, Any]:
    """Build the baseline, then measure sizes and start times."""
    onedir = DIST / "canvass"
    exe = onedir / f"canvass{EXE}"
    onefile = DIST / f"canvass-onefile{EXE}"
    for needed in (exe, onefile, INSTALLED):
        if not needed.is_file():
            raise SystemExit(f"bench_frozen: {needed} is missing: run `make build` first")
    bare_folder, bare_onefile = build_baseline(reuse_baseline)

    sizes = {
        "canvass_onedir_mb": size_of(onedir) / 1e6,
        "bare_onedir_mb": size_of(bare_folder) / 1e6,
        "canvass_onefile_mb": size_of(onefile) / 1e6,
        "bare_onefile_mb": size_of(bare_onefile) / 1e6,
    }
    sizes["onedir_ratio"] = sizes["canvass_onedir_mb"] / sizes["bare_onedir_mb"]
    sizes["onefile_ratio"] = sizes["canvass_onefile_mb"] / sizes["bare_onefile_mb"]

    with tempfile.TemporaryDirectory(prefix="canvass-bench-frozen-") as name:
        tmp = Path(name)
        env = {k: v for k, v in os.environ.items() if not k.startswith("CANVASS_")}
        env.update(CANVASS_HOME=str(tmp / "home"), QT_QPA_PLATFORM="offscreen")
        gui_env = dict(env, CANVASS_SMOKE_GUI=str(tmp / "window.png"))
        # One database each, made by the app that opens it: the installed source
        # may be ahead of the build by a migration.
        frozen_db, installed_db = tmp / "frozen.db", tmp / "installed.db"
        for prog, db in ((str(exe), frozen_db), (str(INSTALLED), installed_db)):
            subprocess.run(
                [prog, "--db", str(db), "demo", "--electors", str(electors)],
                env=env, capture_output=True, check=True,
            )  # fmt: skip
        installed_gui = [sys.executable, str(LAUNCHER), "--db", str(installed_db), "gui"]
        start = {
            "version_frozen_s": best_time([str(exe), "--version"], env, repeat),
            "version_installed_s": best_time([str(INSTALLED), "--version"], env, repeat),
            "version_onefile_s": best_time([str(onefile), "--version"], env, repeat),
            "gui_frozen_s": best_time([str(exe), "--db", str(frozen_db), "gui"], gui_env, repeat),
            "gui_installed_s": best_time(installed_gui, gui_env, repeat),
            "gui_onefile_s": best_time(
                [str(onefile), "--db", str(frozen_db), "gui"], gui_env, repeat
            ),
            "bare_window_frozen_s": best_time(
                [str(bare_folder / f"bare-window{EXE}")], env, repeat
            ),
        }
    start["version_ratio"] = start["version_frozen_s"] / start["version_installed_s"]
    start["gui_ratio"] = start["gui_frozen_s"] / start["gui_installed_s"]
    start["gui_onefile_ratio"] = start["gui_onefile_s"] / start["gui_installed_s"]
    return {
        "electors": electors,
        "repeat": repeat,
        "size": {k: round(v, 2) for k, v in sizes.items()},
        "size_target": "onedir_ratio and onefile_ratio <= 1.5",
        "start": {k: round(v, 3) for k, v in start.items()},
    }


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_frozen")
    parser.add_argument("--electors", type=int, default=5000, help="demo campaign the GUI opens")
    parser.add_argument("--repeat", type=int, default=3, help="best of K runs of each start")
    parser.add_argument(
        "--reuse-baseline", action="store_true", help="keep an earlier bare-window build"
    )
    args = parser.parse_args()
    report = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "results": {"frozen": run(args.electors, args.repeat, args.reuse_baseline)},
    }
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
