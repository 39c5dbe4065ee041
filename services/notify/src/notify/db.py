"""Notify's tables share this MetaData (and its naming convention); nothing else's do."""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlmodel import SQLModel

from shared.db.tables import service_metadata

metadata: MetaData = service_metadata()


class NotifyModel(SQLModel):
    """Base of every notify table model."""

    metadata = metadata
