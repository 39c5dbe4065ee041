"""Notify's figures for notices (DESIGN.md §8); callbacks' are in `notify.callbacks.metrics`.

Labels come from small closed sets: the notice kind. Counters and histograms move only
after the change they count was committed.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

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


def published(kind: str, size: int, seconds: float) -> None:
    """One notice went out to `size` household channels in `seconds`."""
    notices_published.labels(kind).inc()
    notice_fanout_size.observe(size)
    notice_fanout_duration.observe(seconds)
