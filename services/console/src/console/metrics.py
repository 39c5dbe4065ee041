"""The console's own figures beside the shared HTTP metrics: sign-ins, live connections,
and the time its pages wait on the services."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

from shared.metrics import LATENCY_BUCKETS

sign_ins = Counter(
    "careloop_console_sign_ins_total",
    "Sign-in attempts by how they ended.",
    ["method", "outcome"],
)
sign_outs = Counter("careloop_console_sign_outs_total", "Sign-outs.")
live_connections = Gauge(
    "careloop_console_live_connections",
    "Browsers connected to live updates right now.",
)
live_events = Counter(
    "careloop_console_live_events_total",
    "Events from the bus, by whether any connected browser was told.",
    ["outcome"],
)
api_calls = Counter(
    "careloop_console_api_calls_total",
    "Calls to the services made for pages, by service and outcome.",
    ["service", "outcome"],
)
api_duration = Histogram(
    "careloop_console_api_call_duration_seconds",
    "Time a page waited for one call to a service.",
    ["service"],
    buckets=LATENCY_BUCKETS,
)
