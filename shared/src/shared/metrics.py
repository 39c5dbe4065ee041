"""Prometheus metrics every service exposes; services add their domain figures beside these.

Labels come from small closed sets only: service, route template, method, status class,
event type, outcome. Never ids or free text.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

http_requests = Counter(
    "careloop_http_requests_total",
    "HTTP requests handled, by route template and status code.",
    ["service", "method", "route", "status"],
)
http_duration = Histogram(
    "careloop_http_request_duration_seconds",
    "HTTP request latency by route template.",
    ["service", "method", "route"],
    buckets=LATENCY_BUCKETS,
)
bus_published = Counter(
    "careloop_bus_published_total",
    "Events published to the exchange and confirmed by the broker.",
    ["service", "event_type"],
)
bus_consumed = Counter(
    "careloop_bus_consumed_total",
    "Messages consumed; outcome is handled or duplicate (absorbed by the inbox).",
    ["service", "event_type", "outcome"],
)
bus_retried = Counter(
    "careloop_bus_retried_total",
    "Handler failures sent back for another attempt after a back-off.",
    ["service", "event_type"],
)
bus_parked = Counter(
    "careloop_bus_parked_total",
    "Messages moved to the parking queue, by reason.",
    ["service", "event_type", "reason"],
)
bus_handler_duration = Histogram(
    "careloop_bus_handler_duration_seconds",
    "Time to handle one message: inbox claim, handler and commit.",
    ["service", "event_type"],
    buckets=LATENCY_BUCKETS,
)
bus_connected = Gauge(
    "careloop_bus_connected",
    "1 while the service's broker connection and consumer are up.",
    ["service"],
)
outbox_backlog = Gauge(
    "careloop_outbox_backlog",
    "Outbox rows committed but not yet published.",
    ["service"],
)
outbox_oldest_age = Gauge(
    "careloop_outbox_oldest_age_seconds",
    "Age of the oldest unpublished outbox row (0 when the backlog is empty).",
    ["service"],
)
timers_fired = Counter(
    "careloop_timers_fired_total",
    "Timers whose due time came, by kind and outcome (fired or failed).",
    ["service", "kind", "outcome"],
)
database_up = Gauge(
    "careloop_database_up",
    "1 when the last readiness check reached the database.",
    ["service"],
)
