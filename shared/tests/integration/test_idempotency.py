"""Idempotency-Key on a real database: one effect per key, also under 20 racing requests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import orjson
import pytest
from pydantic import BaseModel
from sqlalchemy import Column, Integer, MetaData, String, Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from shared.db.engine import Database
from shared.http.auth import Principal, Role
from shared.http.errors import ProblemError
from shared.http.idempotency import Outcome, fingerprint, respond_once, run_once
from shared.testing.servers import create_schema

pytestmark = pytest.mark.integration

metadata = MetaData()
thing = Table(
    "thing",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(50), nullable=False),
)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    await create_schema(database_url, metadata)
    database = Database(database_url, pool_size=25)
    yield database
    await database.dispose()


async def make_thing(session: AsyncSession, name: str) -> Outcome:
    result = await session.execute(thing.insert().values(name=name))
    await asyncio.sleep(0.01)  # widen the race window
    return Outcome(201, {"id": result.inserted_primary_key[0], "name": name})


async def things(db: Database) -> int:
    async with db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(thing)) or 0)


async def test_the_same_key_returns_the_first_outcome(db: Database) -> None:
    request = {"name": "a"}

    async def attempt() -> Outcome:
        return await run_once(
            db,
            scope="test",
            key="k1",
            request_hash=fingerprint(request),
            work=lambda s: make_thing(s, "a"),
        )

    first, second = await attempt(), await attempt()

    assert (first.status_code, first.replayed) == (201, False)
    assert (second.status_code, second.replayed) == (201, True)
    assert second.body == first.body
    assert await things(db) == 1


async def test_twenty_racing_requests_with_one_key_make_one_thing(db: Database) -> None:
    request = {"name": "race"}
    outcomes = await asyncio.gather(
        *(
            run_once(
                db,
                scope="test",
                key="race",
                request_hash=fingerprint(request),
                work=lambda s: make_thing(s, "race"),
            )
            for _ in range(20)
        )
    )

    assert await things(db) == 1
    assert len({o.body["id"] for o in outcomes}) == 1
    assert sum(not o.replayed for o in outcomes) == 1


async def test_a_key_reused_for_another_request_is_refused(db: Database) -> None:
    await run_once(
        db,
        scope="test",
        key="k",
        request_hash=fingerprint({"name": "a"}),
        work=lambda s: make_thing(s, "a"),
    )
    with pytest.raises(ProblemError) as refused:
        await run_once(
            db,
            scope="test",
            key="k",
            request_hash=fingerprint({"name": "b"}),
            work=lambda s: make_thing(s, "b"),
        )
    assert refused.value.status == 422
    assert await things(db) == 1


async def test_keys_are_scoped(db: Database) -> None:
    for scope in ("caller-a", "caller-b"):
        await run_once(
            db,
            scope=scope,
            key="same",
            request_hash=fingerprint({}),
            work=lambda s: make_thing(s, "x"),
        )
    assert await things(db) == 2


async def test_old_keys_are_purged_and_recent_ones_kept(db: Database) -> None:
    from datetime import timedelta

    from shared.clock import clock, utcnow
    from shared.db.engine import transaction
    from shared.http import idempotency

    clock.freeze(utcnow())
    try:
        await run_once(
            db,
            scope="s",
            key="old",
            request_hash=fingerprint({}),
            work=lambda s: make_thing(s, "old"),
        )
        clock.advance(timedelta(days=2))
        await run_once(
            db,
            scope="s",
            key="new",
            request_hash=fingerprint({}),
            work=lambda s: make_thing(s, "new"),
        )
        async with transaction(db) as session:
            purged = await idempotency.purge(session, older_than=timedelta(days=1))
        assert purged == 1
        again = await run_once(
            db,
            scope="s",
            key="new",
            request_hash=fingerprint({}),
            work=lambda s: make_thing(s, "new"),
        )
        assert again.replayed
    finally:
        clock.unfreeze()


CALLER = Principal(sub="cc-1", name="", roles=frozenset({Role.CALLCENTER}), sites=frozenset({"*"}))


class Thing(BaseModel):
    id: int
    name: str


async def test_respond_once_answers_json_and_marks_a_replay(db: Database) -> None:

    async def work(session: AsyncSession) -> Thing:
        outcome = await make_thing(session, "b")
        return Thing.model_validate(outcome.body)

    async def respond(key: str | None) -> Response:
        return await respond_once(
            db, principal=CALLER, key=key, scope="things", request={"name": "b"}, work=work
        )

    first, replay, unkeyed = await respond("k"), await respond("k"), await respond(None)
    assert (first.status_code, replay.status_code, unkeyed.status_code) == (201, 200, 201)
    assert orjson.loads(first.body) == orjson.loads(replay.body)
    assert "idempotent-replayed" not in first.headers
    assert replay.headers["idempotent-replayed"] == "true"
    assert first.media_type == "application/json"
    assert await things(db) == 2


async def test_respond_once_turns_a_unique_key_race_into_a_409(db: Database) -> None:

    async def twin(session: AsyncSession) -> Thing:
        await session.execute(thing.insert().values(id=1, name="first"))
        await session.flush()
        await session.execute(thing.insert().values(id=1, name="twin"))
        raise AssertionError("the twin insert must fail")

    with pytest.raises(ProblemError) as caught:
        await respond_once(
            db, principal=CALLER, key=None, scope="things", request={}, work=twin,
            conflict="Someone else made this thing just now; read it and retry",
        )  # fmt: skip
    assert caught.value.status == 409
    assert "read it and retry" in caught.value.detail
    assert await things(db) == 0


async def test_a_stored_answer_is_replayed_only_to_a_token_that_sees_the_same_sites(
    db: Database,
) -> None:
    """The same subject's key, replayed with a token of another site, runs afresh: the
    service's own checks answer it, never the answer made for the first site."""
    site_b = Principal(sub="p", name="", roles=frozenset({Role.HANDLER}), sites=frozenset({"b"}))
    site_a = Principal(sub="p", name="", roles=frozenset({Role.HANDLER}), sites=frozenset({"a"}))
    seen: list[str] = []

    async def work_as(principal: Principal) -> Response:
        async def work(session: AsyncSession) -> Thing:
            seen.append(next(iter(principal.sites)))
            if not principal.sees("b"):
                raise ProblemError(404, "Thing does not exist or is not visible to you")
            return Thing.model_validate((await make_thing(session, "b's")).body)

        return await respond_once(
            db, principal=principal, key="k", scope="things", request={}, work=work
        )

    first = await work_as(site_b)
    assert first.status_code == 201
    with pytest.raises(ProblemError) as refused:
        await work_as(site_a)
    assert refused.value.status == 404
    replay = await work_as(site_b)
    assert replay.headers["idempotent-replayed"] == "true"
    assert seen == ["b", "a"]
    assert await things(db) == 1
