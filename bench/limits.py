"""This machine's limits for POST /v1/complaints, beside intake itself, in one run.

    .venv/bin/python -m bench.limits [--seconds 8] [--connections 64]

Closed loop (each connection sends its next request when the last one answered) against:
the naive path and the raw path (bench/limits_app.py) and intake with everything on (auth,
idempotency, outbox and its relay, logs, metrics), all on fresh PostgreSQL databases, one
process each, with the same request bodies and the same hand-written client. Prints
requests/s and the ratios DESIGN.md §12 asks for: intake >= 2 x naive and >= 0.5 x raw.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvloop

from bench.common import database
from bench.e2e_latency import rss_mb
from bench.intake_post import Connections, seed
from intake.settings import IntakeSettings
from shared.http.auth import issue_token
from shared.testing import servers
from shared.testing.plugin import free_port
from shared.testing.processes import ServiceProcess, settings_env

TARGET_VS_NAIVE = 2.0
TARGET_VS_RAW = 0.5


@dataclass
class Throughput:
    path: str
    rate: float
    errors: int
    rss_mb: float


async def closed_loop(
    connections: Connections, bodies: list[bytes], seconds: float
) -> tuple[float, int]:
    """Requests/s answered 201 with every connection kept busy for `seconds`."""
    done = errors = 0
    deadline = time.monotonic() + seconds

    async def worker(offset: int) -> None:
        nonlocal done, errors
        index = offset
        while time.monotonic() < deadline:
            try:
                status = await connections.post(bodies[index % len(bodies)])
            except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
                status = 0
            done, errors = (done + 1, errors) if status == 201 else (done, errors + 1)
            index += 1

    started = time.monotonic()
    await asyncio.gather(*(worker(n) for n in range(connections.size)))
    return done / (time.monotonic() - started), errors


async def reference(mode: str, args: argparse.Namespace, bodies: list[bytes]) -> Throughput:
    """The naive or raw path's throughput."""
    with tempfile.TemporaryDirectory() as folder:
        async with database("postgresql", "limits_bench") as url:
            port = free_port()
            env = {"BENCH_MODE": mode, "BENCH_DATABASE_URL": url, "BENCH_PORT": str(port)}
            process = ServiceProcess(
                "bench.limits_app", port=port, env=env, log_path=Path(folder) / f"{mode}.log"
            )
            with process.start(wait=False):
                await _wait_listening(port)
                return await _measure(mode, port, "none", bodies, args, process)


async def intake(args: argparse.Namespace) -> tuple[Throughput, list[bytes]]:
    """Intake's throughput with everything on, and the bodies it was seeded with."""
    with tempfile.TemporaryDirectory() as folder:
        async with database("postgresql", "limits_bench") as url:
            run = uuid.uuid4().hex[:8]
            settings = IntakeSettings(
                database_url=url,
                port=free_port(),
                host="127.0.0.1",
                exchange=f"bench-{run}.careloop.events",
                queue_prefix=f"bench-{run}.",
                amqp_url=os.environ.get("AMQP_URL", servers.LOCAL_AMQP),
            )
            process = ServiceProcess(
                "intake",
                port=settings.port,
                env=settings_env(settings),
                log_path=Path(folder) / "intake.log",
            )
            try:
                with process.start():
                    admin = issue_token(settings, sub="bench", roles=["admin"], sites=["*"])
                    async with httpx.AsyncClient(
                        base_url=process.url, headers={"Authorization": f"Bearer {admin}"}
                    ) as client:
                        bodies = await seed(client, 10)
                    caller = issue_token(settings, sub="cc", roles=["callcenter"], sites=["*"])
                    result = await _measure("intake", settings.port, caller, bodies, args, process)
            finally:
                await servers.delete_topology(settings)
    return result, bodies


async def _measure(
    path: str,
    port: int,
    token: str,
    bodies: list[bytes],
    args: argparse.Namespace,
    process: ServiceProcess,
) -> Throughput:
    connections = Connections(port, args.connections, token)
    await connections.open()
    try:
        await closed_loop(connections, bodies, 1.0)  # warm up
        rate, errors = await closed_loop(connections, bodies, args.seconds)
    finally:
        await connections.close()
    assert process.proc is not None
    return Throughput(path, rate, errors, rss_mb(process))


async def _wait_listening(port: int) -> None:
    for _ in range(200):
        try:
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.05)
    raise SystemExit(f"the reference endpoint did not start on port {port}")


async def run(args: argparse.Namespace) -> dict[str, Throughput]:
    """Intake first (it seeds the bodies), then the naive and raw paths."""
    measured, bodies = await intake(args)
    naive = await reference("naive", args, bodies)
    raw = await reference("raw", args, bodies)
    return {"intake": measured, "naive": naive, "raw": raw}


def report(results: dict[str, Throughput]) -> str:
    intake_rate = results["intake"].rate
    lines = [
        "| path (PostgreSQL, one process) | requests/s | errors | RSS MB |",
        "|---|---:|---:|---:|",
    ]
    for r in results.values():
        lines.append(f"| {r.path} | {r.rate:,.0f} | {r.errors} | {r.rss_mb:.0f} |")
    lines += [
        "",
        f"intake / naive = {intake_rate / results['naive'].rate:.2f} (target {TARGET_VS_NAIVE})",
        f"intake / raw = {intake_rate / results['raw'].rate:.2f} (target {TARGET_VS_RAW})",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    uvloop.install()
    print(report(asyncio.run(run(args))))


if __name__ == "__main__":
    main()
