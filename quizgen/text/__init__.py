"""Text shared by every stage: Jinja2 templating, rich text, YAML with line numbers (number formats come here too)."""
