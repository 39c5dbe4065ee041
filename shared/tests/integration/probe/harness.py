"""The probe's test harness: the service as a real process, its database, a broker client."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aio_pika
import orjson
from aio_pika.abc import AbstractChannel, AbstractExchange
from sqlalchemy import text

from probe.app import ProbeSettings
from shared.bus import parking
from shared.clock import utcnow
from shared.db.engine import Database
from shared.testing.processes import ServiceProcess, settings_env

HERE = Path(__file__).resolve().parents[1]


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


def _pythonpath() -> str:
    return os.pathsep.join(p for p in (str(HERE), os.environ.get("PYTHONPATH", "")) if p)


def envelope(
    event: Any,
    *,
    message_id: str | None = None,
    aggregate_id: str | None = None,
    aggregate_version: int | None = None,
) -> dict[str, Any]:
    """A complete envelope as the outbox writes it."""
    message_id = message_id or str(uuid.uuid4())
    return {
        "id": message_id,
        "type": event.type,
        "version": event.version,
        "occurred_at": utcnow().isoformat(),
        "source": event.source,
        "site_id": "site-probe",
        "correlation_id": message_id,
        "causation_id": None,
        "aggregate_id": aggregate_id,
        "aggregate_version": aggregate_version,
        "data": event.model_dump(mode="json"),
    }


async def publish(probe: Probe, body: bytes, *, message_id: str, type_: str) -> None:
    await probe.exchange.publish(
        aio_pika.Message(
            body, message_id=message_id, type=type_, delivery_mode=aio_pika.DeliveryMode.PERSISTENT
        ),
        routing_key=type_,
    )


async def publish_event(probe: Probe, env: dict[str, Any]) -> None:
    await publish(probe, orjson.dumps(env), message_id=env["id"], type_=env["type"])


async def parked(probe: Probe) -> list[parking.Parked]:
    return await parking.list_parked(probe.channel, probe.settings.queue_name(".parking"))


async def wait_parked(probe: Probe, count: int, timeout: float = 60) -> list[parking.Parked]:
    for _ in range(int(timeout * 5)):
        if await probe.queue_depth(probe.settings.queue_name(".parking")) >= count:
            break
        await asyncio.sleep(0.2)
    return await parked(probe)
