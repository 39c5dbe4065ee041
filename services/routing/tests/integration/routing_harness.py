"""The routing test harness: the app in-process, its staff, and the events it publishes.

`routing` starts the real app (migrations, consumer, relay, timer scheduler) on the test's
database and exchange, loads a small organisation, and watches every event routing
publishes on an exclusive queue bound to the exchange. Complaints and callbacks reach it
as real envelopes published to that exchange.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractIncomingMessage

from routing.settings import RoutingSettings
from shared.clock import utcnow
from shared.contracts.base import Event
from shared.contracts.intake import ComplaintReceived, ImmediateReply
from shared.contracts.notify import CallbackCompleted, CallbackUnreachable
from shared.http.auth import issue_token
from shared.testing import inprocess
from shared.testing.checks import eventually
from shared.testing.inprocess import envelope, outboxed, publish


def short() -> str:
    return uuid.uuid4().hex[:8]


@dataclass
class Staff:
    """The people of one test site, with random ids."""

    site: str
    cs_head: str
    cs_handlers: tuple[str, str]
    eng_head: str
    eng_handler: str
    vp: str
    gm: str
    admin: str

    @classmethod
    def random(cls) -> Staff:
        tag = short()
        return cls(
            site=f"site-{tag}",
            cs_head=f"cs-head-{tag}",
            cs_handlers=(f"cs-a-{tag}", f"cs-b-{tag}"),
            eng_head=f"eng-head-{tag}",
            eng_handler=f"eng-a-{tag}",
            vp=f"vp-{tag}",
            gm=f"gm-{tag}",
            admin=f"admin-{tag}",
        )

    def organisation(self) -> dict[str, Any]:
        return {
            "site_name": "翠湖花园管理处",
            "vp": self.vp,
            "gm": self.gm,
            "departments": [
                {
                    "code": "customer_service",
                    "name": "Customer service",
                    "name_zh": "客服中心",
                    "head": self.cs_head,
                },
                {
                    "code": "engineering",
                    "name": "Engineering",
                    "name_zh": "工程部",
                    "head": self.eng_head,
                },
            ],
            "staff": [
                {"id": self.gm, "name": "王总", "role": "gm"},
                {"id": self.vp, "name": "李副总", "role": "vp"},
                {
                    "id": self.cs_head,
                    "name": "陈经理",
                    "role": "dept_head",
                    "department": "customer_service",
                },
                {
                    "id": self.cs_handlers[0],
                    "name": "张三",
                    "role": "handler",
                    "department": "customer_service",
                },
                {
                    "id": self.cs_handlers[1],
                    "name": "刘敏",
                    "role": "handler",
                    "department": "customer_service",
                },
                {
                    "id": self.eng_head,
                    "name": "赵工",
                    "role": "dept_head",
                    "department": "engineering",
                },
                {
                    "id": self.eng_handler,
                    "name": "钱师傅",
                    "role": "handler",
                    "department": "engineering",
                },
            ],
        }


ROLE_OF = {"cs_head": "dept_head", "eng_head": "dept_head", "vp": "vp", "gm": "gm"}


@dataclass
class Routing:
    """The app, a client, the broker, the staff, and every event routing published."""

    settings: RoutingSettings
    app: Any
    client: httpx.AsyncClient
    channel: AbstractChannel
    exchange: AbstractExchange
    staff: Staff
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def db(self) -> Any:
        return self.app.state.runtime.db

    def headers(self, sub: str, *roles: str, sites: list[str] | None = None) -> dict[str, str]:
        """A bearer token for `sub` with `roles` on the test site (or `sites`)."""
        roles = roles or (self._role_of(sub),)
        token = issue_token(self.settings, sub=sub, roles=roles, sites=sites or [self.staff.site])
        return {"Authorization": f"Bearer {token}"}

    def _role_of(self, sub: str) -> str:
        for name, role in ROLE_OF.items():
            if getattr(self.staff, name) == sub:
                return role
        return "admin" if sub == self.staff.admin else "handler"

    async def post(self, path: str, sub: str, body: Any = None, **kw: Any) -> httpx.Response:
        return await self.client.post(path, json=body or {}, headers=self.headers(sub), **kw)

    async def get(self, path: str, sub: str, **kw: Any) -> httpx.Response:
        return await self.client.get(path, headers=self.headers(sub), **kw)

    async def publish(self, event: Event, *, site_id: str | None = None) -> dict[str, Any]:
        """Publish `event` as intake or notify would; returns the envelope."""
        env = envelope(event, site_id=site_id or self.staff.site, correlation_id=f"corr-{short()}")
        await self.publish_envelope(env)
        return env

    async def publish_envelope(self, env: dict[str, Any]) -> None:
        await publish(self.exchange, env)

    async def complaint(self, **changes: Any) -> ComplaintReceived:
        """Publish a complaint.received for the test site; returns the event."""
        event = make_complaint(self.staff.site, **changes)
        await self.publish(event)
        return event

    async def callback(
        self, case: dict[str, Any], *, satisfied: bool, **levels: str
    ) -> dict[str, Any]:
        """Publish notify's callback.completed (with any of its five-level answers)."""
        event = CallbackCompleted(
            callback_id=f"cb-{short()}",
            case_id=case["case_id"],
            complaint_id=case["complaint_id"],
            site_id=self.staff.site,
            satisfied=satisfied,
            **levels,  # type: ignore[arg-type]
            comment="ok" if satisfied else "the water still leaks",
            by=f"cc-{short()}",
            completed_at=utcnow(),
        )
        return await self.publish(event)

    async def unreachable(self, case: dict[str, Any], *, attempts: int = 3) -> dict[str, Any]:
        """Publish notify's word that the case's callback reached nobody; returns the envelope."""
        event = CallbackUnreachable(
            callback_id=f"cb-{short()}",
            case_id=case["case_id"],
            complaint_id=case["complaint_id"],
            site_id=self.staff.site,
            attempts=attempts,
            by=f"cc-{short()}",
            unreachable_at=utcnow(),
        )
        return await self.publish(event)

    def of(self, complaint_id: str, type_: str | None = None) -> list[dict[str, Any]]:
        return [
            e
            for e in self.events
            if e["data"].get("complaint_id") == complaint_id and type_ in (None, e["type"])
        ]

    async def wait_event(
        self, complaint_id: str, type_: str, *, count: int = 1, timeout: float = 30.0
    ) -> list[dict[str, Any]]:
        """Wait until `count` events of `type_` about the complaint were published."""
        return await wait_published(
            self, type_, count=count, timeout=timeout, complaint_id=complaint_id
        )

    async def opened(self, **changes: Any) -> dict[str, Any]:
        """Publish a complaint and wait for its case.assigned; returns that event's data."""
        complaint = await self.complaint(**changes)
        (assigned,) = await self.wait_event(complaint.complaint_id, "case.assigned")
        return dict(assigned["data"])


def make_complaint(site_id: str, **changes: Any) -> ComplaintReceived:
    reply = changes.pop("immediate_reply", None)
    values: dict[str, Any] = {
        "complaint_id": str(uuid.uuid4()),
        "reference": f"TS-{short()}",
        "site_id": site_id,
        "channel": "call_center",
        "kind": "complaint",
        "category": "other",
        "severity": "normal",
        "description": "楼道灯坏了三天 <b>无人修</b>",
        "reporter_type": "household",
        "household_id": f"hh-{short()}",
        "location": "3-2-501",
        "received_at": utcnow(),
    }
    values.update(changes)
    if reply is not None:
        values["immediate_reply"] = ImmediateReply(
            text=reply, replied_by="cc-agent", replied_at=utcnow()
        )
    return ComplaintReceived(**values)


async def collect(routing: Routing, message: AbstractIncomingMessage) -> None:
    async with message.process():
        routing.events.append(orjson.loads(message.body))


async def watch(routing: Routing, *keys: str) -> None:
    """Also collect the events routing publishes under `keys` (e.g. `rectification.*`)."""
    queue = await inprocess.watch(routing.channel, routing.exchange, *keys)

    async def on_event(message: AbstractIncomingMessage) -> None:
        await collect(routing, message)

    await queue.consume(on_event)


def published(routing: Routing, type_: str, **match: Any) -> list[dict[str, Any]]:
    """The events of `type_` published so far whose data has every value in `match`."""
    return [
        e
        for e in routing.events
        if e["type"] == type_ and all(e["data"].get(k) == v for k, v in match.items())
    ]


async def wait_published(
    routing: Routing, type_: str, *, count: int = 1, timeout: float = 30.0, **match: Any
) -> list[dict[str, Any]]:
    """Wait until `count` events of `type_` matching `match` were published; returns them."""

    async def enough() -> bool:
        return len(published(routing, type_, **match)) >= count

    if not await eventually(enough, True, timeout=timeout):
        seen = sorted({e["type"] for e in routing.events})
        raise AssertionError(f"no {count} x {type_} matching {match} in {timeout}s; saw {seen}")
    return published(routing, type_, **match)


async def committed(routing: Routing, type_: str, **match: Any) -> list[dict[str, Any]]:
    """The events of `type_` routing committed to its outbox (published or not) whose data
    has every value in `match`: what it has published or will, with no waiting."""
    return await outboxed(routing.db, type_, **match)
