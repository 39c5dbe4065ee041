"""What every failure drill does: one site, a burst of complaints, and the counts that must hold.

Sizes: each drill has a CI size and a full size; `CARELOOP_DRILL_SCALE=full` (`make drill`)
chooses the full one.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from shared.testing.system import PatientClient, System, bounded, organisation, wait_until

# The services with a queue of their own (notify consumes nothing yet).
CONSUMERS = ("intake", "routing", "surveys")
FULL = os.environ.get("CARELOOP_DRILL_SCALE", "").lower() == "full"
CONCURRENCY = 8
SETTLE = 120.0 if FULL else 60.0


def size(ci: int, full: int) -> int:
    """The drill's size for this run."""
    return full if FULL else ci


# How many of something each complaint has: one row, one case, one assignment.
INTAKE_COMPLAINTS = "SELECT count(*) FROM complaint"
INTAKE_ASSIGNED = "SELECT count(*) FROM complaint WHERE case_id IS NOT NULL"
TIMELINE_ASSIGNMENTS = "SELECT count(*) FROM timeline_entry WHERE type = 'case.assigned'"
TIMELINE_COMPLETE = (
    "SELECT count(DISTINCT complaint_id) FROM timeline_entry WHERE type = 'case.assigned'"
)
CASES = 'SELECT count(*) FROM "case"'
CASE_COMPLAINTS = 'SELECT count(DISTINCT complaint_id) FROM "case"'
ASSIGNMENTS = "SELECT count(*) FROM case_entry WHERE type = 'case.assigned'"
ASSIGNED_CASES = "SELECT count(DISTINCT case_id) FROM case_entry WHERE type = 'case.assigned'"
ASSIGNMENTS_SENT = "SELECT count(*) FROM outbox WHERE type = 'case.assigned'"


@dataclass
class Burst:
    """Complaints posted to intake: each answer's status, and the client's counts."""

    client: PatientClient
    statuses: list[int] = field(default_factory=list)

    def problems(self) -> dict[str, Any]:
        """What was answered other than 2xx in the end, or other than 2xx/503 on the way."""
        final = {s: self.statuses.count(s) for s in set(self.statuses) if not 200 <= s < 300}
        return {k: v for k, v in {"final": final, "seen": self.client.unexpected()}.items() if v}


class Drill:
    """The system, one site in it, and the drills' shared moves and counts."""

    def __init__(self, system: System) -> None:
        self.system = system
        self.site = f"site-{uuid.uuid4().hex[:8]}"
        self.code = f"D{uuid.uuid4().hex[:5].upper()}"
        self.admin = system.token("admin-1", "admin")
        self.callcenter = system.token("cc-drill", "callcenter", [self.site])

    @property
    def intake(self) -> str:
        return self.system["intake"].url

    @property
    def routing(self) -> str:
        return self.system["routing"].url

    async def set_up_site(self) -> None:
        """The site in intake, its organisation and routes in routing."""
        async with PatientClient() as client:
            site = {"id": self.site, "code": self.code, "name": "翠湖花园"}
            _ok(await client.post(f"{self.intake}/v1/sites", json=site, headers=self.admin))
            base = f"{self.routing}/v1/sites/{self.site}"
            _ok(await client.put(f"{base}/organisation", json=ORGANISATION, headers=self.admin))
        await self.put_rules(
            routes=[{"category": "housing_management", "department": "customer_service"}]
        )

    async def put_rules(self, **rules: Any) -> None:
        """Set sections of the site's rules in routing (routes, sla_policies, ...)."""
        async with PatientClient() as client:
            url = f"{self.routing}/v1/sites/{self.site}/rules"
            _ok(await client.put(url, json=rules, headers=self.admin))

    def complaint(self, number: int) -> dict[str, Any]:
        """Complaint `number` of the drill; its external_ref makes a retried post the same one."""
        return {
            "site_id": self.site,
            "channel": "call_center",
            "kind": "complaint",
            "category": "housing_management",
            "description": f"drill complaint {number}: 外墙渗水",
            "reporter": {"type": "visitor", "name": "李女士", "phone": "13800138000"},
            "external_ref": f"drill-{number}",
        }

    async def post(
        self,
        count: int,
        *,
        first: int = 0,
        concurrency: int = CONCURRENCY,
        intakes: Sequence[str] = (),
    ) -> Burst:
        """Post complaints first..first+count-1 with a few concurrent callers, to intake or
        spread over the `intakes` URLs (replicas behind a load balancer)."""
        urls = list(intakes) or [self.intake]
        async with PatientClient() as client:
            burst = Burst(client)

            def job(number: int) -> Callable[[], Awaitable[int]]:
                async def send() -> int:
                    url = f"{urls[number % len(urls)]}/v1/complaints"
                    response = await client.post(
                        url, json=self.complaint(number), headers=self.callcenter
                    )
                    return response.status_code

                return send

            burst.statuses = await bounded(
                (job(n) for n in range(first, first + count)), concurrency=concurrency
            )
        return burst

    async def when(self, service: str, sql: str, at_least: int, *, within: float) -> int:
        """Wait until `sql` counts at least `at_least`; the count then."""
        deadline = time.monotonic() + within
        while True:
            value = int(await self.system.scalar(service, sql))
            if value >= at_least or time.monotonic() >= deadline:
                return value
            await asyncio.sleep(0.05)

    async def settle(self, count: int, *, within: float = SETTLE) -> None:
        """Wait until every complaint's assignment reached intake's timeline."""
        await self.system.wait_for("intake", TIMELINE_COMPLETE, count, within=within)

    async def counts(self) -> dict[str, Any]:
        """Every count the drills check, by name."""
        system = self.system
        found: dict[str, Any] = {}
        for name, service, sql in COUNTS:
            found[name] = await system.scalar(service, sql)
        for service in system.services:
            found[f"{service} outbox backlog"] = await system.outbox_backlog(service)
        for service in CONSUMERS:
            found[f"{service} parked"] = await system.parked(service)
            found[f"{service} queue backlog"] = await system.backlog(service)
        return found

    async def assert_complete(self, count: int) -> None:
        """Exactly `count` complaints, cases and assignments; nothing parked or left behind."""
        await self.settle(count)
        await wait_until(self._outboxes_empty, True, 30)
        expected = {name: count for name, _service, _sql in COUNTS}
        expected |= {f"{s} outbox backlog": 0 for s in self.system.services}
        for service in CONSUMERS:
            expected |= {f"{service} parked": 0, f"{service} queue backlog": 0}
        assert await self.counts() == expected

    async def _outboxes_empty(self) -> bool:
        backlogs = [await self.system.outbox_backlog(s) for s in self.system.services]
        queues = [await self.system.backlog(s) for s in CONSUMERS]
        return not any(backlogs) and not any(queues)


COUNTS = (
    ("complaints in intake", "intake", INTAKE_COMPLAINTS),
    ("complaints with their case in intake", "intake", INTAKE_ASSIGNED),
    ("case.assigned on the timelines", "intake", TIMELINE_ASSIGNMENTS),
    ("complaints whose timeline has case.assigned", "intake", TIMELINE_COMPLETE),
    ("cases", "routing", CASES),
    ("complaints with a case", "routing", CASE_COMPLAINTS),
    ("case.assigned in case histories", "routing", ASSIGNMENTS),
    ("cases with case.assigned", "routing", ASSIGNED_CASES),
    ("case.assigned in routing's outbox", "routing", ASSIGNMENTS_SENT),
)

ORGANISATION = organisation({"id": "h-sun", "name": "孙五", "department": "customer_service"})


def _ok(response: httpx.Response) -> dict[str, Any]:
    assert response.is_success, f"{response.request.method} {response.request.url}: {response.text}"
    return dict(response.json())
