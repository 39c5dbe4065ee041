"""Every service's migrations build exactly the schema its models describe, on both databases."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect

from shared.db.engine import Database
from shared.db.migrations import downgrade_async, target_metadata, upgrade_async

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "routing", "surveys", "notify", "console")


def _differences(connection: Connection, service: str) -> list[object]:
    importlib.import_module(f"{service}.models")  # every table registered on the metadata
    metadata = importlib.import_module(f"{service}.db").metadata
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, target_metadata(metadata)))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


@pytest.mark.parametrize("service", SERVICES)
async def test_migrations_match_the_models_and_go_down_again(
    service: str, database_url: str
) -> None:
    service_dir = ROOT / "services" / service
    await upgrade_async(service_dir, database_url)
    db = Database(database_url, pool_size=1)
    try:
        async with db.engine.connect() as conn:
            assert await conn.run_sync(_differences, service) == []
            assert {"outbox", "inbox", "timer", "idempotency_key"} <= await conn.run_sync(_tables)
        await downgrade_async(service_dir, database_url, "base")
        async with db.engine.connect() as conn:
            assert await conn.run_sync(_tables) <= {"alembic_version"}
        await upgrade_async(service_dir, database_url)  # and up once more, cleanly
    finally:
        await db.dispose()
