"""The broker lost during a burst of complaints posted over HTTP: every connection dropped,
or the RabbitMQ application stopped and started. Nothing is lost, the outboxes drain."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from drill import INTAKE_COMPLAINTS, Drill, size

from shared.testing.outages import broker_stopped
from shared.testing.processes import drop_connections
from shared.testing.system import wait_until

pytestmark = pytest.mark.failure

DRAINED_WITHIN = 60.0
BROKER_DOWN_FOR = 5.0


@pytest.mark.own_vhost
async def test_drill_broker_drops_every_connection_mid_burst(
    drill: Drill, own_vhost: tuple[str, str]
) -> None:
    count = size(400, 5000)
    vhost, _url = own_vhost
    posting = asyncio.create_task(drill.post(count))

    for share in (1, 2):
        await drill.when("intake", INTAKE_COMPLAINTS, count * share // 3, within=120)
        drop_connections(vhost)
    burst = await posting

    assert burst.problems() == {}
    await _drained_in_time(drill)
    await drill.assert_complete(count)
    _all_ready(drill)


@pytest.mark.alone
async def test_drill_rabbitmq_stopped_and_started_mid_burst(drill: Drill) -> None:
    count = size(400, 5000)
    posting = asyncio.create_task(drill.post(count))

    await drill.when("intake", INTAKE_COMPLAINTS, count // 4, within=120)
    async with broker_stopped(drill.system.amqp_url):
        down_from = await drill.when("intake", INTAKE_COMPLAINTS, count, within=0)
        await asyncio.sleep(BROKER_DOWN_FOR)
        down_to = await drill.when("intake", INTAKE_COMPLAINTS, count, within=0)
    burst = await posting

    assert down_to > down_from, "intake took no complaint while the broker was down"
    assert burst.problems() == {}
    await _drained_in_time(drill)
    await drill.assert_complete(count)
    _all_ready(drill)


async def _drained_in_time(drill: Drill) -> None:
    """Every service's outbox backlog is zero within DRAINED_WITHIN of the burst's end."""
    started = time.monotonic()

    async def backlog() -> dict[str, int]:
        return {s: await drill.system.outbox_backlog(s) for s in drill.system.services}

    left = await wait_until(backlog, dict.fromkeys(drill.system.services, 0), DRAINED_WITHIN)
    assert left == dict.fromkeys(drill.system.services, 0), (
        f"outbox backlog after {time.monotonic() - started:.0f}s: {left}"
    )


def _all_ready(drill: Drill) -> None:
    for name, service in drill.system.services.items():
        assert service.process.alive(), f"{name} exited:\n{service.process.log()}"
        assert httpx.get(f"{service.url}/readyz", timeout=5).status_code == 200, name
