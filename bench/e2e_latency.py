"""End-to-end latency: from `POST /v1/complaints` on intake to `case.assigned` on the exchange.

    .venv/bin/python -m bench.e2e_latency [--rates 50,200] [--seconds 20] [--warmup 200]
    .venv/bin/python -m bench.e2e_latency --routing-only   # routing's share alone

Runs intake and routing as real processes on PostgreSQL (two fresh databases, created and
dropped here) against the local broker, under names of their own. An open-loop generator
posts complaints at a fixed rate; each is timed from its *intended* send time (so a
generator that falls behind counts against the system, not in its favour) to the moment
its `case.assigned` arrives on an exclusive queue bound to the exchange. Prints p50, p90,
p99 and max per rate, with the POST's own latency beside it. DESIGN.md §12 asks for
p50 <= 25 ms and p99 <= 100 ms at 200 complaints/s; figures are printed, never asserted.
Talks to 127.0.0.1 only (AMQP_URL / DATABASE_URL may point at other local servers).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aio_pika
import httpx
import orjson
from aio_pika.abc import AbstractIncomingMessage

from intake.settings import IntakeSettings
from routing.settings import RoutingSettings
from shared.bus.topology import declare_exchange
from shared.http.auth import issue_token
from shared.settings import ServiceSettings
from shared.testing import servers
from shared.testing.plugin import free_port
from shared.testing.processes import ServiceProcess, settings_env

SITE = "bench-site"
SENDERS = 48  # connections; a request that finds them all busy waits, and that counts
TARGET_P50_MS = 25.0
TARGET_P99_MS = 100.0


@dataclass
class Run:
    """One rate's measurements, in seconds on the monotonic clock."""

    rate: float
    intended: dict[str, float] = field(default_factory=dict)
    posted: list[float] = field(default_factory=list)
    lag: list[float] = field(default_factory=list)
    failed: int = 0


@dataclass
class Watch:
    """When each complaint's case.assigned was seen, by complaint id."""

    seen: dict[str, float] = field(default_factory=dict)


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@contextlib.asynccontextmanager
async def _databases(tag: str) -> AsyncIterator[tuple[str, str]]:
    admin = os.environ.get("DATABASE_URL", servers.LOCAL_POSTGRES)
    admin = admin.replace("postgresql://", "postgresql+asyncpg://", 1)
    names = [f"careloop_bench_{service}_{tag}" for service in ("intake", "routing")]
    for name in names:
        await servers.create_database(admin, name)
    try:
        yield servers.with_database(admin, names[0]), servers.with_database(admin, names[1])
    finally:
        for name in names:
            await servers.drop_database(admin, name)


def _settings(cls: type[ServiceSettings], url: str, tag: str, amqp: str) -> ServiceSettings:
    return cls(
        database_url=url,
        amqp_url=amqp,
        exchange=f"bench-{tag}.careloop.events",
        queue_prefix=f"bench-{tag}.",
        port=free_port(),
        log_format="json",
        relay_poll_interval=0.2,
    )


def _process(module: str, settings: ServiceSettings, logs: Path) -> ServiceProcess:
    return ServiceProcess(
        module, port=settings.port, env=settings_env(settings), log_path=logs / f"{module}.log"
    )


async def _set_up(client: httpx.AsyncClient, intake: str, routing: str, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    site = {"id": SITE, "code": "BE", "name": "Bench Gardens"}
    response = await client.post(f"{intake}/v1/sites", json=site, headers=headers)
    assert response.status_code in (201, 409), response.text
    organisation = {
        "departments": [{"code": "customer_service", "name": "Customer service", "head": "cs"}],
        "staff": [
            {"id": "cs", "name": "Chen", "role": "dept_head", "department": "customer_service"},
            *(
                {
                    "id": f"h{i}",
                    "name": f"H{i}",
                    "role": "handler",
                    "department": "customer_service",
                }
                for i in range(5)
            ),
        ],
    }
    response = await client.put(
        f"{routing}/v1/sites/{SITE}/organisation", json=organisation, headers=headers
    )
    assert response.status_code == 200, response.text


def _complaint(index: int) -> dict[str, Any]:
    return {
        "site_id": SITE,
        "channel": "call_center",
        "kind": "complaint",
        "category": "other",
        "description": f"Bench complaint {index}: the corridor light on floor 7 is out.",
        "reporter": {"type": "visitor", "name": "Visitor", "phone": "13800138000"},
    }


class Connection:
    """One kept-alive HTTP/1.1 connection to intake, spoken by hand.

    httpx spends milliseconds of CPU per request; at 200 requests per second on two cores
    the generator would be what saturates, and its lag would be measured as the system's.
    """

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.head = (
            "POST /v1/complaints HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        ).encode()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, body: bytes) -> tuple[int, bytes]:
        """Send one complaint; (status, response body)."""
        if self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        self.writer.write(self.head + b"Content-Length: %d\r\n\r\n" % len(body) + body)
        status = int((await self.reader.readline()).split()[1])
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        return status, await self.reader.readexactly(length)


async def _sender(connection: Connection, jobs: asyncio.Queue[tuple[int, float]], run: Run) -> None:
    while True:
        index, intended = await jobs.get()
        run.lag.append(time.monotonic() - intended)
        try:
            status, body = await connection.post(orjson.dumps(_complaint(index)))
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            connection.writer = None
            status, body = 0, b""
        if status == 201:
            run.posted.append(time.monotonic() - intended)
            run.intended[orjson.loads(body)["id"]] = intended
        else:
            run.failed += 1
        jobs.task_done()


async def _generate(port: int, token: str, rate: float, count: int) -> Run:
    """Post `count` complaints at `rate` per second, open loop, over kept-alive connections."""
    run = Run(rate)
    jobs: asyncio.Queue[tuple[int, float]] = asyncio.Queue()
    senders = [
        asyncio.create_task(_sender(Connection(port, token), jobs, run)) for _ in range(SENDERS)
    ]
    start = time.monotonic() + 0.1
    for index in range(count):
        intended = start + index / rate
        delay = intended - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        jobs.put_nowait((index, intended))
    await jobs.join()
    for sender in senders:
        sender.cancel()
    await asyncio.gather(*senders, return_exceptions=True)
    return run


async def _wait_for_all(run: Run, watch: Watch, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(c not in watch.seen for c in run.intended):
        await asyncio.sleep(0.05)


def _report(run: Run, watch: Watch, seconds: float, sent: str = "POST") -> dict[str, float]:
    latencies = [
        (watch.seen[c] - sent) * 1000 for c, sent in run.intended.items() if c in watch.seen
    ]
    posts = [p * 1000 for p in run.posted]
    lost = len(run.intended) - len(latencies)
    p50, p99 = _percentile(latencies, 0.5), _percentile(latencies, 0.99)
    print(
        f"rate {run.rate:>5.0f}/s for {seconds:.0f}s: {len(latencies)} assigned, {lost} missing, "
        f"{run.failed} failed posts"
    )
    print(
        f"  {sent:<4} -> case.assigned  p50 {p50:7.1f} ms"
        f"  p90 {_percentile(latencies, 0.9):7.1f} ms"
        f"  p99 {p99:7.1f} ms  max {max(latencies, default=float('nan')):7.1f} ms"
        f"  mean {statistics.fmean(latencies) if latencies else float('nan'):7.1f} ms"
    )
    lag = [x * 1000 for x in run.lag]
    print(
        f"  {sent:<4} returned          p50 {_percentile(posts, 0.5):7.1f} ms"
        f"  p99 {_percentile(posts, 0.99):7.1f} ms"
        f"   (generator lag p50 {_percentile(lag, 0.5):.1f} ms,"
        f" p99 {_percentile(lag, 0.99):.1f} ms)"
    )
    print(
        f"  targets (DESIGN.md §12, 200/s): p50 <= {TARGET_P50_MS:.0f} ms "
        f"({p50 / TARGET_P50_MS:.2f} x), "
        f"p99 <= {TARGET_P99_MS:.0f} ms ({p99 / TARGET_P99_MS:.2f} x)"
    )
    return {
        "rate": run.rate,
        "assigned": len(latencies),
        "missing": lost,
        "failed_posts": run.failed,
        "p50_ms": p50,
        "p99_ms": p99,
    }


@contextlib.asynccontextmanager
async def _watch(settings: ServiceSettings, watch: Watch) -> AsyncIterator[None]:
    """Record when each case.assigned reaches an exclusive queue bound to the exchange."""
    connection = await aio_pika.connect(settings.amqp_url)
    try:
        channel = await connection.channel()
        exchange = await declare_exchange(channel, settings)
        queue = await channel.declare_queue(exclusive=True)
        await queue.bind(exchange, routing_key="case.assigned")

        async def on_message(message: AbstractIncomingMessage) -> None:
            seen = time.monotonic()
            data = orjson.loads(message.body)["data"]
            watch.seen.setdefault(data["complaint_id"], seen)
            await message.ack()

        await queue.consume(on_message)
        yield
    finally:
        await connection.close()


async def bench(rates: list[float], seconds: float, warmup: int) -> dict[str, Any]:
    """Latency per rate, and each process's resident memory afterwards."""
    tag = uuid.uuid4().hex[:8]
    amqp = os.environ.get("AMQP_URL", servers.LOCAL_AMQP)
    async with _databases(tag) as (intake_url, routing_url):
        intake_settings = _settings(IntakeSettings, intake_url, tag, amqp)
        routing_settings = _settings(RoutingSettings, routing_url, tag, amqp)
        with tempfile.TemporaryDirectory() as folder:
            logs = Path(folder)
            procs = [
                _process("routing", routing_settings, logs),
                _process("intake", intake_settings, logs),
            ]
            try:
                await asyncio.gather(*(asyncio.to_thread(p.start) for p in procs))
                runs = await _measure(procs, routing_settings, rates, seconds, warmup)
                return {"runs": runs, "rss_mb": {p.module: rss_mb(p) for p in procs}}
            finally:
                for proc in procs:
                    if proc.alive():
                        proc.terminate()
                for settings in (intake_settings, routing_settings):
                    await servers.delete_topology(settings)


async def _measure(
    procs: list[ServiceProcess],
    settings: ServiceSettings,
    rates: list[float],
    seconds: float,
    warmup: int,
) -> list[dict[str, float]]:
    routing, intake = procs
    figures = []
    token = issue_token(settings, sub="bench", roles=["admin", "callcenter"], sites=["*"])
    limits = httpx.Limits(max_connections=400, max_keepalive_connections=400)
    watch = Watch()
    async with (
        httpx.AsyncClient(timeout=30, limits=limits) as client,
        _watch(settings, watch),
    ):
        await _set_up(client, intake.url, routing.url, token)
        if warmup:
            run = await _generate(intake.port, token, 50, warmup)
            await _wait_for_all(run, watch)
            print(f"warm-up: {warmup} complaints at 50/s, {len(run.intended)} assigned")
        for rate in rates:
            before = await _stages(client, intake.url, routing.url)
            cpu = {p.module: _cpu_seconds(p) for p in procs}
            run = await _generate(intake.port, token, rate, int(rate * seconds))
            await _wait_for_all(run, watch)
            figures.append(_report(run, watch, seconds))
            _report_stages(before, await _stages(client, intake.url, routing.url))
            for proc in procs:
                spent = (_cpu_seconds(proc) - cpu[proc.module]) / max(len(run.intended), 1)
                print(f"  {proc.module} process CPU per complaint   {spent * 1000:7.2f} ms")
            await asyncio.sleep(2)
    return figures


# Where the time goes: (service URL key, metric series, labels that must all appear).
STAGES = {
    "intake POST (server side)": (
        "intake",
        "careloop_http_request_duration_seconds",
        ('method="POST"', 'route="/v1/complaints"'),
    ),
    "routing complaint.received handler": (
        "routing",
        "careloop_bus_handler_duration_seconds",
        ('event_type="complaint.received"',),
    ),
}


async def _stages(
    client: httpx.AsyncClient, intake: str, routing: str
) -> dict[str, tuple[float, float]]:
    """(sum, count) of each stage's histogram, scraped from the services' /metrics."""
    pages = {
        "intake": (await client.get(f"{intake}/metrics")).text,
        "routing": (await client.get(f"{routing}/metrics")).text,
    }
    found = {}
    for name, (service, series, labels) in STAGES.items():
        totals = []
        for suffix in ("_sum", "_count"):
            lines = [
                line
                for line in pages[service].splitlines()
                if line.startswith(series + suffix + "{") and all(lb in line for lb in labels)
            ]
            totals.append(sum(float(line.rsplit(" ", 1)[1]) for line in lines))
        found[name] = (totals[0], totals[1])
    return found


def rss_mb(proc: ServiceProcess) -> float:
    """The process's resident memory, in MB (Linux /proc)."""
    assert proc.proc is not None
    for line in Path(f"/proc/{proc.proc.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _cpu_seconds(proc: ServiceProcess) -> float:
    """User and system CPU time the process has used (Linux /proc)."""
    assert proc.proc is not None
    fields = Path(f"/proc/{proc.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _report_stages(
    before: dict[str, tuple[float, float]], after: dict[str, tuple[float, float]]
) -> None:
    for name, (total, count) in after.items():
        spent, seen = total - before[name][0], count - before[name][1]
        mean = spent / seen * 1000 if seen else float("nan")
        print(f"  {name:<36} mean {mean:7.1f} ms over {seen:.0f}")


async def routing_only(rates: list[float], seconds: float, warmup: int) -> None:
    """Routing's share alone: complaint.received published at `rates`, to case.assigned."""
    tag = uuid.uuid4().hex[:8]
    amqp = os.environ.get("AMQP_URL", servers.LOCAL_AMQP)
    async with _databases(tag) as (_unused, routing_url):
        settings = _settings(RoutingSettings, routing_url, tag, amqp)
        with tempfile.TemporaryDirectory() as folder:
            proc = _process("routing", settings, Path(folder))
            try:
                await asyncio.to_thread(proc.start)
                await _measure_routing(proc, settings, rates, seconds, warmup)
            finally:
                if proc.alive():
                    proc.terminate()
                await servers.delete_topology(settings)


async def _measure_routing(
    proc: ServiceProcess, settings: ServiceSettings, rates: list[float], seconds: float, warmup: int
) -> None:
    token = issue_token(settings, sub="bench", roles=["admin"], sites=["*"])
    watch = Watch()
    connection = await aio_pika.connect(settings.amqp_url)
    async with httpx.AsyncClient(timeout=30) as client, _watch(settings, watch):
        await _set_up_routing(client, proc.url, token)
        exchange = await declare_exchange(await connection.channel(), settings)
        if warmup:
            await _wait_for_all(await _publish_complaints(exchange, 50, warmup), watch)
            print(f"warm-up: {warmup} complaints at 50/s")
        for rate in rates:
            cpu = _cpu_seconds(proc)
            run = await _publish_complaints(exchange, rate, int(rate * seconds))
            await _wait_for_all(run, watch)
            _report(run, watch, seconds, sent="publish")
            spent = (_cpu_seconds(proc) - cpu) / max(len(run.intended), 1)
            print(f"  routing process CPU per complaint   {spent * 1000:7.2f} ms")
    await connection.close()


async def _set_up_routing(client: httpx.AsyncClient, routing: str, token: str) -> None:
    organisation = {
        "departments": [{"code": "customer_service", "name": "Customer service"}],
        "staff": [
            {"id": f"h{i}", "name": f"H{i}", "role": "handler", "department": "customer_service"}
            for i in range(5)
        ],
    }
    response = await client.put(
        f"{routing}/v1/sites/{SITE}/organisation",
        json=organisation,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text


async def _publish_complaints(exchange: Any, rate: float, count: int) -> Run:
    """complaint.received at `rate` per second, open loop, as intake's relay would send it."""
    run = Run(rate)
    start = time.monotonic() + 0.1
    for index in range(count):
        intended = start + index / rate
        delay = intended - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        run.lag.append(time.monotonic() - intended)
        complaint_id, body = _envelope(index)
        run.intended[complaint_id] = intended
        await exchange.publish(
            aio_pika.Message(body, type="complaint.received"), routing_key="complaint.received"
        )
        run.posted.append(time.monotonic() - intended)
    return run


def _envelope(index: int) -> tuple[str, bytes]:
    complaint_id, message_id = str(uuid.uuid4()), str(uuid.uuid4())
    now = datetime.now(UTC).isoformat()
    data = {
        "complaint_id": complaint_id,
        "reference": f"BE-20261127-{index:06d}",
        "site_id": SITE,
        "channel": "call_center",
        "kind": "complaint",
        "category": "other",
        "description": f"Bench complaint {index}",
        "reporter_type": "visitor",
        "received_at": now,
    }
    envelope = {
        "id": message_id,
        "type": "complaint.received",
        "version": 1,
        "occurred_at": now,
        "source": "intake",
        "site_id": SITE,
        "correlation_id": message_id,
        "aggregate_id": complaint_id,
        "aggregate_version": 1,
        "data": data,
    }
    return complaint_id, orjson.dumps(envelope)


def main() -> None:
    """Entry point: parse the rates and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", default="50,200", help="complaints per second, comma-separated")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long each rate runs")
    parser.add_argument("--warmup", type=int, default=200, help="complaints sent first, unmeasured")
    parser.add_argument(
        "--routing-only",
        action="store_true",
        help="publish complaint.received straight to the exchange: routing's share alone",
    )
    args = parser.parse_args()
    rates = [float(r) for r in args.rates.split(",") if r.strip()]
    if args.routing_only:
        print(f"routing alone on PostgreSQL, open loop, {os.cpu_count()} CPUs")
        asyncio.run(routing_only(rates, args.seconds, args.warmup))
        return
    print(f"intake + routing on PostgreSQL, open loop, {os.cpu_count()} CPUs")
    asyncio.run(bench(rates, args.seconds, args.warmup))


if __name__ == "__main__":
    main()
