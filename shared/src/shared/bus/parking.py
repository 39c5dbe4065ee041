"""The parking queue: listing and replaying messages that could not be handled.

Messages arrive here from the consumer (malformed, or failed after every retry) or from the
broker (delivery limit reached). Replaying moves them back to the service's main queue with
a fresh retry count; nothing is replayed into other services' queues.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aio_pika.abc import AbstractChannel, AbstractIncomingMessage

from shared.bus.messages import BROKER_DEATH_HEADERS, copy_message

REASON_HEADER = "x-careloop-reason"
ERROR_HEADER = "x-careloop-error"
PARKED_AT_HEADER = "x-careloop-parked-at"
ROUTING_KEY_HEADER = "x-careloop-routing-key"


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
    """Every parked message (up to `limit`), left in place."""
    queue = await channel.get_queue(parking_queue, ensure=True)
    seen: list[Parked] = []
    held: list[AbstractIncomingMessage] = []
    while len(seen) < limit:
        message = await queue.get(fail=False, no_ack=False)
        if message is None:
            break
        held.append(message)
        seen.append(describe(message))
    for message in held:
        await message.nack(requeue=True)
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
    queue = await channel.get_queue(parking_queue, ensure=True)
    moved = 0
    skipped: list[AbstractIncomingMessage] = []
    for _ in range(limit):
        message = await queue.get(fail=False, no_ack=False)
        if message is None:
            break
        if message_id is not None and message.message_id != message_id:
            skipped.append(message)
            continue
        await channel.default_exchange.publish(
            copy_message(message, drop=(*BROKER_DEATH_HEADERS, "x-careloop-")),
            routing_key=main_queue,
        )
        await message.ack()
        moved += 1
    for message in skipped:
        await message.nack(requeue=True)
    return moved


def _death_reason(headers: dict[str, Any]) -> str | None:
    deaths = headers.get("x-death") or []
    if deaths and isinstance(deaths[0], dict):
        return str(deaths[0].get("reason") or "") or None
    return None
