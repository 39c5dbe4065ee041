"""Message templates: `messages/<kind>.<locale>.txt`, the first line the subject (Jinja2)."""
