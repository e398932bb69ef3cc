"""Database adapter: SQLAlchemy models, engine, migrations, the operation log tables."""
