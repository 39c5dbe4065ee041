"""Fixtures for the bus proofs: the probe service as a real process, and a broker client."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aio_pika
import pytest
from aio_pika.abc import AbstractChannel, AbstractConnection, AbstractExchange
from probe.app import ProbeSettings, metadata
from sqlalchemy import text

from shared.bus.topology import declare_exchange
from shared.db.engine import Database
from shared.testing.plugin import free_port
from shared.testing.processes import ServiceProcess, settings_env
from shared.testing.servers import create_schema

HERE = Path(__file__).parent

pytestmark = pytest.mark.integration


@dataclass
class Probe:
    settings: ProbeSettings
    db: Database
    exchange: AbstractExchange
    channel: AbstractChannel
    processes: list[ServiceProcess]
    tmp_path: Path
    vhost_url: str | None = None

    def process(self, *, start: bool = True) -> ServiceProcess:
        """A probe service process (started and ready unless start=False)."""
        env = {**settings_env(self.settings), "PYTHONPATH": _pythonpath()}
        proc = ServiceProcess(
            "probe",
            port=self.settings.port,
            env=env,
            log_path=self.tmp_path / f"probe-{len(self.processes)}.log",
        )
        self.processes.append(proc)
        return proc.start() if start else proc

    async def scalar(self, sql: str) -> Any:
        async with self.db.engine.connect() as conn:
            return (await conn.execute(text(sql))).scalar()

    async def wait_for(self, sql: str, expected: Any, *, timeout: float = 60.0) -> Any:
        """Poll `sql` until it returns `expected`; returns the last value either way."""
        deadline = time.monotonic() + timeout
        value = None
        while time.monotonic() < deadline:
            value = await self.scalar(sql)
            if value == expected:
                return value
            await asyncio.sleep(0.2)
        return value

    async def queue_depth(self, name: str) -> int:
        queue = await self.channel.declare_queue(name, passive=True)
        return int(queue.declaration_result.message_count or 0)


def _pythonpath() -> str:
    return os.pathsep.join(p for p in (str(HERE), os.environ.get("PYTHONPATH", "")) if p)


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


Publish = Callable[..., Awaitable[None]]
