"""Routing rules, SLA policies and each site's working-hours calendar."""
