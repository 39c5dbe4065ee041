"""Routing's domain figures (DESIGN.md §8): open cases, escalations, SLA breaches, timings.

Labels come from small closed sets: site and department (a group's own, bounded list),
level, reason, deadline, severity. Counters and histograms move only after the change
that they count was committed (`routing.db.after_commit`). The open-cases gauge is read
from the database by every replica, so each one reports the same, whole figure.
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import Counter, Gauge, Histogram

# Acknowledging takes minutes to hours; resolving takes hours to weeks.
ACKNOWLEDGE_BUCKETS = (60, 300, 900, 1800, 3600, 7200, 14400, 28800, 86400, 172800, 604800)
RESOLVE_BUCKETS = (3600, 14400, 28800, 86400, 172800, 259200, 604800, 1209600, 2592000)

open_cases = Gauge(
    "careloop_routing_open_cases",
    "Cases not yet resolved, by site and responsible department.",
    ["site", "department"],
)
cases_opened = Counter(
    "careloop_routing_cases_opened_total",
    "Cases opened from complaints, by site and whether the complaint was answered on the spot.",
    ["site", "immediate"],
)
escalations = Counter(
    "careloop_routing_escalations_total",
    "Cases moved one level up the chain, by the level reached and the reason.",
    ["level", "reason"],
)
sla_breaches = Counter(
    "careloop_sla_breaches_total",
    "Cases that missed a deadline, by site, department and deadline (acknowledge, resolve).",
    ["site", "department", "deadline"],
)
time_to_acknowledge = Histogram(
    "careloop_routing_time_to_acknowledge_seconds",
    "From receipt of the complaint to the first acknowledgement, by severity.",
    ["severity"],
    buckets=ACKNOWLEDGE_BUCKETS,
)
time_to_resolve = Histogram(
    "careloop_routing_time_to_resolve_seconds",
    "From receipt of the complaint to its (latest) resolution, by severity.",
    ["severity"],
    buckets=RESOLVE_BUCKETS,
)
reopens = Counter(
    "careloop_routing_reopens_total",
    "Cases reopened because the resident was not satisfied, by site.",
    ["site"],
)
handling_answers = Counter(
    "careloop_routing_handling_satisfaction_answers_total",
    "Callback answers on how the complaint was handled, by site, aspect (speed, attitude) and"
    " level of the five-level scale.",
    ["site", "aspect", "level"],
)
handling_satisfaction_target = Gauge(
    "careloop_routing_handling_satisfaction_target",
    "The complaint-handling satisfaction rate (percent) each site aims at, by site.",
    ["site"],
)


def set_open_cases(counts: Iterable[tuple[str, str, int]]) -> None:
    """Replace the open-cases figures with (site, department, count) read just now."""
    open_cases.clear()
    for site, department, count in counts:
        open_cases.labels(site, department).set(count)


# Rectifications and corrective/preventive actions (issue 5): the gauges are read from the
# database by every replica (`routing.gauges`), like the open cases.
open_rectifications = Gauge(
    "careloop_routing_open_rectifications",
    "Rectifications not yet accepted, by site and status (in_progress, in_acceptance).",
    ["site", "status"],
)
overdue_rectification_items = Gauge(
    "careloop_routing_overdue_rectification_items",
    "Open rectification items past their due time, by site.",
    ["site"],
)
open_corrective_actions = Gauge(
    "careloop_routing_open_corrective_actions",
    "Corrective and preventive actions not yet verified effective, by site and kind.",
    ["site", "kind"],
)
rectification_escalations = Counter(
    "careloop_routing_rectification_escalations_total",
    "Overdue rectification items moved up the chain, by the level reached.",
    ["level"],
)
recurring_problems = Counter(
    "careloop_routing_recurring_problems_detected_total",
    "Recurring problems detected (a category at a site past the threshold), by site and category.",
    ["site", "category"],
)


def set_gauge(gauge: Gauge, counts: Iterable[tuple[tuple[str, ...], int]]) -> None:
    """Replace a gauge's figures with (labels, count) read just now."""
    gauge.clear()
    for labels, count in counts:
        gauge.labels(*labels).set(count)


# The complaint report (issue 5).
reports_published = Counter(
    "careloop_routing_reports_published_total",
    "Monthly complaint reports per site, by outcome (published, already_published, failed).",
    ["outcome"],
)
report_seconds = Histogram(
    "careloop_routing_report_seconds",
    "Time to compute a complaint report's figures, by scope (site, region, group).",
    ["scope"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0),
)
retention_runs = Counter(
    "careloop_routing_retention_runs_total",
    "Retention runs, one per site and day.",
    ["outcome"],
)
records_anonymised = Counter(
    "careloop_routing_records_anonymised_total",
    "Records whose personal data the retention run replaced, by record kind.",
    ["record"],
)
