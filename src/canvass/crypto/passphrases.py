"""Generated passphrases for campaigns that exchange files without keys.

People are not asked to invent one: a chosen passphrase is usually guessable,
and age's scrypt only slows guessing down. Six words from xkcdpass's list of
several thousand give about 70 bits, plenty against offline guessing at
scrypt's cost.
"""

from __future__ import annotations

import secrets
from functools import cache

from xkcdpass import xkcd_password

WORDS = 6


@cache
def _wordlist() -> tuple[str, ...]:
    words = xkcd_password.generate_wordlist(
        wordfile=xkcd_password.locate_wordfile(), min_length=3, max_length=8
    )
    return tuple(sorted({w.lower() for w in words if w.isascii() and w.isalpha()}))


def generate_passphrase(words: int = WORDS) -> str:
    """A new random passphrase: ``words`` lower-case words joined by hyphens."""
    pool = _wordlist()
    return "-".join(secrets.choice(pool) for _ in range(words))


def passphrase_bits(words: int = WORDS) -> float:
    """Entropy of a generated passphrase, in bits."""
    import math

    return words * math.log2(len(_wordlist()))
