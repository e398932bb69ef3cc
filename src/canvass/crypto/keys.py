"""Device keys: an Ed25519 key that signs exchange files, an age identity that opens them.

Keys are kept as text in the database: the Ed25519 seed and public key as hex,
the age identity as its ``AGE-SECRET-KEY-1...`` string. A fingerprint is the
first 8 bytes of SHA-256 over the two public keys, shown in groups of four hex
digits so two people can read it aloud and compare.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from canvass.domain.errors import ValidationError

_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True, slots=True)
class DeviceKeys:
    """A device's private keys, as stored text."""

    signing_key: str  # Ed25519 seed, 64 hex digits
    age_identity: str  # AGE-SECRET-KEY-1...

    @classmethod
    def generate(cls) -> DeviceKeys:
        """New random keys."""
        seed = Ed25519PrivateKey.generate().private_bytes_raw()
        return cls(seed.hex(), str(pyrage.x25519.Identity.generate()))

    @property
    def signing_public_key(self) -> str:
        """The Ed25519 public key, 64 hex digits."""
        return public_key_hex(self._private())

    @property
    def age_recipient(self) -> str:
        """The age recipient (``age1...``) files for this device are encrypted to."""
        return str(pyrage.x25519.Identity.from_str(self.age_identity).to_public())

    def identity(self) -> pyrage.x25519.Identity:
        """The age identity that opens files made for this device."""
        return pyrage.x25519.Identity.from_str(self.age_identity)

    def sign(self, message: bytes) -> bytes:
        """Ed25519 signature (64 bytes) of ``message``."""
        return self._private().sign(message)

    def _private(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(self.signing_key))


def public_key_hex(key: Ed25519PrivateKey) -> str:
    """The raw public key of a private key, as hex."""
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def check_public_key(text: str) -> str:
    """Validate an Ed25519 public key written as 64 hex digits; returns it lower-case.

    Raises:
        ValidationError: If it is not one.
    """
    text = text.strip().lower()
    if len(text) != 64 or not set(text) <= _HEX:
        raise ValidationError("A signing key must be 64 hexadecimal digits.")
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(text))
    except ValueError:
        raise ValidationError("That signing key is not a valid Ed25519 public key.") from None
    return text


def check_recipient(text: str) -> str:
    """Validate an age X25519 recipient (``age1...``); returns it stripped.

    Raises:
        ValidationError: If it is not one.
    """
    text = text.strip()
    try:
        pyrage.x25519.Recipient.from_str(text)
    except Exception:  # pyrage raises its own RecipientError or ValueError
        raise ValidationError(
            f"'{text[:70]}' is not an age recipient (it starts age1 and is 62 characters)."
        ) from None
    return text


def load_identity(text: str) -> pyrage.x25519.Identity:
    """An age identity from the text of an identity file (comments allowed).

    Raises:
        ValidationError: If no ``AGE-SECRET-KEY-1`` line is in it.
    """
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("AGE-SECRET-KEY-1"):
            try:
                return pyrage.x25519.Identity.from_str(line)
            except Exception:
                break
    raise ValidationError(
        "That identity file holds no age secret key (a line starting AGE-SECRET-KEY-1)."
    )


def verify(public_key_hex_: str, signature: bytes, message: bytes) -> bool:
    """Whether ``signature`` is the key's Ed25519 signature of ``message``."""
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex_)).verify(
            signature, message
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def fingerprint(signing_public_key: str, age_recipient: str) -> str:
    """Short key id to read aloud: 16 hex digits in four groups (``3F2A-9C01-77B4-E0D2``)."""
    digest = hashlib.sha256(f"{signing_public_key}\n{age_recipient}".encode()).hexdigest()
    head = digest[:16].upper()
    return "-".join(head[i : i + 4] for i in range(0, 16, 4))
