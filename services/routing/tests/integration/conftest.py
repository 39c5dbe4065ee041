"""Fixtures of routing's integration tests: the real app on a real database and broker.

`routing` starts the app in-process (migrations, consumer, relay, timer scheduler) on the
test's database and exchange, loads a small organisation, and watches every event routing
publishes on an exclusive queue bound to the exchange.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aio_pika
import httpx
import pytest

# The harness is a module beside this file; tests import it by name.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from routing_harness import Routing, Staff, watch

from routing.main import create_app
from routing.settings import RoutingSettings
from shared.bus.topology import declare_exchange
from shared.testing.plugin import free_port

pytestmark = pytest.mark.integration


@pytest.fixture
async def routing(database_url: str, make_settings: Callable[..., Any]) -> AsyncIterator[Routing]:
    settings = make_settings(
        RoutingSettings,
        database_url=database_url,
        port=free_port(),
        open_cases_refresh_interval=0.2,
        scheduler_poll_interval=0.1,
        relay_poll_interval=0.1,
    )
    app = create_app(settings)
    connection = await aio_pika.connect(settings.amqp_url)
    channel = await connection.channel(publisher_confirms=True)
    exchange = await declare_exchange(channel, settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://test") as client,
    ):
        harness = Routing(settings, app, client, channel, exchange, Staff.random())
        await watch(harness, "case.*", "sla.*")
        response = await client.put(
            f"/v1/sites/{harness.staff.site}/organisation",
            json=harness.staff.organisation(),
            headers=harness.headers(harness.staff.admin, "admin"),
        )
        assert response.status_code == 200, response.text
        yield harness
    await connection.close()
