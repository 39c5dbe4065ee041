"""A scheduled notice and real processes: notify is killed (SIGKILL) before the publish
time, then comes back as two replicas on the same database; the notice goes out exactly
once, by one of them."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from notify_harness import hex_id, notice_body
from sqlalchemy import text

from notify.contacts.models import household_contact
from notify.settings import NotifySettings
from shared.clock import utcnow
from shared.db.engine import Database, transaction
from shared.http.auth import issue_token
from shared.testing.checks import watched
from shared.testing.plugin import free_port
from shared.testing.processes import ServiceProcess, settings_env

pytestmark = pytest.mark.integration

HOUSEHOLDS = 25
FIRED = re.compile(
    r'careloop_timers_fired_total\{kind="notify\.notice_publish",outcome="(\w+)",'
    r'service="notify"\} ([0-9.]+)'
)


async def _households(url: str, site: str) -> None:
    db = Database(url, pool_size=1)
    try:
        async with transaction(db) as session:
            await session.execute(
                household_contact.insert(),
                [
                    {
                        "household_id": hex_id("h-"),
                        "site_id": site,
                        "unit": f"{n + 101}",
                        "phone": f"1390000{n:04d}",
                        "opted_out": False,
                        "updated_at": utcnow(),
                    }
                    for n in range(HOUSEHOLDS)
                ],
            )
    finally:
        await db.dispose()


def _fired(metrics: str) -> dict[str, float]:
    return {outcome: float(n) for outcome, n in FIRED.findall(metrics)}


async def test_a_notice_survives_a_kill_and_two_replicas_publish_it_once(
    database_url: str, make_settings: Callable[..., Any], tmp_path: Path
) -> None:
    site = hex_id("site-")
    first: NotifySettings = make_settings(
        NotifySettings, database_url=database_url, port=free_port(), dispatcher_interval=60.0
    )
    second = first.model_copy(update={"port": free_port()})
    token = issue_token(first, sub="office", roles=["handler"], sites=[site])
    auth = {"Authorization": f"Bearer {token}"}

    def process(settings: NotifySettings, name: str) -> ServiceProcess:
        env = settings_env(settings)
        return ServiceProcess("notify", port=settings.port, env=env, log_path=tmp_path / name)

    doomed = process(first, "a.log").start()
    try:
        await _households(database_url, site)
        publish_at = utcnow() + timedelta(seconds=10)
        body = notice_body(site, publish_at=publish_at.isoformat(), channels=["sms"])
        async with httpx.AsyncClient(base_url=doomed.url, headers=auth) as client:
            created = (await client.post("/v1/notices", json=body)).json()
    finally:
        doomed.kill()
    assert utcnow() < publish_at, "the process must die before the publish time"

    replicas = [process(first, "a2.log"), process(second, "b.log")]
    with replicas[0].start(wait=False), replicas[1].start(wait=False):
        for replica in replicas:
            replica.wait_ready()
        async with httpx.AsyncClient(base_url=replicas[1].url, headers=auth) as client:
            for _ in range(300):
                notice = (await client.get(f"/v1/notices/{created['id']}")).json()
                if notice["status"] == "published":
                    break
                await asyncio.sleep(0.1)
            # Replicas in other processes have no round counter to wait on; each polls its
            # timers every 0.2 s, so a second firing of the timer would be seen in a second.
            await watched(seconds=1.0, why="five timer polls of each replica")
            fired = [_fired((await client.get(f"{r.url}/metrics")).text) for r in replicas]
    assert notice["status"] == "published", notice
    assert notice["recipients"] == HOUSEHOLDS
    assert sum(f.get("fired", 0.0) for f in fired) == 1.0
    assert sum(f.get("failed", 0.0) for f in fired) == 0.0
    db = Database(database_url, pool_size=1)
    try:
        async with db.engine.connect() as conn:
            queued = await conn.execute(
                text("SELECT count(*) FROM delivery WHERE source_id = :s"),
                {"s": f"notice:{created['id']}:1"},
            )
            assert queued.scalar() == HOUSEHOLDS
    finally:
        await db.dispose()
