"""One module per CLI command; each defines ``command`` and imports heavy modules lazily."""
