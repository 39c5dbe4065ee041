"""The probe's test harness: the service as a real process, its database, a broker client."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aio_pika.abc import AbstractChannel, AbstractExchange
from sqlalchemy import text

from probe.app import ProbeSettings
from shared.bus import parking
from shared.db.engine import Database
from shared.testing import inprocess
from shared.testing.checks import eventually
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
        return await eventually(lambda: self.scalar(sql), expected, timeout=timeout)

    async def queue_depth(self, name: str) -> int:
        queue = await self.channel.declare_queue(name, passive=True)
        return int(queue.declaration_result.message_count or 0)


def _pythonpath() -> str:
    return os.pathsep.join(p for p in (str(HERE), os.environ.get("PYTHONPATH", "")) if p)


def envelope(
    event: Any,
    *,
    message_id: str | None = None,
    aggregate_id: str | None = None,
    aggregate_version: int | None = None,
) -> dict[str, Any]:
    """A complete envelope as the outbox writes it, from the probe's site."""
    return inprocess.envelope(
        event,
        site_id="site-probe",
        message_id=message_id,
        aggregate_id=aggregate_id,
        aggregate_version=aggregate_version,
    )


async def publish(probe: Probe, body: bytes, *, message_id: str, type_: str) -> None:
    await inprocess.publish_body(probe.exchange, body, message_id=message_id, type_=type_)


async def publish_event(probe: Probe, env: dict[str, Any]) -> None:
    await inprocess.publish(probe.exchange, env)


async def parked(probe: Probe) -> list[parking.Parked]:
    return await parking.list_parked(probe.channel, probe.settings.queue_name(".parking"))


async def wait_parked(probe: Probe, count: int, timeout: float = 60) -> list[parking.Parked]:
    async def enough() -> bool:
        return await probe.queue_depth(probe.settings.queue_name(".parking")) >= count

    await eventually(enough, True, timeout=timeout)
    return await parked(probe)
