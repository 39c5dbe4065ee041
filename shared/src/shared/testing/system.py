"""careloop as real processes, for failure drills, end-to-end tests and benches.

Each service runs as `python -m <service>` on a fresh PostgreSQL database of its own
(`<run_id>_<service>`, created here and dropped on close) under the broker names its
settings carry (`make_settings` gives unique exchange and queue prefixes; a drill that cuts
connections gives the URL of its own virtual host). A test starts, kills, terminates and
restarts services, sends requests through a client that retries a 503 after its
`Retry-After`, and reads counts from each service's database until they reach what it
expects or a deadline passes: it counts, it does not sleep and hope.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import aio_pika
import httpx
from aio_pika.abc import AbstractConnection
from sqlalchemy import text

from shared.db.engine import Database
from shared.http.auth import issue_token
from shared.settings import ServiceSettings
from shared.testing import servers
from shared.testing.processes import ServiceProcess, settings_env

SERVICES = ("intake", "routing", "surveys", "notify")
POLL = 0.25
UNPUBLISHED = "SELECT count(*) FROM outbox WHERE published_at IS NULL"
KEEPALIVE = 2.0
T = TypeVar("T")


def settings_class(service: str) -> type[ServiceSettings]:
    """The settings class of a service package: `<service>.settings.<Service>Settings`."""
    module = importlib.import_module(f"{service}.settings")
    cls: type[ServiceSettings] = getattr(module, f"{service.capitalize()}Settings")
    return cls


class Service:
    """One service of the system: its settings, its process and a reader of its database."""

    def __init__(self, settings: ServiceSettings, log_dir: Path) -> None:
        self.name = settings.service_name
        self.settings = settings
        self.db = Database(settings.database_url, pool_size=2)
        self.process = ServiceProcess(
            self.name,
            port=settings.port,
            env=settings_env(settings),
            log_path=log_dir / f"{self.name}.log",
        )

    @property
    def url(self) -> str:
        return self.process.url

    def metric(self, name: str, **labels: str) -> float:
        """The sum of a counter or gauge on the process's /metrics over matching labels."""
        found = 0.0
        for line in httpx.get(f"{self.url}/metrics", timeout=5).text.splitlines():
            wanted = all(f'{k}="{v}"' in line for k, v in labels.items())
            if line.startswith(f"{name}{{") and wanted:
                found += float(line.rsplit(" ", 1)[1])
        return found


class System:
    """The services of one test, each a real process on its own PostgreSQL database."""

    def __init__(
        self,
        settings: Iterable[ServiceSettings],
        *,
        admin_url: str,
        run_id: str,
        log_dir: Path,
    ) -> None:
        self.admin_url = admin_url
        self.run_id = run_id
        self.log_dir = log_dir
        self._pending = list(settings)
        self.services: dict[str, Service] = {}
        self._broker: AbstractConnection | None = None

    async def __aenter__(self) -> System:
        try:
            for settings in self._pending:
                name = f"{self.run_id}_{settings.service_name}"
                await servers.create_database(self.admin_url, name)
                url = servers.with_database(self.admin_url, name)
                self.services[settings.service_name] = Service(
                    settings.model_copy(update={"database_url": url}), self.log_dir
                )
        except BaseException:
            await self.close()
            raise
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Kill what still runs, and drop every database the system created."""
        for service in self.services.values():
            if service.process.alive():
                service.process.kill()
        await self._forget_broker()
        for service in self.services.values():
            await service.db.dispose()
            await servers.drop_database(self.admin_url, f"{self.run_id}_{service.name}")

    def __getitem__(self, name: str) -> Service:
        return self.services[name]

    @property
    def amqp_url(self) -> str:
        return next(iter(self.services.values())).settings.amqp_url

    async def start(self, *names: str, within: float = 90.0) -> None:
        """Start services (all when none are named) together; return when all are ready."""
        chosen = [self.services[n] for n in names or self.services]
        for service in chosen:
            if service.process.alive():
                raise RuntimeError(f"{service.name} is running already")
            service.process.start(wait=False)
        await asyncio.gather(*(self.wait_ready(s.name, within=within) for s in chosen))

    async def wait_ready(self, name: str, *, within: float = 90.0) -> None:
        """Until the service's /readyz answers 200 (fails with its log if it exits)."""
        await asyncio.to_thread(self.services[name].process.wait_ready, timeout=within)

    def kill(self, name: str) -> None:
        """SIGKILL the service: nothing finishes, nothing is acked or flushed."""
        self.services[name].process.kill()

    async def terminate(self, name: str, *, within: float = 60.0) -> int:
        """SIGTERM the service and wait for its exit status."""
        return await asyncio.to_thread(self.services[name].process.terminate, timeout=within)

    async def restart(self, name: str, *, within: float = 90.0) -> None:
        """Start the (stopped) service again and wait until it is ready."""
        await self.start(name, within=within)

    def token(self, sub: str, role: str, sites: Iterable[str] = ("*",)) -> dict[str, str]:
        """An Authorization header for `sub` with one role on `sites`."""
        settings = next(iter(self.services.values())).settings
        token = issue_token(settings, sub=sub, roles=[role], sites=sites)
        return {"Authorization": f"Bearer {token}"}

    async def scalar(self, name: str, sql: str, **params: Any) -> Any:
        """One value read from the service's database."""
        async with self.services[name].db.engine.connect() as conn:
            return (await conn.execute(text(sql), params)).scalar()

    async def wait_for(
        self, name: str, sql: str, expected: Any, *, within: float = 60.0, **params: Any
    ) -> Any:
        """Poll `sql` until it returns `expected`; the last value either way."""
        return await wait_until(lambda: self.scalar(name, sql, **params), expected, within)

    async def outbox_backlog(self, name: str) -> int:
        """Outbox rows the service committed and has not published yet."""
        return int(await self.scalar(name, UNPUBLISHED))

    async def queue_depth(self, queue: str) -> int:
        """Messages ready in a queue (a passive declare on the system's own connection)."""
        try:
            if self._broker is None or self._broker.is_closed:
                self._broker = await aio_pika.connect(self.amqp_url, timeout=5)
            async with self._broker.channel() as channel:
                declared = await channel.declare_queue(queue, passive=True)
        except Exception:  # a drill may have cut it: the next call connects again
            await self._forget_broker()
            raise
        return int(declared.declaration_result.message_count or 0)

    async def parked(self, name: str) -> int:
        """Messages in the service's parking queue."""
        return await self.queue_depth(self.services[name].settings.queue_name(".parking"))

    async def backlog(self, name: str) -> int:
        """Messages ready or waiting for a retry in the service's queues."""
        settings = self.services[name].settings
        return await self.queue_depth(settings.queue_name()) + await self.queue_depth(
            settings.queue_name(".retry")
        )

    async def _forget_broker(self) -> None:
        broker, self._broker = self._broker, None
        if broker is not None:
            with contextlib.suppress(Exception):
                await broker.close()


async def wait_until(
    read: Callable[[], Awaitable[T]], expected: Any, within: float, *, poll: float = POLL
) -> T | None:
    """Call `read` until it returns `expected` or `within` seconds pass; the last value read.

    A read that fails (the database or the broker is down on purpose) counts as not yet;
    if the last read before the deadline failed, its error is raised.
    """
    deadline = time.monotonic() + within
    value: T | None = None
    while True:
        try:
            value = await read()
        except Exception:
            if time.monotonic() >= deadline:
                raise
        else:
            if value == expected or time.monotonic() >= deadline:
                return value
        await asyncio.sleep(poll)


class PatientClient:
    """An HTTP client that retries a 503 carrying `Retry-After`, as a well-behaved caller
    does, and counts every answer it got (`answers[status]`), retried ones included."""

    def __init__(self, *, timeout: float = 30.0, give_up_after: float = 120.0) -> None:
        # Idle connections are dropped well before uvicorn's own 5 s keep-alive ends: reusing
        # one the server is closing at that moment loses the request without an answer.
        limits = httpx.Limits(keepalive_expiry=KEEPALIVE)
        self.http = httpx.AsyncClient(timeout=timeout, limits=limits)
        self.give_up_after = give_up_after
        self.answers: Counter[int] = Counter()
        self.retried = 0

    async def __aenter__(self) -> PatientClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.http.aclose()

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send until the answer is not a 503 with Retry-After (or time runs out)."""
        deadline = time.monotonic() + self.give_up_after
        while True:
            response = await self.http.request(method, url, **kwargs)
            self.answers[response.status_code] += 1
            wait = _retry_after(response)
            if wait is None or time.monotonic() + wait > deadline:
                return response
            self.retried += 1
            await asyncio.sleep(wait)

    async def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("POST", url, **kwargs)

    async def put(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("PUT", url, **kwargs)

    async def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("GET", url, **kwargs)

    def unexpected(self) -> dict[int, int]:
        """Answers other than 2xx and 503 (a 503 is fine only when it was retried)."""
        return {s: n for s, n in self.answers.items() if not (200 <= s < 300 or s == 503)}


def _retry_after(response: httpx.Response) -> float | None:
    if response.status_code != 503:
        return None
    value = response.headers.get("retry-after", "")
    return float(value) if value.isdigit() else None


async def bounded(jobs: Iterable[Callable[[], Awaitable[T]]], *, concurrency: int = 8) -> list[T]:
    """Run `jobs` with at most `concurrency` at a time; their results in order."""
    pending = list(jobs)
    results: list[Any] = [None] * len(pending)
    cursor = iter(range(len(pending)))

    async def worker() -> None:
        for index in cursor:
            results[index] = await pending[index]()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return results


def service_settings(
    make: Callable[..., ServiceSettings],
    names: Iterable[str] = SERVICES,
    *,
    port: Callable[[], int],
    **overrides: Any,
) -> list[ServiceSettings]:
    """Settings for each named service from a `make_settings`-like factory, each on a free port."""
    return [make(settings_class(n), port=port(), **overrides) for n in names]


def organisation(*handlers: dict[str, str]) -> dict[str, Any]:
    """A site's management office as routing loads it: the general manager gm-wang, the vice
    president vp-li, customer service under cs-chen with the handler h-zhang, engineering
    under eng-zhao, and the other `handlers` ({"id", "name", "department"})."""
    return {
        "site_name": "翠湖花园管理处",
        "vp": "vp-li",
        "gm": "gm-wang",
        "departments": [
            {"code": "customer_service", "name": "Customer service", "head": "cs-chen"},
            {"code": "engineering", "name": "Engineering", "head": "eng-zhao"},
        ],
        "staff": [
            {"id": "gm-wang", "name": "王总", "role": "gm"},
            {"id": "vp-li", "name": "李副总", "role": "vp"},
            {
                "id": "cs-chen",
                "name": "陈经理",
                "role": "dept_head",
                "department": "customer_service",
            },
            {"id": "h-zhang", "name": "张三", "role": "handler", "department": "customer_service"},
            {"id": "eng-zhao", "name": "赵工", "role": "dept_head", "department": "engineering"},
            *({**h, "role": "handler"} for h in handlers),
        ],
    }
