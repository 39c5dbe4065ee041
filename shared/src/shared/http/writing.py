"""The unit of work for HTTP writes: a unique-key race answers 409, not 500."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db.engine import Database, transaction
from shared.http.errors import ConflictError


@asynccontextmanager
async def writing(db: Database) -> AsyncIterator[AsyncSession]:
    """`transaction(db)`, with a unique-key race against another request answered as 409."""
    try:
        async with transaction(db) as session:
            yield session
    except IntegrityError as exc:
        raise ConflictError(
            "The change collides with another one made at the same time; read and retry",
            zh="该修改与同时进行的另一修改冲突，请刷新后重试",
        ) from exc
