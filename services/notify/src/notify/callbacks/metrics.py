"""Notify's figures for callbacks (DESIGN.md §8).

Labels come from small closed sets: the site (a group's own, bounded list), the callback
outcome and the way it was answered. The counter moves only after the change it counts was
committed; the due and overdue gauges are read from the database by every replica, so each
reports the same, whole figure.
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import Counter, Gauge

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


def set_callbacks(due: Iterable[tuple[str, int]], overdue: Iterable[tuple[str, int]]) -> None:
    """Replace the due and overdue figures with (site, count) read just now."""
    callbacks_due.clear()
    callbacks_overdue.clear()
    for site, count in due:
        callbacks_due.labels(site).set(count)
    for site, count in overdue:
        callbacks_overdue.labels(site).set(count)
