"""The pytest plugin with careloop's real-service fixtures (loaded by `-p shared.testing.plugin`).

Where the servers come from, in order:
1. `AMQP_URL` / `DATABASE_URL` (a `postgresql+asyncpg://` URL) when set;
2. otherwise the machine's own RabbitMQ and PostgreSQL on their default ports, if they answer;
3. otherwise testcontainers, when a Docker engine answers;
4. otherwise the run stops with a message saying how to provide them.
Never a fake. Each test gets its own databases and its own exchange and queue names, so
two runs on one machine do not interfere.
"""

from __future__ import annotations

import itertools
import os
import socket
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from shared.clock import Clock, clock, utcnow
from shared.settings import ServiceSettings
from shared.testing import personal, servers

S = TypeVar("S", bound=ServiceSettings)

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def amqp_url() -> Iterator[str]:
    """The broker every test in the run uses."""
    with servers.rabbitmq() as url:
        yield url


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """An administrative URL of the PostgreSQL server the run uses."""
    with servers.postgresql() as url:
        yield url


@pytest.fixture
def run_id() -> str:
    """A short id unique to this test, for names on shared servers."""
    return f"t{uuid.uuid4().hex[:10]}"


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Runs the test once on SQLite and once on PostgreSQL."""
    return str(request.param)


@pytest.fixture
async def database_url(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, run_id: str
) -> AsyncIterator[str]:
    """An empty database of the test's backend, dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'careloop.db'}"
        return
    admin = request.getfixturevalue("postgres_url")
    name = f"careloop_{run_id}"
    await servers.create_database(admin, name)
    try:
        yield servers.with_database(admin, name)
    finally:
        await servers.drop_database(admin, name)


@pytest.fixture
def own_vhost(amqp_url: str, run_id: str) -> Iterator[tuple[str, str]]:
    """A virtual host for this test alone, for drills that cut every connection of it:
    (vhost, amqp url)."""
    url = servers.create_vhost(amqp_url, run_id)
    try:
        yield run_id, url
    finally:
        servers.delete_vhost(run_id)


@pytest.fixture
async def make_settings(
    amqp_url: str, run_id: str, tmp_path: Path
) -> AsyncIterator[Callable[..., Any]]:
    """Settings of a service class pointed at this test's broker names and data folder."""
    made: list[ServiceSettings] = []

    def make(cls: type[S], **overrides: Any) -> S:
        values = {"amqp_url": amqp_url, "data_dir": tmp_path, **overrides}
        settings = settings_for_test(cls, run_id=run_id, **values)
        made.append(settings)
        return settings

    yield make
    await forget_topologies(made)


def settings_for_test(
    cls: type[S], *, amqp_url: str, run_id: str, data_dir: Path, **overrides: Any
) -> S:
    """Settings of a service class on the test's own exchange and queue names, quick to
    retry and to poll."""
    values: dict[str, Any] = {
        "amqp_url": amqp_url,
        "exchange": f"{run_id}.careloop.events",
        "queue_prefix": f"{run_id}.",
        "data_dir": data_dir,
        "retry_base_delay": 0.05,
        "retry_max_delay": 0.2,
        "relay_poll_interval": 0.2,
        "scheduler_poll_interval": 0.2,
        "log_format": "console",
        # Three test workers, their services and the end-to-end worlds share one
        # PostgreSQL (100 connections by default): each engine keeps few.
        "db_pool_size": 3,
    }
    values.update(overrides)
    return cls(**values)


async def forget_topologies(made: list[ServiceSettings]) -> None:
    """Delete the exchanges and queues the settings named, once each."""
    for settings in {
        (s.amqp_url, s.exchange, s.queue_prefix, s.service_name): s for s in made
    }.values():
        await servers.delete_topology(settings)


@pytest.fixture
def frozen_clock() -> Iterator[Clock]:
    """The shared clock, to freeze and move; back to wall-clock time afterwards."""
    try:
        yield clock
    finally:
        clock.unfreeze()


@pytest.fixture
def frozen(frozen_clock: Clock) -> None:
    """Time stands still at the test's start; `clock.advance` moves it."""
    frozen_clock.freeze(utcnow())


# Ports for the tests' servers, below the kernel's ephemeral range (32768-60999 on Linux):
# the kernel gives those to outgoing connections (to PostgreSQL, RabbitMQ, the services),
# so a port the OS just called free could be taken by one before the server binds it. Each
# xdist worker has its own block, so workers never hand out the same port.
_BLOCK = 2_000
_FIRST = 12_000
_taken = itertools.count(os.getpid())


def free_port() -> int:
    """A TCP port nobody listens on right now, that no other test worker hands out."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    start = _FIRST + (int(worker) if worker.isdigit() else 0) % 8 * _BLOCK
    for _ in range(_BLOCK):
        port = start + next(_taken) % _BLOCK
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {start}-{start + _BLOCK - 1}")


def pytest_configure(config: pytest.Config) -> None:
    servers.take_from_environment()


_GIVEN = pytest.StashKey[frozenset[str]]()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Read the personal data the collected tests and their helpers give the services."""
    folders = {item.path.parent for item in session.items}
    sources = {path for folder in folders for path in folder.glob("*.py")}
    session.config.stash[_GIVEN] = personal.given_in(sorted(sources))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A test whose services logged personal data in clear fails, whatever it asserted:
    what the services wrote to stderr in the phase, and at teardown the process logs
    (`*.log`) under the test's own folder."""
    report: pytest.TestReport = yield
    if report.failed or report.skipped:
        return report
    given = item.config.stash.get(_GIVEN, frozenset())
    logs = {
        f"stderr ({call.when})": text
        for name, text in report.sections
        if name == f"Captured stderr {call.when}"
    }
    folder = getattr(item, "funcargs", {}).get("tmp_path")
    if call.when == "teardown" and isinstance(folder, Path):
        logs |= {str(log): log.read_text(errors="replace") for log in folder.rglob("*.log")}
    leaks = {
        where: (found, personal.lines_holding(text, found))
        for where, text in logs.items()
        if (found := personal.found_in(text, given))
    }
    if leaks:
        report.outcome = "failed"
        report.longrepr = "personal data in clear in the services' log output:\n" + "\n".join(
            f"  {where}: {', '.join(found)}\n" + "\n".join(f"    | {line}" for line in lines)
            for where, (found, lines) in leaks.items()
        )
    return report


def pytest_report_header(config: pytest.Config) -> str:
    given = servers.take_from_environment()
    amqp = given["AMQP_URL"] or "local or testcontainers"
    database = given["DATABASE_URL"] or "local or testcontainers"
    return f"careloop: AMQP_URL={servers.safe(amqp)} DATABASE_URL={servers.safe(database)}"
