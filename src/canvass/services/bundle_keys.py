"""The campaign's keys for signing petition bundles, made on first need.

An ECDSA P-256 key with a self-issued certificate (for the PDF signature) and
an Ed25519 key (for the detached minisign signature), kept in this
database's ``bundle_keys`` table: local, never exchanged. The certificate is
public: the councillor adds it to their PDF reader after comparing its
fingerprint with the one the campaign gives them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from canvass.crypto import bundle_signing as bs
from canvass.domain.errors import ValidationError
from canvass.services.campaigns import current_campaign
from canvass.services.printing import write_atomically
from canvass.storage.database import Database
from canvass.storage.tables import BundleKey

KEY_NAME = "campaign"


def ensure_keys(db: Database) -> tuple[bs.BundleKeys, bool]:
    """The campaign's bundle keys, made on first need; and whether they were just made.

    Raises:
        ValidationError: Before the campaign exists.
    """
    with db.read() as session:
        row = session.get(BundleKey, KEY_NAME)
        if row is not None:
            return bs.BundleKeys(row.key_pem, row.cert_pem, row.minisign_seed), False
        campaign = current_campaign(session)
        if campaign is None:
            raise ValidationError("Start the campaign first: its keys sign the bundles.")
        name, organisation = campaign.name, campaign.organisation
    keys = bs.generate_keys(f"{name} petitions", organisation)
    with db.write() as session:
        if session.get(BundleKey, KEY_NAME) is None:
            session.add(
                BundleKey(
                    name=KEY_NAME,
                    key_pem=keys.key_pem,
                    cert_pem=keys.cert_pem,
                    minisign_seed=keys.minisign_seed,
                    created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                )
            )
            return keys, True
    return ensure_keys(db)[0], False  # another process made them first


def export_certificate(db: Database, out: Path) -> bs.BundleKeys:
    """Write the campaign certificate (PEM, public) to ``out``; returns the keys."""
    keys, _ = ensure_keys(db)
    write_atomically(out, lambda tmp: Path(tmp).write_text(keys.cert_pem, encoding="ascii"))
    return keys


def stored_keys(db: Database) -> bs.BundleKeys | None:
    """The campaign's bundle keys if this database has them (never makes them)."""
    with db.read() as session:
        row = session.get(BundleKey, KEY_NAME)
        if row is None:
            return None
        return bs.BundleKeys(row.key_pem, row.cert_pem, row.minisign_seed)
