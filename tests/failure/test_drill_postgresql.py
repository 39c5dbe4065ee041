"""PostgreSQL stopped for ten seconds under a burst: readiness fails and returns, liveness
never does, nothing committed is lost, and every service recovers without a restart."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict

import httpx
import pytest
from drill import INTAKE_COMPLAINTS, Drill, size

from shared.testing.outages import postgresql_stopped

pytestmark = pytest.mark.failure

DOWN_FOR = 10.0
WATCH_EVERY = 0.25


class Watch:
    """Every answer of each service's /readyz and /healthz while the drill runs."""

    def __init__(self, drill: Drill) -> None:
        self.urls = {name: s.url for name, s in drill.system.services.items()}
        self.seen: dict[tuple[str, str], list[int | str]] = defaultdict(list)
        self._stop = asyncio.Event()

    async def run(self) -> None:
        async with httpx.AsyncClient(timeout=5) as client:
            while not self._stop.is_set():
                for name, url in self.urls.items():
                    for probe in ("readyz", "healthz"):
                        self.seen[name, probe].append(await _status(client, f"{url}/{probe}"))
                await asyncio.sleep(WATCH_EVERY)

    def stop(self) -> None:
        self._stop.set()

    def readiness(self, name: str) -> list[int | str]:
        """The distinct readiness answers in the order they changed."""
        changes: list[int | str] = []
        for status in self.seen[name, "readyz"]:
            if not changes or changes[-1] != status:
                changes.append(status)
        return changes

    def liveness_failures(self) -> dict[str, list[int | str]]:
        return {
            name: [s for s in self.seen[name, "healthz"] if s != 200]
            for name in self.urls
            if any(s != 200 for s in self.seen[name, "healthz"])
        }


@pytest.mark.alone
async def test_drill_postgresql_stopped_for_ten_seconds_mid_burst(drill: Drill) -> None:
    count = size(800, 5000)
    system = drill.system
    pids = {name: s.process.proc.pid for name, s in system.services.items() if s.process.proc}
    watch = Watch(drill)
    watching = asyncio.create_task(watch.run())
    posting = asyncio.create_task(drill.post(count))

    await drill.when("intake", INTAKE_COMPLAINTS, count // 4, within=120)
    async with postgresql_stopped(system.admin_url):
        stopped = time.monotonic()
        await asyncio.sleep(DOWN_FOR)
    down_for = time.monotonic() - stopped
    burst = await posting
    await drill.assert_complete(count)
    await _until_ready(drill)
    watch.stop()
    await watching

    assert down_for >= DOWN_FOR
    assert burst.problems() == {}
    assert burst.client.answers[503] > 0, "no request met the outage; it came too late"
    assert {name: watch.readiness(name) for name in pids} == {n: [200, 503, 200] for n in pids}
    assert watch.liveness_failures() == {}
    assert {
        name: s.process.proc.pid for name, s in system.services.items() if s.process.proc
    } == pids
    assert all(s.process.alive() for s in system.services.values())


async def _until_ready(drill: Drill, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=5) as client:
        for service in drill.system.services.values():
            while await _status(client, f"{service.url}/readyz") != 200:
                assert time.monotonic() < deadline, f"{service.name} is not ready again"
                await asyncio.sleep(WATCH_EVERY)


async def _status(client: httpx.AsyncClient, url: str) -> int | str:
    try:
        return (await client.get(url)).status_code
    except httpx.HTTPError as exc:
        return type(exc).__name__
