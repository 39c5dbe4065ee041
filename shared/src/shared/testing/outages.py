"""Stopping the machine's own RabbitMQ or PostgreSQL for a drill, and starting it again.

Each is a context manager that brings the server back when the block ends, however it
ends, and returns only once the server answers. Every client of the server loses it, other
tests' included: a drill that uses them runs alone on the machine. A machine without
`rabbitmqctl` or `pg_ctlcluster` fails the drill with a message; it never skips it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from urllib.parse import urlsplit

import aio_pika
import asyncpg
import pytest

COME_BACK_WITHIN = 90.0


@contextlib.asynccontextmanager
async def broker_stopped(amqp_url: str) -> AsyncIterator[None]:
    """`rabbitmqctl stop_app` for the block, and `start_app` after it, whatever happens.

    Every client of the broker loses it, other tests' included: run alone.
    """
    _refuse_beside_others()
    try:
        _command("rabbitmqctl", "-q", "stop_app")
        yield
    finally:
        _command("rabbitmqctl", "-q", "start_app")
        _command("rabbitmqctl", "-q", "await_startup")
        await _until_answers(lambda: _amqp_answers(amqp_url), "RabbitMQ")


@contextlib.asynccontextmanager
async def postgresql_stopped(admin_url: str) -> AsyncIterator[None]:
    """The local PostgreSQL cluster of `admin_url` stopped for the block, started after it.

    Every client of the server loses it, other tests' included: run alone.
    """
    _refuse_beside_others()
    version, cluster = _local_cluster(admin_url)
    control = ("pg_ctlcluster", "--skip-systemctl-redirect", version, cluster)
    try:
        _command(*control, "stop")
        yield
    finally:
        _command(*control, "start", check=False)  # it may never have stopped
        await _until_answers(lambda: _postgresql_answers(admin_url), "PostgreSQL")


def _refuse_beside_others() -> None:
    # Under pytest-xdist other workers' tests use the same servers at the same moment.
    if os.environ.get("PYTEST_XDIST_WORKER"):
        pytest.fail(
            "this drill stops a server other tests are using: mark it `alone` and run it "
            "without -n (make test runs the `alone` tests by themselves, after the others)"
        )


def _command(*args: str, check: bool = True) -> str:
    if shutil.which(args[0]) is None:
        pytest.fail(f"this drill needs {args[0]} for the local server it stops and starts")
    done = subprocess.run(args, capture_output=True, text=True, check=False, timeout=120)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def _local_cluster(admin_url: str) -> tuple[str, str]:
    """(version, name) of the local cluster listening on the URL's port."""
    parts = urlsplit(admin_url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        pytest.fail(f"this drill stops PostgreSQL, so it must run here, not on {parts.hostname}")
    for line in _command("pg_lsclusters", "--no-header").splitlines():
        version, name, port, *_rest = line.split()
        if int(port) == (parts.port or 5432):
            return version, name
    pytest.fail(f"no local PostgreSQL cluster listens on port {parts.port or 5432}")


async def _until_answers(check: Callable[[], Awaitable[None]], what: str) -> None:
    deadline = time.monotonic() + COME_BACK_WITHIN
    while True:
        try:
            await check()
            return
        except Exception as exc:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not come back: {exc!r}") from exc
        await asyncio.sleep(0.5)


async def _amqp_answers(url: str) -> None:
    connection = await aio_pika.connect(url, timeout=5)
    await connection.close()


async def _postgresql_answers(admin_url: str) -> None:
    plain = admin_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    connection = await asyncpg.connect(plain, timeout=5)
    await connection.close()
