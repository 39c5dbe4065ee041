"""Migration 0003 builds exactly the notice and callback tables their models describe, on
both databases, and goes down to 0002 and up again."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect

import notify.callbacks.models
import notify.notices.models  # noqa: F401  (the tables register on notify's metadata)
from notify.main import SERVICE_DIR
from notify.models import metadata
from shared.db.engine import Database
from shared.db.migrations import downgrade_async, target_metadata, upgrade_async

pytestmark = pytest.mark.integration

MINE = {"notice", "notice_recipient", "callback", "callback_attempt"}


def _table_of(diff: Any) -> str | None:
    """The table a difference is about (alembic reports tuples, or lists of them)."""
    first = diff[0] if isinstance(diff, list) else diff
    for part in first[1:]:
        name = getattr(part, "name", None) if not isinstance(part, str) else part
        table = getattr(part, "table", None)
        if table is not None:
            return str(table.name)
        if name in MINE:
            return str(name)
    return None


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    found = compare_metadata(context, target_metadata(metadata))
    return [d for d in found if _table_of(d) in MINE]


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_migration_0003_matches_the_models_and_goes_down_and_up(database_url: str) -> None:
    await upgrade_async(SERVICE_DIR, database_url)
    db = Database(database_url, pool_size=1)
    try:
        async with db.engine.connect() as conn:
            assert await conn.run_sync(_tables) >= MINE
            assert await conn.run_sync(_differences) == []
        await downgrade_async(SERVICE_DIR, database_url, "0002")
        async with db.engine.connect() as conn:
            assert not MINE & await conn.run_sync(_tables)
        await upgrade_async(SERVICE_DIR, database_url)
        async with db.engine.connect() as conn:
            assert await conn.run_sync(_differences) == []
    finally:
        await db.dispose()
