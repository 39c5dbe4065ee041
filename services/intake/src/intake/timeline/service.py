"""The timeline: one entry per event about a complaint, intake's own (written with the
change) and routing's and notify's (written by `complaints.projection`). Never commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from intake.timeline import rules
from intake.timeline.models import timeline_entry
from intake.timeline.schemas import TimelineEntryRead
from shared.contracts.base import Envelope, Event
from shared.db.engine import as_utc, dialect_insert


def entry(
    *,
    complaint_id: str,
    event_id: str,
    type_: str,
    source: str,
    at: datetime,
    actor: str | None = None,
    facts: dict[str, Any] | None = None,
    detail: str | None = None,
    aggregate_version: int | None = None,
) -> dict[str, Any]:
    """A timeline row."""
    return {
        "complaint_id": complaint_id,
        "event_id": event_id,
        "type": type_,
        "source": source,
        "at": at,
        "actor": actor[:200] if actor else actor,
        "facts": facts or {},
        "detail": detail,
        "aggregate_version": aggregate_version,
    }


_INSERTS: dict[str, Any] = {}


def _insert(session: AsyncSession) -> Any:
    # Built once per dialect: complaints are recorded on the hot path.
    name = session.get_bind().dialect.name
    if name not in _INSERTS:
        _INSERTS[name] = dialect_insert(session)(timeline_entry).on_conflict_do_nothing(
            index_elements=[timeline_entry.c.event_id]
        )
    return _INSERTS[name]


async def record(session: AsyncSession, *entries: dict[str, Any]) -> None:
    """Add entries to the timeline; an entry already there (same event id) is kept as is."""
    await session.execute(_insert(session), entries[0] if len(entries) == 1 else list(entries))


async def entries(
    session: AsyncSession, *, complaint_id: str, lang: str = "en"
) -> list[TimelineEntryRead]:
    """The complaint's timeline, oldest first."""
    rows = await session.execute(
        select(timeline_entry)
        .where(timeline_entry.c.complaint_id == complaint_id)
        .order_by(timeline_entry.c.at, timeline_entry.c.seq)
    )
    return [_read(row, lang) for row in rows]


def _read(row: Any, lang: str) -> TimelineEntryRead:
    return TimelineEntryRead(
        at=as_utc(row.at),
        type=row.type,
        source=row.source,
        actor=row.actor,
        description=rules.describe(row.type, row.facts or {}, lang=lang),
        detail=row.detail,
    )


def entry_of(
    event: Event,
    envelope: Envelope,
    *,
    at: datetime,
    actor: str | None,
    complaint_id: str | None = None,
) -> dict[str, Any]:
    return entry(
        complaint_id=complaint_id or getattr(event, "complaint_id"),  # noqa: B009
        event_id=envelope.id,
        type_=event.type,
        source=envelope.source,
        at=at,
        actor=actor,
        facts=rules.facts_of(event),
        detail=rules.detail_of(event),
        aggregate_version=envelope.aggregate_version,
    )
