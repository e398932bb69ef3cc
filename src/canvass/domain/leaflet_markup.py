"""The small markup volunteers write leaflet text in.

Paragraphs are separated by blank lines; ``**bold**`` and ``*italic*`` mark
words; lines starting ``- `` are bullet points. Nothing else is special, so a
stray asterisk prints as an asterisk. Pure: the PDF layer turns the blocks into
ReportLab paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Run:
    """Words in one style."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph (``bullet`` False) or one bullet point."""

    runs: tuple[Run, ...]
    bullet: bool = False

    @property
    def text(self) -> str:
        """The block's words without styling."""
        return "".join(r.text for r in self.runs)


_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", re.DOTALL)
_ITALIC = re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])", re.DOTALL)


def _italics(text: str, bold: bool) -> list[Run]:
    runs: list[Run] = []
    at = 0
    for m in _ITALIC.finditer(text):
        if m.start() > at:
            runs.append(Run(text[at : m.start()], bold, False))
        runs.append(Run(m.group(1), bold, True))
        at = m.end()
    if at < len(text):
        runs.append(Run(text[at:], bold, False))
    return runs


def parse_runs(text: str) -> tuple[Run, ...]:
    """Split one paragraph's text into styled runs."""
    runs: list[Run] = []
    at = 0
    for m in _BOLD.finditer(text):
        runs.extend(_italics(text[at : m.start()], False))
        runs.extend(_italics(m.group(1), True))
        at = m.end()
    runs.extend(_italics(text[at:], False))
    return tuple(r for r in runs if r.text)


def parse_markup(text: str) -> tuple[Block, ...]:
    """The blocks of a text: paragraphs and bullet points, in order.

    Lines within a paragraph are joined with a space (as when typing into a box
    that wraps); a bullet's continuation lines (indented or not) belong to it.
    """
    blocks: list[Block] = []
    lines: list[str] = []
    bullet = False

    def finish() -> None:
        nonlocal lines
        joined = " ".join(part.strip() for part in lines if part.strip())
        if joined:
            blocks.append(Block(parse_runs(joined), bullet))
        lines = []

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = raw.strip()
        if not stripped:
            finish()
            bullet = False
            continue
        if stripped.startswith(("- ", "• ")) or stripped in ("-", "•"):
            finish()
            bullet = True
            lines.append(stripped[2:] if len(stripped) > 1 else "")
            continue
        lines.append(stripped)
    finish()
    return tuple(blocks)


def word_count(text: str) -> int:
    """Words in a text, markup characters aside."""
    return len(re.findall(r"[^\s*]+", text.replace("- ", " ")))
