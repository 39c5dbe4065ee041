"""What every benchmark needs: fresh local databases and a percentile."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit

from shared.testing import servers

LOCAL = "127.0.0.1"


def local_only(url: str) -> str:
    """`url`, or exit: benchmarks send traffic to this machine only."""
    host = urlsplit(url.replace("+asyncpg", "")).hostname
    if host not in (LOCAL, "localhost"):
        raise SystemExit(f"the benchmark only talks to {LOCAL}; {servers.safe(url)} is not local")
    return url


def amqp_url() -> str:
    """The local broker (AMQP_URL if it points here)."""
    return local_only(os.environ.get("AMQP_URL", servers.LOCAL_AMQP))


@asynccontextmanager
async def database(backend: str, tag: str = "bench") -> AsyncIterator[str]:
    """A fresh database of the backend (SQLite file or PostgreSQL database), gone afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite+aiosqlite:///{Path(folder) / f'{tag}.db'}"
        return
    admin = os.environ.get("DATABASE_URL", servers.LOCAL_POSTGRES)
    admin = local_only(admin.replace("postgresql://", "postgresql+asyncpg://", 1))
    name = f"careloop_{tag}_{uuid.uuid4().hex[:8]}"
    await servers.create_database(admin, name)
    try:
        yield servers.with_database(admin, name)
    finally:
        await servers.drop_database(admin, name)


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of `values`, or NaN when there are none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]
