"""A service process's life: graceful SIGTERM, readiness, and the consumer watchdog."""

from __future__ import annotations

import signal
import time
import uuid

import httpx
import pytest
from probe.app import complaint
from probe.harness import Probe, envelope, publish_event

from shared.testing import servers
from shared.testing.checks import eventually
from shared.testing.processes import drop_connections

pytestmark = pytest.mark.integration


async def test_sigterm_finishes_and_acks_in_flight_messages_then_exits(probe: Probe) -> None:
    first = probe.process()
    slow = [envelope(complaint(str(uuid.uuid4()), description="SLOW please")) for _ in range(24)]
    for env in slow:
        await publish_event(probe, env)
    await probe.wait_for("SELECT count(*) FROM inbox", 1, timeout=10)

    code = first.terminate(timeout=30)

    assert code == -signal.SIGTERM  # uvicorn re-raises the signal after a graceful stop
    assert "stopped" in first.log()
    assert "in-flight messages did not finish" not in first.log()
    handled_before_exit = await probe.scalar("SELECT count(*) FROM probe_handled")
    assert handled_before_exit >= 1
    probe.process()
    assert await probe.wait_for("SELECT count(*) FROM probe_handled", 24, timeout=60) == 24
    assert await probe.scalar("SELECT max(count) FROM probe_handled") == 1
    assert await probe.queue_depth(probe.settings.queue_name()) == 0


@pytest.mark.own_vhost
async def test_a_consumer_gone_too_long_fails_readiness_then_exits_non_zero(
    probe: Probe,
) -> None:
    probe.settings = probe.settings.model_copy(update={"consumer_gone_exit_after": 3.0})
    proc = probe.process()
    assert httpx.get(f"{proc.url}/readyz").json()["broker"] == "up"

    servers.delete_vhost(probe.settings.amqp_url.rsplit("/", 1)[1])  # the broker is gone for it
    not_ready = None
    for _ in range(50):
        response = httpx.get(f"{proc.url}/readyz", timeout=2)
        if response.status_code == 503:
            not_ready = response
            break
        time.sleep(0.1)

    assert not_ready is not None
    assert not_ready.headers["content-type"] == "application/problem+json"
    assert not_ready.json()["broker"] == "down"
    assert httpx.get(f"{proc.url}/healthz").status_code == 200
    assert proc.wait(timeout=30) == 3
    assert "consumer gone too long" in proc.log()
    servers.create_vhost(probe.settings.amqp_url, probe.settings.amqp_url.rsplit("/", 1)[1])


@pytest.mark.own_vhost
async def test_a_dropped_broker_connection_is_one_warning_and_a_reconnect_no_traceback(
    probe: Probe,
) -> None:
    proc = probe.process()
    vhost = probe.settings.amqp_url.rsplit("/", 1)[1]
    before = len(proc.log())

    drop_connections(vhost)

    async def reconnected() -> bool:
        return "broker connection restored" in proc.log()[before:]

    assert await eventually(reconnected, True, timeout=10), proc.log()[before:]
    restored = proc.log()[before:]
    assert restored.count("broker connection lost") == 1
    assert "Traceback" not in restored
    assert "[error" not in restored
    assert '"level": "error"' not in restored
    assert httpx.get(f"{proc.url}/readyz").json()["broker"] == "up"
