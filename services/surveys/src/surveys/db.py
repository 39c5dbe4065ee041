"""Surveys's tables share this MetaData (and its naming convention); nothing else's do."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, MetaData
from sqlmodel import SQLModel

from shared.db.tables import service_metadata

metadata: MetaData = service_metadata()

# BIGINT on PostgreSQL, INTEGER (the rowid alias, so it autoincrements) on SQLite.
Seq = BigInteger().with_variant(Integer(), "sqlite")


class SurveysModel(SQLModel):
    """Base of every surveys table model."""

    metadata = metadata
