"""The outbox relay against the real broker: publishes in order, survives a failed publish."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any, ClassVar

import orjson
import pytest
from sqlalchemy import select

from shared.bus import outbox
from shared.bus.connection import Bus
from shared.bus.relay import OutboxRelay, PublishError
from shared.bus.topology import declare_exchange
from shared.clock import utcnow
from shared.contracts.intake import ComplaintWithdrawn, HouseholdRemoved
from shared.db.engine import Database, transaction
from shared.db.tables import outbox as outbox_table
from shared.settings import ServiceSettings
from shared.testing.servers import create_schema

pytestmark = pytest.mark.integration


class RelaySettings(ServiceSettings):
    service_name: ClassVar[str] = "relay"


@pytest.fixture
async def parts(
    database_url: str, make_settings: Callable[..., Any]
) -> AsyncIterator[tuple[RelaySettings, Database, Bus]]:
    settings = make_settings(RelaySettings, database_url=database_url)
    await create_schema(database_url)
    db = Database(database_url, pool_size=2)
    bus = Bus(settings.amqp_url, name="relay-test")
    await bus.connect()
    yield settings, db, bus
    await bus.close()
    await db.dispose()


async def add(db: Database, *ids: str) -> None:
    async with transaction(db) as session:
        for complaint_id in ids:
            event = ComplaintWithdrawn(
                complaint_id=complaint_id, site_id="s", withdrawn_at=utcnow()
            )
            await outbox.add(session, event, site_id="s")


async def drain(queue: Any) -> list[str]:
    got = []
    while (message := await queue.get(fail=False, no_ack=True)) is not None:
        got.append(orjson.loads(message.body)["data"]["complaint_id"])
    return got


async def test_rows_are_published_in_order_and_a_failed_round_loses_nothing(
    parts: tuple[RelaySettings, Database, Bus],
) -> None:
    settings, db, bus = parts
    relay = OutboxRelay(settings=settings, db=db, bus=bus)
    watcher = await bus.channel(confirms=True)
    exchange = await declare_exchange(watcher, settings)
    watch = await watcher.declare_queue(exclusive=True)
    await watch.bind(exchange, routing_key="complaint.withdrawn")

    await add(db, *(f"c{i}" for i in range(50)))
    assert await relay.relay_once() == 50
    assert await drain(watch) == [f"c{i}" for i in range(50)]

    await watcher.exchange_delete(settings.exchange)  # the next publishes fail
    await add(db, "late-1", "late-2")
    with pytest.raises(PublishError):
        await relay.relay_once()
    async with db.sessions() as session:
        failed = (
            await session.execute(
                select(outbox_table.c.attempts, outbox_table.c.last_error)
                .where(outbox_table.c.published_at.is_(None))
                .order_by(outbox_table.c.seq)
            )
        ).all()
    assert [row.attempts for row in failed] == [1, 0]
    assert failed[0].last_error

    relay._declared_on = None  # what run() does after a failed round
    assert await relay.relay_once() == 2  # declared again; nobody bound yet: kept as unrouted
    unrouted = await watcher.get_queue(f"{settings.exchange}.unrouted")
    assert sorted(await drain(unrouted)) == ["late-1", "late-2"]
    backlog, _age = await relay.update_gauges()
    assert backlog == 0
    await watcher.close()


async def test_the_gauges_report_backlog_and_age(
    parts: tuple[RelaySettings, Database, Bus],
) -> None:
    settings, db, bus = parts
    relay = OutboxRelay(settings=settings, db=db, bus=bus)
    await add(db, "a", "b", "c")
    backlog, age = await relay.update_gauges()
    assert backlog == 3
    assert age >= 0
    assert await relay.relay_once() == 3
    assert await relay.update_gauges() == (0, 0.0)


async def add_bulk(db: Database, count: int) -> None:
    """`count` household events, written at once as an import writes them."""
    async with transaction(db) as session:
        await outbox.add_many(
            session,
            [
                outbox.Outgoing(
                    HouseholdRemoved(household_id=f"h{i}", site_id="s", removed_at=utcnow()),
                    site_id="s",
                )
                for i in range(count)
            ],
        )


async def test_a_bulk_lane_waits_for_every_other_event(
    parts: tuple[RelaySettings, Database, Bus],
) -> None:
    settings, db, bus = parts
    settings = settings.model_copy(
        update={"relay_batch_size": 50, "relay_bulk_types": ("household.",)}
    )
    relay = OutboxRelay(settings=settings, db=db, bus=bus)
    watcher = await bus.channel(confirms=True)
    exchange = await declare_exchange(watcher, settings)
    watch = await watcher.declare_queue(exclusive=True)
    await watch.bind(exchange, routing_key="complaint.withdrawn")
    bulk = await watcher.declare_queue(exclusive=True)
    await bulk.bind(exchange, routing_key="household.removed")

    await add_bulk(db, 120)
    await add(db, "after-the-import-1", "after-the-import-2")
    # The first round takes the two complaints written after the 120 households, then
    # fills its batch of 50 from the households, oldest first.
    assert await relay.relay_once() == 50
    assert await drain(watch) == ["after-the-import-1", "after-the-import-2"]
    first = [orjson.loads(m.body)["data"]["household_id"] for m in await taken(bulk)]
    assert first == [f"h{i}" for i in range(48)]
    while await relay.relay_once():
        pass
    rest = [orjson.loads(m.body)["data"]["household_id"] for m in await taken(bulk)]
    assert rest == [f"h{i}" for i in range(48, 120)]


async def test_without_bulk_types_rows_go_in_the_order_written(
    parts: tuple[RelaySettings, Database, Bus],
) -> None:
    settings, db, bus = parts
    settings = settings.model_copy(update={"relay_batch_size": 50})
    relay = OutboxRelay(settings=settings, db=db, bus=bus)
    watcher = await bus.channel(confirms=True)
    exchange = await declare_exchange(watcher, settings)
    watch = await watcher.declare_queue(exclusive=True)
    await watch.bind(exchange, routing_key="complaint.withdrawn")

    await add_bulk(db, 120)
    await add(db, "after-the-import")
    assert await relay.relay_once() == 50
    assert await drain(watch) == []  # still behind the households
    while await relay.relay_once():
        pass
    assert await drain(watch) == ["after-the-import"]


async def taken(queue: Any) -> list[Any]:
    got = []
    while (message := await queue.get(fail=False, no_ack=True)) is not None:
        got.append(message)
    return got
