"""The console's pages: server time of a work queue of 50 rows and of a case page, beside
the time of the services' calls behind them, measured in the same run.

    .venv/bin/python -m bench.console_pages [--requests 200]

Runs intake, routing, notify and the console as real processes on PostgreSQL (fresh
databases, dropped afterwards) and the local broker, loads one site whose handler has 60
cases, signs in through the development sign-in page like a browser, then asks for the
handler's queue and a case page one request at a time. Each page's own time and the time
its calls to the services took (summed: calls made together overlap, so the sum can exceed
the page's time) come from its `Server-Timing` header; the services' calls a page makes
are also timed directly from here, one after the other, as a reference.
DESIGN.md §12: page server time p99 <= 150 ms. Printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from bench.common import amqp_url, local_only, percentile
from console.settings import ConsoleSettings
from shared.http.auth import issue_token
from shared.testing import servers
from shared.testing.plugin import free_port
from shared.testing.system import System, settings_class

TARGET_P99_MS = 150.0
CASES = 60
WARMUP = 10
SERVICES = ("intake", "routing", "notify")
GUARD = re.compile(r'name="guard" value="([^"]+)"')
TIMING = re.compile(r"(\w+);dur=([\d.]+)")


def _settings(run_id: str, data: Path) -> list[Any]:
    common = {
        "amqp_url": amqp_url(),
        "exchange": f"{run_id}.careloop.events",
        "queue_prefix": f"{run_id}.",
        "data_dir": data,
        "log_format": "json",
    }
    made = [settings_class(name)(port=free_port(), **common) for name in SERVICES]
    urls = {f"{s.service_name}_url": f"http://127.0.0.1:{s.port}" for s in made}
    return [*made, ConsoleSettings(port=free_port(), **urls, **common)]


async def _seed(system: System, site: str) -> str:
    """A site with one handler, one household and CASES complaints; the handler's id."""
    admin = system.token("bench", "admin")
    handler = f"h-{site}"
    department = {"code": "customer_service", "name": "Customer service", "name_zh": "客服中心"}
    member = {"id": handler, "name": "张三", "role": "handler", "department": "customer_service"}
    organisation = {"departments": [department], "staff": [member]}
    async with httpx.AsyncClient(headers=admin, timeout=30) as client:

        async def call(service: str, method: str, path: str, body: Any) -> Any:
            answer = await client.request(method, f"{system[service].url}{path}", json=body)
            answer.raise_for_status()
            return answer.json()

        await call("intake", "POST", "/v1/sites", {"id": site, "code": "BC", "name": "基准花园"})
        await call("routing", "PUT", f"/v1/sites/{site}/organisation", organisation)
        rows = [
            {
                "building": "1栋",
                "unit": f"{i:04d}",
                "name": f"业户{i}",
                "phones": [f"1390000{i:04d}"],
            }
            for i in range(CASES)
        ]
        await call("intake", "POST", f"/v1/sites/{site}/directory-import", {"rows": rows})
        households = await call("intake", "GET", f"/v1/sites/{site}/households?limit=100", None)
        for number, household in enumerate(households["items"][:CASES]):
            body = {
                "site_id": site,
                "channel": "call_center",
                "kind": "complaint",
                "category": "other",
                "description": f"楼道灯坏了 {number}",
                "reporter": {"type": "household", "household_id": household["id"]},
            }
            await call("intake", "POST", "/v1/complaints", body)
    await system.wait_for("routing", 'SELECT count(*) FROM "case"', CASES, within=120)
    return handler


async def _signed_in(console: str, handler: str) -> httpx.AsyncClient:
    """A client with the handler's session, got through the development sign-in page."""
    client = httpx.AsyncClient(base_url=console, timeout=30)
    page = await client.get("/sign-in")
    guard = GUARD.search(page.text)
    assert guard is not None, "no sign-in form"
    answer = await client.post("/sign-in/development", data={"guard": guard[1], "sub": handler})
    assert answer.status_code == 303, answer.text
    return client


async def _pages(client: httpx.AsyncClient, path: str, count: int) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {"app": [], "api": []}
    for _ in range(WARMUP):  # the first requests fill the console's per-session caches
        (await client.get(path)).raise_for_status()
    for _ in range(count):
        answer = await client.get(path)
        assert answer.status_code == 200, (path, answer.status_code)
        timing = dict(TIMING.findall(answer.headers["server-timing"]))
        found["app"].append(float(timing["app"]))
        found["api"].append(float(timing["api"]))
    return found


async def _direct(
    system: System, handler: str, site: str, case_id: str, count: int
) -> dict[str, list[float]]:
    """The calls the two pages make, timed one after the other from here."""
    token = issue_token(system["routing"].settings, sub=handler, roles=["handler"], sites=[site])
    spent: dict[str, list[float]] = {"queue": [], "case": []}
    async with httpx.AsyncClient(
        headers={"Authorization": f"Bearer {token}"}, timeout=30
    ) as client:
        cases = await client.get(f"{system['routing'].url}/v1/cases?queue=mine&limit=50")
        ids = [c["complaint_id"] for c in cases.json()["items"]]
        intake, routing, notify = (system[s].url for s in SERVICES)
        queue = [
            f"{intake}/v1/sites",
            f"{routing}/v1/cases?queue=mine&limit=50",
            f"{intake}/v1/complaints?limit=50&" + "&".join(f"id={i}" for i in ids),
            f"{routing}/v1/cases/counts",
            f"{routing}/v1/sites/{site}/organisation",
        ]
        complaint_id = cases.json()["items"][0]["complaint_id"]
        case = [
            f"{routing}/v1/cases/{case_id}",
            f"{intake}/v1/complaints/{complaint_id}",
            f"{notify}/v1/callbacks?case_id={case_id}",
        ]
        for name, urls in (("queue", queue), ("case", case)):
            for _ in range(count):
                started = time.perf_counter()
                for url in urls:
                    (await client.get(url)).raise_for_status()
                spent[name].append((time.perf_counter() - started) * 1000)
    return spent


def _figures(values: list[float]) -> dict[str, float]:
    return {"p50_ms": percentile(values, 50), "p99_ms": percentile(values, 99)}


async def bench(requests: int) -> dict[str, Any]:
    """The two pages' server times and their services' share, and the direct calls."""
    run_id = f"b{uuid.uuid4().hex[:8]}"
    admin = local_only(servers.LOCAL_POSTGRES.replace("postgresql://", "postgresql+asyncpg://", 1))
    with tempfile.TemporaryDirectory() as folder:
        system = System(
            _settings(run_id, Path(folder)), admin_url=admin, run_id=run_id, log_dir=Path(folder)
        )
        async with system:
            await system.start()
            site = f"bench-{run_id}"
            handler = await _seed(system, site)
            client = await _signed_in(system["console"].url, handler)
            try:
                queue_page = await _pages(client, "/queues?queue=mine", requests)
                first = (await client.get("/queues?queue=mine")).text
                case_id = re.search(r'href="/cases/([^"?]+)\?queue=mine"', first)
                assert case_id is not None, first[-3000:]
                case_page = await _pages(client, f"/cases/{case_id[1]}", requests)
            finally:
                await client.aclose()
            direct = await _direct(system, handler, site, case_id[1], requests)
            await servers.delete_topology(system["console"].settings)
    return {
        "queue": {
            "page": _figures(queue_page["app"]),
            "waiting": _figures(queue_page["api"]),
            "direct": _figures(direct["queue"]),
        },
        "case": {
            "page": _figures(case_page["app"]),
            "waiting": _figures(case_page["api"]),
            "direct": _figures(direct["case"]),
        },
        "requests": requests,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    found = asyncio.run(bench(parser.parse_args().requests))
    for page in ("queue", "case"):
        print(page, found[page])


if __name__ == "__main__":
    main()
