"""Routing's tables share this MetaData (and its naming convention); nothing else's do."""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlmodel import SQLModel

from shared.db.tables import service_metadata

metadata: MetaData = service_metadata()


class RoutingModel(SQLModel):
    """Base of every routing table model."""

    metadata = metadata


# Every table module registers itself on `metadata` when imported; migrations and the
# migration test read `routing.db.metadata`, so it must see them all.
import routing.models  # noqa: E402, F401
