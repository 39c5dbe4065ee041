"""The parking queue: listing and replaying messages that could not be handled.

Messages arrive here from the consumer (malformed, or failed after every retry) or from the
broker (delivery limit reached). Replaying moves them back to the service's main queue with
a fresh retry count; nothing is replayed into other services' queues. Listing, or passing
over a message while replaying another, puts it back as a copy at the queue's end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aio_pika.abc import AbstractChannel, AbstractIncomingMessage, AbstractQueue

from shared.bus.messages import BROKER_DEATH_HEADERS, copy_message

REASON_HEADER = "x-careloop-reason"
ERROR_HEADER = "x-careloop-error"
PARKED_AT_HEADER = "x-careloop-parked-at"
ROUTING_KEY_HEADER = "x-careloop-routing-key"
# Set by a quorum queue on each redelivery; a copy is a new message.
DELIVERY_COUNT_HEADER = "x-delivery-count"


@dataclass(frozen=True)
class Parked:
    message_id: str | None
    type: str | None
    reason: str
    error: str
    parked_at: str | None


def describe(message: AbstractIncomingMessage) -> Parked:
    """What a parked message is and why it was parked."""
    headers: dict[str, Any] = dict(message.headers or {})
    reason = str(headers.get(REASON_HEADER) or _death_reason(headers) or "unknown")
    return Parked(
        message_id=message.message_id,
        type=message.type,
        reason=reason,
        error=str(headers.get(ERROR_HEADER, "")),
        parked_at=str(headers.get(PARKED_AT_HEADER) or "") or None,
    )


async def list_parked(
    channel: AbstractChannel, parking_queue: str, *, limit: int = 1000
) -> list[Parked]:
    """Every parked message (up to `limit`), left in the queue (`channel` with confirms)."""
    queue, waiting = await _parked_queue(channel, parking_queue)
    seen: list[Parked] = []
    for _ in range(min(waiting, limit)):
        message = await queue.get(fail=False, no_ack=False)
        if message is None:
            break
        seen.append(describe(message))
        await _put_back(channel, message, parking_queue)
    return seen


async def replay(
    channel: AbstractChannel,
    parking_queue: str,
    main_queue: str,
    *,
    message_id: str | None = None,
    limit: int = 100_000,
) -> int:
    """Move parked messages (all, or the one with `message_id`) back to the main queue."""
    queue, waiting = await _parked_queue(channel, parking_queue)
    moved = 0
    for _ in range(min(waiting, limit)):
        message = await queue.get(fail=False, no_ack=False)
        if message is None:
            break
        if message_id is not None and message.message_id != message_id:
            await _put_back(channel, message, parking_queue)
            continue
        await channel.default_exchange.publish(
            copy_message(message, drop=(*BROKER_DEATH_HEADERS, "x-careloop-")),
            routing_key=main_queue,
        )
        await message.ack()
        moved += 1
    return moved


async def _parked_queue(channel: AbstractChannel, name: str) -> tuple[AbstractQueue, int]:
    """The parking queue and how many messages wait in it now: a pass reads no more, so
    it never reads the copies it put back."""
    queue = await channel.declare_queue(name, passive=True)
    return queue, int(queue.declaration_result.message_count or 0)


async def _put_back(channel: AbstractChannel, message: AbstractIncomingMessage, queue: str) -> None:
    """Leave a message in the parking queue as a fresh copy at its end, then ack the one read.

    Not basic.nack: up to RabbitMQ 4.2 every return counts toward a quorum queue's delivery
    limit, 20 by default since 4.0, and the parking queue declares none and dead-letters
    nowhere, so a message listed twenty times would be dropped. The copy keeps the
    headers that say why it is parked, not the delivery count, and writes the reason a
    broker gave in `x-death` into careloop's own header: a broker may not keep an
    `x-death` a client publishes.
    """
    reason = {REASON_HEADER: describe(message).reason}
    copy = copy_message(message, headers=reason, drop=(DELIVERY_COUNT_HEADER,))
    await channel.default_exchange.publish(copy, routing_key=queue, mandatory=True)
    await message.ack()


def _death_reason(headers: dict[str, Any]) -> str | None:
    deaths = headers.get("x-death") or []
    if deaths and isinstance(deaths[0], dict):
        return str(deaths[0].get("reason") or "") or None
    return None
