"""The consumer: inbox + handler + commit, then ack; failures retried, then parked.

- A message that cannot be parsed (not JSON, unknown type, invalid data) is parked at once.
- A handler that raises is retried after an exponential back-off (through the retry queue)
  up to `retry_limit` attempts, then parked with its error (`shared.bus.redelivery`). It
  never blocks the queue. An event that arrived before an earlier version of its aggregate
  gets more attempts (`out_of_order_retry_limit`).
- A message that keeps killing the process is dead-lettered by the broker itself after
  `delivery_limit` deliveries (the quorum queue's poison-message limit), up to RabbitMQ
  4.2: from 4.3 a message returned by a lost connection no longer counts (docs/rabbitmq.md).
- While the database is unreachable, a message is held (unacked) until it answers again and
  then handled; an outage spends none of its attempts.

Messages are spread over `consumer_workers` lanes by aggregate, so the events of one
aggregate are handled one after the other, in delivery order, by one worker. Messages
that arrive together are handled together: a worker takes what is waiting in its lane (up
to `consumer_batch_size`), claims all their ids in the inbox with one statement, runs their
handlers in order in one transaction, commits once and acks them all; a commit per message
costs more than the handlers themselves. If anything in the batch fails, the batch is
rolled back and its messages are handled one by one, so only the failing one is retried.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aio_pika.abc import AbstractChannel, AbstractIncomingMessage

from shared import context, metrics
from shared.bus import inbox
from shared.bus.connection import Bus
from shared.bus.redelivery import ATTEMPT_HEADER, Redelivery
from shared.bus.topology import Topology, declare_service_queues
from shared.contracts.base import Envelope, Event, MalformedMessageError, parse_message
from shared.db.engine import Database, transaction
from shared.db.errors import database_unavailable
from shared.logging import get_logger
from shared.settings import ServiceSettings

log = get_logger(__name__)

OUTAGE_POLL_MIN = 0.2
OUTAGE_POLL_MAX = 2.0

Handler = Callable[..., Awaitable[None]]
"""`async def on_x(event: X, *, session: AsyncSession, envelope: Envelope) -> None`"""

__all__ = ["ATTEMPT_HEADER", "Consumer", "Handler"]


@dataclass(frozen=True)
class Delivery:
    """A parsed message and the handler it goes to."""

    message: AbstractIncomingMessage
    envelope: Envelope
    event: Event
    handler: Handler


class Consumer:
    """Consumes the service's queue with a few workers, each handling batches."""

    def __init__(
        self,
        *,
        settings: ServiceSettings,
        db: Database,
        bus: Bus,
        handlers: Mapping[str, Handler],
    ) -> None:
        self.settings = settings
        self.db = db
        self.bus = bus
        self.handlers = dict(handlers)
        self.service = settings.service_name
        self.topology: Topology | None = None
        self._redelivery: Redelivery | None = None
        self._channel: AbstractChannel | None = None
        self._tag: str | None = None
        self._lanes: list[asyncio.Queue[Delivery]] = []
        self._workers: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Declare the topology, start the workers, and start consuming."""
        self._channel = await self.bus.channel(prefetch=self.settings.consumer_prefetch)
        self.topology = await declare_service_queues(
            self._channel, self.settings, self.handlers.keys()
        )
        self._redelivery = Redelivery(settings=self.settings, bus=self.bus, topology=self.topology)
        self._lanes = [asyncio.Queue() for _ in range(max(self.settings.consumer_workers, 1))]
        self._workers = [
            asyncio.create_task(self._work(lane), name=f"consumer-{n}")
            for n, lane in enumerate(self._lanes)
        ]
        self._tag = await self.topology.queue.consume(self._receive)
        metrics.bus_connected.labels(self.service).set(1)

    @property
    def is_up(self) -> bool:
        """True while the connection is open and the consumer is registered."""
        return (
            self._tag is not None
            and self.bus.is_connected
            and self._channel is not None
            and not self._channel.is_closed
        )

    async def stop(self, *, grace: float = 20.0) -> None:
        """Stop taking messages, let those received finish and be acked, then return."""
        await self._cancel()
        try:
            async with asyncio.timeout(grace):
                for lane in self._lanes:
                    await lane.join()
        except TimeoutError:
            waiting = sum(lane.qsize() for lane in self._lanes)
            log.warning("in-flight messages did not finish in time", waiting=waiting)
        for worker in self._workers:
            worker.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        metrics.bus_connected.labels(self.service).set(0)

    async def _cancel(self) -> None:
        if self.topology is None or self._tag is None:
            return
        try:
            # With the broker gone, a robust channel would wait for it forever.
            async with asyncio.timeout(5):
                await self.topology.queue.cancel(self._tag)
        except Exception as exc:
            log.info("consumer cancel failed", error=repr(exc))
        self._tag = None

    async def _receive(self, message: AbstractIncomingMessage) -> None:
        delivery = await self._parse(message)
        if delivery is not None:
            key = delivery.envelope.aggregate_id or delivery.envelope.id
            self._lanes[hash(key) % len(self._lanes)].put_nowait(delivery)

    async def _work(self, lane: asyncio.Queue[Delivery]) -> None:
        while True:
            batch = [await lane.get()]
            while len(batch) < self.settings.consumer_batch_size and not lane.empty():
                batch.append(lane.get_nowait())
            try:
                await self.handle_batch(batch)
            except Exception as exc:  # a bug here must not kill the worker
                log.exception("consumer worker failed", error=repr(exc))
            finally:
                for _ in batch:
                    lane.task_done()

    async def handle_batch(self, deliveries: list[Delivery]) -> None:
        """Handle deliveries received together: in one transaction when there are several."""
        if len(deliveries) == 1:
            await self._handle_one(deliveries[0])
        elif deliveries:
            await self._handle_together(deliveries)

    async def _parse(self, message: AbstractIncomingMessage) -> Delivery | None:
        redelivery = self._require_redelivery()
        event_type = message.type or message.routing_key or "unknown"
        try:
            envelope, event = parse_message(message.body)
        except MalformedMessageError as exc:
            await redelivery.park(message, event_type, reason="malformed", error=str(exc))
            return None
        handler = self.handlers.get(envelope.type)
        if handler is None:
            error = f"{self.service} has no handler for {envelope.type}"
            await redelivery.park(message, envelope.type, reason="unhandled", error=error)
            return None
        return Delivery(message, envelope, event, handler)

    async def _handle_together(self, deliveries: list[Delivery]) -> None:
        started = time.perf_counter()
        ran: set[int] = set()
        try:
            async with transaction(self.db) as session:
                fresh = await inbox.claim_many(
                    session, [(d.envelope.id, d.envelope.type) for d in deliveries]
                )
                for index, delivery in enumerate(deliveries):
                    if delivery.envelope.id in fresh:
                        fresh.discard(delivery.envelope.id)  # a second copy is a duplicate
                        await _run(delivery, session)
                        ran.add(index)
        except Exception:
            for delivery in deliveries:  # one by one, so only the failing one is retried
                await self._handle_one(delivery)
            return
        share = (time.perf_counter() - started) / len(deliveries)
        for index, delivery in enumerate(deliveries):
            await delivery.message.ack()
            self._observe(delivery, "handled" if index in ran else "duplicate", share)

    async def _handle_one(self, delivery: Delivery) -> None:
        started = time.perf_counter()
        while True:
            try:
                fresh = await self._apply(delivery)
                break
            except Exception as exc:
                if database_unavailable(exc) and await self._waited_for_database():
                    continue  # the database's outage, not the message's failure
                with _bound(delivery.envelope):
                    await self._require_redelivery().retry_or_park(
                        delivery.message, delivery.envelope.type, exc
                    )
                return
        await delivery.message.ack()
        self._observe(delivery, "handled" if fresh else "duplicate", time.perf_counter() - started)

    async def _apply(self, delivery: Delivery) -> bool:
        async with transaction(self.db) as session:
            fresh = await inbox.claim(
                session, message_id=delivery.envelope.id, event_type=delivery.envelope.type
            )
            if fresh:
                await _run(delivery, session)
        return fresh

    async def _waited_for_database(self) -> bool:
        """Hold the message until the database answers again; False if it answers at once.

        Retries are for handlers that fail: spent on an outage, they would park every
        message in flight while the database restarts. A database that answers straight
        away was not the cause, and the failure counts as an attempt after all.
        """
        if await self.db.ping():
            return False
        log.warning("database unavailable; holding messages until it answers")
        delay = OUTAGE_POLL_MIN
        while not await self.db.ping():
            await asyncio.sleep(delay)
            delay = min(delay * 2, OUTAGE_POLL_MAX)
        log.info("database answers again; handling resumes")
        return True

    def _observe(self, delivery: Delivery, outcome: str, seconds: float) -> None:
        event_type = delivery.envelope.type
        metrics.bus_consumed.labels(self.service, event_type, outcome).inc()
        metrics.bus_handler_duration.labels(self.service, event_type).observe(seconds)

    def _require_redelivery(self) -> Redelivery:
        if self._redelivery is None:
            raise RuntimeError("Consumer.start() first")
        return self._redelivery


async def _run(delivery: Delivery, session: Any) -> None:
    with _bound(delivery.envelope):
        await delivery.handler(delivery.event, session=session, envelope=delivery.envelope)


def _bound(envelope: Envelope) -> Any:
    return context.bound(
        correlation=envelope.correlation_id,
        causation=envelope.id,
        event_id=envelope.id,
        event_type=envelope.type,
    )
