"""A service's migrations against its models, for the migration tests of every service."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, MetaData, inspect

from shared.db.engine import Database
from shared.db.migrations import downgrade_async, target_metadata, upgrade_async

Differences = Callable[[Connection], list[Any]]


def differences(metadata: MetaData, *, only: Callable[[Any], bool] | None = None) -> Differences:
    """What the database has that the service's models (and the shared tables) do not, or
    the other way round, as alembic's autogenerate compares them (types included); only
    the differences `only` keeps, when given."""

    def compare(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        # Alembic compares against a list of MetaData as env.py's target_metadata does;
        # its stub names one.
        found = compare_metadata(context, target_metadata(metadata))  # type: ignore[arg-type]
        return [d for d in found if only is None or only(d)]

    return compare


def table_names(connection: Connection) -> set[str]:
    """The tables the database holds."""
    return set(inspect(connection).get_table_names())


async def assert_round_trip(
    service_dir: Path,
    database_url: str,
    *,
    tables: set[str],
    down_to: str,
    compare: Differences,
) -> None:
    """Up to head: the schema is the models' and holds `tables`; down to `down_to`: none of
    `tables` is left; up again: the schema is the models' again."""
    await upgrade_async(service_dir, database_url)
    db = Database(database_url, pool_size=1)
    try:
        async with db.engine.connect() as conn:
            assert await conn.run_sync(table_names) >= tables
            assert await conn.run_sync(compare) == []
        await downgrade_async(service_dir, database_url, down_to)
        async with db.engine.connect() as conn:
            assert not tables & await conn.run_sync(table_names)
        await upgrade_async(service_dir, database_url)
        async with db.engine.connect() as conn:
            assert await conn.run_sync(compare) == []
    finally:
        await db.dispose()
