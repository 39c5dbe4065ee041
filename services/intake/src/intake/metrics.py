"""Intake's domain figures, beside the shared HTTP and bus metrics (DESIGN.md §8).

Labels come from closed sets: sites (a group has tens of them), the contract's channels,
kinds and categories, event types, outcomes. Never ids or free text.
"""

from __future__ import annotations

from prometheus_client import Counter

complaints_received = Counter(
    "careloop_intake_complaints_received_total",
    "Complaints recorded, by site, channel, kind and category.",
    ["site", "channel", "kind", "category"],
)
duplicates_absorbed = Counter(
    "careloop_intake_duplicates_absorbed_total",
    "Repeated complaint submissions answered with the first complaint, by what matched.",
    ["matched"],
)
timeline_events = Counter(
    "careloop_intake_timeline_events_total",
    "Events about complaints projected onto the timeline; outcome applied or stale.",
    ["event_type", "outcome"],
)
retention_runs = Counter(
    "careloop_intake_retention_runs_total",
    "Retention runs, one per site and day.",
    ["outcome"],
)
records_anonymised = Counter(
    "careloop_intake_records_anonymised_total",
    "Records whose personal data the retention run replaced, by record kind.",
    ["record"],
)
households_imported = Counter(
    "careloop_intake_households_imported_total",
    "Households written by directory imports; outcome created or updated.",
    ["outcome"],
)
