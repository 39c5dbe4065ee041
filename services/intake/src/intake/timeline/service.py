"""The timeline projection: entries for intake's own events (written with the change) and
for routing's and notify's events (consumed). Never commits.

Case events are applied strictly in the case's version order (`ordering.apply_in_order`):
an early one is retried by the consumer until the one before it has been applied, a
repeated one is skipped. The complaint's status moves only with case events.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from intake import metrics
from intake.complaints.models import complaint
from intake.timeline import rules
from intake.timeline.models import timeline_entry
from intake.timeline.schemas import TimelineEntryRead
from shared.bus import ordering
from shared.contracts.base import Envelope, Event
from shared.contracts.routing import CaseEvent
from shared.db.engine import after_commit, as_utc, dialect_insert
from shared.logging import get_logger

log = get_logger(__name__)


class UnknownComplaintError(LookupError):
    """An event names a complaint intake does not have (or of another site)."""


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


async def _complaint(session: AsyncSession, complaint_id: str, site_id: str) -> Any:
    # Locked: a withdrawal racing a case event must not be overwritten by it.
    row = (
        await session.execute(
            select(complaint.c.status, complaint.c.site_id, complaint.c.closed_at)
            .where(complaint.c.id == complaint_id)
            .with_for_update()
        )
    ).first()
    if row is None or row.site_id != site_id:
        raise UnknownComplaintError(f"complaint {complaint_id} of site {site_id} is not known")
    return row


async def _in_order(session: AsyncSession, envelope: Envelope) -> bool:
    if envelope.aggregate_id is None or envelope.aggregate_version is None:
        log.warning("case event without aggregate version; applied unordered")
        return True
    return await ordering.apply_in_order(
        session, aggregate_id=envelope.aggregate_id, version=envelope.aggregate_version
    )


async def project_case_event(
    session: AsyncSession, *, event: CaseEvent, envelope: Envelope
) -> None:
    """Put a case event on its complaint's timeline and move the complaint's status."""
    current = await _complaint(session, event.complaint_id, event.site_id)
    fresh = await _in_order(session, envelope)
    _count(session, event.type, fresh)
    if not fresh:
        return
    await record(session, _entry_of(event, envelope, at=event.at, actor=event.actor))
    status = rules.next_status(
        current.status, event.type, already_resolved=bool(getattr(event, "already_resolved", False))
    )
    values: dict[str, Any] = {"status": status, "case_id": event.case_id}
    values["closed_at"] = rules.closed_at(
        current.status, status, at=event.at, was=current.closed_at
    )
    if department := getattr(event, "department", None):
        values["department"] = str(department)[:100]
    await session.execute(
        update(complaint).where(complaint.c.id == event.complaint_id).values(values)
    )


async def project_notice(
    session: AsyncSession,
    *,
    event: Event,
    envelope: Envelope,
    complaint_id: str,
    site_id: str,
    at: datetime,
    actor: str | None = None,
) -> None:
    """Put one of notify's events on its complaint's timeline."""
    await _complaint(session, complaint_id, site_id)
    await record(session, _entry_of(event, envelope, at=at, actor=actor, complaint_id=complaint_id))
    _count(session, event.type, True)


def _entry_of(
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


def _count(session: AsyncSession, event_type: str, applied: bool) -> None:
    outcome = "applied" if applied else "stale"
    after_commit(session, metrics.timeline_events.labels(event_type, outcome).inc)
