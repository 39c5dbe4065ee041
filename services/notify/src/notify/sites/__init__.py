"""Each site's notify settings: name and contact for templates, switches, working hours."""
