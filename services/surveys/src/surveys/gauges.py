"""The satisfaction gauges, read from the database on a timer by every replica.

Only the replica that closed a campaign sees it happen; reading the latest closed results
keeps every replica's figures whole and the same, and survives restarts.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select

from shared.db.engine import Database, reading
from shared.logging import get_logger
from surveys import metrics
from surveys.campaigns.rules import OVERALL
from surveys.results.models import topic_result

log = get_logger(__name__)

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[Any]]


async def refresh(db: Database) -> None:
    """Set the gauges from the latest closed result of every site and topic."""
    query = select(
        topic_result.c.site_id,
        topic_result.c.topic,
        topic_result.c.rate,
        topic_result.c.target,
        topic_result.c.responses,
        topic_result.c.sample_size,
    ).order_by(topic_result.c.closed_at, topic_result.c.campaign_id)
    async with reading(db) as session:
        rows = (await session.execute(query)).all()
    latest = {(r.site_id, r.topic): r for r in rows}  # later rows overwrite earlier ones
    metrics.set_satisfaction(
        (site, topic, float(r.rate), float(r.target))
        for (site, topic), r in latest.items()
        if r.rate is not None
    )
    metrics.set_response_rates(
        (site, r.responses / r.sample_size)
        for (site, topic), r in latest.items()
        if topic == OVERALL and r.sample_size
    )


async def keep_refreshing(db: Database, interval: float) -> None:
    """Refresh the gauges every `interval` seconds until cancelled."""
    while True:
        try:
            await refresh(db)
        except Exception as exc:
            log.warning("satisfaction gauges not refreshed", error=repr(exc))
        await asyncio.sleep(interval)


def with_gauges(inner: Lifespan, *, interval: float) -> Lifespan:
    """The service's lifespan, plus the gauge loop while it runs."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        async with inner(app) as state:
            task = asyncio.create_task(keep_refreshing(app.state.runtime.db, interval))
            try:
                yield state
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    return lifespan
