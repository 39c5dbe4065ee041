"""SLA deadlines with routing as real processes: two replicas, and a restart.

A seconds-long policy makes every case miss its acknowledge deadline; each must escalate
exactly once, however many routing processes race for its timer, and whether or not
routing was down when the deadline passed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import aio_pika
import httpx
import orjson
import pytest
from aio_pika.abc import AbstractExchange, AbstractIncomingMessage
from routing_harness import Staff, make_complaint
from sqlalchemy import select

from routing.cases.models import CaseEntry
from routing.settings import RoutingSettings
from shared.bus.topology import declare_exchange
from shared.db.engine import Database, reading
from shared.http.auth import issue_token
from shared.testing.checks import eventually, past, watched
from shared.testing.inprocess import envelope, publish
from shared.testing.plugin import free_port
from shared.testing.processes import ServiceProcess, settings_env

pytestmark = pytest.mark.integration

ACKNOWLEDGE_SECONDS = 3
RULES = {
    "sla_policies": [
        {
            "acknowledge_within": f"PT{ACKNOWLEDGE_SECONDS}S",
            "resolve_within": "PT1H",
            "clock": "calendar",
        }
    ]
}


@dataclass
class Cluster:
    settings: RoutingSettings
    exchange: AbstractExchange
    staff: Staff
    tmp_path: Path
    processes: list[ServiceProcess] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    def start(self) -> ServiceProcess:
        port = free_port()
        env = {**settings_env(self.settings), "ROUTING_PORT": str(port)}
        name = f"routing-{len(self.processes)}.log"
        proc = ServiceProcess("routing", port=port, env=env, log_path=self.tmp_path / name)
        self.processes.append(proc)
        return proc.start()

    def admin(self) -> dict[str, str]:
        token = issue_token(self.settings, sub="admin", roles=["admin"], sites=[self.staff.site])
        return {"Authorization": f"Bearer {token}"}

    def configure(self, proc: ServiceProcess) -> None:
        base = f"{proc.url}/v1/sites/{self.staff.site}"
        for path, body in (("organisation", self.staff.organisation()), ("rules", RULES)):
            response = httpx.put(f"{base}/{path}", json=body, headers=self.admin(), timeout=10)
            assert response.status_code == 200, response.text

    async def complaints(self, count: int) -> list[str]:
        ids = []
        for _ in range(count):
            event = make_complaint(self.staff.site)
            body = envelope(event, site_id=self.staff.site, occurred_at=event.received_at)
            await publish(self.exchange, body)
            ids.append(event.complaint_id)
        return ids

    def distinct(self) -> list[dict[str, Any]]:
        """The events as a consumer with an inbox sees them: each message id once.

        On SQLite each replica's relay reads, publishes, then marks, so two replicas may
        both publish a row (at-least-once); the message id is the same, and inboxes drop it.
        """
        return list({e["id"]: e for e in self.events}.values())

    def count(self, type_: str) -> Counter[str]:
        return Counter(e["data"]["case_id"] for e in self.distinct() if e["type"] == type_)

    async def recorded(self) -> Counter[tuple[str, str]]:
        """(case id, event type) -> how many the cases' own histories hold."""
        db = Database(self.settings.database_url, pool_size=1)
        try:
            async with reading(db) as session:
                rows = (await session.execute(select(CaseEntry.case_id, CaseEntry.type))).all()
        finally:
            await db.dispose()
        return Counter((case_id, type_) for case_id, type_ in rows)

    async def wait(self, type_: str, cases: int, timeout: float = 60) -> None:
        async def enough() -> bool:
            return len(self.count(type_)) >= cases

        assert await eventually(enough, True, timeout=timeout), f"{type_}: {self.count(type_)}"


@pytest.fixture
async def cluster(
    database_url: str, make_settings: Callable[..., Any], tmp_path: Path
) -> AsyncIterator[Cluster]:
    settings = make_settings(
        RoutingSettings, database_url=database_url, scheduler_poll_interval=0.2
    )
    connection = await aio_pika.connect(settings.amqp_url)
    channel = await connection.channel(publisher_confirms=True)
    exchange = await declare_exchange(channel, settings)
    watch = await channel.declare_queue(exclusive=True)
    for key in ("case.*", "sla.*"):
        await watch.bind(exchange, routing_key=key)
    found = Cluster(settings, exchange, Staff.random(), tmp_path)

    async def on_event(message: AbstractIncomingMessage) -> None:
        async with message.process():
            found.events.append(orjson.loads(message.body))

    await watch.consume(on_event)
    try:
        yield found
    finally:
        for proc in found.processes:
            proc.kill()
        await connection.close()


async def assert_each_case_escalated_once(cluster: Cluster, cases: int) -> None:
    history = await cluster.recorded()
    assert Counter(type_ for _, type_ in history.elements()) == {
        "case.assigned": cases,
        "sla.breached": cases,
        "case.escalated": cases,
    }
    assert set(history.values()) == {1}
    assert len(cluster.count("case.assigned")) == cases
    assert set(cluster.count("sla.breached").values()) == {1}
    assert set(cluster.count("case.escalated").values()) == {1}
    assert len(cluster.count("case.escalated")) == cases
    per_case: dict[str, list[int]] = {}
    for event in cluster.distinct():
        if event["aggregate_version"] is not None:  # a case event, not `sla.warned`
            per_case.setdefault(event["aggregate_id"], []).append(event["aggregate_version"])
    assert {tuple(sorted(v)) for v in per_case.values()} == {(1, 2, 3)}
    for event in cluster.distinct():
        if event["type"] == "case.escalated":
            assert (event["data"]["reason"], event["data"]["level"]) == ("sla", "dept_head")


async def test_two_replicas_escalate_each_case_exactly_once(cluster: Cluster) -> None:
    first = cluster.start()
    cluster.configure(first)
    cluster.start()
    await cluster.complaints(30)

    await cluster.wait("case.escalated", 30, timeout=90)
    # The replicas are other processes, with no round counter to wait on.
    await watched(seconds=2.6, why="thirteen timer polls (0.2 s) of each replica")

    await assert_each_case_escalated_once(cluster, 30)
    assert all(proc.alive() for proc in cluster.processes)


async def test_a_deadline_that_passes_while_routing_is_down_fires_once_after(
    cluster: Cluster,
) -> None:
    first = cluster.start()
    cluster.configure(first)
    await cluster.complaints(1)
    await cluster.wait("case.escalated", 1)  # one case breaches while routing is up
    await cluster.complaints(1)
    await cluster.wait("case.assigned", 2)
    first.kill()
    assert len(cluster.count("case.escalated")) == 1
    due = max(
        datetime.fromisoformat(e["data"]["acknowledge_due_at"])
        for e in cluster.distinct()
        if e["type"] == "case.assigned"
    )
    await past(due)  # the second deadline passes while routing is down

    cluster.start()
    await cluster.wait("case.escalated", 2)
    await watched(seconds=2.0, why="ten timer polls (0.2 s) of the restarted process")

    await assert_each_case_escalated_once(cluster, 2)
