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
- Second copies of shared libraries (Linux): a wheel's private copy of a library
  (``psycopg_binary.libs/libcrypto-3a0647ea.so.3``) becomes a link to the copy
  the app already ships for Python or Qt (``libcrypto.so.3``) when that copy
  defines every versioned symbol the wheel's binaries take from it; private
  libraries then needed by nothing go (see :func:`share_wheel_libraries`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import warnings
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
#: optional helpers (cffi's setuptools support), by test-only code of libraries
#: (``if __name__ == "__main__": import doctest``, click.testing's pdb) or present
#: in a developer's environment. Of the standard library only tools for developers
#: go (tests, debugger, help pages, 2to3, pip's installer, IDLE): excluding what
#: the runtime itself uses breaks PySide6's start-up (DESIGN §6).
COMMON_EXCLUDES = (
    "tkinter",
    "unittest",
    "doctest",
    "pdb",
    "bdb",
    "pydoc",
    "pydoc_data",
    "lib2to3",
    "ensurepip",
    "idlelib",
    "test",
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


#: A library vendored by auditwheel into ``<package>.libs/``: its own name with a
#: hash before ``.so`` (``libcrypto-3a0647ea.so.3`` is a private ``libcrypto.so.3``).
_WHEEL_LIBRARY = re.compile(r"^[^/]+\.libs/(lib[^/]+?)-[0-9a-f]{8}(\.so\.\d+)[.\d]*$")
_NEEDED = re.compile(r"\(NEEDED\)[^\[]*\[([^\]]+)\]")
_VERSION_SUFFIX = re.compile(r" \(\d+\)$")


class _Elf:
    """Library names and dynamic symbols of ELF files, read with binutils' ``readelf``."""

    def __init__(self, readelf: str) -> None:
        self.readelf = readelf
        self._cache: dict[str, tuple[list[str], set[tuple[str, str]], set[tuple[str, str]]]] = {}

    def read(self, path: str) -> tuple[list[str], set[tuple[str, str]], set[tuple[str, str]]]:
        """(DT_NEEDED names, defined symbols, undefined symbols); symbols are (name, version)."""
        if path not in self._cache:
            run = [self.readelf, "-W", "--dynamic", "--dyn-syms", path]
            out = subprocess.run(run, capture_output=True, text=True, check=True).stdout
            defined: set[tuple[str, str]] = set()
            undefined: set[tuple[str, str]] = set()
            for line in out.splitlines():
                parts = line.split()
                # "  12: 0000... 42 FUNC GLOBAL DEFAULT 13 SSL_new@@OPENSSL_3.0.0"
                if len(parts) < 8 or not parts[0].endswith(":") or parts[4] == "LOCAL":
                    continue
                name, _, version = _VERSION_SUFFIX.sub("", parts[7]).partition("@")
                (undefined if parts[6] == "UND" else defined).add((name, version.lstrip("@")))
            self._cache[path] = (_NEEDED.findall(out), defined, undefined)
        return self._cache[path]


def share_wheel_libraries(
    binaries: Iterable[tuple[str, str, str]],
) -> list[tuple[str, str, str]]:
    """Make a wheel's private copy of a library a link to the copy already collected.

    Wheels built for manylinux carry their own copies of common libraries
    (psycopg-binary: OpenSSL and Kerberos; Pillow: libXau, zstd, xz...), while
    Python's own modules and Qt bring the system's copies of the same libraries.
    A private copy ``<package>.libs/libX-<hash>.so.N`` is replaced by a symbolic
    link to the collected ``libX.so.N`` only when, for every binary that loads the
    private copy (and is not replaced itself), each symbol it takes from that copy,
    with its version (``SSL_new@OPENSSL_3.0.0``), is defined by the shared one;
    otherwise (a newer API, an extra feature) the private copy stays. The loader
    finds the link where it found the copy, and maps a library reached under two
    names once. Private libraries no longer needed by any binary are then dropped.

    Linux only, and only with ``readelf`` (binutils, which ``strip`` comes from);
    elsewhere the list is returned as it is.
    """
    entries = list(binaries)
    readelf = shutil.which("readelf")
    if not sys.platform.startswith("linux") or readelf is None:
        return entries
    elf = _Elf(readelf)
    files = {dest: src for dest, src, kind in entries if kind in {"BINARY", "EXTENSION"}}
    top_level = {dest for dest in files if "/" not in dest}
    # Private copy (dest) -> the collected library of the same name (dest).
    shared: dict[str, str] = {}
    for dest in files:
        match = _WHEEL_LIBRARY.match(dest)
        if match and (name := match.group(1) + match.group(2)) in top_level:
            shared[dest] = name
    while True:  # dropping one candidate can make another's check stricter
        refused = {
            private
            for private, common in shared.items()
            if not _symbols_provided(elf, files, shared, private, common)
        }
        if not refused:
            break
        shared = {k: v for k, v in shared.items() if k not in refused}
    result = []
    for dest, src, kind in entries:
        if dest in shared:
            link = os.path.relpath(shared[dest], os.path.dirname(dest))
            result.append((dest, link, "SYMLINK"))
        else:
            result.append((dest, src, kind))
    return _drop_unneeded_wheel_libraries(elf, result)


def _symbols_provided(
    elf: _Elf, files: dict[str, str], shared: dict[str, str], private: str, common: str
) -> bool:
    """Whether ``common`` defines every symbol the remaining binaries take from ``private``."""
    _, private_defs, _ = elf.read(files[private])
    _, common_defs, _ = elf.read(files[common])
    private_names = {symbol for symbol, _ in private_defs}
    common_names = {symbol for symbol, _ in common_defs}
    name = Path(private).name
    for dest, src in files.items():
        if dest in shared:
            continue
        needed, _, undefined = elf.read(src)
        if name not in needed:
            continue
        for symbol, version in undefined:
            # An unversioned reference binds to whichever version is the default.
            if version and (symbol, version) in private_defs:
                if (symbol, version) not in common_defs:
                    return False
            elif not version and symbol in private_names and symbol not in common_names:
                return False
    return True


def _drop_unneeded_wheel_libraries(
    elf: _Elf, entries: list[tuple[str, str, str]]
) -> list[tuple[str, str, str]]:
    """Drop ``<package>.libs/`` libraries (and links to them) that no kept binary loads."""
    files = {dest: src for dest, src, kind in entries if kind in {"BINARY", "EXTENSION"}}
    private = {Path(dest).name: dest for dest in files if _WHEEL_LIBRARY.match(dest)}
    queue = [src for dest, src in files.items() if dest not in private.values()]
    needed: set[str] = set()
    while queue:
        for name in elf.read(queue.pop())[0]:
            if name in private and name not in needed:
                needed.add(name)
                queue.append(files[private[name]])
    unneeded = {dest for name, dest in private.items() if name not in needed}
    if not unneeded:
        return entries
    kept = []
    for dest, src, kind in entries:
        target = os.path.normpath(os.path.join(os.path.dirname(dest), src))
        if dest in unneeded or (kind == "SYMLINK" and target in unneeded):
            continue
        kept.append((dest, src, kind))
    return kept


def trim(analysis: object) -> None:
    """Apply :func:`keep`, :func:`prune_qt_libraries` and :func:`share_wheel_libraries`.

    Changes an ``Analysis`` in place.
    """
    a = analysis
    a.datas = [entry for entry in a.datas if keep(entry[0])]  # type: ignore[attr-defined]
    binaries = [entry for entry in a.binaries if keep(entry[0])]  # type: ignore[attr-defined]
    try:
        binaries = share_wheel_libraries(prune_qt_libraries(binaries))
    except (OSError, subprocess.CalledProcessError) as exc:  # readelf failed: keep every copy
        warnings.warn(f"pyi_options: libraries not shared ({exc})", stacklevel=2)
        binaries = prune_qt_libraries(binaries)
    a.binaries = binaries  # type: ignore[attr-defined]
