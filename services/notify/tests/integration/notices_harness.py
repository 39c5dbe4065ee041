"""Notify in-process for the notice and callback tests: the real app (relay, consumer,
scheduler) against the test's real database and broker, plus factories with random ids.

Households and complaints are written the way notify's own handlers leave them, so these
tests do not depend on the order in which intake's events arrive.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import aio_pika
import httpx
import orjson
import pytest
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractQueue
from fastapi import FastAPI
from sqlalchemy import text

from notify.contacts.models import household_contact
from notify.main import create_app
from notify.messages.models import complaint_ref
from notify.settings import NotifySettings
from notify.sites.models import notify_site
from shared.bus.topology import declare_exchange
from shared.clock import utcnow
from shared.contracts.base import Envelope, Event, parse_message
from shared.contracts.routing import CaseResolved
from shared.db.engine import Database, dialect_insert, transaction
from shared.http.auth import issue_token
from shared.testing.checks import eventually as eventually  # the tests import it here
from shared.testing.checks import is_problem as is_problem
from shared.testing.plugin import free_port

ADMIN = ("admin",)


def hex_id(prefix: str = "") -> str:
    return f"{prefix}{uuid.uuid4().hex[:12]}"


def envelope(event: Event, *, site_id: str | None = None, **extra: Any) -> dict[str, Any]:
    """An envelope as another service's outbox writes it."""
    message_id = str(uuid.uuid4())
    return {
        "id": message_id,
        "type": event.type,
        "version": event.version,
        "occurred_at": utcnow().isoformat(),
        "source": event.source,
        "site_id": site_id,
        "correlation_id": message_id,
        "causation_id": None,
        "aggregate_id": extra.get("aggregate_id"),
        "aggregate_version": extra.get("aggregate_version"),
        "data": event.model_dump(mode="json"),
    }


def notice_body(site_id: str, **changes: Any) -> dict[str, Any]:
    now = utcnow()
    body = {
        "site_id": site_id,
        "kind": "water_outage",
        "title": "二期停水检修",
        "body": "因供水管道维修，届时将暂停供水，请提前储水。",
        "starts_at": (now + timedelta(days=1)).isoformat(),
        "ends_at": (now + timedelta(days=1, hours=6)).isoformat(),
    }
    return {**body, **changes}


def resolved(site_id: str, complaint_id: str, *, at: datetime | None = None) -> CaseResolved:
    return CaseResolved(
        case_id=str(uuid.uuid4()),
        complaint_id=complaint_id,
        site_id=site_id,
        actor="handler-1",
        at=at or utcnow(),
        result="The stairwell was cleaned.",
        reply="楼道已清扫干净，今后每日清扫两次。",
    )


@dataclass
class Notify:
    settings: NotifySettings
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
        self, *, roles: Iterable[str] = ADMIN, sites: Iterable[str] = ("*",), sub: str | None = None
    ) -> dict[str, str]:
        token = issue_token(self.settings, sub=sub or hex_id("user-"), roles=roles, sites=sites)
        return {"Authorization": f"Bearer {token}"}

    async def request(
        self, method: str, path: str, *, as_: dict[str, str] | None = None, **kwargs: Any
    ) -> httpx.Response:
        headers = {**(as_ or self.headers()), **kwargs.pop("headers", {})}
        return await self.client.request(method, path, headers=headers, **kwargs)

    async def ok(self, method: str, path: str, *, status: int = 200, **kwargs: Any) -> Any:
        response = await self.request(method, path, **kwargs)
        assert response.status_code == status, response.text
        return response.json() if response.content else None

    async def watch(self, *routing_keys: str) -> AbstractQueue:
        """An exclusive queue receiving the given event types from the test's exchange."""
        queue = await self.channel.declare_queue(exclusive=True)
        for key in routing_keys:
            await queue.bind(self.exchange, routing_key=key)
        self._queues.append(queue)
        return queue

    async def publish(self, env: dict[str, Any]) -> None:
        """Publish an envelope as another service would."""
        await self.exchange.publish(
            aio_pika.Message(orjson.dumps(env), message_id=env["id"], type=env["type"]),
            routing_key=env["type"],
        )

    async def scalar(self, sql: str, **params: Any) -> Any:
        async with self.db.engine.connect() as conn:
            return (await conn.execute(text(sql), params)).scalar()

    async def rows(self, sql: str, **params: Any) -> list[Any]:
        async with self.db.engine.connect() as conn:
            return list((await conn.execute(text(sql), params)).all())

    async def add_households(
        self,
        site_id: str,
        count: int,
        *,
        building_id: str = "b1",
        unit_id: str | None = None,
        opted_out: bool = False,
        email: bool = False,
    ) -> list[str]:
        """`count` live households with a phone (and an e-mail); their ids."""
        ids = [str(uuid.uuid4()) for _ in range(count)]
        rows = [
            {
                "household_id": ident,
                "site_id": site_id,
                "building_id": building_id,
                "unit_id": unit_id or f"{building_id}-u{n}",
                "building": building_id.upper(),
                "unit": f"{n + 101}",
                "name": "Zhang Min",
                "phone": f"1380000{n:04d}",
                "email": f"r{n}@example.com" if email else None,
                "opted_out": opted_out,
                "updated_at": utcnow(),
            }
            for n, ident in enumerate(ids)
        ]
        async with transaction(self.db) as session:
            await session.execute(household_contact.insert(), rows)
        return ids

    async def add_complaint(self, site_id: str, household_id: str | None) -> str:
        """A complaint notify has heard of (as complaint.received leaves it); its id."""
        complaint_id = str(uuid.uuid4())
        async with transaction(self.db) as session:
            await session.execute(
                complaint_ref.insert().values(
                    complaint_id=complaint_id,
                    site_id=site_id,
                    household_id=household_id,
                    reference="GH-20261127-0001",
                )
            )
        return complaint_id

    async def set_site(self, site_id: str, **values: Any) -> None:
        """The site's settings, as an administrator would put them."""
        row = {
            "site_id": site_id,
            "name": "翠苑管理处",
            "contact_phone": "0755-8888-0000",
            "acknowledge": False,
            "default_locale": "zh-CN",
            "callback_delay_hours": 24,
            "timezone": "Asia/Shanghai",
            "working_hours_start": "09:00",
            "working_hours_end": "18:00",
            "updated_at": utcnow(),
            **values,
        }
        async with transaction(self.db) as session:
            statement = dialect_insert(session)(notify_site).values(row)
            await session.execute(
                statement.on_conflict_do_update(
                    index_elements=[notify_site.c.site_id],
                    set_={k: statement.excluded[k] for k in row if k != "site_id"},
                )
            )

    async def deliveries(self, source_id: str) -> list[tuple[str, str]]:
        """(recipient key, channel) of every delivery of a source."""
        rows = await self.rows(
            "SELECT recipient_key, channel FROM delivery WHERE source_id = :s", s=source_id
        )
        return sorted((r[0], r[1]) for r in rows)


def make_notify_settings(database_url: str, make_settings: Callable[..., Any]) -> NotifySettings:
    settings: NotifySettings = make_settings(
        NotifySettings,
        database_url=database_url,
        port=free_port(),
        public_url="https://notify.example",
        scheduler_poll_interval=0.1,
        relay_poll_interval=0.1,
        gauge_interval=0.2,
    )
    return settings


@asynccontextmanager
async def running(settings: NotifySettings) -> AsyncIterator[Notify]:
    """Notify running in this process: migrated, relaying, consuming, firing timers."""
    app = create_app(settings)
    connection = await aio_pika.connect(settings.amqp_url)
    try:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await declare_exchange(channel, settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://notify", timeout=120
            ) as client:
                yield Notify(settings, app, client, channel, exchange)
    finally:
        await connection.close()


@pytest.fixture
def notices_settings(database_url: str, make_settings: Callable[..., Any]) -> NotifySettings:
    return make_notify_settings(database_url, make_settings)


@pytest.fixture
async def notices_app(notices_settings: NotifySettings) -> AsyncIterator[Notify]:
    async with running(notices_settings) as notify:
        yield notify


async def next_event(queue: AbstractQueue, *, timeout: float = 30) -> tuple[Envelope, Event]:
    """The next message on `queue`, parsed and validated against its contract."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = await queue.get(fail=False, no_ack=True)
        if message is not None:
            return parse_message(message.body)
        await asyncio.sleep(0.05)
    raise AssertionError("no event arrived")


async def quiet(queue: AbstractQueue, *, settle: float = 1.0) -> list[tuple[Envelope, Event]]:
    """Every event arriving on `queue` until none has for `settle` seconds."""
    found = []
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < settle:
        message = await queue.get(fail=False, no_ack=True)
        if message is None:
            await asyncio.sleep(0.05)
            continue
        found.append(parse_message(message.body))
        quiet_since = time.monotonic()
    return found
