"""Benchmark of the bus: outbox relay and consumer throughput, with this machine's limit.

    .venv/bin/python -m bench.bus [--events 20000] [--backends sqlite,postgresql]

Prints, per database: the outbox relay's rate (events/s published with confirms and marked
sent), the consumer's rate (events/s through inbox + handler + commit), and in the same run
raw aio-pika publishing with confirms in batches, the relay's limit. Figures, not asserts:
DESIGN.md §12 asks for relay >= 0.75 x raw and consumer >= 3,000/s per process on PostgreSQL.
Talks only to the local broker and database (AMQP_URL / DATABASE_URL, or the defaults).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

import aio_pika
from sqlalchemy import Column, MetaData, String, Table, func, select

from bench.common import amqp_url, database
from shared.bus import outbox
from shared.bus.connection import Bus
from shared.bus.consumer import Consumer
from shared.bus.relay import OutboxRelay
from shared.bus.topology import declare_exchange
from shared.contracts.base import Envelope
from shared.contracts.intake import ComplaintReceived
from shared.db.engine import Database, transaction
from shared.settings import ServiceSettings
from shared.testing import servers

TARGET_CONSUMER = 3000.0
TARGET_RELAY_RATIO = 0.75
BATCH = 200
RELAY_BATCH = int(os.environ.get("BENCH_RELAY_BATCH", "200"))

metadata = MetaData()
seen = Table("bench_seen", metadata, Column("complaint_id", String(64), primary_key=True))


class BenchSettings(ServiceSettings):
    service_name: ClassVar[str] = "bench"


@dataclass
class Result:
    backend: str
    relay_rate: float
    consumer_rate: float
    raw_rate: float
    raw_one_by_one_rate: float


def event(index: int) -> ComplaintReceived:
    return ComplaintReceived(
        complaint_id=f"c-{index}-{uuid.uuid4().hex[:8]}",
        reference=f"BE-20261127-{index:04d}",
        site_id="site-bench",
        channel="call_center",
        kind="complaint",
        category="maintenance",
        description="The lift on the east side stops between floors.",
        reporter_type="household",
        household_id="h-1",
        received_at=datetime.now(UTC),
    )


async def on_complaint_received(
    event: ComplaintReceived, *, session: Any, envelope: Envelope
) -> None:
    """A typical projection: one row per event."""
    await session.execute(seen.insert().values(complaint_id=event.complaint_id))


async def fill_outbox(db: Database, count: int) -> None:
    for start in range(0, count, 500):
        async with transaction(db) as session:
            for index in range(start, min(start + 500, count)):
                await outbox.add(session, event(index), site_id="site-bench")


async def run_relay(relay: OutboxRelay, count: int) -> float:
    started = time.perf_counter()
    sent = 0
    while sent < count:
        sent += await relay.relay_once()
    return count / (time.perf_counter() - started)


async def run_consumer(settings: BenchSettings, db: Database, bus: Bus, count: int) -> float:
    consumer = Consumer(
        settings=settings, db=db, bus=bus, handlers={"complaint.received": on_complaint_received}
    )
    started = time.perf_counter()
    await consumer.start()
    while await _count_seen(db) < count:
        await asyncio.sleep(0.05)
    elapsed = time.perf_counter() - started
    await consumer.stop()
    return count / elapsed


async def _count_seen(db: Database) -> int:
    async with db.read_sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(seen)) or 0)


async def raw_publish(bus: Bus, settings: BenchSettings, count: int, batch: int = BATCH) -> float:
    """The limit: aio-pika publishing with confirms, `batch` at a time (1: one by one)."""
    channel = await bus.channel(confirms=True)
    exchange = await declare_exchange(channel, settings)
    body = b'{"bench": true, "padding": "' + b"x" * 600 + b'"}'
    started = time.perf_counter()
    for start in range(0, count, batch):
        await asyncio.gather(
            *(
                exchange.publish(aio_pika.Message(body, message_id=str(i)), routing_key="bench.raw")
                for i in range(start, min(start + batch, count))
            )
        )
    rate = count / (time.perf_counter() - started)
    await channel.close()
    return rate


async def bench_backend(backend: str, count: int, amqp_url: str) -> Result:
    async with database(backend) as url:
        run = uuid.uuid4().hex[:8]
        settings = BenchSettings(
            database_url=url,
            amqp_url=amqp_url,
            exchange=f"bench-{run}.careloop.events",
            queue_prefix=f"bench-{run}.",
            relay_batch_size=BATCH,
        )
        await servers.create_schema(url, metadata)
        db = Database(url, pool_size=20)
        bus = Bus(amqp_url, name=f"bench-{run}")
        await bus.connect()
        try:
            declaring = Consumer(
                settings=settings,
                db=db,
                bus=bus,
                handlers={"complaint.received": on_complaint_received},
            )
            await declaring.start()  # declare and bind the queue, then step aside
            await declaring.stop()
            await fill_outbox(db, count)
            relay_rate = await run_relay(OutboxRelay(settings=settings, db=db, bus=bus), count)
            consumer_rate = await run_consumer(settings, db, bus, count)
            raw_rate = await raw_publish(bus, settings, count)
            one_by_one = await raw_publish(bus, settings, min(count, 2_000), batch=1)
        finally:
            await bus.close()
            await db.dispose()
            await servers.delete_topology(settings)
    return Result(backend, relay_rate, consumer_rate, raw_rate, one_by_one)


def report(results: list[Result], count: int) -> str:
    lines = [
        f"bus benchmark, {count} events per backend, one process, {os.cpu_count()} cores",
        "",
        "| backend | relay events/s | raw confirms/s (limit) | raw one by one/s | relay / raw | "
        "target | consumer events/s | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.backend} | {r.relay_rate:,.0f} | {r.raw_rate:,.0f} | "
            f"{r.raw_one_by_one_rate:,.0f} | "
            f"{r.relay_rate / r.raw_rate:.2f} | {TARGET_RELAY_RATIO:.2f} | "
            f"{r.consumer_rate:,.0f} | {TARGET_CONSUMER:,.0f} "
            f"({r.consumer_rate / TARGET_CONSUMER:.2f}x) |"
        )
    return "\n".join(lines)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    results = [await bench_backend(b, args.events, amqp_url()) for b in args.backends.split(",")]
    print(report(results, args.events))


if __name__ == "__main__":
    asyncio.run(main())
