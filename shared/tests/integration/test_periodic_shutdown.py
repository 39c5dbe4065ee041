"""A service stopping lets a periodic job finish its round instead of cutting its transaction.

A round cancelled inside a write can keep its connection after the engine is disposed; on
SQLite that connection keeps the write lock, and the next start of the service waits on it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from probe.app import ProbeSettings, handled
from sqlalchemy import func, select

from shared.db.engine import Database, transaction
from shared.http.app import Periodic, ServiceSpec, create_app
from shared.testing.servers import create_schema

pytestmark = pytest.mark.integration


async def test_a_round_in_progress_commits_before_the_service_stops(
    database_url: str, make_settings: Callable[..., Any]
) -> None:
    await create_schema(database_url, handled.metadata)
    inside = asyncio.Event()

    async def slow_round(db: Database) -> None:
        async with transaction(db) as session:
            await session.execute(handled.insert().values(complaint_id="round-1", count=1))
            inside.set()
            await asyncio.sleep(0.5)  # the service is told to stop here

    settings = make_settings(ProbeSettings, database_url=database_url)
    app = create_app(
        ServiceSpec(
            settings=settings,
            title="probe",
            periodic=[Periodic("slow", 3600, slow_round)],
            handlers={},
        )
    )
    async with app.router.lifespan_context(app):
        await asyncio.wait_for(inside.wait(), timeout=30)

    check = Database(database_url, pool_size=1)
    try:
        async with transaction(check) as session:  # a write: no lock is left behind
            await session.execute(handled.insert().values(complaint_id="after", count=1))
            rows = await session.scalar(select(func.count()).select_from(handled))
    finally:
        await check.dispose()
    assert rows == 2
