"""The outbox relay: publishes committed outbox rows in order, with publisher confirms.

Each round claims the oldest unpublished rows (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so
replicas share the work without sending a row twice), publishes them as one pipelined
batch with `mandatory`, waits for every confirm, and marks the confirmed prefix sent. It
stops at the first failure; the failed row and those after it are retried next round.

Two lanes: the event types a service names as bulk (`relay_bulk_types`, prefixes such as
intake's `household.`, which a 20,000-household import writes at once) are claimed only
after every other unpublished row, so a complaint posted during an import is not queued
behind it. Within a lane, rows go in the order they were written; one aggregate's events
are all in one lane, and consumers order by the aggregate's version anyway (DESIGN.md §4).
A crash after publish and before marking sends a duplicate, which consumers' inboxes absorb.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import aio_pika
from sqlalchemy import ColumnElement, Row, delete, false, func, not_, or_, select, update

from shared import metrics
from shared.bus.connection import Bus
from shared.bus.topology import declare_exchange
from shared.clock import utcnow
from shared.db.engine import Database, as_utc
from shared.db.tables import outbox
from shared.logging import get_logger
from shared.settings import ServiceSettings

log = get_logger(__name__)

PUBLISH_TIMEOUT = 10.0
GAUGE_INTERVAL = 5.0
PURGE_INTERVAL = 60.0
KEEP_SENT = timedelta(hours=1)


class OutboxRelay:
    """Moves outbox rows to the exchange; one per service process."""

    def __init__(self, *, settings: ServiceSettings, db: Database, bus: Bus) -> None:
        self.settings = settings
        self.db = db
        self.bus = bus
        self.service = settings.service_name
        self._stopping = asyncio.Event()
        self._last_gauge = 0.0
        self._last_purge = 0.0
        self._declared_on: Any = None
        self._exchange: Any = None

    async def run(self) -> None:
        """Relay until stop(): wake on every commit that wrote outbox rows, poll otherwise."""
        failures = 0
        while not self._stopping.is_set():
            try:
                sent = await self.relay_once()
                await self._housekeeping()
                failures = 0
            except Exception as exc:
                failures += 1
                self._declared_on = None  # declare again: the exchange may be what failed
                log.warning("outbox relay round failed", error=repr(exc), failures=failures)
                await self._sleep(min(0.2 * 2**failures, 10.0))
                continue
            if sent < self.settings.relay_batch_size:
                await self._wait_for_commit()

    def stop(self) -> None:
        """Ask run() to return after the current round."""
        self._stopping.set()
        self.db.committed.set()

    async def relay_once(self) -> int:
        """Publish one batch of unpublished rows; returns how many were confirmed."""
        channel = await self.bus.publish_channel()
        if channel is not self._declared_on:
            # Declaring is idempotent; doing it once per channel means a service that
            # consumes nothing still publishes to an exchange that exists.
            self._exchange = await declare_exchange(channel, self.settings)
            self._declared_on = channel
        exchange = self._exchange
        if self.db.is_postgresql:
            return await self._relay_locked(exchange)
        return await self._relay_unlocked(exchange)

    async def _relay_locked(self, exchange: Any) -> int:
        async with self.db.sessions() as session, session.begin():
            rows = await self._claim(session, locked=True)
            if not rows:
                return 0
            confirmed, error = await self._publish(exchange, rows)
            await self._mark(session, rows, confirmed, error)
        return _confirmed_or_raise(confirmed, error)

    async def _relay_unlocked(self, exchange: Any) -> int:
        # SQLite has one writer per file: holding its lock while waiting for confirms would
        # stall every request, so read, publish, then mark in a short write transaction.
        async with self.db.read_sessions() as session:
            rows = await self._claim(session, locked=False)
        if not rows:
            return 0
        confirmed, error = await self._publish(exchange, rows)
        async with self.db.sessions() as session, session.begin():
            await self._mark(session, rows, confirmed, error)
        return _confirmed_or_raise(confirmed, error)

    async def _claim(self, session: Any, *, locked: bool) -> list[Row[Any]]:
        """The round's rows: the prompt lane's oldest, then the bulk lane's to fill the batch."""
        size = self.settings.relay_batch_size
        bulk = self._bulk()
        rows: list[Row[Any]] = []
        for lane in (not_(bulk), bulk) if self.settings.relay_bulk_types else (None,):
            if len(rows) == size:
                break
            query = self._claim_query(lane, size - len(rows))
            if locked:
                query = query.with_for_update(skip_locked=True)
            rows += (await session.execute(query)).all()
        return rows

    def _bulk(self) -> ColumnElement[bool]:
        prefixes = self.settings.relay_bulk_types
        return or_(*(outbox.c.type.startswith(p) for p in prefixes)) if prefixes else false()

    def _claim_query(self, lane: ColumnElement[bool] | None, limit: int) -> Any:
        query = select(
            outbox.c.seq,
            outbox.c.id,
            outbox.c.type,
            outbox.c.body,
            outbox.c.correlation_id,
            outbox.c.created_at,
        ).where(outbox.c.published_at.is_(None))
        if lane is not None:
            query = query.where(lane)
        return query.order_by(outbox.c.seq).limit(limit)

    async def _publish(self, exchange: Any, rows: Sequence[Row[Any]]) -> tuple[int, str | None]:
        """Publish rows pipelined; the count of the confirmed prefix and the first error."""
        results = await asyncio.gather(
            *(
                exchange.publish(
                    _message(row, self.service),
                    routing_key=row.type,
                    mandatory=True,
                    timeout=PUBLISH_TIMEOUT,
                )
                for row in rows
            ),
            return_exceptions=True,
        )
        for index, result in enumerate(results):
            if isinstance(result, BaseException):
                return index, f"{type(result).__name__}: {result}"
        return len(rows), None

    async def _mark(
        self, session: Any, rows: Sequence[Row[Any]], confirmed: int, error: str | None
    ) -> None:
        if confirmed:
            seqs = [row.seq for row in rows[:confirmed]]
            await session.execute(
                update(outbox).where(outbox.c.seq.in_(seqs)).values(published_at=utcnow())
            )
            for row in rows[:confirmed]:
                metrics.bus_published.labels(self.service, row.type).inc()
        if error is not None:
            failed = rows[confirmed]
            await session.execute(
                update(outbox)
                .where(outbox.c.seq == failed.seq)
                .values(attempts=outbox.c.attempts + 1, last_error=error[:1000])
            )
            log.warning(
                "outbox publish failed", event_id=failed.id, event_type=failed.type, error=error
            )

    async def _housekeeping(self) -> None:
        now = time.monotonic()
        if now - self._last_gauge >= GAUGE_INTERVAL:
            self._last_gauge = now
            await self.update_gauges()
        if now - self._last_purge >= PURGE_INTERVAL:
            self._last_purge = now
            async with self.db.sessions() as session, session.begin():
                await session.execute(
                    delete(outbox).where(outbox.c.published_at < utcnow() - KEEP_SENT)
                )

    async def update_gauges(self) -> tuple[int, float]:
        """Refresh the backlog and oldest-age gauges; returns (backlog, oldest age in s)."""
        async with self.db.read_sessions() as session:
            count, oldest = (
                await session.execute(
                    select(func.count(), func.min(outbox.c.created_at)).where(
                        outbox.c.published_at.is_(None)
                    )
                )
            ).one()
        age = (utcnow() - as_utc(oldest)).total_seconds() if oldest is not None else 0.0
        metrics.outbox_backlog.labels(self.service).set(count)
        metrics.outbox_oldest_age.labels(self.service).set(max(age, 0.0))
        return int(count), age

    async def _wait_for_commit(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.db.committed.wait(), self.settings.relay_poll_interval)
        self.db.committed.clear()

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)


class PublishError(RuntimeError):
    """The broker refused, returned or did not confirm a message."""


def _confirmed_or_raise(confirmed: int, error: str | None) -> int:
    # Raised only after the confirmed prefix is marked sent and committed: raising inside
    # the transaction would roll the marks back and send those rows again.
    if error is not None:
        raise PublishError(error)
    return confirmed


def _message(row: Row[Any], app_id: str) -> aio_pika.Message:
    return aio_pika.Message(
        app_id=app_id,
        correlation_id=row.correlation_id,
        body=row.body,
        message_id=row.id,
        type=row.type,
        content_type="application/json",
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        timestamp=row.created_at,
    )
