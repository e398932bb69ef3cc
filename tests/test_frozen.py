"""Smoke test of the frozen desktop build (packaging/build, issue 9).

Runs only when a build is present (``make build``, or CI's build job): every
test drives the frozen executable as a user would, in a private CANVASS_HOME,
with Qt offscreen. A resource left out of the spec fails here: fonts (walk sheet,
leaflet, self-check), migrations (``demo`` creates the schema with Alembic), the
word list (passphrase), phone-number data (a signature with a phone number), the
native libraries (self-check) and Qt's plugins (the GUI start).

CANVASS_FROZEN=/path/to/executable tests another build (e.g. an unpacked release).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
EXE = ".exe" if sys.platform == "win32" else ""
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
PETITION = "Keep Exampleton Library Open (demo)"


def _onedir_executable() -> Path:
    if given := os.environ.get("CANVASS_FROZEN"):
        return Path(given)
    if sys.platform == "darwin":
        return DIST / "canvass.app" / "Contents" / "MacOS" / "canvass"
    return DIST / "canvass" / f"canvass{EXE}"


ONEDIR = _onedir_executable()
ONEFILE = DIST / f"canvass-onefile{EXE}"
_SHOWN = ONEDIR.relative_to(ROOT) if ONEDIR.is_relative_to(ROOT) else ONEDIR

pytestmark = pytest.mark.skipif(
    not ONEDIR.is_file(),
    reason=f"no frozen build at {_SHOWN}: `make build` (packaging/build) makes one to test",
)


@dataclass
class Frozen:
    """The frozen executable and a private folder to run it in."""

    exe: Path
    work: Path

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CANVASS_")}
        env.update(CANVASS_HOME=str(self.work / "home"), QT_QPA_PLATFORM="offscreen")
        env.update(extra)
        return env

    def run(self, *args: str, ok: bool = True, **extra: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(self.exe), *args],
            cwd=self.work,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",  # a Windows console build may print in its code page
            check=False,
        )
        if ok:
            assert result.returncode == 0, (
                f"`canvass {' '.join(args)}` exited {result.returncode}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
            )
        return result


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Frozen:
    return Frozen(ONEDIR, tmp_path_factory.mktemp("frozen"))


@pytest.fixture(scope="module")
def campaign(frozen: Frozen) -> Iterator[Path]:
    """A demo campaign made by the frozen app: its schema comes from the shipped migrations."""
    db = frozen.work / "demo.db"
    frozen.run("--db", str(db), "demo", "--electors", "300", "--seed", "3")
    yield db


def _pdf(path: Path) -> bytes:
    data = path.read_bytes()
    assert data.startswith(b"%PDF-"), f"{path} is not a PDF"
    return data


def test_version_is_the_projects(frozen: Frozen) -> None:
    out = frozen.run("--version").stdout
    assert out.strip() == f"canvass, version {VERSION}"


def test_self_check_loads_every_native_library_and_resource(frozen: Frozen) -> None:
    result = frozen.run(CANVASS_SELF_CHECK="1", ok=False)
    report = json.loads(result.stdout)
    failed = {k: v["detail"] for k, v in report["checks"].items() if not v["ok"]}
    assert result.returncode == 0 and not failed, failed
    assert report["frozen"] is True
    assert report["checks"]["psycopg"]["detail"].startswith("binary")
    assert report["checks"]["rl_accel"]["ok"]
    # Migrations are read from the frozen app's own folder, not a source tree.
    resources = report["checks"]["resources"]["detail"]
    assert str(frozen.exe.parent.parent if sys.platform == "darwin" else frozen.exe.parent) in (
        resources
    )


def test_demo_runs_the_migrations_and_info_reports_it(frozen: Frozen, campaign: Path) -> None:
    info = json.loads(frozen.run("--db", str(campaign), "info", "--json").stdout)
    assert info["app_version"] == VERSION
    assert info["engine"] == "sqlite"
    assert info["schema_version"] >= 1 and info["schema_revision"]
    assert info["counts"]["electors"] == 300
    assert info["counts"]["signatures"] > 0


def test_walk_sheets_embed_the_bundled_font(frozen: Frozen, campaign: Path) -> None:
    out = frozen.work / "walk-sheets.pdf"
    frozen.run("--db", str(campaign), "print", "walk-sheets", "--out", str(out))
    assert b"Roboto" in _pdf(out)


def test_leaflet_in_a_second_font_family(frozen: Frozen, campaign: Path) -> None:
    out = frozen.work / "letter.pdf"
    example = ROOT / "resources" / "examples" / "councillor-letter.toml"
    frozen.run("--db", str(campaign), "leaflet", "render", str(example), "--out", str(out))
    assert b"SourceSerif" in _pdf(out)


def _pictures(folder: Path) -> dict[str, Path]:
    """A photo turned by its EXIF tag (JPEG), a logo with transparency (PNG), a WebP."""
    from PIL import Image

    folder.mkdir(exist_ok=True)
    photo = Image.linear_gradient("L").resize((900, 600)).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to show upright
    paths = {"jpeg": folder / "photo.jpg", "png": folder / "logo.png", "webp": folder / "hall.webp"}
    photo.save(paths["jpeg"], quality=90, exif=exif)
    logo = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    logo.paste((20, 90, 160, 255), (100, 100, 300, 300))
    logo.save(paths["png"])
    photo.save(paths["webp"])
    return paths


def test_leaflet_with_pictures(frozen: Frozen, campaign: Path) -> None:
    """Pillow's decoders in the build: every picture lands in the PDF, none left out."""
    pictures = _pictures(frozen.work / "pictures")
    spec = frozen.work / "pictures.toml"
    spec.write_text(
        "version = 1\n"
        'template = "a4-folded"\n'
        'title = "Sampleton fete"\n'
        'headline = "Testwell fete"\n'
        'body = "Come along on Saturday."\n'
        f'[[images]]\npath = "{pictures["jpeg"].as_posix()}"\n'
        f'[[images]]\npath = "{pictures["png"].as_posix()}"\nplacement = "logo"\n'
        f'[[images]]\npath = "{pictures["webp"].as_posix()}"\nplacement = "body"\n',
        encoding="utf-8",
    )
    out = frozen.work / "pictures.pdf"
    result = frozen.run("--db", str(campaign), "leaflet", "render", str(spec), "--out", str(out))
    assert "left out" not in result.stdout + result.stderr
    # JPEG, PNG (and its transparency mask), WebP: four image objects.
    assert _pdf(out).count(b"/Subtype /Image") == 4


def test_signed_bundle_verifies(frozen: Frozen, campaign: Path) -> None:
    bundle = frozen.work / "bundle.pdf"
    cert = frozen.work / "campaign.pem"
    frozen.run("--db", str(campaign), "petition", "bundle", PETITION, "--out", str(bundle))
    frozen.run("--db", str(campaign), "petition", "keys", "--export-cert", str(cert))
    result = frozen.run("verify", str(bundle), "--cert", str(cert))
    assert "everything checked holds" in result.stdout
    assert b"/ByteRange" in _pdf(bundle)  # a PDF signature, made by pyHanko


def test_verify_refuses_an_altered_bundle(frozen: Frozen, campaign: Path) -> None:
    bundle = frozen.work / "altered.pdf"
    frozen.run("--db", str(campaign), "petition", "bundle", PETITION, "--out", str(bundle))
    data = bytearray(bundle.read_bytes())
    data[len(data) // 2] ^= 0x01
    bundle.write_bytes(bytes(data))
    assert frozen.run("verify", str(bundle), ok=False).returncode != 0


def test_signature_with_a_phone_number(frozen: Frozen, campaign: Path) -> None:
    frozen.run(
        "--db", str(campaign), "petition", "sign", PETITION,
        "--name", "Zoë Sampleton", "--postcode", "ZZ1 1ZZ", "--phone", "020 7946 0123",
    )  # fmt: skip
    info = json.loads(frozen.run("--db", str(campaign), "info", "--json").stdout)
    assert info["counts"]["signatures"] >= 1


def test_passphrase_from_the_bundled_word_list(frozen: Frozen) -> None:
    out = frozen.work / "phrase.txt"
    frozen.run("keys", "passphrase", "--out", str(out))
    words = out.read_text(encoding="utf-8").split()[0].split("-")
    assert len(words) == 6 and all(w.isalpha() for w in words)


def test_encrypted_database(frozen: Frozen) -> None:
    if "--passphrase-file" not in frozen.run("--help").stdout:
        pytest.skip("this build has no encrypted databases yet (no --passphrase-file)")
    phrase = frozen.work / "db-phrase.txt"
    phrase.write_text("correct horse battery staple testwell\n", encoding="utf-8")
    db = frozen.work / "secret.db"
    key = ("--db", str(db), "--passphrase-file", str(phrase))
    frozen.run(*key, "demo", "--electors", "40")
    assert not db.read_bytes().startswith(b"SQLite format 3"), "the file is not encrypted"
    assert json.loads(frozen.run(*key, "info", "--json").stdout)["counts"]["electors"] == 40


def test_gui_starts_offscreen_and_quits(frozen: Frozen, campaign: Path) -> None:
    picture = frozen.work / "window.png"
    result = frozen.run("--db", str(campaign), "gui", CANVASS_SMOKE_GUI=str(picture))
    assert "MainWindow" in result.stdout
    from PIL import Image

    with Image.open(picture) as image:
        width, height = image.size
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert width >= 640 and height >= 400
    assert colours is not None and len(colours) > 50, "the window is blank"


@pytest.mark.postgres
def test_postgresql_through_the_bundled_libpq(frozen: Frozen, pg_url: str) -> None:
    frozen.run("--db", pg_url, "demo", "--electors", "50")
    info = json.loads(frozen.run("--db", pg_url, "info", "--json").stdout)
    assert info["engine"] == "postgresql" and info["counts"]["electors"] == 50


@pytest.mark.skipif(not ONEFILE.is_file(), reason="no one-file build (packaging/build onefile)")
def test_one_file_build_starts(tmp_path: Path) -> None:
    one = Frozen(ONEFILE, tmp_path)
    assert one.run("--version").stdout.strip() == f"canvass, version {VERSION}"
    report = json.loads(one.run(CANVASS_SELF_CHECK="1").stdout)
    assert report["frozen"] and all(c["ok"] for c in report["checks"].values())
    one.run("--db", str(tmp_path / "one.db"), "demo", "--electors", "30")
