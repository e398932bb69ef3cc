"""The age layer of an exchange file: encrypt, inspect the header, decrypt with limits.

An exchange file is a standard age v1 file, so the stock ``age`` tool opens it
with the right identity. Before handing bytes to age we read its text header
ourselves: to say "not a canvass file" rather than a cryptic error, and to
refuse a passphrase file whose scrypt work factor would cost minutes and
gigabytes to try (age's specification asks importers to cap it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pyrage

from canvass.domain.errors import ExchangeFileError

AGE_INTRO = b"age-encryption.org/v1\n"
#: Largest exchange file accepted; a campaign's full state is far smaller.
MAX_FILE_BYTES = 1 << 30
#: Largest scrypt work factor (log2 N) tried: 2^22 takes about 4 GiB-seconds.
MAX_WORK_FACTOR = 22
_MAX_HEADER = 64 * 1024
_STANZA = re.compile(rb"-> (\S+)((?: \S+)*)\n")
_B64 = re.compile(r"[A-Za-z0-9+/]{22}")


@dataclass(frozen=True, slots=True)
class Header:
    """What the age header says, read without any key."""

    stanza_types: tuple[str, ...]
    work_factor: int | None  # scrypt files only

    @property
    def passphrase(self) -> bool:
        """Whether the file is protected by a passphrase (scrypt) rather than keys."""
        return "scrypt" in self.stanza_types


def _damaged(what: str) -> ExchangeFileError:
    return ExchangeFileError(
        "damaged",
        f"The file is damaged ({what}). Ask for it again from the laptop that made it.",
    )


def inspect_header(data: bytes) -> Header:
    """Read the recipient stanzas of an age file, without decrypting.

    Raises:
        ExchangeFileError: Not an age file, too large, cut short, or a
            passphrase stanza that breaks age's rules or our work-factor cap.
    """
    if len(data) > MAX_FILE_BYTES:
        raise ExchangeFileError(
            "too-large",
            f"The file is larger than {MAX_FILE_BYTES >> 20} MB, far beyond any canvass "
            "export; it is not one.",
        )
    if not data.startswith(AGE_INTRO):
        if AGE_INTRO.startswith(data[: len(AGE_INTRO)]) and data:
            raise ExchangeFileError(
                "cut-short", "The file is cut short: it ends inside its header."
            )
        raise ExchangeFileError(
            "not-canvass",
            "This is not a canvass exchange file. Choose a file made by "
            "canvass export (it usually ends .canvass).",
        )
    end = data.find(b"\n---", 0, _MAX_HEADER)
    if end < 0:
        if len(data) < _MAX_HEADER:
            raise ExchangeFileError(
                "cut-short", "The file is cut short: it ends inside its header."
            )
        raise _damaged("its header never ends")
    types: list[str] = []
    work_factor: int | None = None
    for match in _STANZA.finditer(data, len(AGE_INTRO), end + 1):
        kind = match.group(1).decode("ascii", "replace")
        types.append(kind)
        if kind == "scrypt":
            args = match.group(2).split()
            # Decimal without leading zeros (age's rule); more than two digits is
            # beyond any cap, and int() of thousands of digits raises ValueError.
            if (
                len(args) != 2
                or not args[1].isdigit()
                or args[1].startswith(b"0")
                or len(args[1]) > 2
            ):
                raise _damaged("its passphrase stanza is malformed")
            if not _B64.fullmatch(args[0].decode("ascii", "replace")):
                raise _damaged("its passphrase salt is malformed")
            work_factor = int(args[1])
    if "scrypt" in types and len(types) != 1:
        raise _damaged("a passphrase stanza must be the only one")
    if work_factor is not None and work_factor > MAX_WORK_FACTOR:
        raise ExchangeFileError(
            "damaged",
            f"The file's passphrase protection asks for an unreasonable amount of work "
            f"(2^{work_factor}); canvass never makes such files, so it was not tried.",
        )
    return Header(tuple(types), work_factor)


def encrypt(plaintext: bytes, recipients: Sequence[str]) -> bytes:
    """Encrypt to age X25519 recipients (``age1...``)."""
    parsed = [pyrage.x25519.Recipient.from_str(r) for r in recipients]
    return bytes(pyrage.encrypt(plaintext, parsed))


def encrypt_with_passphrase(plaintext: bytes, passphrase: str) -> bytes:
    """Encrypt with a passphrase (age scrypt; rage picks a work factor of about 1 s)."""
    return bytes(pyrage.passphrase.encrypt(plaintext, passphrase))


def decrypt(
    data: bytes,
    identities: Sequence[pyrage.x25519.Identity],
    passphrase: str | None = None,
) -> bytes:
    """Decrypt an exchange file, turning every age failure into its own plain message.

    Raises:
        ExchangeFileError: See :func:`inspect_header`, plus ``needs-passphrase``,
            ``not-for-us``, ``wrong-key`` and ``cut-short``.
    """
    header = inspect_header(data)
    try:
        if header.passphrase:
            if passphrase is None:
                raise ExchangeFileError(
                    "needs-passphrase",
                    "This file is protected by a passphrase. Give the campaign's passphrase "
                    "(on the Sync screen, or --passphrase-file on the command line).",
                )
            return bytes(pyrage.passphrase.decrypt(data, passphrase))
        if not identities:
            raise ExchangeFileError("not-for-us", "No key is available to open this file.")
        return bytes(pyrage.decrypt(data, list(identities)))
    except pyrage.DecryptError as exc:
        raise _decrypt_error(str(exc), header) from None


def _decrypt_error(text: str, header: Header) -> ExchangeFileError:
    lowered = text.lower()
    if "no matching keys" in lowered:
        return ExchangeFileError(
            "not-for-us",
            "This file was not made for this computer: it is encrypted for other keys. "
            "Ask its sender to export it for this device (or for the campaign's coordinator).",
        )
    if "mac" in lowered or "passphrase" in lowered or (header.passphrase and "decrypt" in lowered):
        if header.passphrase:
            return ExchangeFileError(
                "wrong-key",
                "The passphrase is wrong, or the file is damaged. Check the passphrase "
                "and try again.",
            )
        return ExchangeFileError(
            "wrong-key", "The file's header does not check out: wrong key, or the file is damaged."
        )
    if "fill whole buffer" in lowered or "eof" in lowered:
        return ExchangeFileError(
            "cut-short",
            "The file is cut short (it may not have finished copying). Copy it again.",
        )
    return ExchangeFileError(
        "cut-short",
        "The file is cut short or damaged inside (it may not have finished copying). "
        "Copy it again from the laptop that made it.",
    )
