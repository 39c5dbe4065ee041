"""A service in-process for its integration tests: the real app (relay, consumer, timers)
on the test's database and broker, a client of it, and the events it publishes.

Each service's harness subclasses `InProcess` with its own factories and helpers; the
envelope, publishing, watching and reading events are the same for all of them.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

import aio_pika
import httpx
import orjson
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractQueue
from fastapi import FastAPI
from prometheus_client import REGISTRY
from sqlalchemy import select, text

from shared.bus.topology import declare_exchange
from shared.clock import utcnow
from shared.contracts.base import Envelope, Event, parse_message
from shared.db.engine import Database, reading
from shared.db.tables import outbox
from shared.http.auth import issue_token
from shared.settings import ServiceSettings

ADMIN = ("admin",)
POLL = 0.05
S = TypeVar("S", bound=ServiceSettings)
H = TypeVar("H", bound="InProcess[Any]")


def hex_id(prefix: str = "") -> str:
    """A random id of twelve hex digits after `prefix`."""
    return f"{prefix}{uuid.uuid4().hex[:12]}"


def envelope(
    event: Event,
    *,
    site_id: str | None = None,
    aggregate_id: str | None = None,
    aggregate_version: int | None = None,
    message_id: str | None = None,
    occurred_at: datetime | None = None,
    correlation_id: str | None = None,
) -> dict[str, Any]:
    """An envelope as another service's outbox writes it (its own correlation by default)."""
    ident = message_id or str(uuid.uuid4())
    return {
        "id": ident,
        "type": event.type,
        "version": event.version,
        "occurred_at": (occurred_at or utcnow()).isoformat(),
        "source": event.source,
        "site_id": site_id,
        "correlation_id": correlation_id or ident,
        "causation_id": None,
        "aggregate_id": aggregate_id,
        "aggregate_version": aggregate_version,
        "data": event.model_dump(mode="json"),
    }


async def publish(exchange: AbstractExchange, env: dict[str, Any]) -> str:
    """Publish an envelope (persistent, under its type) as another service would; its id."""
    await publish_body(exchange, orjson.dumps(env), message_id=env["id"], type_=env["type"])
    return str(env["id"])


async def publish_body(
    exchange: AbstractExchange, body: bytes, *, message_id: str, type_: str
) -> None:
    """Publish any body (a broken one too) under a message id and type."""
    message = aio_pika.Message(
        body, message_id=message_id, type=type_, delivery_mode=aio_pika.DeliveryMode.PERSISTENT
    )
    await exchange.publish(message, routing_key=type_)


async def watch(
    channel: AbstractChannel, exchange: AbstractExchange, *routing_keys: str
) -> AbstractQueue:
    """An exclusive queue receiving the given event types from the exchange."""
    queue = await channel.declare_queue(exclusive=True)
    for key in routing_keys:
        await queue.bind(exchange, routing_key=key)
    return queue


async def next_event(queue: AbstractQueue, *, timeout: float = 30) -> tuple[Envelope, Event]:
    """The next message on `queue`, parsed and validated against its contract."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = await queue.get(fail=False, no_ack=True)
        if message is not None:
            return parse_message(message.body)
        await asyncio.sleep(POLL)
    raise AssertionError(f"no event arrived in {timeout}s")


async def drain(
    queue: AbstractQueue,
    *,
    at_least: int = 0,
    after: Iterable[FastAPI] = (),
    timeout: float = 60,
) -> list[tuple[Envelope, Event]]:
    """The first `at_least` events on `queue`, then every other one already there.

    With `after`, it first waits for two whole timer rounds and then two whole relay rounds
    of each app, begun once the `at_least` have arrived: whatever those apps did or had due
    by then is committed and published, and a published event is on the queue once the
    broker has confirmed it. So an extra event (a duplicate, a second firing) is seen, not
    missed, without watching the queue for a quiet period."""
    found = [await next_event(queue, timeout=timeout) for _ in range(at_least)]
    apps = list(after)
    for app in apps:
        await timer_rounds(app, timeout=timeout)
    for app in apps:
        await relay_rounds(app, timeout=timeout)
    while (message := await queue.get(fail=False, no_ack=True)) is not None:
        found.append(parse_message(message.body))
    return found


class Rounds:
    """Counts the rounds of a running loop that calls `owner.<method>()` once a round (the
    timer scheduler's `fire_due`, the relay's `relay_once`), so that a test can wait until
    whole rounds begun after a moment have run: what was due then has been done."""

    def __init__(self, owner: object, method: str) -> None:
        self.started = 0
        self.finished = 0
        inner: Callable[..., Awaitable[Any]] = getattr(owner, method)

        async def counted(*args: Any, **kwargs: Any) -> Any:
            self.started += 1
            try:
                return await inner(*args, **kwargs)
            finally:
                self.finished += 1

        # The loop looks the method up on every round (a frozen `Periodic` too).
        object.__setattr__(owner, method, counted)

    async def more(self, count: int = 2, *, timeout: float = 30) -> None:
        """Until `count` rounds begun after this call have ended."""
        target = self.started + count
        deadline = time.monotonic() + timeout
        while self.finished < target:
            if time.monotonic() >= deadline:
                raise AssertionError(f"not {count} more rounds in {timeout}s")
            await asyncio.sleep(POLL)


class Tally:
    """A counter of this process's metrics registry, counted from when the tally began, to
    wait on: begin it before the test acts, with no other test's service in the process."""

    def __init__(self, metric: str, *labels: dict[str, str]) -> None:
        self.metric = metric
        self.labels = labels
        self.start = self._total()

    def _total(self) -> float:
        return sum(REGISTRY.get_sample_value(self.metric, one) or 0.0 for one in self.labels)

    @property
    def count(self) -> int:
        return int(self._total() - self.start)

    async def reach(self, count: int, *, exactly: bool = True, timeout: float = 30) -> None:
        """Until the counter went up by `count` (by more fails too, unless not `exactly`)."""
        deadline = time.monotonic() + timeout
        while self.count < count:
            if time.monotonic() >= deadline:
                raise AssertionError(f"{self.metric} {self.labels}: {self.count} of {count}")
            await asyncio.sleep(POLL)
        assert self.count == count or not exactly, f"{self.metric}: {self.count}, not {count}"


class Consumed(Tally):
    """Messages of one type a service's consumer has finished with since the tally began:
    handled, or absorbed by the inbox as a duplicate, committed and acked. A test that
    published N of them waits for N, and then knows each was dealt with, whatever the
    handler made of it (the consumer's lanes keep no order across aggregates)."""

    def __init__(self, service: str, event_type: str) -> None:
        labels = {"service": service, "event_type": event_type}
        super().__init__(
            "careloop_bus_consumed_total",
            *({**labels, "outcome": outcome} for outcome in ("handled", "duplicate")),
        )


class Retried(Tally):
    """Handler failures of one message type sent back for another attempt, since the tally
    began (`careloop_bus_retried_total`)."""

    def __init__(self, service: str, event_type: str) -> None:
        super().__init__(
            "careloop_bus_retried_total", {"service": service, "event_type": event_type}
        )


async def outboxed(db: Database, type_: str, **match: Any) -> list[dict[str, Any]]:
    """The envelopes of `type_` a service committed to its outbox, published or not, whose
    data has every value in `match`: what it has published or will publish, with no wait."""
    query = select(outbox.c.body).where(outbox.c.type == type_).order_by(outbox.c.seq)
    async with reading(db) as session:
        bodies = (await session.execute(query)).scalars().all()
    found = [orjson.loads(body) for body in bodies]
    return [e for e in found if all(e["data"].get(k) == v for k, v in match.items())]


_ROUNDS: dict[int, tuple[object, Rounds]] = {}


def rounds(owner: object, method: str) -> Rounds:
    """The round counter of `owner.<method>`, installed on first use."""
    key = id(owner)
    if key not in _ROUNDS or _ROUNDS[key][0] is not owner:
        _ROUNDS[key] = (owner, Rounds(owner, method))
    return _ROUNDS[key][1]


async def timer_rounds(app: FastAPI, count: int = 2, *, timeout: float = 30) -> None:
    """Until the app's timer scheduler has run `count` whole rounds begun after this call:
    every timer due by now (by the shared clock) has fired and committed, or was not due."""
    await rounds(app.state.runtime.scheduler, "fire_due").more(count, timeout=timeout)


async def relay_rounds(app: FastAPI, count: int = 2, *, timeout: float = 30) -> None:
    """Until the app's outbox relay has run `count` whole rounds begun after this call:
    every event committed by now has been published."""
    await rounds(app.state.runtime.relay, "relay_once").more(count, timeout=timeout)


async def periodic_rounds(app: FastAPI, name: str, count: int = 2, *, timeout: float = 30) -> None:
    """Until the app's periodic job `name` (notify's dispatcher, say) has run `count` whole
    rounds begun after this call: what was due for it by now has been done."""
    (job,) = [j for j in app.state.runtime.spec.periodic if j.name == name]
    await rounds(job, "run").more(count, timeout=timeout)


async def stop_relay_and_timers(app: FastAPI, *, timeout: float = 10) -> None:
    """Stop the app's outbox relay and timer scheduler, and wait until both loops have
    returned: none of their statements runs after this (the rest of the app does)."""
    runtime = app.state.runtime
    runtime.relay.stop()
    loops = ["relay"]
    if runtime.scheduler is not None:
        runtime.scheduler.stop()
        loops.append("scheduler")
    tasks = [t for t in runtime._tasks if t.get_name() in loops]
    await asyncio.wait_for(asyncio.gather(*tasks), timeout)


@dataclass
class InProcess(Generic[S]):
    """A service app in this process, a client of it, and a channel on the test's exchange."""

    settings: S
    app: FastAPI
    client: httpx.AsyncClient
    channel: AbstractChannel
    exchange: AbstractExchange
    _queues: list[AbstractQueue] = field(default_factory=list)

    @property
    def db(self) -> Database:
        database: Database = self.app.state.runtime.db
        return database

    def headers(
        self,
        *,
        roles: Iterable[str] = ADMIN,
        sites: Iterable[str] = ("*",),
        sub: str | None = None,
        name: str | None = None,
    ) -> dict[str, str]:
        """A bearer token for `sub` (a random user by default) with `roles` on `sites`."""
        token = issue_token(
            self.settings, sub=sub or hex_id("user-"), roles=roles, sites=sites, name=name
        )
        return {"Authorization": f"Bearer {token}"}

    async def request(
        self, method: str, path: str, *, as_: dict[str, str] | None = None, **kwargs: Any
    ) -> httpx.Response:
        """A request as an administrator, or with the headers `as_`."""
        headers = {**(as_ or self.headers()), **kwargs.pop("headers", {})}
        return await self.client.request(method, path, headers=headers, **kwargs)

    async def ok(self, method: str, path: str, *, status: int = 200, **kwargs: Any) -> Any:
        """The JSON body of a request that must answer `status`."""
        response = await self.request(method, path, **kwargs)
        assert response.status_code == status, response.text
        return response.json() if response.content else None

    async def watch(self, *routing_keys: str) -> AbstractQueue:
        """An exclusive queue receiving the given event types from the test's exchange."""
        queue = await watch(self.channel, self.exchange, *routing_keys)
        self._queues.append(queue)
        return queue

    async def publish(self, env: dict[str, Any]) -> str:
        """Publish an envelope as another service would; its id."""
        return await publish(self.exchange, env)

    async def committed(self, type_: str, **match: Any) -> list[dict[str, Any]]:
        """The envelopes of `type_` the service committed to its outbox matching `match`."""
        return await outboxed(self.db, type_, **match)

    async def scalar(self, sql: str, **params: Any) -> Any:
        async with self.db.engine.connect() as conn:
            return (await conn.execute(text(sql), params)).scalar()

    async def rows(self, sql: str, **params: Any) -> list[Any]:
        async with self.db.engine.connect() as conn:
            return list((await conn.execute(text(sql), params)).all())


@asynccontextmanager
async def running(
    settings: S, create_app: Callable[[S], FastAPI], harness: Callable[..., H]
) -> AsyncIterator[H]:
    """The service running in this process until the block ends: migrated, relaying,
    consuming, firing timers. Started again (or twice at once, as two replicas), it shares
    the database."""
    app = create_app(settings)
    connection = await aio_pika.connect(settings.amqp_url)
    try:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await declare_exchange(channel, settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url=f"http://{settings.service_name}", timeout=120
            ) as client:
                yield harness(settings, app, client, channel, exchange)
    finally:
        await connection.close()
