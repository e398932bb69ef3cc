"""The layering rules of DESIGN §2 and the package layout hold."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_linter_contracts_hold():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout


def test_every_source_package_is_listed_for_installation():
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(p.parent.relative_to(ROOT / "src").parts)
        for p in (ROOT / "src" / "canvass").rglob("__init__.py")
    }
    resources = {"canvass.resources"} | {
        ".".join(("canvass", "resources", *p.relative_to(ROOT / "resources").parts))
        for p in (ROOT / "resources").rglob("*")
        if p.is_dir() and p.name != "__pycache__"
    }
    assert found | resources == listed


def test_runtime_resources_ship_inside_the_package():
    icon = resources.files("canvass.resources") / "icons" / "canvass.svg"
    assert icon.is_file()
    assert b"<svg" in icon.read_bytes()


def test_command_line_start_does_not_load_qt():
    code = (
        "import sys; from canvass.cli.main import run; from canvass.paths import Paths; "
        "run(['--version'], paths=Paths.under(__import__('pathlib').Path('/tmp')), "
        "launch_gui=None); print('PySide6' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().endswith("False")
