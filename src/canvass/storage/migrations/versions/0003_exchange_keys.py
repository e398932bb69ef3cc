"""device keys, enrolment, recovery recipient, held records

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Server defaults fill the new columns of existing rows; operations made
    # before this schema lack these fields and rebuild with the same defaults.
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("role", sa.String(length=16), nullable=False, server_default="canvasser")
        )
        batch_op.add_column(
            sa.Column("enrolled", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "recovery_recipient", sa.String(length=128), nullable=False, server_default=""
            )
        )
    with op.batch_alter_table("local_device", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("signing_key", sa.String(length=128), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("age_identity", sa.String(length=128), nullable=False, server_default="")
        )
    op.create_table(
        "held_records",
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("entity", "entity_id", name=op.f("pk_held_records")),
    )


def downgrade() -> None:
    op.drop_table("held_records")
    with op.batch_alter_table("local_device", schema=None) as batch_op:
        batch_op.drop_column("age_identity")
        batch_op.drop_column("signing_key")
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_column("recovery_recipient")
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_column("enrolled")
        batch_op.drop_column("role")
