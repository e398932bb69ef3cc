"""The key that unlocks an encrypted canvass database, derived from a passphrase.

SQLCipher would stretch a passphrase itself with PBKDF2-SHA512, which
graphics cards guess at cheaply. canvass stretches it with Argon2id instead,
whose memory cost is what makes guessing expensive, and hands SQLCipher the
resulting 256-bit key as raw key material (``x'<hex>'``), so SQLCipher skips
its own derivation. The 16-byte salt is the one SQLCipher keeps in the first
16 bytes of the file: readable before unlocking, so no other file is needed.

Pure: no database and no files; :mod:`canvass.storage.encryption` does those.
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from canvass.domain.errors import ValidationError

#: Bytes of salt; SQLCipher stores exactly this many at the start of the file.
SALT_BYTES = 16
#: Bytes of key: SQLCipher's AES-256 key.
KEY_BYTES = 32

# Argon2id cost. Measured on the 2-core development machine (cryptography 50):
# 128 MiB, 3 passes, 4 lanes takes 0.22-0.29 s per derivation when the machine
# is idle (0.5-0.9 s with other work on both cores), against 0.12 s for RFC
# 9106's "second recommended option" (64 MiB) and 0.5 s for 256 MiB.
# A database is unlocked once per start, so a quarter of a second is not felt,
# and every guess costs an attacker 128 MiB of memory for as long. These values
# are part of the file format: files made with them cannot be opened with
# others, so changing them needs a new version tried after the old one.
#: Memory per derivation, in KiB (128 MiB).
ARGON2_MEMORY_KIB = 128 * 1024
#: Passes over that memory.
ARGON2_ITERATIONS = 3
#: Parallel lanes (OpenSSL computes them on separate threads where it can).
ARGON2_LANES = 4

#: The shortest passphrase accepted for a new encrypted database.
MIN_PASSPHRASE_CHARS = 10


@dataclass(frozen=True)
class DatabaseKey:
    """A derived key with the salt it was derived with; never printed.

    Attributes:
        key: The 32-byte key.
        salt: The 16-byte salt, as stored at the start of the database file.
    """

    key: bytes = field(repr=False)
    salt: bytes

    @property
    def literal(self) -> str:
        """SQLCipher's raw-key syntax with our salt: ``x'<64 hex key><32 hex salt>'``."""
        return f"x'{self.key.hex()}{self.salt.hex()}'"

    @property
    def pragma(self) -> str:
        """The ``PRAGMA key`` statement that unlocks (or creates) the file."""
        return f'PRAGMA key = "{self.literal}"'


def normalise(passphrase: str) -> bytes:
    """The bytes a passphrase stands for, the same whichever keyboard typed it.

    NFC, so an accented letter typed as one character on one system and as a
    letter plus accent on another unlocks the same file.
    """
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def new_salt() -> bytes:
    """A fresh random salt for a new encrypted database."""
    return secrets.token_bytes(SALT_BYTES)


def derive_key(passphrase: str, salt: bytes) -> DatabaseKey:
    """Stretch ``passphrase`` with Argon2id into the database key.

    Raises:
        ValidationError: If the passphrase is empty or the salt is not 16 bytes.
    """
    if not passphrase:
        raise ValidationError("The passphrase is empty: type the database's passphrase.")
    if len(salt) != SALT_BYTES:
        raise ValidationError(f"A database salt is {SALT_BYTES} bytes, not {len(salt)}.")
    kdf = Argon2id(
        salt=salt,
        length=KEY_BYTES,
        iterations=ARGON2_ITERATIONS,
        lanes=ARGON2_LANES,
        memory_cost=ARGON2_MEMORY_KIB,
    )
    return DatabaseKey(kdf.derive(normalise(passphrase)), salt)


def new_key(passphrase: str) -> DatabaseKey:
    """The key for a new encrypted database, after checking the passphrase is long enough.

    Raises:
        ValidationError: If the passphrase is too short.
    """
    check_new_passphrase(passphrase)
    return derive_key(passphrase, new_salt())


def check_new_passphrase(passphrase: str) -> None:
    """Refuse a passphrase too short to protect a database.

    Raises:
        ValidationError: Saying how long it must be.
    """
    if len(passphrase.strip()) < MIN_PASSPHRASE_CHARS:
        raise ValidationError(
            f"The passphrase is too short: use at least {MIN_PASSPHRASE_CHARS} characters, "
            "for example four or five unrelated words."
        )
