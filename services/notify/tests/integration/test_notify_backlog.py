"""The delivery backlog gauge and notify's metrics on /metrics."""

from __future__ import annotations

from pathlib import Path

import pytest
from notify_harness import Notify
from prometheus_client import REGISTRY
from sqlalchemy import update

from notify.contacts.rules import Recipient
from notify.deliveries.models import delivery
from notify.deliveries.service import queue
from notify.gauges import refresh_backlog
from shared.db.engine import Database, transaction
from shared.db.migrations import upgrade_async

pytestmark = pytest.mark.integration

SERVICE_DIR = Path(__file__).resolve().parents[2]


def backlog(channel: str, status: str) -> float | None:
    return REGISTRY.get_sample_value(
        "careloop_notify_delivery_backlog", {"channel": channel, "status": status}
    )


async def test_the_backlog_counts_waiting_deliveries_by_channel_and_status(
    database_url: str,
) -> None:
    await upgrade_async(SERVICE_DIR, database_url)
    db = Database(database_url)  # no dispatcher here: the deliveries stay queued
    people = [Recipient(f"household:h{i}", "sms", f"138{i:08d}", "zh-CN") for i in range(5)]
    mails = [Recipient(f"staff:s{i}", "email", f"s{i}@staff.example", "en") for i in range(2)]
    try:
        async with transaction(db) as session:
            context = {"reference": "R", "note": "n"}
            await queue(
                session,
                source_id="s1",
                kind="progress",
                site_id="x",
                recipients=people + mails,
                context=context,
            )
            await session.execute(
                update(delivery)
                .where(delivery.c.recipient_key == "household:h0")
                .values(attempts=2)
            )
            await session.execute(
                update(delivery)
                .where(delivery.c.recipient_key == "household:h1")
                .values(status="sent")
            )
        await refresh_backlog(db)
    finally:
        await db.dispose()

    assert (backlog("sms", "queued"), backlog("sms", "retrying")) == (3, 1)
    assert backlog("email", "queued") == 2
    assert backlog("webhook", "queued") in (None, 0)


async def test_notify_reports_its_delivery_metrics(notify: Notify) -> None:
    text = (await notify.client.get("/metrics")).text

    for name in (
        "careloop_notify_deliveries_queued_total",
        "careloop_notify_deliveries_total",
        "careloop_notify_delivery_retries_total",
        "careloop_notify_delivery_failures_total",
        "careloop_notify_send_seconds",
        "careloop_notify_delivery_backlog",
        "careloop_notify_messages_skipped_total",
    ):
        assert f"# HELP {name}" in text, name
