"""Benchmark of `POST /v1/complaints`: intake as a real process, open-loop load.

    .venv/bin/python -m bench.intake_post [--rates 200,400,800] [--seconds 10]
                                          [--backends sqlite,postgresql] [--sites 20]

For each database (a fresh SQLite file, or a fresh PostgreSQL database created and dropped
here) it starts `python -m intake` on 127.0.0.1, seeds sites with a household each, then
offers complaints at fixed arrival rates, one phase per rate. Requests leave on schedule
whether or not earlier ones have answered (open loop), and each latency is measured from
the request's intended send time, so a server that falls behind shows it in p99 instead of
silently slowing the generator down. Every request carries a token, an Idempotency-Key and
a household reporter: auth, idempotency, the outbox, logs and metrics are all on. The
requests are written by hand on keep-alive connections: the generator shares the machine
with the service, and an HTTP client library would cost it more CPU than the service.

Prints, per backend and rate: offered and achieved requests/s, p50/p99/max latency and
errors, then whether the relay kept up (outbox backlog). Figures, not asserts (DESIGN.md
§12). Bounded: at most --max-requests per phase and --drain seconds to finish; talks only
to 127.0.0.1 (the local broker and database, AMQP_URL / DATABASE_URL if they point there).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import orjson
import uvloop
from sqlalchemy import text

from bench.common import LOCAL, database, local_only, percentile
from intake.settings import IntakeSettings
from shared.db.engine import Database
from shared.http.auth import issue_token
from shared.testing import servers
from shared.testing.plugin import free_port
from shared.testing.processes import ServiceProcess, settings_env


@dataclass
class Phase:
    backend: str
    offered: float
    sent: int = 0
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0

    @property
    def achieved(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        return percentile(self.latencies, p) * 1000


async def seed(client: httpx.AsyncClient, sites: int) -> list[bytes]:
    """Sites with a building, unit and household each; one complaint body per site."""
    bodies = []
    for n in range(sites):
        site_id = f"bench-{n}-{uuid.uuid4().hex[:6]}"
        code = f"B{n:02d}{uuid.uuid4().hex[:4].upper()}"
        await _ok(client.post("/v1/sites", json={"id": site_id, "code": code, "name": "Bench"}))
        base = f"/v1/sites/{site_id}"
        building = await _ok(client.post(f"{base}/buildings", json={"code": "B1"}))
        unit = await _ok(
            client.post(f"{base}/units", json={"building_id": building["id"], "number": "101"})
        )
        household = await _ok(
            client.post(
                f"{base}/households",
                json={"unit_id": unit["id"], "name": "Bench Resident", "phones": ["13800138000"]},
            )
        )
        bodies.append(orjson.dumps(_complaint(site_id, household["id"])))
    return bodies


def _complaint(site_id: str, household_id: str) -> dict[str, object]:
    return {
        "site_id": site_id,
        "channel": "call_center",
        "kind": "complaint",
        "category": "maintenance",
        "severity": "normal",
        "description": "The lift in the east stairwell stops between the 3rd and 4th floor.",
        "reporter": {"type": "household", "household_id": household_id},
    }


async def _ok(response: object) -> dict[str, object]:
    answered = await response  # type: ignore[misc]
    if answered.status_code >= 300:
        raise SystemExit(f"seeding failed: {answered.status_code} {answered.text}")
    result: dict[str, object] = answered.json()
    return result


class Connections:
    """Keep-alive HTTP/1.1 connections to the service, written and read by hand.

    An HTTP client library costs more CPU per request than the service's own framework
    (httpx: about 1 ms, 5 ms with hundreds of connections), and the generator shares the
    machine with the service; a raw request costs a few microseconds.
    """

    def __init__(self, port: int, size: int, token: str) -> None:
        self.port = port
        self.size = size
        self.head = (
            "POST /v1/complaints HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        ).encode()
        self.idle: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = (
            asyncio.Queue()
        )

    async def open(self) -> None:
        for _ in range(self.size):
            self.idle.put_nowait(await asyncio.open_connection(LOCAL, self.port))

    async def close(self) -> None:
        while not self.idle.empty():
            _reader, writer = self.idle.get_nowait()
            writer.close()

    async def post(self, body: bytes) -> int:
        """POST a complaint with a fresh Idempotency-Key; the response status."""
        reader, writer = await self.idle.get()
        try:
            key = uuid.uuid4().hex
            writer.write(
                b"%sIdempotency-Key: %s\r\nContent-Length: %d\r\n\r\n%s"
                % (self.head, key.encode(), len(body), body)
            )
            status = int((await reader.readline()).split()[1])
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
        except Exception:
            writer.close()
            reader, writer = await asyncio.open_connection(LOCAL, self.port)
            raise
        finally:
            self.idle.put_nowait((reader, writer))
        return status


async def _one(connections: Connections, body: bytes, due: float, phase: Phase) -> None:
    loop = asyncio.get_running_loop()
    try:
        outcome = str(await connections.post(body))
    except (OSError, ValueError, IndexError, asyncio.IncompleteReadError) as exc:
        outcome = type(exc).__name__
    if outcome == "201":
        phase.latencies.append(loop.time() - due)
    else:
        phase.errors[outcome] = phase.errors.get(outcome, 0) + 1


async def open_loop(
    connections: Connections,
    bodies: list[bytes],
    phase: Phase,
    *,
    count: int,
    drain: float,
) -> None:
    """Send `count` requests at the phase's fixed rate, each on its own schedule."""
    loop = asyncio.get_running_loop()
    interval = 1.0 / phase.offered
    start = loop.time() + 0.05
    tasks = []
    for index in range(count):
        due = start + index * interval
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        body = bodies[index % len(bodies)]
        tasks.append(asyncio.create_task(_one(connections, body, due, phase)))
    phase.sent = count
    _done, pending = await asyncio.wait(tasks, timeout=drain)
    for task in pending:
        task.cancel()
    if pending:
        phase.errors["unfinished"] = len(pending)
    phase.elapsed = loop.time() - start


async def backlog(url: str) -> tuple[int, int]:
    """(complaints recorded, outbox rows not yet published)."""
    db = Database(url, pool_size=1)
    try:
        async with db.engine.connect() as conn:
            complaints = await conn.scalar(text("SELECT count(*) FROM complaint"))
            unsent = await conn.scalar(
                text("SELECT count(*) FROM outbox WHERE published_at IS NULL")
            )
    finally:
        await db.dispose()
    return int(complaints or 0), int(unsent or 0)


async def bench_backend(backend: str, args: argparse.Namespace) -> list[Phase]:
    amqp_url = local_only(os.environ.get("AMQP_URL", servers.LOCAL_AMQP))
    with tempfile.TemporaryDirectory() as folder:
        async with database(backend, "intake_bench") as url:
            run = uuid.uuid4().hex[:8]
            settings = IntakeSettings(
                database_url=url,
                amqp_url=amqp_url,
                exchange=f"bench-{run}.careloop.events",
                queue_prefix=f"bench-{run}.",
                port=free_port(),
                host=LOCAL,
            )
            process = ServiceProcess(
                "intake",
                port=settings.port,
                env=settings_env(settings),
                log_path=Path(folder) / "intake.log",
            )
            try:
                with process.start():
                    return await _phases(backend, settings, process.url, url, args)
            finally:
                await servers.delete_topology(settings)


async def _phases(
    backend: str, settings: IntakeSettings, base_url: str, url: str, args: argparse.Namespace
) -> list[Phase]:
    admin = issue_token(settings, sub="bench-admin", roles=["admin"], sites=["*"])
    caller = issue_token(settings, sub="bench-callcenter", roles=["callcenter"], sites=["*"])
    headers = {"Authorization": f"Bearer {admin}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=30) as client:
        bodies = await seed(client, args.sites)
    connections = Connections(settings.port, args.connections, caller)
    await connections.open()
    phases = []
    try:
        await open_loop(connections, bodies, Phase(backend, 100.0), count=300, drain=args.drain)
        for rate in args.rates:
            phase = Phase(backend, rate)
            count = min(int(rate * args.seconds), args.max_requests)
            await open_loop(connections, bodies, phase, count=count, drain=args.drain)
            phases.append(phase)
            await asyncio.sleep(2)  # let the relay catch up between phases
    finally:
        await connections.close()
    recorded, unsent = await backlog(url)
    print(f"{backend}: {recorded} complaints recorded, {unsent} outbox rows unpublished at the end")
    return phases


def report(phases: list[Phase], args: argparse.Namespace) -> str:
    lines = [
        f"POST /v1/complaints, intake as one process on {LOCAL}, {os.cpu_count()} cores, "
        f"open loop {args.seconds:g} s per rate, {args.sites} sites",
        "",
        "| backend | offered req/s | achieved req/s | p50 ms | p99 ms | max ms | errors |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for p in phases:
        errors = ", ".join(f"{k}: {v}" for k, v in sorted(p.errors.items())) or "0"
        top = max(p.latencies) * 1000 if p.latencies else float("nan")
        lines.append(
            f"| {p.backend} | {p.offered:,.0f} | {p.achieved:,.0f} | {p.percentile(50):.1f} | "
            f"{p.percentile(99):.1f} | {top:.0f} | {errors} |"
        )
    return "\n".join(lines)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rates", default="200,400,800")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--connections", type=int, default=128)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--drain", type=float, default=30.0)
    args = parser.parse_args()
    args.rates = [float(r) for r in args.rates.split(",")]
    phases: list[Phase] = []
    for backend in args.backends.split(","):
        phases += await bench_backend(backend, args)
    print(report(phases, args))


if __name__ == "__main__":
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    asyncio.run(main())
