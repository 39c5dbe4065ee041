"""The app factory every service uses: one shape for all four.

`create_app(spec)` returns a FastAPI app whose lifespan connects the database and the broker,
migrates, starts the outbox relay, the consumer and the timer scheduler, and on shutdown
stops taking messages, lets those in flight finish and be acked, then closes everything.
Every route under `/v1` requires a bearer token unless the service declares it public.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.responses import JSONResponse, PlainTextResponse, Response
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_delay, wait_exponential

from shared import metrics
from shared.bus import inbox
from shared.bus.connection import Bus
from shared.bus.consumer import Consumer, Handler
from shared.bus.relay import OutboxRelay
from shared.db.engine import Database, transaction
from shared.db.migrations import upgrade_async
from shared.http import idempotency
from shared.http.auth import TokenVerifier, authenticate
from shared.http.errors import install_error_handlers, problem_response
from shared.http.middleware import API_PREFIX, RequestContextMiddleware
from shared.http.openapi import install_docs, install_openapi
from shared.logging import configure_logging, get_logger
from shared.settings import ServiceSettings
from shared.timers import Scheduler, TimerHandler

log = get_logger(__name__)

STARTUP_TIMEOUT = 60.0
WATCHDOG_INTERVAL = 1.0
DATABASE_CHECK_EVERY = 5  # watchdog ticks
HOUSEKEEPING_INTERVAL = 600.0
KEEP_INBOX = timedelta(days=7)
KEEP_IDEMPOTENCY_KEYS = timedelta(days=1)
SHUTDOWN_GRACE = 20.0
OPENAPI_URL = f"{API_PREFIX}/openapi.json"
EXIT_CONSUMER_GONE = 3


@dataclass(frozen=True)
class Periodic:
    """A job the service runs every `interval` seconds while it is up (every replica)."""

    name: str
    interval: float
    run: Callable[[Database], Awaitable[Any]]


@dataclass
class ServiceSpec:
    """What makes one service: its settings, routes, event handlers and timer handlers."""

    settings: ServiceSettings
    title: str
    service_dir: Path | None = None
    routers: Sequence[APIRouter] = ()
    public_routers: Sequence[APIRouter] = ()
    handlers: Mapping[str, Handler] = field(default_factory=dict)
    timers: Mapping[str, TimerHandler] = field(default_factory=dict)
    periodic: Sequence[Periodic] = ()
    parts: Sequence[Callable[[Runtime], AbstractAsyncContextManager[Any]]] = ()
    """What else lives as long as the process, started after the runtime (and stopped before
    it): the console's service clients and live-update listener."""


class Runtime:
    """The running parts of a service process, started and stopped by the lifespan."""

    def __init__(self, spec: ServiceSpec) -> None:
        self.spec = spec
        self.settings = spec.settings
        self.service = spec.settings.service_name
        self.db = Database(self.settings.database_url, pool_size=self.settings.db_pool_size)
        self.bus = Bus(self.settings.amqp_url, name=self.service)
        self.relay = OutboxRelay(settings=self.settings, db=self.db, bus=self.bus)
        self.consumer = (
            Consumer(settings=self.settings, db=self.db, bus=self.bus, handlers=spec.handlers)
            if spec.handlers
            else None
        )
        self.scheduler = (
            Scheduler(settings=self.settings, db=self.db, handlers=spec.timers)
            if spec.timers
            else None
        )
        self.exit_code = 0
        # serve() replaces this with a graceful stop of its server.
        self.request_exit: Callable[[], None] = lambda: os.kill(os.getpid(), signal.SIGTERM)
        self._tasks: list[asyncio.Task[Any]] = []
        self._stopping = asyncio.Event()

    async def start(self) -> None:
        """Wait for the database and broker, migrate, then start relay, consumer, scheduler."""
        log.info("starting", **self.settings.describe())
        self._stopping.clear()
        await _patiently(self._prepare_database)
        await _patiently(self.bus.connect)
        if self.consumer is not None:
            await self.consumer.start()
        self._spawn(self.relay.run(), "relay")
        if self.scheduler is not None:
            self._spawn(self.scheduler.run(), "scheduler")
        self._spawn(self._watchdog(), "watchdog")
        for job in (*self.spec.periodic, HOUSEKEEPING):
            self._spawn(self._every(job), f"periodic:{job.name}")
        log.info("started", port=self.settings.port)

    async def stop(self) -> None:
        """Stop consuming, finish and ack in-flight messages, then stop the loops and close."""
        log.info("stopping")
        if self.consumer is not None:
            await self.consumer.stop(grace=SHUTDOWN_GRACE)
        self.relay.stop()
        if self.scheduler is not None:
            self.scheduler.stop()
        # A periodic job is let finish its round, never cut inside a transaction: a write
        # cancelled mid-way can keep its connection (and SQLite's write lock) after close.
        self._stopping.set()
        periodic = [t for t in self._tasks if t.get_name().startswith("periodic:")]
        _, overrun = await asyncio.wait(periodic, timeout=SHUTDOWN_GRACE) if periodic else ((), ())
        for task in (*overrun, *(t for t in self._tasks if t.get_name() == "watchdog")):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.bus.close()
        await self.db.dispose()
        log.info("stopped")

    async def readiness(self) -> dict[str, str]:
        """The state of each dependency: 'up' or 'down'."""
        database = await self.db.ping()
        metrics.database_up.labels(self.service).set(int(database))
        broker = self.bus.is_connected and (self.consumer is None or self.consumer.is_up)
        return {"database": _state(database), "broker": _state(broker)}

    async def _prepare_database(self) -> None:
        if self.settings.migrate_on_start and self.spec.service_dir is not None:
            await upgrade_async(self.spec.service_dir, self.settings.database_url)
        elif not await self.db.ping():
            raise ConnectionError("database not reachable")

    def _spawn(self, coro: Any, name: str) -> None:
        self._tasks.append(asyncio.create_task(coro, name=name))

    async def _every(self, job: Periodic) -> None:
        while not self._stopping.is_set():
            try:
                await job.run(self.db)
            except Exception as exc:  # the next round may well succeed
                log.warning("periodic job failed", job=job.name, error=repr(exc))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=job.interval)

    async def _watchdog(self) -> None:
        # A consumer that stays gone would let messages pile up unseen: fail readiness at
        # once, and exit non-zero after the configured time so the supervisor restarts us.
        limit = self.settings.consumer_gone_exit_after
        gone_since: float | None = None
        ticks = 0
        while True:
            await asyncio.sleep(WATCHDOG_INTERVAL)
            ticks += 1
            if ticks % DATABASE_CHECK_EVERY == 0:  # keeps careloop_database_up current
                metrics.database_up.labels(self.service).set(int(await self.db.ping()))
            up = self.bus.is_connected and (self.consumer is None or self.consumer.is_up)
            metrics.bus_connected.labels(self.service).set(int(up))
            if up:
                gone_since = None
                continue
            gone_since = gone_since or time.monotonic()
            if time.monotonic() - gone_since > limit:
                log.critical("consumer gone too long; exiting", seconds=round(limit))
                self.exit_code = EXIT_CONSUMER_GONE
                self.request_exit()
                return


async def prune(db: Database) -> None:
    """Forget inbox ids older than any redelivery and idempotency keys older than any retry.

    Every replica may prune; deleting twice is harmless.
    """
    async with transaction(db) as session:
        handled = await inbox.purge(session, older_than=KEEP_INBOX)
        keys = await idempotency.purge(session, older_than=KEEP_IDEMPOTENCY_KEYS)
    log.info("housekeeping done", inbox_pruned=handled, keys_pruned=keys)


HOUSEKEEPING = Periodic("housekeeping", HOUSEKEEPING_INTERVAL, prune)


async def _patiently(step: Any) -> None:
    async for attempt in AsyncRetrying(
        stop=stop_after_delay(STARTUP_TIMEOUT),
        wait=wait_exponential(multiplier=0.2, max=5),
        retry=retry_if_exception_type((ConnectionError, OSError)),
        reraise=True,
    ):
        with attempt:
            await step()


def _state(up: bool) -> str:
    return "up" if up else "down"


def get_runtime(request: Request) -> Runtime:
    """FastAPI dependency: the service's runtime."""
    runtime: Runtime = request.app.state.runtime
    return runtime


def get_database(request: Request) -> Database:
    """FastAPI dependency: the service's database."""
    return get_runtime(request).db


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
DatabaseDep = Annotated[Database, Depends(get_database)]


def create_app(spec: ServiceSpec) -> FastAPI:
    """The FastAPI app of one service."""
    settings = spec.settings
    configure_logging(
        service=settings.service_name, fmt=settings.log_format, level=settings.log_level
    )
    runtime = Runtime(spec)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        try:
            async with contextlib.AsyncExitStack() as parts:
                for part in spec.parts:
                    await parts.enter_async_context(part(runtime))
                yield
        finally:
            await runtime.stop()

    app = FastAPI(
        title=spec.title,
        version="1",
        lifespan=lifespan,
        openapi_url=OPENAPI_URL,
        docs_url=None,
        redoc_url=None,
    )
    app.state.runtime = runtime
    app.state.token_verifier = TokenVerifier(settings)
    install_error_handlers(app)
    install_openapi(app, api_prefix=API_PREFIX)
    install_docs(app, openapi_url=OPENAPI_URL, docs_url=f"{API_PREFIX}/docs")
    app.add_middleware(RequestContextMiddleware, service=settings.service_name)
    app.include_router(_operations_router())
    for router in spec.routers:
        app.include_router(router, prefix=API_PREFIX, dependencies=[Depends(authenticate)])
    for router in spec.public_routers:
        app.include_router(router)
    return app


def _operations_router() -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz", summary="The database and the broker are reachable")
    async def readyz(runtime: RuntimeDep) -> Response:
        state = await runtime.readiness()
        if all(v == "up" for v in state.values()):
            return JSONResponse({"status": "ready", **state})
        down = ", ".join(k for k, v in state.items() if v != "up")
        checks: dict[str, Any] = dict(state)
        return problem_response(
            503, f"Not ready: {down} unreachable", headers={"Retry-After": "5"}, **checks
        )

    @router.get("/metrics", summary="Prometheus metrics", response_class=PlainTextResponse)
    async def prometheus_metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router
