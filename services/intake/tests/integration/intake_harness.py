"""Intake in-process for integration tests: the real app (relay, consumer, scheduler)
against the test's real database and broker, plus factories with random ids."""

from __future__ import annotations

import asyncio
import random
import string
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import aio_pika
import httpx
import orjson
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractQueue
from fastapi import FastAPI
from sqlalchemy import text

from intake.settings import IntakeSettings
from shared.clock import utcnow
from shared.contracts.base import Envelope, Event, parse_message
from shared.db.engine import Database
from shared.http.auth import issue_token
from shared.testing.checks import eventually as eventually  # the tests import it here
from shared.testing.checks import is_problem as is_problem

ADMIN = ("admin",)


def hex_id(prefix: str = "") -> str:
    return f"{prefix}{uuid.uuid4().hex[:12]}"


def site_code() -> str:
    return "S" + "".join(random.choices(string.ascii_uppercase + string.digits, k=6))


def phone() -> str:
    return "139" + "".join(random.choices(string.digits, k=8))


def site_body(**changes: Any) -> dict[str, Any]:
    body = {
        "id": hex_id("site-"),
        "code": site_code(),
        "name": "Garden Heights",
        "region": "South",
        "timezone": "Asia/Shanghai",
        "developer_contact": "Harbour Developments, +86 20 5555 0100",
    }
    return {**body, **changes}


def visitor(**changes: Any) -> dict[str, Any]:
    return {"type": "visitor", "name": "Li Wei", "phone": phone(), **changes}


def complaint_body(site_id: str, **changes: Any) -> dict[str, Any]:
    body = {
        "site_id": site_id,
        "channel": "call_center",
        "kind": "complaint",
        "category": "cleaning",
        "description": "Rubbish in stairwell 2 has not been collected for three days.",
        "reporter": visitor(),
    }
    return {**body, **changes}


def envelope(
    event: Event,
    *,
    site_id: str | None = None,
    aggregate_id: str | None = None,
    aggregate_version: int | None = None,
    message_id: str | None = None,
) -> dict[str, Any]:
    """An envelope as another service's outbox writes it."""
    message_id = message_id or str(uuid.uuid4())
    return {
        "id": message_id,
        "type": event.type,
        "version": event.version,
        "occurred_at": utcnow().isoformat(),
        "source": event.source,
        "site_id": site_id,
        "correlation_id": message_id,
        "causation_id": None,
        "aggregate_id": aggregate_id,
        "aggregate_version": aggregate_version,
        "data": event.model_dump(mode="json"),
    }


@dataclass
class Place:
    """A site with one building, unit and household, made through the API."""

    site_id: str
    code: str
    building_id: str
    unit_id: str
    household_id: str
    phone: str


@dataclass
class Intake:
    settings: IntakeSettings
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
        token = issue_token(
            self.settings, sub=sub or hex_id("user-"), roles=roles, sites=sites, name=name
        )
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

    async def place(self, **site: Any) -> Place:
        """A site, a building, a unit and a household in it."""
        body = site_body(**site)
        await self.ok("POST", "/v1/sites", json=body, status=201)
        base = f"/v1/sites/{body['id']}"
        built = await self.ok("POST", f"{base}/buildings", json={"code": "B1"}, status=201)
        unit = await self.ok(
            "POST", f"{base}/units", json={"building_id": built["id"], "number": "1202"}, status=201
        )
        number = phone()
        household = await self.ok(
            "POST",
            f"{base}/households",
            json={"unit_id": unit["id"], "name": "Zhang Min", "phones": [number]},
            status=201,
        )
        return Place(body["id"], body["code"], built["id"], unit["id"], household["id"], number)

    async def file(self, site_id: str, *, as_: dict[str, str] | None = None, **changes: Any) -> Any:
        """A complaint filed through the API; its creation response."""
        return await self.ok(
            "POST", "/v1/complaints", json=complaint_body(site_id, **changes), as_=as_, status=201
        )

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

    async def scalar(self, sql: str, **params: Any) -> Any:
        async with self.db.engine.connect() as conn:
            return (await conn.execute(text(sql), params)).scalar()

    async def rows(self, sql: str, **params: Any) -> list[Any]:
        async with self.db.engine.connect() as conn:
            return list((await conn.execute(text(sql), params)).all())


async def next_event(queue: AbstractQueue, *, timeout: float = 30) -> tuple[Envelope, Event]:
    """The next message on `queue`, parsed and validated against its contract."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = await queue.get(fail=False, no_ack=True)
        if message is not None:
            return parse_message(message.body)
        await asyncio.sleep(0.05)
    raise AssertionError("no event arrived")


async def events(queue: AbstractQueue, count: int, *, timeout: float = 60) -> list[Envelope]:
    """The next `count` envelopes on `queue`."""
    found = []
    for _ in range(count):
        envelope, _event = await next_event(queue, timeout=timeout)
        found.append(envelope)
    return found


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)
