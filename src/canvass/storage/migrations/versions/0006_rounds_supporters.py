"""delivery rounds' plans, supporters from reply slips

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("delivery_rounds", schema=None) as batch_op:
        # A round can be planned before the leaflet is chosen (or for several).
        batch_op.alter_column("leaflet_id", existing_type=sa.String(length=36), nullable=True)
        # The streets and house-number ranges of the round, as planned (JSON).
        batch_op.add_column(sa.Column("plan", sa.Text(), nullable=False, server_default="{}"))
        batch_op.add_column(
            sa.Column("letterboxes", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("delivered_by", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("created_at", sa.String(length=32), nullable=False, server_default="")
        )
    # People who sent back a reply slip: a shared entity, need not be on the register.
    op.create_table(
        "supporters",
        sa.Column("campaign_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("postcode", sa.String(length=10), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("ticks", sa.Text(), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("leaflet_id", sa.String(length=36), nullable=True),
        sa.Column("entered_by", sa.String(length=200), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("entered_at", sa.String(length=32), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_supporters_campaign_id_campaigns")
        ),
        sa.ForeignKeyConstraint(
            ["leaflet_id"], ["leaflets.id"], name=op.f("fk_supporters_leaflet_id_leaflets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supporters")),
    )
    with op.batch_alter_table("supporters", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supporters_campaign_id"), ["campaign_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_supporters_leaflet_id"), ["leaflet_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("supporters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supporters_leaflet_id"))
        batch_op.drop_index(batch_op.f("ix_supporters_campaign_id"))
    op.drop_table("supporters")
    with op.batch_alter_table("delivery_rounds", schema=None) as batch_op:
        batch_op.drop_column("created_at")
        batch_op.drop_column("delivered_by")
        batch_op.drop_column("letterboxes")
        batch_op.drop_column("plan")
        batch_op.alter_column("leaflet_id", existing_type=sa.String(length=36), nullable=False)
