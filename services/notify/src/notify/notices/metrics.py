"""Notify's figures for notices and callbacks (DESIGN.md §8).

Labels come from small closed sets: the notice kind, the site (a group's own, bounded
list) and the callback outcome. Counters and histograms move only after the change they
count was committed; the due and overdue gauges are read from the database by every
replica, so each reports the same, whole figure.
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import Counter, Gauge, Histogram

FANOUT_BUCKETS = (1, 10, 100, 1_000, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000)
FANOUT_SECONDS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120)

notice_fanout_size = Histogram(
    "careloop_notify_notice_fanout_recipients",
    "Household channels one published notice was queued to.",
    buckets=FANOUT_BUCKETS,
)
notice_fanout_duration = Histogram(
    "careloop_notify_notice_fanout_duration_seconds",
    "From reading the households in scope to every delivery queued, per published notice.",
    buckets=FANOUT_SECONDS,
)
notices_published = Counter(
    "careloop_notify_notices_published_total",
    "Notices published to their households, by kind.",
    ["kind"],
)
callbacks_due = Gauge(
    "careloop_notify_callbacks_due",
    "Open callbacks whose due time has come and that are not overdue yet, by site.",
    ["site"],
)
callbacks_overdue = Gauge(
    "careloop_notify_callbacks_overdue",
    "Open callbacks past their overdue limit, by site.",
    ["site"],
)
callbacks_completed = Counter(
    "careloop_notify_callbacks_completed_total",
    "Callbacks finished, by outcome (satisfied, unsatisfied, unreachable) and way (staff, link).",
    ["outcome", "via"],
)


def published(kind: str, size: int, seconds: float) -> None:
    """One notice went out to `size` household channels in `seconds`."""
    notices_published.labels(kind).inc()
    notice_fanout_size.observe(size)
    notice_fanout_duration.observe(seconds)


def set_callbacks(due: Iterable[tuple[str, int]], overdue: Iterable[tuple[str, int]]) -> None:
    """Replace the due and overdue figures with (site, count) read just now."""
    callbacks_due.clear()
    callbacks_overdue.clear()
    for site, count in due:
        callbacks_due.labels(site).set(count)
    for site, count in overdue:
        callbacks_overdue.labels(site).set(count)
