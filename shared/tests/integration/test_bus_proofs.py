"""Proofs that the bus loses nothing and doubles nothing, with the probe as a real process.

Each runs on SQLite and on PostgreSQL against the real broker.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import orjson
import pytest
from probe.app import complaint
from probe.harness import Probe, envelope, publish, publish_event, wait_parked
from sqlalchemy import text

from shared.bus.consumer import ATTEMPT_HEADER
from shared.testing.processes import drop_connections

pytestmark = pytest.mark.integration


async def test_event_committed_before_a_sigkill_is_published_after_restart(probe: Probe) -> None:
    watch = await probe.channel.declare_queue(exclusive=True)
    await watch.bind(probe.exchange, routing_key="complaint.received")
    first = probe.process()
    complaint_id = str(uuid.uuid4())

    with pytest.raises(httpx.HTTPError):
        httpx.post(
            f"{first.url}/probe/complaints",
            json={"complaint_id": complaint_id, "kill_after_commit": True},
            timeout=10,
        )
    first.wait(timeout=10)

    assert first.proc is not None
    assert first.proc.returncode == -9
    assert await probe.scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 1
    assert await watch.get(fail=False) is None

    probe.process()
    message = await _next_message(watch)
    assert orjson.loads(message.body)["data"]["complaint_id"] == complaint_id
    assert await probe.wait_for("SELECT count(*) FROM outbox WHERE published_at IS NULL", 0) == 0
    assert (
        await probe.wait_for(
            f"SELECT count FROM probe_handled WHERE complaint_id = '{complaint_id}'", 1
        )
        == 1
    )


async def test_message_delivered_twice_changes_state_once(probe: Probe) -> None:
    probe.process()
    complaint_id = str(uuid.uuid4())
    env = envelope(complaint(complaint_id))

    await publish_event(probe, env)
    await publish_event(probe, env)
    marker = str(uuid.uuid4())
    await publish_event(probe, envelope(complaint(marker)))

    assert (
        await probe.wait_for(
            f"SELECT count(*) FROM probe_handled WHERE complaint_id = '{marker}'", 1
        )
        == 1
    )
    assert await probe.wait_for("SELECT count(*) FROM inbox", 2) == 2
    assert (
        await probe.scalar(f"SELECT count FROM probe_handled WHERE complaint_id = '{complaint_id}'")
        == 1
    )


async def test_failing_handler_is_parked_after_its_retries_while_1000_others_flow(
    probe: Probe,
) -> None:
    probe.process()
    poison = envelope(complaint(str(uuid.uuid4()), description="please FAIL"))
    await publish_event(probe, poison)
    for _ in range(1000):
        await publish_event(probe, envelope(complaint(str(uuid.uuid4()))))

    assert await probe.wait_for("SELECT count(*) FROM probe_handled", 1000, timeout=120) == 1000
    found = await wait_parked(probe, 1)
    assert [(p.message_id, p.reason) for p in found] == [(poison["id"], "failed")]
    assert "told to fail" in found[0].error
    held = await (await probe.channel.get_queue(probe.settings.queue_name(".parking"))).get()
    assert held.headers[ATTEMPT_HEADER] == probe.settings.retry_limit
    await held.nack(requeue=True)


async def test_malformed_messages_are_parked_at_once_and_the_consumer_keeps_going(
    probe: Probe,
) -> None:
    proc = probe.process()
    bad_data = envelope(complaint(str(uuid.uuid4())))
    bad_data["data"].pop("site_id")
    unknown_type = envelope(complaint(str(uuid.uuid4())))
    unknown_type["version"] = 99
    await publish(probe, b"this is not json", message_id="not-json", type_="complaint.received")
    await publish_event(probe, bad_data)
    await publish_event(probe, unknown_type)
    healthy = str(uuid.uuid4())
    await publish_event(probe, envelope(complaint(healthy)))

    found = await wait_parked(probe, 3)
    assert sorted(p.message_id or "" for p in found) == sorted(
        ["not-json", bad_data["id"], unknown_type["id"]]
    )
    assert {p.reason for p in found} == {"malformed"}
    assert (
        await probe.wait_for(
            f"SELECT count(*) FROM probe_handled WHERE complaint_id = '{healthy}'", 1
        )
        == 1
    )
    assert proc.alive()


@pytest.mark.own_vhost
async def test_relay_and_consumer_resume_after_the_broker_drops_every_connection(
    probe: Probe,
) -> None:
    proc = probe.process()
    ids = [str(uuid.uuid4()) for _ in range(300)]
    async with httpx.AsyncClient(base_url=proc.url, timeout=30) as client:
        for index, complaint_id in enumerate(ids):
            if index in (100, 200):
                drop_connections(probe.settings.amqp_url.rsplit("/", 1)[1])
            response = await client.post("/probe/complaints", json={"complaint_id": complaint_id})
            assert response.status_code == 201

    assert await probe.wait_for("SELECT count(*) FROM probe_handled", len(ids), timeout=90) == len(
        ids
    )
    assert await probe.wait_for("SELECT count(*) FROM outbox WHERE published_at IS NULL", 0) == 0
    assert await probe.scalar("SELECT max(count) FROM probe_handled") == 1
    assert proc.alive()
    assert httpx.get(f"{proc.url}/readyz").status_code == 200


async def test_events_of_one_aggregate_apply_in_version_order_when_delivered_out_of_order(
    probe: Probe,
) -> None:
    probe.process()
    aggregate = str(uuid.uuid4())
    versions = {
        v: envelope(
            complaint(str(uuid.uuid4()), description=f"state {v}"),
            aggregate_id=aggregate,
            aggregate_version=v,
        )
        for v in (1, 2, 3)
    }
    for version in (3, 1, 2, 3):
        await publish_event(probe, versions[version])
    marker = str(uuid.uuid4())
    await publish_event(probe, envelope(complaint(marker)))

    assert (
        await probe.wait_for(
            f"SELECT count(*) FROM probe_handled WHERE complaint_id = '{marker}'", 1
        )
        == 1
    )
    assert (
        await probe.wait_for(
            f"SELECT state FROM probe_projection WHERE aggregate_id = '{aggregate}'", "state 3"
        )
        == "state 3"
    )
    async with probe.db.engine.connect() as conn:
        applied = (
            (
                await conn.execute(
                    text(
                        "SELECT version FROM probe_applied "
                        f"WHERE aggregate_id = '{aggregate}' ORDER BY seq"
                    )
                )
            )
            .scalars()
            .all()
        )
    assert applied == [1, 2, 3]


async def _next_message(queue: Any, timeout: float = 30) -> Any:
    for _ in range(int(timeout * 10)):
        message = await queue.get(fail=False, no_ack=True)
        if message is not None:
            return message
        await asyncio.sleep(0.1)
    raise AssertionError("no message arrived")
