"""Notify in-process for the message and delivery tests: the real app (relay, consumer,
dispatcher) against the test's real database and broker, plus event factories."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import aio_pika
import httpx
import orjson
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractQueue
from fastapi import FastAPI
from sqlalchemy import text

from notify.main import create_app
from notify.settings import NotifySettings
from shared.bus.topology import declare_exchange
from shared.clock import utcnow
from shared.contracts.base import Envelope, Event, parse_message
from shared.contracts.intake import (
    ComplaintContactGiven,
    ComplaintReceived,
    HouseholdRemoved,
    HouseholdUpserted,
)
from shared.contracts.routing import CaseResolved
from shared.db.engine import Database
from shared.http.auth import issue_token
from shared.testing.checks import eventually as eventually  # the tests import it here
from shared.testing.checks import is_problem as is_problem

ADMIN = ("admin",)
SETTLED = ("sent", "delivered", "failed")


def hex_id(prefix: str = "") -> str:
    return f"{prefix}{uuid.uuid4().hex[:12]}"


def household(
    site_id: str,
    *,
    phones: Iterable[str] = (),
    email: str | None = None,
    building_id: str | None = None,
    unit_id: str | None = None,
    household_id: str | None = None,
    building: str = "B1",
) -> HouseholdUpserted:
    return HouseholdUpserted(
        household_id=household_id or str(uuid.uuid4()),
        site_id=site_id,
        building=building,
        unit="101",
        building_id=building_id,
        unit_id=unit_id,
        name="张敏",
        phones=list(phones),
        email=email,
    )


def removed(site_id: str, household_id: str) -> HouseholdRemoved:
    return HouseholdRemoved(household_id=household_id, site_id=site_id, removed_at=utcnow())


def complaint(site_id: str, household_id: str | None, *, reference: str = "") -> ComplaintReceived:
    return ComplaintReceived.model_validate(
        {
            "complaint_id": str(uuid.uuid4()),
            "reference": reference or hex_id("GH-"),
            "site_id": site_id,
            "channel": "phone",
            "kind": "complaint",
            "category": "cleaning",
            "description": "楼道一周没有清扫。",
            "reporter_type": "household",
            "household_id": household_id,
            "received_at": utcnow().isoformat(),
        }
    )


def visitor(
    site_id: str, *, phone: str | None = None, email: str | None = None, reference: str = ""
) -> tuple[ComplaintContactGiven, ComplaintReceived]:
    """A complaint of a visitor not in the directory, and the contact they left."""
    received = complaint(site_id, None, reference=reference).model_copy(
        update={"reporter_type": "visitor", "contact_given": True}
    )
    contact = ComplaintContactGiven(
        complaint_id=received.complaint_id, site_id=site_id, name="过客刘", phone=phone, email=email
    )
    return contact, received


def case_fields(site_id: str, complaint_id: str) -> dict[str, Any]:
    """What every case event carries."""
    return {
        "case_id": str(uuid.uuid4()),
        "complaint_id": complaint_id,
        "site_id": site_id,
        "at": utcnow(),
    }


def staff_member(
    staff_id: str, role: str, department: str | None, **changes: Any
) -> dict[str, Any]:
    member = {
        "staff_id": staff_id,
        "role": role,
        "department": department,
        "name": f"员工 {staff_id}",
        "email": f"{staff_id}@staff.example",
        "locale": "zh-CN",
    }
    return {**member, **changes}


def envelope(
    event: Event,
    *,
    site_id: str | None = None,
    aggregate_id: str | None = None,
    aggregate_version: int | None = None,
    message_id: str | None = None,
) -> dict[str, Any]:
    """An envelope as another service's outbox writes it."""
    ident = message_id or str(uuid.uuid4())
    return {
        "id": ident,
        "type": event.type,
        "version": event.version,
        "occurred_at": utcnow().isoformat(),
        "source": event.source,
        "site_id": site_id,
        "correlation_id": ident,
        "causation_id": None,
        "aggregate_id": aggregate_id,
        "aggregate_version": aggregate_version,
        "data": event.model_dump(mode="json"),
    }


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

    async def publish(self, env: dict[str, Any]) -> str:
        """Publish an envelope as another service would; its id."""
        await self.exchange.publish(
            aio_pika.Message(
                orjson.dumps(env),
                message_id=env["id"],
                type=env["type"],
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            ),
            routing_key=env["type"],
        )
        return str(env["id"])

    async def emit(self, event: Event, **extra: Any) -> str:
        """Publish one event of another service; the envelope's id (the message source)."""
        site_id = getattr(event, "site_id", None)
        return await self.publish(envelope(event, site_id=site_id, **extra))

    async def upsert(self, event: HouseholdUpserted, *, version: int = 1) -> str:
        return await self.emit(event, aggregate_id=event.household_id, aggregate_version=version)

    async def contact(self, household_id: str) -> Any:
        response = await self.request("GET", f"/v1/contacts/{household_id}")
        return response.json() if response.status_code == 200 else None

    async def has_contact(self, household_id: str, **expected: Any) -> bool:
        found = await self.contact(household_id)
        return found is not None and all(found.get(k) == v for k, v in expected.items())

    async def put_staff(self, site_id: str, members: list[dict[str, Any]]) -> Any:
        path = f"/v1/sites/{site_id}/staff-contacts"
        return await self.ok("PUT", path, json={"staff": members})

    async def put_site(self, site_id: str, **settings: Any) -> Any:
        body = {"name": "翠苑小区", "contact_phone": "0755-8888 6666", **settings}
        return await self.ok("PUT", f"/v1/sites/{site_id}/settings", json=body)

    async def deliveries(self, **filters: Any) -> list[dict[str, Any]]:
        params = {k: v for k, v in filters.items() if v is not None}
        page = await self.ok("GET", "/v1/deliveries", params={**params, "limit": 500})
        return list(page["items"])

    async def settled(self, source_id: str, count: int, *, timeout: float = 30) -> list[Any]:
        """The source's deliveries once `count` exist and none is still queued."""

        async def check() -> bool:
            found = await self.deliveries(source_id=source_id)
            return len(found) == count and all(d["status"] in SETTLED for d in found)

        assert await eventually(check, True, timeout=timeout), await self.deliveries(
            source_id=source_id
        )
        return await self.deliveries(source_id=source_id)

    async def messages(self, source_id: str) -> list[Any]:
        return await self.rows(
            "SELECT kind, locale, subject, body FROM message WHERE source_id = :s ORDER BY locale",
            s=source_id,
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


async def pause(seconds: float) -> None:
    """Give events that must NOT have an effect the time to have it anyway."""
    await asyncio.sleep(seconds)


def later(**delta: float) -> datetime:
    return utcnow() + timedelta(**delta)


# Notices and callbacks: factories and helpers of test_notify_notices.py,
# test_notify_callbacks.py and test_notify_pages_browser.py.


def notice_body(site_id: str, **changes: Any) -> dict[str, Any]:
    """A water outage tomorrow for the whole site, published now; `changes` override."""
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
        **{**case_fields(site_id, complaint_id), "at": at or utcnow()},
        actor="handler-1",
        result="The stairwell was cleaned.",
        reply="楼道已清扫干净，今后每日清扫两次。",
    )


async def households(
    notify: Notify,
    site_id: str,
    count: int,
    *,
    building_id: str = "b1",
    building: str = "B1",
    opted_out: bool = False,
) -> list[str]:
    """`count` households of a building (unit ids `<building>-u<n>`), each with a phone,
    known to notify through household.upserted; their ids."""
    events = [
        household(
            site_id,
            phones=[f"1380000{n:04d}"],
            building_id=building_id,
            building=building,
            unit_id=f"{building_id}-u{n}",
        )
        for n in range(count)
    ]
    for event in events:
        await notify.upsert(event)
    ids = [e.household_id for e in events]
    for ident in ids:
        assert await eventually(partial(notify.has_contact, ident), True)
        if opted_out:
            await notify.ok("PATCH", f"/v1/contacts/{ident}", json={"opted_out": True})
    return ids


async def known_complaint(notify: Notify, site_id: str, household_id: str | None) -> str:
    """A complaint notify heard of through complaint.received; its id."""
    event = complaint(site_id, household_id)
    await notify.emit(event, aggregate_id=event.complaint_id, aggregate_version=1)

    async def known() -> int:
        sql = "SELECT count(*) FROM complaint_ref WHERE complaint_id = :c"
        return int(await notify.scalar(sql, c=event.complaint_id))

    assert await eventually(known, 1) == 1
    return event.complaint_id


async def reached(notify: Notify, source_id: str) -> list[tuple[str, str]]:
    """(recipient key, channel) of every delivery of a source."""
    rows = await notify.rows(
        "SELECT recipient_key, channel FROM delivery WHERE source_id = :s", s=source_id
    )
    return sorted((r[0], r[1]) for r in rows)


@asynccontextmanager
async def running(settings: NotifySettings) -> AsyncIterator[Notify]:
    """Notify running in this process until the block ends (started again, it resumes)."""
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
