"""Entry point of the desktop builds: the installed ``canvass`` command, frozen.

It calls the same ``canvass.app.main`` as the ``canvass`` console script, so the
frozen app takes exactly the installed command's arguments. Two switches, read
from the environment so that the command line stays the installed one's, exist
for the smoke test (tests/test_frozen.py) and for support ("run it with
CANVASS_SELF_CHECK=1 and send us what it prints"):

- ``CANVASS_SELF_CHECK=1``: load and exercise every native library the app needs
  (PostgreSQL's libpq, SQLCipher, PDFium, age, ReportLab's accelerators) and the
  resources it looks up through ``importlib.resources``; print one JSON object
  and exit 0 when all of them work, 1 otherwise.
- ``CANVASS_SMOKE_GUI=FILE.png``: start the GUI as usual; once the main window
  is shown, save a picture of it to FILE.png and quit with exit code 0.

The script also runs unfrozen (``python packaging/launcher.py ...``), which is how
the bench times the installed app's GUI start the same way as the frozen one's.
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _psycopg() -> str:
    import psycopg

    # "binary" means the libpq shipped inside the app, not one the system may lack.
    impl = psycopg.pq.__impl__
    if impl != "binary":
        raise RuntimeError(f"psycopg uses its {impl} implementation, not the bundled binary one")
    return f"{impl}, libpq {psycopg.pq.version()}"


def _sqlcipher() -> str:
    try:
        import sqlcipher3
    except ImportError:
        return "absent (not a dependency of this build)"
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "check.db")
        db = sqlcipher3.connect(path)
        db.execute("PRAGMA key = 'self-check'")
        version = db.execute("PRAGMA cipher_version").fetchone()
        db.execute("CREATE TABLE t (x)")
        db.commit()
        db.close()
        if not version or not version[0]:
            raise RuntimeError("SQLCipher did not report a cipher version")
        if b"CREATE TABLE" in Path(path).read_bytes():
            raise RuntimeError("the database file was written unencrypted")
    return f"SQLCipher {version[0]}"


def _pdfium() -> str:
    import pypdfium2

    pdf = pypdfium2.PdfDocument.new()
    page = pdf.new_page(72, 72)
    bitmap = page.render(scale=1)
    size = (bitmap.width, bitmap.height)
    if size != (72, 72):
        raise RuntimeError(f"PDFium rendered a {size} bitmap instead of 72 × 72")
    # The leaflet editor's preview hands each page to Pillow and saves it as PNG.
    buffer = io.BytesIO()
    bitmap.to_pil().save(buffer, format="PNG")
    if not buffer.getvalue().startswith(b"\x89PNG"):
        raise RuntimeError("Pillow did not write the rendered page as PNG")
    return f"PDFium {pypdfium2.PDFIUM_INFO}, preview as PNG through Pillow"


def _age() -> str:
    from pyrage import decrypt, encrypt, x25519

    identity = x25519.Identity.generate()
    secret = decrypt(encrypt(b"self-check", [identity.to_public()]), [identity])
    if secret != b"self-check":
        raise RuntimeError("age round trip gave different bytes")
    return "pyrage x25519 round trip"


def _rl_accel() -> str:
    import _rl_accel  # noqa: F401 (ReportLab falls back to pure Python silently without it)
    from reportlab.lib import rl_accel

    if rl_accel.fp_str.__module__ != "_rl_accel":
        raise RuntimeError("ReportLab uses its pure-Python fallbacks")
    return "ReportLab C accelerators in use"


def _resources() -> str:
    from importlib.resources import files

    import font_roboto
    import font_source_sans_pro
    import font_source_serif_pro

    from canvass.domain.leaflet_spec import FONTS
    from canvass.pdf import fonts as document_fonts
    from canvass.pdf import leaflet_type
    from canvass.storage.migrate import alembic_config, head_revision

    # Register every family the way documents do: this opens each weight's file.
    document_fonts.register_fonts()
    for key in FONTS:
        leaflet_type.family(key)
    icon = files("canvass.resources") / "icons" / "canvass.svg"
    examples = sorted(p.name for p in (files("canvass.resources") / "examples").iterdir())
    fonts = [font_roboto.Roboto, font_source_sans_pro.font_directory]
    fonts.append(font_source_serif_pro.font_directory)
    missing = [str(p) for p in fonts if not os.path.exists(p)]
    if not icon.is_file() or not examples or missing:
        raise RuntimeError(f"missing: icon={icon.is_file()} examples={examples} fonts={missing}")
    location = alembic_config().get_main_option("script_location") or ""
    # Alembic reads the scripts as files: compiled copies in the archive are not enough.
    if not list(Path(location, "versions").glob("*.py")) or not Path(location, "env.py").is_file():
        raise RuntimeError(f"no migration scripts (env.py, versions/*.py) in {location}")
    return (
        f"icon, {len(examples)} examples, {len(FONTS)} font families, "
        f"migrations to {head_revision()} in {location}"
    )


CHECKS: dict[str, Callable[[], str]] = {
    "psycopg": _psycopg,
    "sqlcipher": _sqlcipher,
    "pdfium": _pdfium,
    "age": _age,
    "rl_accel": _rl_accel,
    "resources": _resources,
}


def self_check() -> int:
    """Run every check; print ``{"frozen": ..., "checks": {name: {"ok", "detail"}}}``."""
    results: dict[str, dict[str, Any]] = {}
    for name, check in CHECKS.items():
        try:
            results[name] = {"ok": True, "detail": check()}
        except Exception as exc:  # a report, not a crash: every check runs
            results[name] = {"ok": False, "detail": f"{type(exc).__name__}: {exc}"}
    frozen = bool(getattr(sys, "frozen", False))
    report = {"frozen": frozen, "checks": results}
    print(json.dumps(report, ensure_ascii=False, indent=1))  # noqa: T201 (the check's output)
    return 0 if all(r["ok"] for r in results.values()) else 1


def quit_once_shown(picture: str) -> None:
    """Make ``canvass gui`` save a picture of its main window and quit once it is shown."""
    import canvass.app

    start_gui = canvass.app.launch_gui

    def launch_gui(db_text: str | None, paths: Any, *args: Any, **kwargs: Any) -> int:
        from PySide6.QtCore import QTimer

        from canvass.ui.application import application

        app = application()

        def snap() -> None:
            shown = [w for w in app.topLevelWidgets() if w.isVisible() and w.isWindow()]
            if not shown:  # the event loop started before the window: look again
                QTimer.singleShot(50, snap)
                return
            shown[0].grab().save(picture, "PNG")
            name = type(shown[0]).__name__
            print(f"canvass: GUI started; {name} saved to {picture}")  # noqa: T201
            app.quit()

        QTimer.singleShot(0, snap)
        code: int = start_gui(db_text, paths, *args, **kwargs)
        return code

    canvass.app.launch_gui = launch_gui


def main() -> None:
    """Run canvass (or the self-check)."""
    if os.environ.get("CANVASS_SELF_CHECK") == "1":
        sys.exit(self_check())
    if picture := os.environ.get("CANVASS_SMOKE_GUI"):
        quit_once_shown(picture)
    from canvass.app import main as canvass_main

    canvass_main()


if __name__ == "__main__":
    main()
