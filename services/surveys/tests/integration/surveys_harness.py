"""Surveys in-process for integration tests: the real app (relay, consumer, scheduler)
against the test's real database and broker, plus factories with random ids."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import aio_pika
import httpx
import orjson
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractQueue
from fastapi import FastAPI
from sqlalchemy import text

from shared.bus.topology import declare_exchange
from shared.clock import utcnow
from shared.contracts.base import Envelope, Event, parse_message
from shared.contracts.intake import ComplaintReceived, HouseholdRemoved, HouseholdUpserted
from shared.contracts.routing import CaseReopened
from shared.db.engine import Database
from shared.http.auth import issue_token
from shared.testing.checks import eventually as eventually  # the tests import it here
from shared.testing.checks import is_problem as is_problem
from surveys.main import create_app
from surveys.settings import SurveysSettings

ADMIN = ("admin",)


def hex_id(prefix: str = "") -> str:
    return f"{prefix}{uuid.uuid4().hex[:12]}"


def household(
    site_id: str, *, building: str = "B1", unit: str = "101", phones: Iterable[str] = ()
) -> HouseholdUpserted:
    return HouseholdUpserted(
        household_id=str(uuid.uuid4()),
        site_id=site_id,
        building=building,
        unit=unit,
        name="Zhang Min",
        phones=list(phones),
    )


def removed(site_id: str, household_id: str) -> HouseholdRemoved:
    return HouseholdRemoved(household_id=household_id, site_id=site_id, removed_at=utcnow())


def complaint(
    site_id: str, household_id: str | None, *, kind: str = "complaint", at: datetime | None = None
) -> ComplaintReceived:
    return ComplaintReceived.model_validate(
        {
            "complaint_id": str(uuid.uuid4()),
            "reference": "GH-20261101-0001",
            "site_id": site_id,
            "channel": "phone",
            "kind": kind,
            "category": "cleaning",
            "description": "The stairwell has not been swept for a week.",
            "reporter_type": "household",
            "household_id": household_id,
            "received_at": (at or utcnow()).isoformat(),
        }
    )


def reopened(site_id: str, complaint_id: str) -> CaseReopened:
    return CaseReopened(
        case_id=str(uuid.uuid4()), complaint_id=complaint_id, site_id=site_id, at=utcnow()
    )


def envelope(
    event: Event,
    *,
    site_id: str | None = None,
    aggregate_id: str | None = None,
    aggregate_version: int | None = None,
    occurred_at: datetime | None = None,
) -> dict[str, Any]:
    """An envelope as another service's outbox writes it."""
    message_id = str(uuid.uuid4())
    return {
        "id": message_id,
        "type": event.type,
        "version": event.version,
        "occurred_at": (occurred_at or utcnow()).isoformat(),
        "source": event.source,
        "site_id": site_id,
        "correlation_id": message_id,
        "causation_id": None,
        "aggregate_id": aggregate_id,
        "aggregate_version": aggregate_version,
        "data": event.model_dump(mode="json"),
    }


def campaign_body(site_id: str, **changes: Any) -> dict[str, Any]:
    now = utcnow()
    body = {
        "site_id": site_id,
        "kind": "regular",
        "title": "2026 Q4 resident satisfaction",
        "period": "2026-Q4",
        "topics": ["cleaning", "security", "greening"],
        "methods": ["questionnaire", "door_to_door"],
        "opens_at": (now - timedelta(minutes=1)).isoformat(),
        "closes_at": (now + timedelta(days=14)).isoformat(),
    }
    return {**body, **changes}


@dataclass
class Surveys:
    settings: SurveysSettings
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
            aio_pika.Message(
                orjson.dumps(env),
                message_id=env["id"],
                type=env["type"],
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            ),
            routing_key=env["type"],
        )

    async def upsert(self, event: HouseholdUpserted, *, version: int = 1) -> None:
        await self.publish(
            envelope(
                event,
                site_id=event.site_id,
                aggregate_id=event.household_id,
                aggregate_version=version,
            )
        )

    async def frame_size(self, site_id: str) -> int:
        return int((await self.ok("GET", f"/v1/sites/{site_id}/frame"))["households"])

    async def scalar(self, sql: str, **params: Any) -> Any:
        async with self.db.engine.connect() as conn:
            return (await conn.execute(text(sql), params)).scalar()

    async def rows(self, sql: str, **params: Any) -> list[Any]:
        async with self.db.engine.connect() as conn:
            return list((await conn.execute(text(sql), params)).all())


@asynccontextmanager
async def running(settings: SurveysSettings) -> AsyncIterator[Surveys]:
    """Surveys running in this process until the block ends: migrated, relaying, consuming,
    firing timers. Started again (or twice at once, as two replicas), it shares the database."""
    app = create_app(settings)
    connection = await aio_pika.connect(settings.amqp_url)
    try:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await declare_exchange(channel, settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://surveys", timeout=120
            ) as client:
                yield Surveys(settings, app, client, channel, exchange)
    finally:
        await connection.close()


async def next_event(queue: AbstractQueue, *, timeout: float = 30) -> tuple[Envelope, Event]:
    """The next message on `queue`, parsed and validated against its contract."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = await queue.get(fail=False, no_ack=True)
        if message is not None:
            return parse_message(message.body)
        await asyncio.sleep(0.05)
    raise AssertionError("no event arrived")


async def drain(
    queue: AbstractQueue, *, at_least: int = 0, settle: float = 1.0, timeout: float = 60
) -> list[tuple[Envelope, Event]]:
    """The first `at_least` events on `queue`, then every other one until none arrives for
    `settle` seconds (so that an extra event is seen, not missed)."""
    found = [await next_event(queue, timeout=timeout) for _ in range(at_least)]
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < settle:
        message = await queue.get(fail=False, no_ack=True)
        if message is None:
            await asyncio.sleep(0.05)
            continue
        found.append(parse_message(message.body))
        quiet_since = time.monotonic()
    return found
