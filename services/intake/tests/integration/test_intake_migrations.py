"""Intake's migrations build exactly the schema its models describe, on both databases."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect

from intake.db import metadata
from intake.main import SERVICE_DIR
from shared.db.engine import Database
from shared.db.migrations import downgrade_async, target_metadata, upgrade_async

pytestmark = pytest.mark.integration

INTAKE_TABLES = {
    "site",
    "building",
    "unit",
    "household",
    "household_phone",
    "complaint",
    "complaint_counter",
    "timeline_entry",
}


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, target_metadata(metadata)))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_migrations_match_the_models_and_go_down_and_up_again(database_url: str) -> None:
    await upgrade_async(SERVICE_DIR, database_url)
    db = Database(database_url, pool_size=1)
    try:
        async with db.engine.connect() as conn:
            assert await conn.run_sync(_differences) == []
            assert await conn.run_sync(_tables) >= INTAKE_TABLES
        await downgrade_async(SERVICE_DIR, database_url, "0001")
        async with db.engine.connect() as conn:
            assert not INTAKE_TABLES & await conn.run_sync(_tables)
        await upgrade_async(SERVICE_DIR, database_url)
        async with db.engine.connect() as conn:
            assert await conn.run_sync(_differences) == []
    finally:
        await db.dispose()
