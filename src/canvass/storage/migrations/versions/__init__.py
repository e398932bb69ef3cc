"""Schema revisions, named 0001, 0002, ..."""
