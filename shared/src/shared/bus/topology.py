"""Exchanges and queues, declared by each service at start-up, idempotently.

- `careloop.events`: the durable topic exchange for every domain event; routing key = type.
  Events nobody is bound to yet go to its alternate exchange and wait in
  `careloop.events.unrouted` instead of vanishing.
- `<service>.events`: the service's quorum queue, bound to the types it handles. After
  `delivery_limit` redeliveries (a message that keeps killing the process) the broker
  dead-letters it to the parking queue:
  https://www.rabbitmq.com/docs/quorum-queues#poison-message-handling
  The limit is always declared: since RabbitMQ 4.0 a quorum queue without one gets 20.
  What counts toward it changed in 4.3; docs/rabbitmq.md says what holds on which version.
- `<service>.events.retry`: failed messages wait here for their back-off (per-message TTL),
  then expire back into `<service>.events`.
- `<service>.events.parking`: messages that cannot or could not be handled, to list and
  replay (`careloop parked`).

Queue arguments cannot change once declared: a changed argument is a new queue name or a
policy, never an edit here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractQueue

from shared.settings import ServiceSettings


@dataclass(frozen=True)
class Topology:
    exchange: AbstractExchange
    queue: AbstractQueue
    retry_queue_name: str
    parking_queue_name: str


def unrouted_name(settings: ServiceSettings) -> str:
    return f"{settings.exchange}.unrouted"


async def declare_exchange(channel: AbstractChannel, settings: ServiceSettings) -> AbstractExchange:
    """The events exchange and its alternate exchange with the unrouted queue."""
    unrouted = unrouted_name(settings)
    alternate = await channel.declare_exchange(unrouted, aio_pika.ExchangeType.FANOUT, durable=True)
    queue = await channel.declare_queue(
        unrouted,
        durable=True,
        arguments={"x-queue-type": "quorum", "x-max-length": 100_000},
    )
    await queue.bind(alternate)
    return await channel.declare_exchange(
        settings.exchange,
        aio_pika.ExchangeType.TOPIC,
        durable=True,
        arguments={"alternate-exchange": unrouted},
    )


async def declare_service_queues(
    channel: AbstractChannel, settings: ServiceSettings, routing_keys: Iterable[str]
) -> Topology:
    """The service's main, retry and parking queues, and the main queue's bindings."""
    exchange = await declare_exchange(channel, settings)
    main, retry, parking = (settings.queue_name(s) for s in ("", ".retry", ".parking"))
    await channel.declare_queue(parking, durable=True, arguments={"x-queue-type": "quorum"})
    await channel.declare_queue(
        retry,
        durable=True,
        arguments={"x-dead-letter-exchange": "", "x-dead-letter-routing-key": main},
    )
    queue = await channel.declare_queue(
        main,
        durable=True,
        arguments={
            "x-queue-type": "quorum",
            "x-delivery-limit": settings.delivery_limit,
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": parking,
            "x-dead-letter-strategy": "at-least-once",
            "x-overflow": "reject-publish",
        },
    )
    for key in sorted(set(routing_keys)):
        await queue.bind(exchange, routing_key=key)
    return Topology(exchange, queue, retry, parking)


async def declare_listener_queue(
    channel: AbstractChannel, settings: ServiceSettings, routing_keys: Iterable[str]
) -> AbstractQueue:
    """A queue of this process alone, for hints that matter only while it runs (live
    updates of pages): server-named, exclusive, gone with the connection, never deep.
    Every process gets every bound event; nothing in it needs the inbox or a retry."""
    exchange = await declare_exchange(channel, settings)
    queue = await channel.declare_queue(
        "",
        exclusive=True,
        auto_delete=True,
        arguments={"x-queue-type": "classic", "x-max-length": 10_000, "x-message-ttl": 60_000},
    )
    for key in routing_keys:
        await queue.bind(exchange, routing_key=key)
    return queue
