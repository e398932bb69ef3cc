"""The command-line front end: thin, no business rules."""
