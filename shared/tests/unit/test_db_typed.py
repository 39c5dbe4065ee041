"""A model's table and a statement's row count, typed: what each accepts and what it refuses."""

from __future__ import annotations

import pytest
from sqlalchemy import MetaData, String, Table, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Field, SQLModel, col

from shared.db import rowcount, table_of


class _Base(SQLModel):
    metadata = MetaData()


class Lamp(_Base, table=True):
    id: str = Field(primary_key=True, sa_type=String(8))
    lit: bool = False


class LampRead(_Base):
    id: str


def test_table_of_a_table_model_is_its_core_table() -> None:
    table = table_of(Lamp)
    assert isinstance(table, Table)
    assert table.name == "lamp"
    assert set(table.c.keys()) == {"id", "lit"}
    assert table is _Base.metadata.tables["lamp"]


def test_table_of_a_model_without_a_table_is_refused() -> None:
    with pytest.raises(TypeError, match="LampRead is not a table model"):
        table_of(LampRead)


async def test_rowcount_counts_the_rows_a_session_statement_matched() -> None:
    lamp = table_of(Lamp)
    engine = create_async_engine("sqlite+aiosqlite://", poolclass=StaticPool)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_Base.metadata.create_all)
        async with AsyncSession(engine) as session, session.begin():
            added = await session.execute(insert(lamp), [{"id": "a"}, {"id": "b"}, {"id": "c"}])
            assert rowcount(added) == 3
            lit = await session.execute(update(lamp).where(lamp.c.id != "a").values(lit=True))
            assert rowcount(lit) == 2
            # A statement on the model (ORM-enabled, as services write some) counts too.
            gone = await session.execute(delete(Lamp).where(col(Lamp.lit)))
            assert rowcount(gone) == 2
            none = await session.execute(delete(lamp).where(lamp.c.id == "z"))
            assert rowcount(none) == 0
    finally:
        await engine.dispose()


async def test_rowcount_of_a_result_without_a_cursor_is_refused() -> None:
    engine = create_async_engine("sqlite+aiosqlite://")
    try:
        async with engine.connect() as connection:
            frozen = (await connection.execute(select(1))).freeze()
        with pytest.raises(TypeError, match="has no rowcount"):
            rowcount(frozen())
    finally:
        await engine.dispose()
