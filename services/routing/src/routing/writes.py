"""What the rectification and corrective-action write routes share: Idempotency-Key, 409s.

Each write runs once per Idempotency-Key and answers with the object as it is now; a
unique-key race with another request answers 409, never 500.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import JSONResponse, Response

from shared.db.engine import Database
from shared.http.auth import Principal
from shared.http.errors import ConflictError
from shared.http.idempotency import Outcome, fingerprint, run_once

Work = Callable[[AsyncSession], Awaitable[BaseModel]]


async def once(
    db: Database,
    principal: Principal,
    *,
    scope: str,
    key: str | None,
    body: BaseModel | None,
    work: Work,
    status: int = 200,
) -> Response:
    """Run `work` in one transaction, once per Idempotency-Key; its JSON answer."""

    async def run(session: AsyncSession) -> Outcome:
        return Outcome(status, (await work(session)).model_dump(mode="json"))

    payload: Any = body.model_dump(mode="json") if body is not None else {}
    try:
        outcome = await run_once(
            db,
            scope=f"routing:{scope}:{principal.sub}"[:200],
            key=key,
            request_hash=fingerprint(payload),
            work=run,
        )
    except IntegrityError as exc:
        raise ConflictError(
            "The change collides with another one made at the same time; read and retry"
        ) from exc
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else {}
    return JSONResponse(outcome.body, status_code=outcome.status_code, headers=headers)
