"""retention date and retained figures, privacy-notice versions

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        # When the campaign's personal data is purged (None: polling day plus
        # the default period, or no date at all).
        batch_op.add_column(sa.Column("retention_until", sa.Date(), nullable=True))
        # The doorstep privacy notice; version 1 until its wording changes.
        batch_op.add_column(
            sa.Column("privacy_notice", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("privacy_notice_version", sa.Integer(), nullable=False, server_default="1")
        )
        # Figures a retention purge saved before erasing the records behind them.
        batch_op.add_column(
            sa.Column("retained_at", sa.String(length=32), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("retained_report", sa.Text(), nullable=False, server_default="{}")
        )
        batch_op.add_column(
            sa.Column("retained_petitions", sa.Text(), nullable=False, server_default="{}")
        )
    with op.batch_alter_table("visits", schema=None) as batch_op:
        # Visits recorded before this schema did not keep the notice version: 0.
        batch_op.add_column(
            sa.Column("notice_version", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_column("notice_version")
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_column("retained_petitions")
        batch_op.drop_column("retained_report")
        batch_op.drop_column("retained_at")
        batch_op.drop_column("privacy_notice_version")
        batch_op.drop_column("privacy_notice")
        batch_op.drop_column("retention_until")
