"""What notify's write routes share: the Idempotency-Key, and unique-key races as 409."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from shared.db.engine import Database
from shared.http.auth import Principal
from shared.http.errors import ConflictError
from shared.http.idempotency import Outcome, fingerprint, run_once

Work = Callable[[AsyncSession], Awaitable[BaseModel]]


async def once(
    db: Database,
    *,
    principal: Principal,
    key: str | None,
    scope: str,
    request: Any,
    work: Work,
    status: int = 201,
) -> Response:
    """Run `work` in one transaction, once per Idempotency-Key; its JSON response."""

    async def run(session: AsyncSession) -> Outcome:
        return Outcome(status, (await work(session)).model_dump(mode="json"))

    try:
        outcome = await run_once(
            db,
            scope=f"notify:{scope}:{principal.sub}"[:200],
            key=key,
            request_hash=fingerprint(request) if key is not None else "",
            work=run,
        )
    except IntegrityError as exc:
        raise ConflictError(
            "The change collides with another one made at the same time; read and retry"
        ) from exc
    code = 200 if outcome.replayed else outcome.status_code
    return Response(orjson.dumps(outcome.body), status_code=code, media_type="application/json")
