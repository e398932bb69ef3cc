"""How strong a new database passphrase is, read as an attacker would guess it.

Counting character classes rates "password123" as fair. Here common passwords
and the words they are built on (with 0 for o, @ for a...), runs along the
keyboard or the alphabet, repeats, years and dictionary words cost few
guesses; only what is left is counted as random characters. A passphrase under
12 characters must be three words or more to rate above weak, and canvass asks
for at least "fair". (zxcvbn measures this way in depth; it is not a
dependency of canvass, and this is enough to turn away the passphrases tried
first.)

Pure Python, so the command line can use it as well as the passphrase dialogs.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

from xkcdpass import xkcd_password

from canvass.crypto.db_key import MIN_PASSPHRASE_CHARS

#: Shorter than this, a passphrase must be several words to rate above weak.
MIN_CHARS = 12
#: Words that make a passphrase "several words" (separated by spaces, hyphens...).
MIN_WORDS = 3
#: The button every refusal points to.
SUGGEST = "“Suggest a passphrase”"
LABELS = ("too short", "weak", "fair", "good", "strong")
#: Bits of guessing at which each label starts.
_FAIR, _GOOD, _STRONG = 48.0, 62.0, 78.0

#: The passwords tried first (every leaked-password list starts with these), the words
#: they are built on, and words anyone would try against a campaign's database.
COMMON = frozenset(
    """
    password passwd pass qwerty qwertz azerty letmein welcome admin administrator login
    iloveyou loveyou love monkey dragon football baseball soccer cricket rugby sunshine
    princess master shadow superman batman starwars trustno1 abc123 secret secret1
    freedom whatever hello hello123 charlie michael jennifer jordan hunter thomas george
    summer winter spring autumn monday friday london england britain liverpool chelsea
    arsenal united changeme default guest user test tester testing computer internet
    qazwsx zaq1zaq1 1q2w3e4r 1qaz2wsx asdfgh zxcvbn killer pokemon matrix mustang
    access flower cookie cheese chocolate banana orange purple silver golden diamond
    family friends forever happy smile angel baby jesus blessed pepper ginger buster
    canvass campaign election elector voter votes labour tory conservative liberal
    democrat green council residents association petition leaflet
    """.split()  # noqa: SIM905 (a list of words reads best as words)
)
#: Letters a password swaps for look-alike digits and symbols.
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
#: Runs along these are guessed early ("qwerty", "12345", "abcdef", "zyx").
_SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "qwertzuiop",
    "azertyuiop",
    "1qaz2wsx3edc4rfv",
)
_CHUNKS = re.compile(r"[^\W\d_]+|\d+|[\W_]+")
#: What separates the words of a passphrase ("correct horse", "tables-uncork").
_BETWEEN_WORDS = re.compile(r"[\s\-_.,+/]+")
_SEPARATORS = frozenset(" -_.,+/")


@dataclass(frozen=True, slots=True)
class Rating:
    """A verdict on a new passphrase, for the hint shown while it is typed.

    Attributes:
        bits: Estimated guessing entropy by this stricter measure.
        label: ``too short``, ``weak``, ``fair``, ``good`` or ``strong``.
        hint: One or two sentences for the person choosing it.
    """

    bits: float
    label: str
    hint: str

    @property
    def acceptable(self) -> bool:
        """Whether canvass takes it for a new database: "fair" or better."""
        return LABELS.index(self.label) >= LABELS.index("fair")


@cache
def _dictionary() -> frozenset[str]:
    """The long word list the suggested passphrases come from, and the common words."""
    words = xkcd_password.generate_wordlist(
        wordfile=xkcd_password.locate_wordfile(), min_length=3, max_length=12
    )
    return frozenset(w.lower() for w in words if w.isalpha()) | COMMON


def _dictionary_bits() -> float:
    return math.log2(len(_dictionary()))


def _in_sequence(run: str) -> bool:
    """A run of 3 or more along the alphabet, the digits or a keyboard row, either way."""
    if len(run) < 3:
        return False
    return any(run in line or run[::-1] in line for line in _SEQUENCES)


def _repeated(run: str) -> str | None:
    """The unit ``run`` repeats ("ab" for "ababab"), None when it is no repeat."""
    for size in range(1, len(run) // 2 + 1):
        unit = run[:size]
        if len(run) % size == 0 and unit * (len(run) // size) == run:
            return unit
    return None


def _letters_bits(run: str) -> float:
    """Guessing bits of a run of letters: words and patterns cheap, the rest 4.7 a letter."""
    folded = run.lower()
    case = 0.0 if run.islower() else (1.0 if run.isupper() or run.istitle() else len(run) / 2)
    if _in_sequence(folded):
        return math.log2(26) + math.log2(len(run)) + case
    unit = _repeated(folded)
    if unit is not None:
        return _letters_bits(unit) + math.log2(len(run) // len(unit))
    words, per_word, per_letter = _dictionary(), _dictionary_bits(), math.log2(26)
    # The cheapest reading of the run as dictionary words and single letters.
    best = [0.0] + [math.inf] * len(folded)
    for end in range(1, len(folded) + 1):
        best[end] = best[end - 1] + per_letter
        for start in range(max(0, end - 12), end - 2):
            piece = folded[start:end]
            if piece in words:
                cost = 10.0 if piece in COMMON else per_word
                best[end] = min(best[end], best[start] + cost)
    return best[-1] + case


def _digits_bits(run: str) -> float:
    if _in_sequence(run) or _repeated(run) is not None:
        return math.log2(10) + math.log2(len(run))
    if len(run) == 4 and run[:2] in ("19", "20"):
        return 7.0  # a year
    if len(run) in (6, 8):
        return 15.0  # a date
    return len(run) * math.log2(10)


def _symbols_bits(run: str) -> float:
    if all(c in _SEPARATORS for c in run) and len(set(run)) == 1:
        return 2.0  # the space or hyphen between words
    unit = _repeated(run)
    return (len(unit) if unit else len(run)) * 5.0


def passphrase_bits(text: str) -> float:
    """Estimated guessing entropy of ``text`` by the patterns it is made of."""
    bits = 0.0
    chunks = _CHUNKS.findall(text)
    for chunk in chunks:
        if chunk[0].isdigit():
            bits += _digits_bits(chunk)
        elif chunk[0].isalpha():
            bits += _letters_bits(chunk)
        else:
            bits += _symbols_bits(chunk)
    return bits


def _is_common(text: str) -> bool:
    """Whether ``text`` is a common password, however decorated ("P@ssw0rd2024!")."""
    folded = text.lower()
    core = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", folded)
    for candidate in (folded, core, folded.translate(_LEET), core.translate(_LEET)):
        plain = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", candidate)
        if candidate in COMMON or plain in COMMON or re.sub(r"[\W_]", "", plain) in COMMON:
            return True
    return False


def word_count(text: str) -> int:
    """The words of ``text``: parts between spaces, hyphens... with two letters or more."""
    return sum(1 for part in _BETWEEN_WORDS.split(text) if sum(c.isalpha() for c in part) >= 2)


def rate(passphrase: str) -> Rating:
    """How hard ``passphrase`` is to guess, with a hint for the person choosing it.

    Each hint fits two lines of the dialog, and every refusal points to "Suggest a
    passphrase".
    """
    text = passphrase.strip()
    if len(text) < MIN_PASSPHRASE_CHARS:
        return Rating(
            0.0,
            "too short",
            f"Too short: use at least {MIN_CHARS} characters, or {MIN_WORDS} unrelated words "
            f"or more, or press {SUGGEST}.",
        )
    bits = passphrase_bits(text)
    if _is_common(text):
        return Rating(
            min(bits, 20.0),
            "weak",
            "Weak: it is built on a common password, among the first anyone tries. "
            f"Press {SUGGEST} for six random words.",
        )
    if len(text) < MIN_CHARS and word_count(text) < MIN_WORDS:
        return Rating(
            bits,
            "weak",
            f"Weak: use at least {MIN_CHARS} characters, or {MIN_WORDS} words or more. "
            f"Press {SUGGEST} for six random words.",
        )
    if bits < _FAIR:
        return Rating(
            bits,
            "weak",
            "Weak: words, years and runs of keys are guessed early. Add more unrelated "
            f"words, or press {SUGGEST}.",
        )
    if bits < _GOOD:
        return Rating(bits, "fair", "Fair: another word or two would make it much stronger.")
    if bits < _STRONG:
        return Rating(bits, "good", "Good: keep it somewhere safe, it cannot be recovered.")
    return Rating(bits, "strong", "Strong: keep it somewhere safe, it cannot be recovered.")
