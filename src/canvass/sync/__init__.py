"""The operation log's pure core: clock, operations, merge rules. No Qt, no database."""
