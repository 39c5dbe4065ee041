"""The inbox on a real database: claims, batches of claims, and pruning."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from shared.bus import inbox
from shared.clock import clock, utcnow
from shared.db.engine import Database, transaction
from shared.testing.servers import create_schema

pytestmark = pytest.mark.integration


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    await create_schema(database_url)
    database = Database(database_url, pool_size=2)
    clock.freeze(utcnow())
    yield database
    clock.unfreeze()
    await database.dispose()


async def test_a_batch_claim_returns_only_new_ids_once(db: Database) -> None:
    async with transaction(db) as session:
        assert await inbox.claim(session, message_id="seen", event_type="x.y") is True
    async with transaction(db) as session:
        fresh = await inbox.claim_many(
            session, [("seen", "x.y"), ("a", "x.y"), ("b", "x.y"), ("a", "x.y")]
        )
    assert fresh == {"a", "b"}


async def test_inbox_ids_older_than_redelivery_are_purged(db: Database) -> None:
    async with transaction(db) as session:
        assert await inbox.claim(session, message_id="old", event_type="x.y") is True
    clock.advance(timedelta(days=8))
    async with transaction(db) as session:
        assert await inbox.claim(session, message_id="new", event_type="x.y") is True
        assert await inbox.purge(session, older_than=timedelta(days=7)) == 1
        assert await inbox.claim(session, message_id="new", event_type="x.y") is False
