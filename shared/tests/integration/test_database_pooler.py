"""Behind PgBouncer in transaction mode no statement may be prepared under a name.

Each transaction may get another server connection from the pooler, so a named statement
prepared on one is unknown, or a duplicate, on the next. A database URL with
`?prepared_statement_cache_size=0` (what the Kubernetes manifests give the services for
their poolers) must leave no named prepared statement on the server session, however many
times the same statements run; without it asyncpg names and keeps them.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, func, select, text

from shared.db.engine import Database, behind_pooler, transaction
from shared.testing.servers import create_schema

pytestmark = pytest.mark.integration

POOLED = "prepared_statement_cache_size=0"

metadata = MetaData()
note = Table("note", metadata, Column("id", Integer, primary_key=True), Column("text", String(50)))


def pooled(url: str) -> str:
    """The URL as a pooler's: the prepared-statement cache off."""
    return f"{url}{'&' if '?' in url else '?'}{POOLED}"


async def named_statements_after_work(url: str) -> list[str]:
    """Write and read through `transaction` a few times on one pooled connection, then list
    the named prepared statements the server session holds."""
    await create_schema(url, metadata)
    db = Database(url, pool_size=1)  # one connection: every round runs on the same session
    try:
        for round_ in range(3):
            async with transaction(db) as session:
                await session.execute(note.insert().values(id=round_, text=f"note {round_}"))
                await session.scalar(select(func.count()).select_from(note))
        async with db.engine.connect() as conn:
            rows = await conn.execute(text("SELECT name FROM pg_prepared_statements"))
            names = [str(name) for (name,) in rows]
        async with transaction(db) as session:
            stored = await session.scalar(select(func.count()).select_from(note))
    finally:
        await db.dispose()
    assert stored == 3
    return names


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_a_pooled_url_prepares_no_named_statement(database_url: str) -> None:
    assert behind_pooler(pooled(database_url))
    assert await named_statements_after_work(pooled(database_url)) == []


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_a_direct_url_keeps_its_named_statements(database_url: str) -> None:
    # The check above can fail: a direct connection's cache names what it prepares.
    assert not behind_pooler(database_url)
    names = await named_statements_after_work(database_url)
    assert names
    assert all(name.startswith("__asyncpg_stmt_") for name in names)


def test_only_a_zero_cache_size_counts_as_pooled() -> None:
    base = "postgresql+asyncpg://careloop:secret@intake-db-pooler:5432/intake"
    assert behind_pooler(f"{base}?prepared_statement_cache_size=0")
    assert not behind_pooler(f"{base}?prepared_statement_cache_size=100")
    assert not behind_pooler(base)
