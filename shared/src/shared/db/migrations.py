"""Alembic support: every service's migrations environment is these few lines.

A service's `migrations/env.py` calls `run_env(service_metadata)`; its migrations then
cover the service's tables and the shared ones (outbox, inbox, timer, idempotency keys,
aggregate positions).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection

from shared.db import tables
from shared.db.engine import Database


def alembic_config(service_dir: Path, url: str) -> Config:
    """The Alembic configuration of the service whose folder is `service_dir`."""
    config = Config(str(service_dir / "alembic.ini"))
    config.set_main_option("script_location", str(service_dir / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["configure_logger"] = False
    return config


def upgrade(service_dir: Path, url: str, revision: str = "head") -> None:
    """Migrate the database at `url` to `revision` (blocking; call from a thread in async code)."""
    command.upgrade(alembic_config(service_dir, url), revision)


async def upgrade_async(service_dir: Path, url: str, revision: str = "head") -> None:
    """Migrate from async code: Alembic runs its own event loop, so give it a thread."""
    await asyncio.to_thread(upgrade, service_dir, url, revision)


def downgrade(service_dir: Path, url: str, revision: str) -> None:
    """Take the database at `url` down to `revision` (blocking)."""
    command.downgrade(alembic_config(service_dir, url), revision)


async def downgrade_async(service_dir: Path, url: str, revision: str) -> None:
    """Downgrade from async code, in a thread."""
    await asyncio.to_thread(downgrade, service_dir, url, revision)


def target_metadata(service: MetaData) -> list[MetaData]:
    """What a service's migrations describe: its own tables and the shared ones."""
    return [service, tables.metadata]


def run_env(service: MetaData) -> None:
    """The body of every service's `migrations/env.py`."""
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("sqlalchemy.url is not set: run migrations through `make migrate`")
    options: dict[str, Any] = {
        "target_metadata": target_metadata(service),
        "compare_type": True,
        "render_as_batch": url.startswith("sqlite"),
    }
    if context.is_offline_mode():
        context.configure(url=url, literal_binds=True, **options)
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_run_online(url, options))


# Replicas starting together would race to migrate; on PostgreSQL the first takes this
# session lock and the others wait, then find nothing left to do.
MIGRATION_LOCK_ID = 0x6361726C6F6F70  # "careloop"


async def _run_online(url: str, options: dict[str, Any]) -> None:
    db = Database(url, pool_size=1)
    try:
        async with db.engine.connect() as connection:
            locked = db.is_postgresql
            if locked:
                await connection.execute(text(f"SELECT pg_advisory_lock({MIGRATION_LOCK_ID})"))
                await connection.commit()
            try:
                await connection.run_sync(_migrate, options)
                await connection.commit()
            finally:
                if locked:
                    await connection.execute(
                        text(f"SELECT pg_advisory_unlock({MIGRATION_LOCK_ID})")
                    )
                    await connection.commit()
    finally:
        await db.dispose()


def _migrate(connection: Connection, options: dict[str, Any]) -> None:
    context.configure(connection=connection, **options)
    with context.begin_transaction():
        context.run_migrations()
