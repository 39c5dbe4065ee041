"""The open-cases gauge, read from the database on a timer by every replica.

A replica only sees its own changes, so counting up and down in memory would be wrong with
two of them; reading the count keeps every replica's figure whole and the same.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy import func, select
from sqlmodel import col

from routing import metrics
from routing.cases.models import Case
from routing.cases.rules import OPEN_STATUSES
from shared.db.engine import Database, reading
from shared.logging import get_logger

log = get_logger(__name__)

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[Any]]
# Resolved cases wait only for their callback; the work on them is done.
UNRESOLVED = sorted(OPEN_STATUSES)


async def refresh_open_cases(db: Database) -> None:
    """Set the open-cases gauge from the database."""
    query = (
        select(col(Case.site_id), col(Case.department), func.count())
        .where(col(Case.status).in_(UNRESOLVED))
        .group_by(col(Case.site_id), col(Case.department))
    )
    async with reading(db) as session:
        rows = (await session.execute(query)).all()
    metrics.set_open_cases((str(site), str(dept), int(n)) for site, dept, n in rows)


async def keep_refreshing(db: Database, interval: float) -> None:
    """Refresh the gauge every `interval` seconds until cancelled."""
    while True:
        try:
            await refresh_open_cases(db)
        except Exception as exc:
            log.warning("open-cases gauge not refreshed", error=repr(exc))
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
