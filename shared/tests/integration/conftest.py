"""Fixtures for the bus proofs: the probe service as a real process, and a broker client."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aio_pika
import pytest
from aio_pika.abc import AbstractConnection

# The probe service is a package beside this file; its processes find it on PYTHONPATH.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from probe.app import ProbeSettings, metadata
from probe.harness import Probe

from shared.bus.topology import declare_exchange
from shared.db.engine import Database
from shared.testing.plugin import free_port
from shared.testing.servers import create_schema

pytestmark = pytest.mark.integration


@pytest.fixture
async def probe(
    database_url: str,
    make_settings: Callable[..., Any],
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> AsyncIterator[Probe]:
    overrides: dict[str, Any] = {}
    if request.node.get_closest_marker("own_vhost"):
        _vhost, overrides["amqp_url"] = request.getfixturevalue("own_vhost")
    settings = make_settings(
        ProbeSettings, database_url=database_url, port=free_port(), retry_limit=3, **overrides
    )
    await create_schema(database_url, metadata)
    db = Database(database_url, pool_size=2)
    connection: AbstractConnection = await aio_pika.connect(settings.amqp_url)
    channel = await connection.channel(publisher_confirms=True)
    exchange = await declare_exchange(channel, settings)
    harness = Probe(settings, db, exchange, channel, [], tmp_path, overrides.get("amqp_url"))
    try:
        yield harness
    finally:
        for proc in harness.processes:
            if proc.alive():
                proc.kill()
        with contextlib.suppress(Exception):  # a drill may have cut it already
            await connection.close()
        await db.dispose()
