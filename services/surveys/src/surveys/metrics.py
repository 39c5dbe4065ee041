"""Surveys's domain figures (DESIGN.md §8): responses, response rate, satisfaction vs target.

`careloop_satisfaction_rate` and `careloop_satisfaction_target` carry exactly the same
labels (site, topic): the alert `careloop_satisfaction_rate < careloop_satisfaction_target`
compares them series by series. Both gauges are read from the database by every replica
(`surveys.gauges`), so each one reports the same figures. Labels come from closed sets:
sites, the contract's topics and methods.
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import Counter, Gauge

satisfaction_rate = Gauge(
    "careloop_satisfaction_rate",
    "Satisfaction rate (satisfied / valid answers) of the latest closed campaign, "
    "by site and topic.",
    ["site", "topic"],
)
satisfaction_target = Gauge(
    "careloop_satisfaction_target",
    "Quality target of the latest closed campaign, by site and topic.",
    ["site", "topic"],
)
response_rate = Gauge(
    "careloop_surveys_response_rate",
    "Responses / sampled households of the latest closed campaign, by site.",
    ["site"],
)
responses = Counter(
    "careloop_surveys_responses_total",
    "Responses recorded, by method and how they came in (link or interviewer).",
    ["method", "source"],
)
targets_missed = Counter(
    "careloop_surveys_targets_missed_total",
    "Topics (and overall) that closed under their quality target, by site and topic.",
    ["site", "topic"],
)
households_drawn = Counter(
    "careloop_surveys_households_drawn_total",
    "Households drawn into samples, by why (key or random).",
    ["sample"],
)

reminders = Counter(
    "careloop_surveys_reminders_total",
    "Reminders issued to invited households that had not answered.",
)
scheduled_openings = Counter(
    "careloop_surveys_scheduled_openings_total",
    "Periods a site's schedule reached: opened, planned already by hand, or missed (closed).",
    ["outcome"],
)


def set_satisfaction(figures: Iterable[tuple[str, str, float, float]]) -> None:
    """Replace the gauges with (site, topic, rate, target) read just now."""
    satisfaction_rate.clear()
    satisfaction_target.clear()
    for site, topic, rate, target in figures:
        satisfaction_rate.labels(site, topic).set(rate)
        satisfaction_target.labels(site, topic).set(target)


retention_runs = Counter(
    "careloop_surveys_retention_runs_total",
    "Retention runs, one per site and day.",
    ["outcome"],
)
records_anonymised = Counter(
    "careloop_surveys_records_anonymised_total",
    "Records whose personal data the retention run replaced, by record kind.",
    ["record"],
)


def set_response_rates(figures: Iterable[tuple[str, float]]) -> None:
    """Replace the response-rate gauge with (site, rate) read just now."""
    response_rate.clear()
    for site, rate in figures:
        response_rate.labels(site).set(rate)
