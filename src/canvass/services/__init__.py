"""Use cases. Each owns one session/transaction; no Qt."""
