"""Timers on a real database: fire once when due, survive a new scheduler, retry on failure."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared import timers
from shared.clock import clock, utcnow
from shared.db.engine import Database, transaction
from shared.db.tables import outbox, timer
from shared.settings import ServiceSettings
from shared.testing.servers import create_schema

pytestmark = pytest.mark.integration


class TimerSettings(ServiceSettings):
    service_name = "timers"


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    await create_schema(database_url)
    database = Database(database_url, pool_size=5)
    yield database
    await database.dispose()


@pytest.fixture(autouse=True)
def frozen() -> Any:
    clock.freeze(utcnow())
    yield clock
    clock.unfreeze()


def scheduler(db: Database, handlers: dict[str, Callable[..., Any]]) -> timers.Scheduler:
    return timers.Scheduler(settings=TimerSettings(), db=db, handlers=handlers)


async def count_timers(db: Database) -> int:
    async with db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(timer)) or 0)


async def test_a_timer_fires_once_when_due_and_not_before(db: Database) -> None:
    fired: list[str] = []

    async def on_due(due: timers.Timer, *, session: AsyncSession) -> None:
        fired.append(due.payload["case"])

    async with transaction(db) as session:
        await timers.schedule(
            session,
            kind="sla",
            key="case-1",
            due_at=utcnow() + timedelta(minutes=5),
            payload={"case": "c1"},
        )
    running = scheduler(db, {"sla": on_due})

    assert await running.fire_due() == 0
    clock.advance(timedelta(minutes=5))
    assert await running.fire_due() == 1
    assert await running.fire_due() == 0
    assert fired == ["c1"]
    assert await count_timers(db) == 0


async def test_rescheduling_replaces_the_due_time_and_cancel_removes_it(db: Database) -> None:
    async with transaction(db) as session:
        await timers.schedule(session, kind="sla", key="k", due_at=utcnow() + timedelta(hours=1))
        await timers.schedule(session, kind="sla", key="k", due_at=utcnow() + timedelta(hours=2))
    async with transaction(db) as session:
        pending = await timers.pending(session, kind="sla", key="k")
    assert pending is not None
    assert pending.due_at == utcnow() + timedelta(hours=2)
    assert await count_timers(db) == 1
    async with transaction(db) as session:
        assert await timers.cancel(session, kind="sla", key="k") is True
        assert await timers.cancel(session, kind="sla", key="k") is False


async def test_a_failing_handler_is_rolled_back_and_retried_later(db: Database) -> None:
    calls = 0

    async def flaky(due: timers.Timer, *, session: AsyncSession) -> None:
        nonlocal calls
        calls += 1
        await session.execute(
            outbox.insert().values(
                id=f"m{calls}", type="x.y", version=1, body=b"{}", created_at=utcnow()
            )
        )
        if calls == 1:
            raise RuntimeError("first attempt fails")

    async with transaction(db) as session:
        await timers.schedule(session, kind="flaky", key="1", due_at=utcnow())
    running = scheduler(db, {"flaky": flaky})

    assert await running.fire_due() == 1  # attempted, failed, pushed back
    async with db.sessions() as session:
        row = (await session.execute(select(timer.c.attempts, timer.c.last_error))).one()
        written = await session.scalar(select(func.count()).select_from(outbox))
    assert row.attempts == 1
    assert "first attempt fails" in row.last_error
    assert written == 0  # the failed attempt's writes were rolled back
    assert await running.fire_due() == 0  # not due again yet
    clock.advance(timedelta(seconds=2))
    assert await running.fire_due() == 1
    assert calls == 2
    assert await count_timers(db) == 0


async def test_two_schedulers_fire_each_timer_exactly_once(db: Database) -> None:
    fired: list[str] = []

    async def on_due(due: timers.Timer, *, session: AsyncSession) -> None:
        fired.append(due.key)
        await asyncio.sleep(0.001)

    async with transaction(db) as session:
        for index in range(200):
            await timers.schedule(session, kind="sla", key=str(index), due_at=utcnow())
    first, second = scheduler(db, {"sla": on_due}), scheduler(db, {"sla": on_due})

    counts = await asyncio.gather(first.fire_due(), second.fire_due())

    assert sum(counts) == 200
    assert sorted(fired) == sorted(str(i) for i in range(200))
    assert await count_timers(db) == 0


async def test_a_handler_may_set_its_own_timer_again(db: Database) -> None:
    async def daily(due: timers.Timer, *, session: AsyncSession) -> None:
        await timers.schedule(
            session, kind="daily", key=due.key, due_at=utcnow() + timedelta(days=1)
        )

    async with transaction(db) as session:
        await timers.schedule(session, kind="daily", key="retention", due_at=utcnow())
    assert await scheduler(db, {"daily": daily}).fire_due() == 1
    async with transaction(db) as session:
        again = await timers.pending(session, kind="daily", key="retention")
    assert again is not None
    assert again.due_at == utcnow() + timedelta(days=1)
