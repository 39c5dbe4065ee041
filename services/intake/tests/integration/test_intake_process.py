"""Intake as a real process (`python -m intake`): HTTP in, complaint.received out."""

from __future__ import annotations

import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aio_pika
import httpx
import pytest
from intake_harness import complaint_body, next_event, site_body

from intake.settings import IntakeSettings
from shared.bus.topology import declare_exchange
from shared.contracts.intake import ComplaintReceived
from shared.http.auth import issue_token
from shared.testing.plugin import free_port
from shared.testing.processes import ServiceProcess, settings_env

pytestmark = pytest.mark.integration


async def test_intake_process_records_a_complaint_and_publishes_it(
    database_url: str, make_settings: Callable[..., Any], tmp_path: Path
) -> None:
    settings: IntakeSettings = make_settings(
        IntakeSettings, database_url=database_url, port=free_port()
    )
    connection = await aio_pika.connect(settings.amqp_url)
    channel = await connection.channel()
    exchange = await declare_exchange(channel, settings)
    watch = await channel.declare_queue(exclusive=True)
    await watch.bind(exchange, routing_key="complaint.received")
    admin = {
        "Authorization": f"Bearer {issue_token(settings, sub='ops', roles=['admin'], sites=['*'])}"
    }
    site = site_body()
    process = ServiceProcess(
        "intake", port=settings.port, env=settings_env(settings), log_path=tmp_path / "intake.log"
    )
    try:
        with process.start():
            async with httpx.AsyncClient(base_url=process.url, headers=admin, timeout=30) as client:
                assert (await client.post("/v1/sites", json=site)).status_code == 201
                created = await client.post("/v1/complaints", json=complaint_body(site["id"]))
                envelope, event = await next_event(watch)
                found = await client.get(created.json()["links"]["by_reference"])
                metrics = (await client.get("/metrics")).text
            # A graceful stop: uvicorn re-raises SIGTERM once it has shut down.
            assert process.terminate() == -signal.SIGTERM
    finally:
        await connection.close()

    assert created.status_code == 201, created.text
    assert isinstance(event, ComplaintReceived)
    assert event.complaint_id == created.json()["id"]
    assert envelope.aggregate_version == 1
    assert found.json()["timeline"][0]["type"] == "complaint.received"
    line = (
        f'careloop_intake_complaints_received_total{{category="cleaning",channel="call_center",'
        f'kind="complaint",site="{site["id"]}"}} 1.0'
    )
    assert line in metrics
