"""A latest-state projection's row, kept from another service's events in their order.

Notify's contacts and surveys' frame both keep a household from intake's events: a row per
aggregate, upserted with what the event says. An event older than the row's version is
skipped (`ordering.is_newer`); an event without a version wins only if its state is not
older than the row's (`updated_at`, the time the state was true).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from shared.bus.ordering import is_newer
from shared.contracts.base import Envelope
from shared.db.engine import dialect_insert


async def upsert_latest(
    session: AsyncSession,
    envelope: Envelope,
    table: Table,
    values: Mapping[str, Any],
    *,
    changes: Iterable[str],
) -> None:
    """Insert `values`, or set the existing row's (by primary key) `changes` columns to
    theirs, unless the envelope is older than the row's state."""
    newer = await is_newer(session, envelope)
    if newer is False:
        return
    statement = dialect_insert(session)(table).values(dict(values))
    # Unversioned events: the last write wins by the time its state was true.
    later = None if newer else table.c.updated_at <= statement.excluded.updated_at
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=list(table.primary_key.columns),
            set_={name: statement.excluded[name] for name in changes},
            where=later,
        )
    )


async def remove_latest(
    session: AsyncSession, envelope: Envelope, table: Table, values: Mapping[str, Any]
) -> None:
    """The aggregate is gone: a tombstone of `values` if the row was never seen, else only
    its `removed_at` and `updated_at` change (unless the envelope is older)."""
    await upsert_latest(session, envelope, table, values, changes=("removed_at", "updated_at"))
