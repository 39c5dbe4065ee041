"""Timers: rows with a due time, fired by a scheduler loop in the owning service.

A timer is scheduled in the same transaction as the change that needs it, so it survives
restarts. The scheduler claims one due row at a time (`FOR UPDATE SKIP LOCKED` on
PostgreSQL, the single write lock on SQLite), runs its handler in that transaction and
deletes the row: the handler's changes, its outbox rows and the timer's removal commit
together, so a timer fires exactly once even with several replicas. A failing handler is
rolled back to a savepoint, and the timer is pushed back with a growing delay.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared import context, metrics
from shared.clock import utcnow
from shared.db.engine import Database, as_utc, dialect_insert, transaction
from shared.db.tables import timer
from shared.db.typed import rowcount
from shared.logging import get_logger
from shared.settings import ServiceSettings

log = get_logger(__name__)

MAX_RETRY_DELAY = timedelta(minutes=10)


@dataclass(frozen=True)
class Timer:
    id: int
    kind: str
    key: str
    due_at: datetime
    payload: dict[str, Any]
    site_id: str | None
    correlation_id: str | None
    attempts: int


TimerHandler = Callable[..., Awaitable[None]]
"""`async def on_x_due(due: Timer, *, session: AsyncSession) -> None`"""


async def schedule(
    session: AsyncSession,
    *,
    kind: str,
    key: str,
    due_at: datetime,
    payload: Mapping[str, Any] | None = None,
    site_id: str | None = None,
) -> None:
    """Set the timer (kind, key) to fire at `due_at`, replacing an earlier setting."""
    values = {
        "due_at": due_at,
        "payload": dict(payload or {}),
        "site_id": site_id,
        "correlation_id": context.correlation_id.get(),
        "attempts": 0,
        "last_error": None,
    }
    statement = dialect_insert(session)(timer).values(
        kind=kind, key=key, created_at=utcnow(), **values
    )
    await session.execute(
        statement.on_conflict_do_update(index_elements=[timer.c.kind, timer.c.key], set_=values)
    )


async def cancel(session: AsyncSession, *, kind: str, key: str) -> bool:
    """Remove the timer (kind, key); True when there was one."""
    result = await session.execute(delete(timer).where(timer.c.kind == kind, timer.c.key == key))
    return bool(rowcount(result))


async def pending(session: AsyncSession, *, kind: str, key: str) -> Timer | None:
    """The timer (kind, key) if it is set."""
    row = (
        await session.execute(select(timer).where(timer.c.kind == kind, timer.c.key == key))
    ).first()
    return _timer(row) if row is not None else None


class Scheduler:
    """Fires due timers of the kinds it has handlers for."""

    def __init__(
        self,
        *,
        settings: ServiceSettings,
        db: Database,
        handlers: Mapping[str, TimerHandler],
    ) -> None:
        self.settings = settings
        self.db = db
        self.handlers = dict(handlers)
        self.service = settings.service_name
        self._stopping = asyncio.Event()

    async def run(self) -> None:
        """Fire due timers until stop(), polling at the configured interval."""
        while not self._stopping.is_set():
            try:
                await self.fire_due()
            except Exception as exc:
                log.warning("timer round failed", error=repr(exc))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.settings.scheduler_poll_interval)

    def stop(self) -> None:
        """Ask run() to return after the current timer."""
        self._stopping.set()

    async def fire_due(self, *, limit: int = 500) -> int:
        """Fire up to `limit` due timers; returns how many fired."""
        fired = 0
        while fired < limit and not self._stopping.is_set():
            if not await self._fire_one():
                break
            fired += 1
        return fired

    async def _fire_one(self) -> bool:
        async with transaction(self.db) as session:
            due = await self._claim(session)
            if due is None:
                return False
            with context.bound(
                correlation=due.correlation_id, causation=f"timer:{due.id}", timer_kind=due.kind
            ):
                await self._run(session, due)
        return True

    async def _claim(self, session: AsyncSession) -> Timer | None:
        query = (
            select(timer)
            .where(timer.c.due_at <= utcnow(), timer.c.kind.in_(list(self.handlers)))
            .order_by(timer.c.due_at)
            .limit(1)
        )
        if self.db.is_postgresql:
            query = query.with_for_update(skip_locked=True)
        row = (await session.execute(query)).first()
        return _timer(row) if row is not None else None

    async def _run(self, session: AsyncSession, due: Timer) -> None:
        try:
            async with session.begin_nested():
                # Taken before the handler runs, with it: where the claim cannot lock the
                # row (SQLite), a second process that read the same timer finds it gone and
                # does nothing; a failing handler rolls the removal back with its changes.
                if not await self._take(session, due):
                    return
                await self.handlers[due.kind](due, session=session)
        except Exception as exc:
            delay = min(timedelta(seconds=2 ** min(due.attempts, 10)), MAX_RETRY_DELAY)
            log.warning("timer handler failed", attempts=due.attempts + 1, error=repr(exc))
            await session.execute(
                update(timer)
                .where(timer.c.id == due.id)
                .values(
                    attempts=due.attempts + 1, last_error=repr(exc)[:1000], due_at=utcnow() + delay
                )
            )
            metrics.timers_fired.labels(self.service, due.kind, "failed").inc()
            return
        metrics.timers_fired.labels(self.service, due.kind, "fired").inc()

    async def _take(self, session: AsyncSession, due: Timer) -> bool:
        taken = await session.execute(
            delete(timer).where(timer.c.id == due.id, timer.c.due_at == due.due_at)
        )
        return bool(rowcount(taken))


def _timer(row: Any) -> Timer:
    return Timer(
        id=row.id,
        kind=row.kind,
        key=row.key,
        due_at=as_utc(row.due_at),
        payload=dict(row.payload or {}),
        site_id=row.site_id,
        correlation_id=row.correlation_id,
        attempts=row.attempts,
    )
