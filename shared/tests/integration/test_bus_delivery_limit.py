"""What careloop relies on from the broker's delivery limit (docs/rabbitmq.md), held on the
broker the tests run on: a message returned past the limit the service declares is
dead-lettered into its parking queue with reason `delivery_limit`, and a message the
consumer cannot move is given back with basic.reject, the return that counts toward the
limit on every RabbitMQ version (basic.nack stops counting in 4.3)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import aio_pika
import pytest
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage, AbstractQueue
from probe.app import ProbeSettings

from shared.bus import parking
from shared.bus.connection import Bus
from shared.bus.redelivery import Redelivery
from shared.bus.topology import Topology, declare_service_queues

pytestmark = pytest.mark.integration

LIMIT = 2


@pytest.fixture
async def declared(
    make_settings: Callable[..., Any],
) -> AsyncIterator[tuple[ProbeSettings, Bus, AbstractChannel, Topology]]:
    """The probe's queues declared with a delivery limit of LIMIT, and a bus beside them."""
    settings = make_settings(ProbeSettings, delivery_limit=LIMIT)
    bus = Bus(settings.amqp_url, name="delivery-limit-test")
    await bus.connect()
    channel = await bus.channel()
    topology = await declare_service_queues(channel, settings, ["complaint.received"])
    try:
        yield settings, bus, channel, topology
    finally:
        await bus.close()


async def test_a_message_rejected_past_the_delivery_limit_is_parked_by_the_broker(
    declared: tuple[ProbeSettings, Bus, AbstractChannel, Topology],
) -> None:
    settings, _bus, channel, topology = declared
    message_id = await _publish(channel, settings.queue_name())

    counts = await _reject_until_gone(topology.queue)
    parked = await _next(await channel.get_queue(settings.queue_name(".parking")), within=10)

    # The limit declared, not the broker's default (none before 4.0, 20 since).
    assert counts == list(range(LIMIT + 1)), "one first delivery, then LIMIT redeliveries"
    assert parked is not None, "the broker did not dead-letter the message"
    described = parking.describe(parked)
    assert (parked.message_id, described.reason) == (message_id, "delivery_limit")
    await parked.ack()


async def test_a_message_that_cannot_be_moved_is_given_back_with_reject(
    declared: tuple[ProbeSettings, Bus, AbstractChannel, Topology],
) -> None:
    settings, bus, channel, topology = declared
    nowhere = Topology(
        topology.exchange, topology.queue, f"{settings.queue_name()}.missing", "missing"
    )
    redelivery = Redelivery(settings=settings, bus=bus, topology=nowhere)
    await _publish(channel, settings.queue_name())
    message = await _next(topology.queue, within=10)
    assert message is not None
    watched = _Watched(message)

    await redelivery.retry_or_park(watched, "complaint.received", RuntimeError("boom"))  # type: ignore[arg-type]
    back = await _next(topology.queue, within=10)

    assert watched.returns == [("reject", True)]
    assert back is not None
    assert back.redelivered
    assert (back.headers or {}).get("x-delivery-count") == 1
    await back.ack()


async def test_listing_the_parking_queue_leaves_its_messages_there_never_returned(
    declared: tuple[ProbeSettings, Bus, AbstractChannel, Topology],
) -> None:
    settings, bus, channel, topology = declared
    message_id = await _publish(channel, settings.queue_name())
    await _reject_until_gone(topology.queue)
    parking_queue = settings.queue_name(".parking")
    confirmed = await bus.channel(confirms=True)

    listings = [await parking.list_parked(confirmed, parking_queue) for _ in range(3)]
    held = await _next(await channel.get_queue(parking_queue), within=10)

    found = [[(p.message_id, p.reason) for p in listed] for listed in listings]
    assert found == [[(message_id, "delivery_limit")]] * 3
    assert held is not None
    # Returned with a nack, it would have been redelivered, and each return counts toward
    # the delivery limit up to RabbitMQ 4.2 (20 by default since 4.0, then dropped).
    assert not held.redelivered
    assert (held.headers or {}).get("x-delivery-count", 0) == 0
    await held.ack()


class _Watched:
    """A received message that records how it was given back, and gives it back."""

    def __init__(self, message: AbstractIncomingMessage) -> None:
        self._message = message
        self.returns: list[tuple[str, bool]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._message, name)

    async def reject(self, requeue: bool = False) -> None:
        self.returns.append(("reject", requeue))
        await self._message.reject(requeue=requeue)

    async def nack(self, multiple: bool = False, requeue: bool = True) -> None:
        self.returns.append(("nack", requeue))
        await self._message.nack(multiple=multiple, requeue=requeue)


async def _reject_until_gone(queue: AbstractQueue) -> list[int]:
    """Reject the queue's message with requeue until the broker takes it away; the
    delivery count it carried each time."""
    counts = []
    while (message := await _next(queue, within=2)) is not None:
        counts.append((message.headers or {}).get("x-delivery-count", 0))
        await message.reject(requeue=True)
    return counts


async def _publish(channel: AbstractChannel, queue: str) -> str:
    message_id = str(uuid.uuid4())
    body = aio_pika.Message(b"{}", message_id=message_id, type="complaint.received")
    await channel.default_exchange.publish(body, routing_key=queue)
    return message_id


async def _next(queue: AbstractQueue, *, within: float) -> AbstractIncomingMessage | None:
    """The next message of the queue, unacked, or None when none came within `within`."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        message = await queue.get(fail=False, no_ack=False)
        if message is not None or asyncio.get_running_loop().time() >= deadline:
            return message
        await asyncio.sleep(0.05)
