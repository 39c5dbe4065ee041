"""What happens to a message that was not handled: a retry after a back-off, or parking.

A retried message waits in `<service>.events.retry` for its per-message TTL and then
expires back into `<service>.events`; a parked one goes to `<service>.events.parking` with
the reason and the error in its headers. Either way the original is acked only after the
broker confirmed the copy: a crash in between duplicates the message (the inbox absorbs
that) and never loses it.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable
from typing import Any

import aio_pika
from aio_pika.abc import AbstractIncomingMessage

from shared import metrics
from shared.bus import parking
from shared.bus.connection import Bus
from shared.bus.messages import copy_message
from shared.bus.ordering import OutOfOrderError
from shared.bus.topology import Topology
from shared.clock import utcnow
from shared.contracts.base import registry
from shared.logging import get_logger, mask_text
from shared.settings import ServiceSettings

log = get_logger(__name__)

ATTEMPT_HEADER = "x-careloop-attempt"
MAX_ERROR_LENGTH = 500


class Redelivery:
    """Retries and parks messages of one service's queue."""

    def __init__(self, *, settings: ServiceSettings, bus: Bus, topology: Topology) -> None:
        self.settings = settings
        self.bus = bus
        self.topology = topology
        self.service = settings.service_name

    async def retry_or_park(
        self, message: AbstractIncomingMessage, event_type: str, exc: Exception
    ) -> None:
        """Send a failed message back after a back-off, or park it after its last attempt."""
        attempt = attempts(message) + 1
        error = f"{type(exc).__name__}: {mask_text(str(exc))}"[:MAX_ERROR_LENGTH]
        if attempt >= self._limit(exc):
            log.error("handler failed for the last time; parking", attempt=attempt, error=error)
            await self.park(message, event_type, reason="failed", error=error, attempt=attempt)
            return
        delay = self.backoff(attempt)
        log.warning("handler failed; retrying", attempt=attempt, delay=round(delay, 2), error=error)
        retried = copy_message(
            message, headers={ATTEMPT_HEADER: attempt, "x-careloop-error": error}, expiration=delay
        )
        await self._move(message, retried, self.topology.retry_queue_name)
        metrics.bus_retried.labels(self.service, event_type).inc()

    def backoff(self, attempt: int) -> float:
        """Seconds before attempt `attempt + 1`: exponential, capped, with ±20 % jitter."""
        base = min(
            self.settings.retry_base_delay * 2 ** (attempt - 1), self.settings.retry_max_delay
        )
        return float(base * random.uniform(0.8, 1.2))

    async def park(
        self,
        message: AbstractIncomingMessage,
        event_type: str,
        *,
        reason: str,
        error: str,
        attempt: int | None = None,
    ) -> None:
        """Move a message to the parking queue with why it is there."""
        headers: dict[str, Any] = {
            parking.REASON_HEADER: reason,
            parking.ERROR_HEADER: error[:MAX_ERROR_LENGTH],
            parking.PARKED_AT_HEADER: utcnow().isoformat(),
            parking.ROUTING_KEY_HEADER: message.routing_key or "",
        }
        if attempt is not None:
            headers[ATTEMPT_HEADER] = attempt
        log.warning("message parked", message_id=message.message_id, reason=reason, error=error)
        await self._move(
            message, copy_message(message, headers=headers), self.topology.parking_queue_name
        )
        metrics.bus_parked.labels(self.service, _label(event_type), reason).inc()

    def _limit(self, exc: Exception) -> int:
        # An event ahead of an earlier version of its aggregate gets more attempts: the
        # missing one is normally only a moment behind.
        if isinstance(exc, OutOfOrderError):
            return self.settings.out_of_order_retry_limit
        return self.settings.retry_limit

    async def _move(
        self, original: AbstractIncomingMessage, copy: aio_pika.Message, queue_name: str
    ) -> None:
        try:
            channel = await self.bus.publish_channel()
            await channel.default_exchange.publish(copy, routing_key=queue_name, mandatory=True)
        except Exception as exc:
            log.warning("could not move message; it will be redelivered", error=repr(exc))
            # basic.reject, not basic.nack: from RabbitMQ 4.3 only a reject counts toward
            # the queue's delivery limit, so a message that can never be moved still ends
            # in the parking queue instead of coming back for ever (docs/rabbitmq.md).
            await _quietly(original.reject(requeue=True))
            return
        await original.ack()


def attempts(message: AbstractIncomingMessage) -> int:
    """How many times handling this message has failed before."""
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
