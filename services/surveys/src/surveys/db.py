"""Surveys's tables share this MetaData (and its naming convention); nothing else's do."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import BigInteger, Integer, MetaData
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel

from shared.db.engine import Database, transaction
from shared.db.tables import service_metadata
from shared.http.errors import ConflictError

metadata: MetaData = service_metadata()

# BIGINT on PostgreSQL, INTEGER (the rowid alias, so it autoincrements) on SQLite.
Seq = BigInteger().with_variant(Integer(), "sqlite")


class SurveysModel(SQLModel):
    """Base of every surveys table model."""

    metadata = metadata


@asynccontextmanager
async def writing(db: Database) -> AsyncIterator[AsyncSession]:
    """`transaction(db)`, with a unique-key race against another request answered as 409."""
    try:
        async with transaction(db) as session:
            yield session
    except IntegrityError as exc:
        raise ConflictError(
            "The change collides with another one made at the same time; read and retry"
        ) from exc


# Every table module registers itself on `metadata` when imported; migrations and the
# migration test read `surveys.db.metadata`, so it must see them all.
import surveys.models  # noqa: E402, F401
