"""Pure rules: no Qt, no SQLAlchemy, no ReportLab, no I/O."""
