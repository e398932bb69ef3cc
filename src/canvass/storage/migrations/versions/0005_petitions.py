"""petitions: contact consent, count decisions, letter text, bundle signing keys

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 11:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("signatures", schema=None) as batch_op:
        # "Sign and contact me" is a separate choice from signing (PECR).
        batch_op.add_column(
            sa.Column("contact_ok", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        # A person's decision on a flagged duplicate: "" (follow the rules),
        # "count" or "exclude", with the reason they gave.
        batch_op.add_column(
            sa.Column("count_decision", sa.String(length=16), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("decision_reason", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("consent_version", sa.Integer(), nullable=False, server_default="1")
        )
    with op.batch_alter_table("petitions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("letter_text", sa.Text(), nullable=False, server_default=""))
    # The campaign's bundle-signing keys: this computer's alone, never exchanged.
    op.create_table(
        "bundle_keys",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("key_pem", sa.Text(), nullable=False),
        sa.Column("cert_pem", sa.Text(), nullable=False),
        sa.Column("minisign_seed", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_bundle_keys")),
    )


def downgrade() -> None:
    op.drop_table("bundle_keys")
    with op.batch_alter_table("petitions", schema=None) as batch_op:
        batch_op.drop_column("letter_text")
    with op.batch_alter_table("signatures", schema=None) as batch_op:
        batch_op.drop_column("consent_version")
        batch_op.drop_column("decision_reason")
        batch_op.drop_column("count_decision")
        batch_op.drop_column("contact_ok")
