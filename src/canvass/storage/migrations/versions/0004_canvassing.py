"""canvassing: visit undo and method, elector search index

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 10:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("visits", schema=None) as batch_op:
        # A visit recorded by mistake is voided (undo) rather than deleted: the
        # change travels and can itself be undone (redo).
        batch_op.add_column(
            sa.Column("voided", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        # "doorstep" (the canvass screen) or "paper" (typed in from a walk sheet).
        batch_op.add_column(
            sa.Column("method", sa.String(length=16), nullable=False, server_default="doorstep")
        )
    # The search index is derived, local data, rebuilt when the operations change.
    op.create_table(
        "search_state",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("marker", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_search_state")),
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE elector_search USING fts5("
            "elector_id UNINDEXED, name, number, address, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
    else:
        op.create_table(
            "elector_search",
            sa.Column("elector_id", sa.String(length=36), nullable=False),
            sa.Column("doc", sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint("elector_id", name=op.f("pk_elector_search")),
        )
        op.execute(
            "CREATE INDEX ix_elector_search_doc ON elector_search "
            "USING gin (to_tsvector('simple', doc))"
        )


def downgrade() -> None:
    op.drop_table("elector_search")
    op.drop_table("search_state")
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_column("method")
        batch_op.drop_column("voided")
