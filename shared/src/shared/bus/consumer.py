"""The consumer: inbox + handler + commit, then ack; failures retried, then parked.

- A message that cannot be parsed (not JSON, unknown type, invalid data) is parked at once.
- A handler that raises is retried after an exponential back-off (through the retry queue)
  up to `retry_limit` attempts, then parked with its error. It never blocks the queue.
  An event that arrived before an earlier version of its aggregate gets more attempts
  (`out_of_order_retry_limit`): the missing one is normally only a moment behind.
- A message that keeps killing the process is dead-lettered by the broker itself after
  `delivery_limit` deliveries (the quorum queue's poison-message limit).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage

from shared import context, metrics
from shared.bus import inbox, parking
from shared.bus.connection import Bus
from shared.bus.ordering import OutOfOrderError
from shared.bus.topology import Topology, declare_service_queues
from shared.clock import utcnow
from shared.contracts.base import (
    Envelope,
    Event,
    MalformedMessageError,
    parse_message,
    registry,
)
from shared.db.engine import Database, transaction
from shared.logging import get_logger, mask_text
from shared.settings import ServiceSettings

log = get_logger(__name__)

Handler = Callable[..., Awaitable[None]]
"""`async def on_x(event: X, *, session: AsyncSession, envelope: Envelope) -> None`"""

ATTEMPT_HEADER = "x-careloop-attempt"


class Consumer:
    """Consumes the service's queue with a bounded number of messages in flight."""

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
        self._channel: AbstractChannel | None = None
        self._tag: str | None = None
        self._inflight: set[asyncio.Task[Any]] = set()
        self._idle = asyncio.Event()
        self._idle.set()

    async def start(self) -> None:
        """Declare the topology and start consuming."""
        self._channel = await self.bus.channel(prefetch=self.settings.consumer_prefetch)
        self.topology = await declare_service_queues(
            self._channel, self.settings, self.handlers.keys()
        )
        self._tag = await self.topology.queue.consume(self._on_message)
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
        """Stop taking messages, let those in flight finish and be acked, then return."""
        if self.topology is not None and self._tag is not None:
            try:
                # With the broker gone, a robust channel would wait for it forever.
                async with asyncio.timeout(5):
                    await self.topology.queue.cancel(self._tag)
            except Exception as exc:
                log.info("consumer cancel failed", error=repr(exc))
            self._tag = None
        try:
            await asyncio.wait_for(self._idle.wait(), grace)
        except TimeoutError:
            log.warning("in-flight messages did not finish in time", count=len(self._inflight))
        metrics.bus_connected.labels(self.service).set(0)

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._inflight.add(task)
            self._idle.clear()
        try:
            await self.handle(message)
        finally:
            if task is not None:
                self._inflight.discard(task)
            if not self._inflight:
                self._idle.set()

    async def handle(self, message: AbstractIncomingMessage) -> None:
        """Handle one delivery from start to ack."""
        event_type = message.type or message.routing_key or "unknown"
        try:
            envelope, event = parse_message(message.body)
        except MalformedMessageError as exc:
            await self._park(message, event_type, reason="malformed", error=str(exc))
            return
        handler = self.handlers.get(envelope.type)
        if handler is None:
            await self._park(
                message,
                envelope.type,
                reason="unhandled",
                error=f"{self.service} has no handler for {envelope.type}",
            )
            return
        with context.bound(
            correlation=envelope.correlation_id,
            causation=envelope.id,
            event_id=envelope.id,
            event_type=envelope.type,
        ):
            await self._handle_parsed(message, envelope, event, handler)

    async def _handle_parsed(
        self,
        message: AbstractIncomingMessage,
        envelope: Envelope,
        event: Event,
        handler: Handler,
    ) -> None:
        started = time.perf_counter()
        try:
            fresh = await self._run_handler(envelope, event, handler)
        except Exception as exc:
            await self._retry_or_park(message, envelope.type, exc)
            return
        await message.ack()
        outcome = "handled" if fresh else "duplicate"
        metrics.bus_consumed.labels(self.service, envelope.type, outcome).inc()
        metrics.bus_handler_duration.labels(self.service, envelope.type).observe(
            time.perf_counter() - started
        )

    async def _run_handler(self, envelope: Envelope, event: Event, handler: Handler) -> bool:
        async with transaction(self.db) as session:
            if not await inbox.claim(session, message_id=envelope.id, event_type=envelope.type):
                return False
            await handler(event, session=session, envelope=envelope)
        return True

    async def _retry_or_park(
        self, message: AbstractIncomingMessage, event_type: str, exc: Exception
    ) -> None:
        attempt = _attempts(message) + 1
        error = f"{type(exc).__name__}: {mask_text(str(exc))}"[:500]
        limit = (
            self.settings.out_of_order_retry_limit
            if isinstance(exc, OutOfOrderError)
            else self.settings.retry_limit
        )
        if attempt >= limit:
            log.error("handler failed for the last time; parking", attempt=attempt, error=error)
            await self._park(message, event_type, reason="failed", error=error, attempt=attempt)
            return
        delay = self.backoff(attempt)
        log.warning("handler failed; retrying", attempt=attempt, delay=round(delay, 2), error=error)
        retried = _copy(
            message, headers={ATTEMPT_HEADER: attempt, "x-careloop-error": error}, expiration=delay
        )
        await self._republish(message, retried, self._require_topology().retry_queue_name)
        metrics.bus_retried.labels(self.service, event_type).inc()

    def backoff(self, attempt: int) -> float:
        """Seconds before attempt `attempt + 1`: exponential, capped, with ±20 % jitter."""
        base = min(
            self.settings.retry_base_delay * 2 ** (attempt - 1), self.settings.retry_max_delay
        )
        return float(base * random.uniform(0.8, 1.2))

    async def _park(
        self,
        message: AbstractIncomingMessage,
        event_type: str,
        *,
        reason: str,
        error: str,
        attempt: int | None = None,
    ) -> None:
        headers: dict[str, Any] = {
            parking.REASON_HEADER: reason,
            parking.ERROR_HEADER: error[:500],
            parking.PARKED_AT_HEADER: utcnow().isoformat(),
            parking.ROUTING_KEY_HEADER: message.routing_key or "",
        }
        if attempt is not None:
            headers[ATTEMPT_HEADER] = attempt
        log.warning("message parked", message_id=message.message_id, reason=reason, error=error)
        await self._republish(
            message, _copy(message, headers=headers), self._require_topology().parking_queue_name
        )
        metrics.bus_parked.labels(self.service, _label(event_type), reason).inc()

    async def _republish(
        self, original: AbstractIncomingMessage, copy: aio_pika.Message, queue_name: str
    ) -> None:
        # Ack only after the broker confirmed the copy: a crash in between duplicates the
        # message (the inbox absorbs that) and never loses it.
        try:
            channel = await self.bus.publish_channel()
            await channel.default_exchange.publish(copy, routing_key=queue_name, mandatory=True)
        except Exception as exc:
            log.warning("could not move message; it will be redelivered", error=repr(exc))
            await _quietly(original.nack(requeue=True))
            return
        await original.ack()

    def _require_topology(self) -> Topology:
        if self.topology is None:
            raise RuntimeError("Consumer.start() first")
        return self.topology


def _copy(
    message: AbstractIncomingMessage,
    *,
    headers: Mapping[str, Any],
    expiration: float | None = None,
) -> aio_pika.Message:
    kept = {k: v for k, v in (message.headers or {}).items() if not k.startswith("x-death")}
    return aio_pika.Message(
        body=message.body,
        headers={**kept, **headers},
        message_id=message.message_id,
        type=message.type,
        app_id=message.app_id,
        correlation_id=message.correlation_id,
        content_type=message.content_type,
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        timestamp=message.timestamp,
        expiration=expiration,
    )


def _attempts(message: AbstractIncomingMessage) -> int:
    value = (message.headers or {}).get(ATTEMPT_HEADER, 0)
    return value if isinstance(value, int) else 0


def _label(event_type: str) -> str:
    # Malformed messages can carry any type; keep the label set closed.
    return event_type if registry.knows(event_type) else "unknown"


async def _quietly(awaitable: Awaitable[Any]) -> None:
    try:
        await awaitable
    except Exception as exc:
        log.info("ignored while recovering", error=repr(exc))
