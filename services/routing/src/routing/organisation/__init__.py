"""The organisation of each site: departments, staff and the escalation chain."""
