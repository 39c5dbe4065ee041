"""Finding real RabbitMQ and PostgreSQL servers for tests, and cleaning up after them."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from urllib.parse import urlsplit

import aio_pika
import asyncpg
import pytest
from sqlalchemy import MetaData

from shared.db import tables
from shared.db.engine import Database
from shared.settings import ServiceSettings, without_password

LOCAL_AMQP = "amqp://guest:guest@127.0.0.1:5672/"
LOCAL_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"

HOW_TO = (
    "careloop's integration tests need a real RabbitMQ and PostgreSQL. Set AMQP_URL "
    "(amqp://user:pass@host:5672/) and DATABASE_URL (postgresql+asyncpg://user@host:5432/db), "
    "run them locally on their default ports, or start a Docker engine so that "
    "testcontainers can run them."
)


# The servers given to the test run. They are taken out of the environment when the run
# starts: DATABASE_URL would otherwise also configure every service a test builds or starts.
_given: dict[str, str | None] = {"AMQP_URL": None, "DATABASE_URL": None}


def take_from_environment() -> dict[str, str | None]:
    """Move AMQP_URL and DATABASE_URL out of the environment into the harness."""
    for name in _given:
        value = os.environ.pop(name, None)
        if value:
            _given[name] = value
    return dict(_given)


def safe(url: str) -> str:
    return without_password(url)


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _docker_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=3).ping()
    except Exception:
        return False
    return True


@contextlib.contextmanager
def rabbitmq() -> Iterator[str]:
    """A broker URL: AMQP_URL, the local broker, or a testcontainer."""
    if url := _given["AMQP_URL"]:
        yield url
        return
    if _answers("127.0.0.1", 5672):
        yield LOCAL_AMQP
        return
    if not _docker_answers():
        pytest.exit(f"No RabbitMQ found. {HOW_TO}", returncode=3)
    from testcontainers.rabbitmq import RabbitMqContainer

    with RabbitMqContainer("rabbitmq:3.13-management") as container:
        host = container.get_container_host_ip()
        port = container.get_exposed_port(5672)
        yield f"amqp://guest:guest@{host}:{port}/"


@contextlib.contextmanager
def postgresql() -> Iterator[str]:
    """A PostgreSQL URL: DATABASE_URL, the local server, or a testcontainer."""
    url = _given["DATABASE_URL"] or ""
    if url.startswith("postgresql"):
        yield _asyncpg_url(url)
        return
    if _answers("127.0.0.1", 5432):
        yield LOCAL_POSTGRES
        return
    if not _docker_answers():
        pytest.exit(f"No PostgreSQL found. {HOW_TO}", returncode=3)
    from testcontainers.postgres import PostgresContainer

    with PostgresContainer("postgres:16", driver="asyncpg") as container:
        yield container.get_connection_url()


def _asyncpg_url(url: str) -> str:
    _scheme, sep, rest = url.partition("://")
    return f"postgresql+asyncpg://{rest}" if sep else url


def _plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def with_database(url: str, name: str) -> str:
    """`url` pointing at database `name`."""
    parts = urlsplit(url)
    return parts._replace(path=f"/{name}").geturl()


async def create_database(admin_url: str, name: str) -> None:
    conn = await asyncpg.connect(_plain(admin_url))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def drop_database(admin_url: str, name: str) -> None:
    conn = await asyncpg.connect(_plain(admin_url))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def delete_topology(settings: ServiceSettings) -> None:
    """Remove the exchange and queues a test declared under its unique names."""
    try:
        connection = await aio_pika.connect(settings.amqp_url)
    except Exception:  # its virtual host is gone already, and everything in it
        return
    try:
        for name in (
            settings.queue_name(),
            settings.queue_name(".retry"),
            settings.queue_name(".parking"),
            f"{settings.exchange}.unrouted",
        ):
            async with connection.channel() as channel:
                await channel.queue_delete(name)
        for name in (settings.exchange, f"{settings.exchange}.unrouted"):
            async with connection.channel() as channel:
                await channel.exchange_delete(name)
    finally:
        await connection.close()


async def create_schema(url: str, *metadatas: MetaData) -> None:
    """Create the shared tables and the given ones in the database at `url` (no migrations)."""
    db = Database(url, pool_size=1)
    try:
        async with db.engine.begin() as conn:
            for metadata in (tables.metadata, *metadatas):
                await conn.run_sync(metadata.create_all)
    finally:
        await db.dispose()


def rabbitmqctl(*args: str) -> str:
    """Run rabbitmqctl against the local broker; the drills that cut connections need it."""
    if shutil.which("rabbitmqctl") is None:
        pytest.fail("this test needs rabbitmqctl for the broker it uses (install rabbitmq-server)")
    done = subprocess.run(["rabbitmqctl", "-q", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"rabbitmqctl {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def create_vhost(amqp_url: str, vhost: str) -> str:
    """A new virtual host on the broker of `amqp_url`, and the URL that uses it."""
    parts = urlsplit(amqp_url)
    rabbitmqctl("add_vhost", vhost)
    rabbitmqctl("set_permissions", "-p", vhost, parts.username or "guest", ".*", ".*", ".*")
    return parts._replace(path=f"/{vhost}").geturl()


def delete_vhost(vhost: str) -> None:
    rabbitmqctl("delete_vhost", vhost)
