"""`make bench`: every benchmark of DESIGN.md §12 in one run, beside this machine's limits.

    .venv/bin/python -m bench [--quick]

Runs, one after the other, on this machine's RabbitMQ and PostgreSQL (and SQLite files):
the bus (outbox relay and consumer, with raw confirmed publishing as the relay's limit),
POST /v1/complaints against the naive and raw reference endpoints (bench/limits.py),
intake under open-loop load (bench/intake_post.py), POST-to-case.assigned latency
(bench/e2e_latency.py), complaint.received during a 20,000-household import's drain
(bench/import_backlog.py), the survey draw from a million households
(bench/survey_draw.py), a notice to 100,000 households (bench/notice_fanout.py), the
complaint report over a million complaints (bench/complaint_report.py) and the console's
work queue and case page beside their service calls (bench/console_pages.py).
Every figure is printed with its ratio to its limit and to its target; nothing is
asserted. Results go to bench/results/latest.json and latest.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import uvloop

from bench import (
    bus,
    complaint_report,
    console_pages,
    e2e_latency,
    import_backlog,
    intake_post,
    limits,
    notice_fanout,
    survey_draw,
)

RESULTS = Path(__file__).parent / "results"
MEMORY_LIMIT_MB = 150.0


@dataclass
class Row:
    """One line of the summary: a measured figure against its target."""

    path: str
    measured: str
    limit: str
    target: str
    met: bool | None  # None: not measured in this run

    def markdown(self) -> str:
        verdict = {True: "yes", False: "**no**", None: "not measured"}[self.met]
        return f"| {self.path} | {self.measured} | {self.limit} | {self.target} | {verdict} |"


async def run(args: argparse.Namespace) -> tuple[list[Row], dict[str, Any]]:
    """Every step; the summary rows and the raw figures."""
    raw: dict[str, Any] = {}
    rows: list[Row] = []
    rows += await _step("bus", raw, _bus(args))
    rows += await _step("limits", raw, _limits(args))
    rows += await _step("intake_open_loop", raw, _open_loop(args))
    rows += await _step("e2e_latency", raw, _latency(args))
    rows += await _step("import_backlog", raw, _backlog(args))
    rows += await _step("survey_draw", raw, _draw(args))
    rows += await _step("notice_fanout", raw, _fanout(args))
    rows += await _step("complaint_report", raw, _report(args))
    rows += await _step("console", raw, _console(args))
    return rows, raw


async def _step(name: str, raw: dict[str, Any], work: Any) -> list[Row]:
    started = time.perf_counter()
    print(f"== {name} ...", flush=True)
    rows, figures = await work
    raw[name] = {"seconds": round(time.perf_counter() - started, 1), **figures}
    return list(rows)


async def _bus(args: argparse.Namespace) -> tuple[list[Row], dict[str, Any]]:
    results = [await bus.bench_backend(b, args.events, bus.amqp_url()) for b in args.backends]
    rows = []
    for r in results:
        ratio = r.relay_rate / r.raw_rate
        rows.append(
            Row(
                f"outbox relay ({r.backend})",
                f"{r.relay_rate:,.0f} events/s",
                f"raw confirms {r.raw_rate:,.0f}/s in batches, "
                f"{r.raw_one_by_one_rate:,.0f}/s one by one",
                ">= 0.75 x raw",
                ratio >= bus.TARGET_RELAY_RATIO,
            )
        )
        rows.append(
            Row(
                f"consumer ({r.backend})",
                f"{r.consumer_rate:,.0f} events/s",
                "-",
                ">= 3,000/s on PostgreSQL",
                r.consumer_rate >= bus.TARGET_CONSUMER if r.backend == "postgresql" else None,
            )
        )
    return rows, {"results": [asdict(r) for r in results]}


async def _limits(args: argparse.Namespace) -> tuple[list[Row], dict[str, Any]]:
    measured = await limits.run(argparse.Namespace(seconds=args.seconds, connections=64))
    intake, naive, raw = measured["intake"], measured["naive"], measured["raw"]
    rows = [
        Row(
            "POST /v1/complaints vs naive (PostgreSQL)",
            f"{intake.rate:,.0f} req/s",
            f"naive {naive.rate:,.0f} req/s",
            ">= 2 x naive",
            intake.rate >= limits.TARGET_VS_NAIVE * naive.rate,
        ),
        Row(
            "POST /v1/complaints vs raw (PostgreSQL)",
            f"{intake.rate:,.0f} req/s",
            f"raw {raw.rate:,.0f} req/s",
            ">= 0.5 x raw",
            intake.rate >= limits.TARGET_VS_RAW * raw.rate,
        ),
        Row(
            "intake memory after load",
            f"{intake.rss_mb:.0f} MB RSS",
            "-",
            f"<= {MEMORY_LIMIT_MB:.0f} MB",
            intake.rss_mb <= MEMORY_LIMIT_MB,
        ),
    ]
    return rows, {name: asdict(t) for name, t in measured.items()}


async def _open_loop(args: argparse.Namespace) -> tuple[list[Row], dict[str, Any]]:
    options = argparse.Namespace(
        rates=args.rates,
        seconds=args.seconds,
        sites=10,
        connections=128,
        max_requests=20_000,
        drain=30.0,
    )
    phases = []
    for backend in args.backends:
        phases += await intake_post.bench_backend(backend, options)
    print(intake_post.report(phases, options))
    rows = [
        Row(
            f"intake open loop {p.offered:,.0f}/s ({p.backend})",
            f"{p.achieved:,.0f} req/s, p50 {p.percentile(50):.0f} ms, "
            f"p99 {p.percentile(99):.0f} ms",
            "-",
            "keeps up (achieved = offered)",
            p.achieved >= 0.98 * p.offered and not p.errors,
        )
        for p in phases
    ]
    figures = [
        {
            "backend": p.backend,
            "offered": p.offered,
            "achieved": p.achieved,
            "p50_ms": p.percentile(50),
            "p99_ms": p.percentile(99),
            "errors": p.errors,
        }
        for p in phases
    ]
    return rows, {"phases": figures}


async def _latency(args: argparse.Namespace) -> tuple[list[Row], dict[str, Any]]:
    found = await e2e_latency.bench(args.latency_rates, args.seconds, warmup=100)
    rows = [
        Row(
            f"POST -> case.assigned at {r['rate']:,.0f}/s (PostgreSQL)",
            f"p50 {r['p50_ms']:.0f} ms, p99 {r['p99_ms']:.0f} ms, {r['missing']:.0f} missing",
            "-",
            "p50 <= 25 ms, p99 <= 100 ms",
            r["p50_ms"] <= e2e_latency.TARGET_P50_MS and r["p99_ms"] <= e2e_latency.TARGET_P99_MS,
        )
        for r in found["runs"]
    ]
    rows += [
        Row(
            f"{service} memory after load",
            f"{mb:.0f} MB RSS",
            "-",
            f"<= {MEMORY_LIMIT_MB:.0f} MB",
            mb <= MEMORY_LIMIT_MB,
        )
        for service, mb in found["rss_mb"].items()
    ]
    return rows, found


async def _backlog(args: argparse.Namespace) -> tuple[list[Row], dict[str, Any]]:
    found = await import_backlog.bench(args.import_households, complaints=5)
    on, off = found["bulk lane on"], found["bulk lane off"]
    row = Row(
        f"complaint during a {args.import_households:,}-household import (PostgreSQL)",
        f"max {on['max_seconds']:.2f} s, median {on['median_seconds']:.2f} s; "
        f"lane off: max {off['max_seconds']:.2f} s",
        "-",
        "complaint.received <= 1 s during the import's drain",
        on["max_seconds"] <= import_backlog.TARGET_SECONDS and not on["missing"],
    )
    return [row], found


async def _draw(args: argparse.Namespace) -> tuple[list[Row], dict[str, Any]]:
    frame = survey_draw.rows(args.households)
    results = [await survey_draw.bench(b, frame) for b in ("postgresql",)]
    rows = [
        Row(
            f"survey draw from {args.households:,} ({r['backend']})",
            f"{r['seconds']:.2f} s",
            "-",
            "<= 2 s",
            float(r["seconds"]) <= survey_draw.TARGET_SECONDS,
        )
        for r in results
    ]
    return rows, {"results": results}


async def _fanout(args: argparse.Namespace) -> tuple[list[Row], dict[str, Any]]:
    households = notice_fanout.contacts(100_000)
    results = [await notice_fanout.bench(b, households) for b in ("postgresql",)]
    rows = [
        Row(
            f"notice to 100,000 households ({r['backend']})",
            f"{r['seconds']:.2f} s for {r['deliveries']:,} deliveries",
            "-",
            "all queued <= 20 s",
            float(r["seconds"]) <= notice_fanout.TARGET_SECONDS,
        )
        for r in results
    ]
    return rows, {"results": results}


async def _report(args: argparse.Namespace) -> tuple[list[Row], dict[str, Any]]:
    found = await complaint_report.bench(args.complaints, runs=7)
    row = Row(
        f"complaint report over {args.complaints:,} (PostgreSQL)",
        f"p50 {found['p50']:.2f} s, max {found['max']:.2f} s",
        "-",
        "<= 1 s",
        found["p50"] <= complaint_report.TARGET_SECONDS,
    )
    return [row], found


async def _console(args: argparse.Namespace) -> tuple[list[Row], dict[str, Any]]:
    found = await console_pages.bench(args.page_requests)
    rows = [
        _page_row(name, found[page], found["requests"])
        for page, name in (("queue", "work queue of 50 rows"), ("case", "case page"))
    ]
    return rows, found


def _page_row(name: str, page: dict[str, dict[str, float]], requests: int) -> Row:
    def both(figures: dict[str, float]) -> str:
        return f"p50 {figures['p50_ms']:.0f} ms, p99 {figures['p99_ms']:.0f} ms"

    return Row(
        f"console {name} (server time, {requests} requests)",
        both(page["page"]),
        f"its service calls {both(page['waiting'])}; the same calls direct, in turn, "
        f"{both(page['direct'])}",
        f"p99 <= {console_pages.TARGET_P99_MS:.0f} ms",
        page["page"]["p99_ms"] <= console_pages.TARGET_P99_MS,
    )


def markdown(rows: list[Row], raw: dict[str, Any]) -> str:
    """The summary table, with how long each step took."""
    head = [
        f"careloop benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        "everything on this machine (RabbitMQ, PostgreSQL, the load generator)",
        "",
        "| path | measured | limit (same run) | target | met |",
        "|---|---|---|---|---|",
    ]
    steps = ", ".join(f"{name} {step['seconds']} s" for name, step in raw.items())
    return "\n".join([*head, *(r.markdown() for r in rows), "", f"steps: {steps}"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    args = parser.parse_args()
    args.backends = ["sqlite", "postgresql"]
    args.events = 3_000 if args.quick else 20_000
    args.seconds = 3.0 if args.quick else 8.0
    args.rates = [100.0, 200.0] if args.quick else [100.0, 200.0, 400.0]
    args.latency_rates = [50.0, 200.0] if args.quick else [50.0, 200.0, 300.0]
    args.import_households = 5_000 if args.quick else 20_000
    args.households = 100_000 if args.quick else 1_000_000
    args.complaints = 100_000 if args.quick else 1_000_000
    args.page_requests = 50 if args.quick else 300
    uvloop.install()
    rows, raw = asyncio.run(run(args))
    RESULTS.mkdir(exist_ok=True)
    text = markdown(rows, raw)
    (RESULTS / "latest.md").write_text(text + "\n")
    figures = {"rows": [asdict(r) for r in rows], "steps": raw}
    (RESULTS / "latest.json").write_text(json.dumps(figures, indent=2, default=str) + "\n")
    print(text)


if __name__ == "__main__":
    main()
