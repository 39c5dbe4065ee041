"""`Idempotency-Key`: the same key returns the first result, also when requests race.

The key's row is written in the same transaction as the work it guards. Two racing requests
both do the work, but only one commits: the other's insert of the key conflicts (on
PostgreSQL it waits for the first to commit), its transaction is rolled back, and it
answers with the stored result.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

import orjson
from fastapi import Header
from pydantic import BaseModel
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from shared.clock import utcnow
from shared.db.engine import Database, dialect_insert, transaction
from shared.db.tables import idempotency_key
from shared.db.typed import rowcount
from shared.http.auth import Principal
from shared.http.errors import ConflictError, ProblemError

MAX_KEY_LENGTH = 200

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=MAX_KEY_LENGTH,
        description="Retry-safe key: the same key returns the first result.",
    ),
]


@dataclass(frozen=True)
class Outcome:
    """What a write returned: its status code and JSON body, and whether it was replayed."""

    status_code: int
    body: Any
    replayed: bool = False


Work = Callable[[AsyncSession], Awaitable[Outcome]]
ModelWork = Callable[[AsyncSession], Awaitable[BaseModel]]
RACE = "The change collides with another one made at the same time; read it and retry"
REPLAYED = "Idempotent-Replayed"


def fingerprint(payload: Any) -> str:
    """A stable hash of the request, to refuse a key reused for a different request."""
    return hashlib.sha256(
        orjson.dumps(payload, option=orjson.OPT_SORT_KEYS, default=str)
    ).hexdigest()


async def run_once(
    db: Database, *, scope: str, key: str | None, request_hash: str, work: Work
) -> Outcome:
    """Run `work` in a transaction once per (scope, key); later calls get the first outcome."""
    if key is None:
        async with transaction(db) as session:
            return await work(session)
    for _ in range(3):
        try:
            async with transaction(db) as session:
                stored = await lookup(session, scope=scope, key=key, request_hash=request_hash)
                if stored is not None:
                    return stored
                outcome = await work(session)
                if not await remember(
                    session, scope=scope, key=key, request_hash=request_hash, outcome=outcome
                ):
                    raise _LostRace
                return outcome
        except _LostRace:
            continue
    raise ProblemError(
        409,
        "A request with this Idempotency-Key is still in progress; retry",
        zh="使用该 Idempotency-Key 的请求仍在处理中，请稍后重试",
    )


async def respond_once(
    db: Database,
    *,
    principal: Principal,
    key: str | None,
    scope: str,
    request: Any,
    work: ModelWork,
    status: int = 201,
    conflict: str = RACE,
) -> Response:
    """Run `work` in one transaction once per caller and Idempotency-Key; answer its model.

    The first answer has `status`; a replay answers 200 with the same body and
    `Idempotent-Replayed: true`. A unique-key race with another request is a 409 problem
    saying `conflict`, never a 500. A request body model is compared by its JSON.
    """

    async def run(session: AsyncSession) -> Outcome:
        return Outcome(status, (await work(session)).model_dump(mode="json"))

    try:
        outcome = await run_once(
            db,
            scope=caller_scope(scope, principal),
            key=key,
            request_hash=_request_hash(request) if key is not None else "",
            work=run,
        )
    except IntegrityError as exc:
        raise ConflictError(conflict) from exc
    code, headers = (200, {REPLAYED: "true"}) if outcome.replayed else (status, {})
    body = orjson.dumps(outcome.body)
    return Response(body, status_code=code, headers=headers, media_type="application/json")


def caller_scope(scope: str, principal: Principal) -> str:
    """Where a caller's keys live: its subject AND the sites its token sees.

    A stored answer is only ever replayed to a token that sees exactly what the first one
    saw; the same subject with other sites runs the request afresh, and the service's own
    checks answer it (a replay must not show site B to a token of site A).
    """
    sites = hashlib.sha256(",".join(sorted(principal.sites)).encode()).hexdigest()[:16]
    full = f"{scope}:{principal.sub}:{sites}"
    if len(full) <= MAX_KEY_LENGTH:
        return full
    return f"{scope[:100]}:{hashlib.sha256(full.encode()).hexdigest()}"


def _request_hash(request: Any) -> str:
    if isinstance(request, BaseModel):
        request = request.model_dump(mode="json")
    return fingerprint(request)


def replayed(response: Response) -> bool:
    """True when `respond_once` answered with the first result of a repeated request."""
    return response.headers.get(REPLAYED) == "true"


async def lookup(
    session: AsyncSession, *, scope: str, key: str, request_hash: str
) -> Outcome | None:
    """The stored outcome for (scope, key), or None; 422 if the key was used differently."""
    row = (
        await session.execute(
            select(
                idempotency_key.c.request_hash,
                idempotency_key.c.status_code,
                idempotency_key.c.response,
            ).where(idempotency_key.c.scope == scope, idempotency_key.c.key == key)
        )
    ).first()
    if row is None:
        return None
    if row.request_hash != request_hash:
        raise ProblemError(
            422,
            "This Idempotency-Key was already used for a different request; "
            "use a new key for a new request",
            zh="该 Idempotency-Key 已用于另一个不同的请求；新请求请使用新的键",
        )
    return Outcome(status_code=row.status_code, body=orjson.loads(row.response), replayed=True)


async def remember(
    session: AsyncSession, *, scope: str, key: str, request_hash: str, outcome: Outcome
) -> bool:
    """Store the outcome under (scope, key); False when another request stored one first."""
    result = await session.execute(
        dialect_insert(session)(idempotency_key)
        .values(
            scope=scope,
            key=key,
            request_hash=request_hash,
            status_code=outcome.status_code,
            response=orjson.dumps(outcome.body, default=str),
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=[idempotency_key.c.scope, idempotency_key.c.key])
    )
    return bool(rowcount(result))


async def purge(session: AsyncSession, *, older_than: timedelta) -> int:
    """Forget keys older than any client retry; returns how many."""
    result = await session.execute(
        delete(idempotency_key).where(idempotency_key.c.created_at < utcnow() - older_than)
    )
    return rowcount(result)


class _LostRace(Exception):
    """Another request stored the same key first; roll back and replay its outcome."""
