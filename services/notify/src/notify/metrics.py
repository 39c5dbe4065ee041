"""Notify's figures for messages and deliveries (DESIGN.md §8).

Labels come from small closed sets: channel (sms, email, webhook, phone_task), outcome and
status. Counters move only after the change they count was committed (`after_commit`), or,
for a send, once its result was recorded. The backlog gauge is read from the database by
every replica (`notify.gauges`), so each reports the same, whole figure. The notices and
callbacks have their own metrics in their own modules.
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import Counter, Gauge, Histogram

SEND_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

queued = Counter(
    "careloop_notify_deliveries_queued_total",
    "Deliveries queued (duplicates not counted), by channel.",
    ["channel"],
)
deliveries = Counter(
    "careloop_notify_deliveries_total",
    "Deliveries by channel and outcome: sent (handed over), delivered (receipt), failed, "
    "cancelled (queued when its complaint was withdrawn).",
    ["channel", "outcome"],
)
retries = Counter(
    "careloop_notify_delivery_retries_total",
    "Failed sends that will be tried again after a back-off, by channel.",
    ["channel"],
)
failures = Counter(
    "careloop_notify_delivery_failures_total",
    "Failed sends (each attempt), by channel and whether notify gave up on the delivery.",
    ["channel", "final"],
)
send_seconds = Histogram(
    "careloop_notify_send_seconds",
    "Time to hand one delivery to its channel, by channel.",
    ["channel"],
    buckets=SEND_BUCKETS,
)
backlog = Gauge(
    "careloop_notify_delivery_backlog",
    "Deliveries waiting to be sent, by channel and status (queued: never tried; retrying).",
    ["channel", "status"],
)
messages_skipped = Counter(
    "careloop_notify_messages_skipped_total",
    "Event-driven messages not sent, by kind and reason (no recipient, switched off, …).",
    ["kind", "reason"],
)

retention_runs = Counter(
    "careloop_notify_retention_runs_total",
    "Retention runs, one per site and day.",
    ["outcome"],
)
records_anonymised = Counter(
    "careloop_notify_records_anonymised_total",
    "Records whose personal data the retention run replaced, by record kind.",
    ["record"],
)


def set_backlog(rows: Iterable[tuple[str, str, int]]) -> None:
    """Replace the backlog gauge with (channel, status, count) rows; absent ones read 0."""
    for labels in list(backlog._metrics):  # reset the series that emptied
        backlog.labels(*labels).set(0)
    for channel, status, count in rows:
        backlog.labels(channel, status).set(count)


webhook_subscriptions_paused = Counter(
    "careloop_notify_webhook_subscriptions_paused_total",
    "Webhook subscriptions paused by notify because their deliveries kept failing.",
)
