"""Banks: loading and validating bank and network files, and drawing their entries into problems."""
