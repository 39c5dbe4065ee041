"""Keyset pages on a real database: every row once, in order, whatever the page size."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Column, MetaData, Select, String, Table, select

from shared.db.engine import Database
from shared.db.types import UtcDateTime
from shared.http.errors import ProblemError
from shared.http.pagination import (
    after_key,
    encode_cursor,
    newest_first,
    oldest_first,
)
from shared.testing.servers import create_schema

pytestmark = pytest.mark.integration

metadata = MetaData()
row = Table(
    "row",
    metadata,
    Column("id", String(10), primary_key=True),
    Column("site", String(10), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
)
T0 = datetime(2026, 11, 1, 8, tzinfo=UTC)
# Ties on `at` (b, c, d) must be broken by the id, or a page boundary would skip or repeat.
ROWS = [("a", "s1", 0), ("b", "s2", 1), ("c", "s1", 1), ("d", "s2", 1), ("e", "s1", 2)]


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    await create_schema(database_url, metadata)
    database = Database(database_url)
    async with database.sessions() as session, session.begin():
        values = [{"id": i, "site": s, "at": T0 + timedelta(hours=h)} for i, s, h in ROWS]
        await session.execute(row.insert(), values)
    yield database
    await database.dispose()


Order = Callable[[Select[Any], str | None], Select[Any]]
Key = Callable[[Any], tuple[Any, ...]]


def by_time(r: Any) -> tuple[str, str]:
    return r.at.isoformat(), r.id


async def walk(db: Database, order: Order, key: Key, size: int) -> list[str]:
    """Every id, page by page of `size`, following the cursor of each page's last row."""
    seen: list[str] = []
    cursor: str | None = None
    while True:
        async with db.sessions() as session:
            rows = (await session.execute(order(select(row), cursor).limit(size))).all()
        seen += [r.id for r in rows]
        if len(rows) < size:
            return seen
        cursor = encode_cursor(*key(rows[-1]))


@pytest.mark.parametrize("size", [1, 2, 3, 5])
async def test_each_order_returns_every_row_once(db: Database, size: int) -> None:
    newest = await walk(db, lambda q, c: newest_first(q, row.c.at, row.c.id, c), by_time, size)
    oldest = await walk(db, lambda q, c: oldest_first(q, row.c.at, row.c.id, c), by_time, size)
    by_id = await walk(db, lambda q, c: after_key(q, [row.c.id], c), lambda r: (r.id,), size)
    by_site = await walk(
        db, lambda q, c: after_key(q, [row.c.site, row.c.id], c), lambda r: (r.site, r.id), size
    )
    assert newest == ["e", "d", "c", "b", "a"]
    assert oldest == ["a", "b", "c", "d", "e"]
    assert by_id == ["a", "b", "c", "d", "e"]
    assert by_site == ["a", "c", "e", "b", "d"]


@pytest.mark.parametrize(
    "cursor",
    [
        encode_cursor("yesterday", "a"),
        encode_cursor("2026-11-01T08:00:00", "a"),  # no zone: ambiguous
        encode_cursor("2026-11-01T08:00:00+00:00", 7),
        encode_cursor("a"),
    ],
)
def test_a_cursor_that_is_no_time_key_is_a_400(cursor: str) -> None:
    with pytest.raises(ProblemError) as caught:
        newest_first(select(row), row.c.at, row.c.id, cursor)
    assert caught.value.status == 400


def test_a_text_key_cursor_holding_a_number_is_a_400() -> None:
    with pytest.raises(ProblemError) as caught:
        after_key(select(row), [row.c.id], encode_cursor(7))
    assert caught.value.status == 400
