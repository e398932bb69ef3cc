"""The operation log and the local, never-shared bookkeeping tables."""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from canvass.storage.base import UUID_LEN, Base


class OperationRow(Base):
    """One immutable operation (DESIGN §4). Shared tables are a view of these."""

    __tablename__ = "operations"
    __table_args__ = (
        UniqueConstraint("device_id", "seq", name="uq_operations_device_seq"),
        Index("ix_operations_entity", "entity", "entity_id"),
    )

    op_id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(UUID_LEN))
    seq: Mapped[int] = mapped_column(BigInteger)
    hlc_ms: Mapped[int] = mapped_column(BigInteger)
    hlc_counter: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(UUID_LEN))
    field: Mapped[str | None] = mapped_column(String(64), nullable=True)
    value: Mapped[str] = mapped_column(Text)  # canonical JSON
    bases: Mapped[str] = mapped_column(Text, default="[]")  # canonical JSON list of op_ids
    content_hash: Mapped[str] = mapped_column(String(64))


class LocalDevice(Base):
    """This database's own device identity and clock. Exactly one row; never exchanged."""

    __tablename__ = "local_device"

    device_id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    hlc_ms: Mapped[int] = mapped_column(BigInteger, default=0)
    hlc_counter: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[str] = mapped_column(String(32))
    # Private keys, never exchanged: Ed25519 seed (hex) and age identity.
    signing_key: Mapped[str] = mapped_column(String(128), default="")
    age_identity: Mapped[str] = mapped_column(String(128), default="")


class BundleKey(Base):
    """The campaign's keys for signing petition bundles (this computer only)."""

    __tablename__ = "bundle_keys"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    key_pem: Mapped[str] = mapped_column(Text)  # ECDSA P-256 private key (PKCS#8 PEM)
    cert_pem: Mapped[str] = mapped_column(Text)  # its self-issued certificate
    minisign_seed: Mapped[str] = mapped_column(String(64))  # Ed25519 seed (hex)
    created_at: Mapped[str] = mapped_column(String(32))


class HeldRecord(Base):
    """A record whose operations arrived before a record it refers to.

    Its operations are kept; the row appears when a later merge brings the
    missing parent (each merge retries these first).
    """

    __tablename__ = "held_records"

    entity: Mapped[str] = mapped_column(String(32), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True)


class ImportedFile(Base):
    """An exchange file merged into this database (filled by the sync issue)."""

    __tablename__ = "imported_files"

    file_id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    device_id: Mapped[str] = mapped_column(String(UUID_LEN))
    seq_from: Mapped[int] = mapped_column(BigInteger, default=0)
    seq_to: Mapped[int] = mapped_column(BigInteger, default=0)
    counts: Mapped[str] = mapped_column(Text, default="{}")
    operator: Mapped[str] = mapped_column(String(200), default="")
    imported_at: Mapped[str] = mapped_column(String(32))


class Conflict(Base):
    """Two or more edits of one field that did not see each other, awaiting a person."""

    __tablename__ = "conflicts"
    __table_args__ = (UniqueConstraint("entity", "entity_id", "field", name="uq_conflicts_field"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(UUID_LEN))
    field: Mapped[str] = mapped_column(String(64))
    head_op_ids: Mapped[str] = mapped_column(Text)  # canonical JSON list


class AuditEvent(Base):
    """Append-only record of who did what to personal data (hash-chained)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(32))
    device_id: Mapped[str] = mapped_column(String(UUID_LEN))
    actor: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    hash: Mapped[str] = mapped_column(String(64), default="")
