"""PyInstaller options shared by canvass.spec and the bench's bare-window baseline.

The bench (bench/bench_frozen.py) compares the size of the frozen app with a bare
PySide6 window frozen *with the same options*, so the ratio measures what canvass
adds, not how well each build was trimmed. Both specs therefore take their Qt
exclusions and their file filter from here.

Trimming is done on PyInstaller's lists after analysis rather than by excluding
standard-library modules: excluding those breaks PySide6's own start-up
(DESIGN §6). What goes:

- PySide6 modules the app never imports (QtQml, QtQuick, QtNetwork...): their
  Python bindings and, through the library pruning below, their Qt libraries.
- Qt plugins for things a desktop app on a laptop does not do: embedded displays
  (eglfs, linuxfb, VNC), QML tooling, SQL drivers, TLS and network information,
  printing through Qt (documents are PDFs), the on-screen virtual keyboard, and
  image formats nobody puts on a leaflet. Kept: the desktop platforms (xcb,
  Wayland, Windows, Cocoa) and ``offscreen`` (the smoke test), input methods,
  desktop themes (native file dialogs), SVG and common image formats.
- Qt's translations: canvass installs no QTranslator, so Qt's own dialogs are
  in English with or without them.
- Qt libraries no longer needed by anything that is kept, found by following
  each kept binary's library imports (see :func:`prune_qt_libraries`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

#: Strip symbols from shared libraries on Linux only: some Pythons (pyenv builds)
#: ship a 23 MB libpython full of debug information. On macOS stripping would
#: invalidate the code signatures, and Windows DLLs carry no symbols to strip.
STRIP = sys.platform.startswith("linux")

#: PySide6 modules canvass imports (src/canvass/ui and app.py). Every other
#: binding module of the installed PySide6 is excluded.
QT_MODULES_USED = frozenset({"QtCore", "QtGui", "QtWidgets", "QtSvg"})

#: Excluded from every build: never imported by a frozen app, but pulled in by
#: optional helpers (cffi's setuptools support) or present in a developer's
#: environment. Standard-library modules are not excluded (see above).
COMMON_EXCLUDES = (
    "tkinter",
    "setuptools",
    "pkg_resources",
    "_distutils_hack",
    "pytest",
    "_pytest",
    "hypothesis",
    "mypy",
    "IPython",
)

#: Plugin folders dropped whole.
_DROPPED_PLUGIN_DIRS = frozenset(
    {
        "designer",
        "egldeviceintegrations",
        "generic",
        "networkinformation",
        "printsupport",
        "qmllint",
        "qmltooling",
        "sqldrivers",
        "tls",
        "wayland-graphics-integration-server",
        "multimedia",
        "position",
        "sensors",
        "texttospeech",
        "scenegraph",
        "renderers",
        "geometryloaders",
        "sceneparsers",
        "canbus",
        "assetimporters",
    }
)

#: Single plugins dropped from folders that are otherwise kept, by the part of
#: the file name that is the same on every OS (libqeglfs.so, qeglfs.dll...).
_DROPPED_PLUGINS = frozenset(
    {
        # platforms: embedded and remote displays
        "qeglfs",
        "qlinuxfb",
        "qminimalegl",
        "qvkkhrdisplay",
        "qvnc",
        "qdirect2d",
        # platforminputcontexts: the virtual keyboard needs QtQuick
        "qtvirtualkeyboardplugin",
        # imageformats: PDF needs QtPdf; the rest are formats no leaflet uses
        "qpdf",
        "qtiff",
        "qwebp",
        "qwbmp",
        "qtga",
        "qicns",
        "qmacheif",
        "qmacjp2",
    }
)

_PLUGIN = re.compile(r"(?:^|/)PySide6/(?:Qt/)?plugins/([^/]+)/(?:lib)?([^/.]+)[^/]*$")
_TRANSLATION = re.compile(r"(?:^|/)PySide6/(?:Qt/)?translations/")
_BINDING = re.compile(r"(?:^|/)PySide6/(Qt\w+)\.(?:abi3\.so|pyd|pyi)$")
#: Qt's own libraries: libQt6Quick.so.6 (Linux), Qt6Quick.dll (Windows),
#: QtQuick.framework (macOS), and ICU, which only QtCore needs.
_QT_LIBRARY = re.compile(
    r"(?:^|/)(?:libQt6\w+\.so[.\d]*|Qt6\w+\.dll|Qt\w+\.framework/.*|libicu\w+\.so[.\d]*)$"
)


def excluded_qt_modules(pyside_dir: Path) -> list[str]:
    """``PySide6.QtX`` names of the installed binding modules canvass does not import.

    Read from the installed package, so a PySide6 upgrade that adds a module
    excludes it too.
    """
    names = {
        path.name.split(".", 1)[0]
        for path in pyside_dir.iterdir()
        if path.name.startswith("Qt") and path.suffix in {".so", ".pyd"}
    }
    return sorted(f"PySide6.{name}" for name in names - QT_MODULES_USED)


def keep(dest: str) -> bool:
    """Whether the file PyInstaller would put at ``dest`` (inside the app) is kept."""
    dest = dest.replace("\\", "/")
    if _TRANSLATION.search(dest):
        return False
    binding = _BINDING.search(dest)
    if binding and binding.group(1) not in QT_MODULES_USED:
        return False
    plugin = _PLUGIN.search(dest)
    if plugin:
        folder, name = plugin.groups()
        return folder not in _DROPPED_PLUGIN_DIRS and name not in _DROPPED_PLUGINS
    return True


def _is_qt_library(dest: str) -> bool:
    return bool(_QT_LIBRARY.search(dest.replace("\\", "/")))


def prune_qt_libraries(binaries: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Drop Qt libraries that no kept binary needs, directly or through another Qt library.

    Roots are every binary that is not a Qt library (Python extension modules,
    the Qt plugins still kept, PyInstaller's own); Qt libraries are kept when a
    root or a kept Qt library imports them. Libraries are matched by file name,
    which is how the loader finds them on Linux and Windows, and how the macOS
    frameworks' install names end.
    """
    from PyInstaller.depend import bindepend

    entries = list(binaries)
    qt_libs = {Path(dest).name: (dest, src) for dest, src, _ in entries if _is_qt_library(dest)}
    needed: set[str] = set()
    # Symbolic links (typecode SYMLINK) point at entries of their own.
    queue = [
        src
        for dest, src, kind in entries
        if kind in {"BINARY", "EXTENSION"} and not _is_qt_library(dest)
    ]
    seen: set[str] = set()
    while queue:
        src = queue.pop()
        if src in seen:
            continue
        seen.add(src)
        for name, _resolved in bindepend.get_imports(src):
            base = Path(name).name
            if base in qt_libs and base not in needed:
                needed.add(base)
                queue.append(qt_libs[base][1])
    return [
        entry for entry in entries if not _is_qt_library(entry[0]) or Path(entry[0]).name in needed
    ]


def trim(analysis: object) -> None:
    """Apply :func:`keep` and :func:`prune_qt_libraries` to an ``Analysis`` in place."""
    a = analysis
    a.datas = [entry for entry in a.datas if keep(entry[0])]  # type: ignore[attr-defined]
    binaries = [entry for entry in a.binaries if keep(entry[0])]  # type: ignore[attr-defined]
    a.binaries = prune_qt_libraries(binaries)  # type: ignore[attr-defined]
