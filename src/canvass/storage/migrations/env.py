"""Alembic environment: always run from code, on a connection canvass provides."""

from alembic import context

import canvass.storage.tables  # noqa: F401  (registers every table on the metadata)
from canvass.storage.base import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("canvass runs its migrations from code; use canvass.storage.migrate.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
