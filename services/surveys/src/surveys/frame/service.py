"""Use cases of the frame: keep households and complaints from events, read them for sampling.

The event handlers (registered in `surveys.consumers`) run in the consumer's transaction,
after its inbox claim, and never commit. Household events carry the household's version
(intake sends it); a late, older one never overwrites newer state (`ordering.advance`).
Without a version, the newest `occurred_at` wins (`shared.bus.projection`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.bus.projection import remove_latest, upsert_latest
from shared.contracts.base import Envelope
from shared.contracts.intake import ComplaintReceived, HouseholdRemoved, HouseholdUpserted
from shared.contracts.routing import CaseReopened
from shared.db.engine import dialect_insert
from surveys.frame.models import complaint_mark, frame_household
from surveys.frame.rules import KeyFacts

REGISTERED_KINDS = ("complaint", "grievance")
NO_BUILDING = "-"
# A household id never holds this: it separates ids inside one aggregated text value.
SEPARATOR = "\x1f"
PLACE_COLUMNS = (
    "household_id",
    "site_id",
    "building",
    "unit",
    "phone",
    "has_contact",
    "removed_at",
)
CHUNK = 2000  # ids per IN list: well under SQLite's and asyncpg's parameter limits


async def apply_upsert(
    event: HouseholdUpserted, *, session: AsyncSession, envelope: Envelope
) -> None:
    """A household joined or changed: the frame follows."""
    values = {
        "household_id": event.household_id,
        "site_id": event.site_id,
        "building": event.building or event.building_id or NO_BUILDING,
        "unit": event.unit,
        "phone": event.phones[0] if event.phones else None,
        "has_contact": bool(event.phones or event.email),
        "occupancy": event.occupancy,
        "updated_at": envelope.occurred_at,
        "removed_at": None,
    }
    changes = [k for k in values if k != "household_id"]
    await upsert_latest(session, envelope, frame_household, values, changes=changes)


async def apply_removal(
    event: HouseholdRemoved, *, session: AsyncSession, envelope: Envelope
) -> None:
    """A household left: later frames leave it out (a tombstone if it was never seen)."""
    values = {
        "household_id": event.household_id,
        "site_id": event.site_id,
        "building": NO_BUILDING,
        "unit": "",
        "occupancy": "owner",
        "updated_at": envelope.occurred_at,
        "removed_at": event.removed_at,
    }
    await remove_latest(session, envelope, frame_household, values)


async def register_complaint(
    event: ComplaintReceived, *, session: AsyncSession, envelope: Envelope
) -> None:
    """A household complained or grumbled: its complaint or grievance enters the registry
    (when); other kinds do not."""
    if event.kind not in REGISTERED_KINDS or event.household_id is None:
        return
    values = {
        "complaint_id": event.complaint_id,
        "household_id": event.household_id,
        "site_id": event.site_id,
        "kind": event.kind,
        "category": event.category,
        "received_at": event.received_at,
    }
    statement = dialect_insert(session)(complaint_mark).values(values)
    changes = {k: statement.excluded[k] for k in values if k != "complaint_id"}
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[complaint_mark.c.complaint_id], set_=changes
        )
    )


async def register_reopen(
    event: CaseReopened, *, session: AsyncSession, envelope: Envelope
) -> None:
    """A resident was not satisfied with the answer and the case reopened: they grumbled,
    for the key sample."""
    statement = dialect_insert(session)(complaint_mark).values(
        complaint_id=event.complaint_id, site_id=event.site_id, reopened_at=event.at, reopens=1
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[complaint_mark.c.complaint_id],
            set_={"reopened_at": event.at, "reopens": complaint_mark.c.reopens + 1},
        )
    )


def _ids_text(session: AsyncSession) -> Any:
    column = frame_household.c.household_id
    if session.get_bind().dialect.name == "postgresql":
        return func.string_agg(column, SEPARATOR)
    return func.group_concat(column, SEPARATOR)


def frame_filter(site_id: str, buildings: list[str] | None) -> ColumnElement[bool]:
    """The households of a site (in some buildings only, for a special survey's scope)."""
    where = and_(frame_household.c.site_id == site_id, frame_household.c.removed_at.is_(None))
    if buildings:
        where = and_(where, frame_household.c.building.in_(buildings))
    return where


async def strata(
    session: AsyncSession, *, site_id: str, buildings: list[str] | None
) -> dict[str, list[str]]:
    """The frame as {building: sorted household ids}, read with one aggregated statement.

    One text value per building instead of one row per household: a frame of a million
    households arrives in a fraction of a second (see bench/survey_draw.py).
    """
    query = (
        select(frame_household.c.building, _ids_text(session))
        .where(frame_filter(site_id, buildings))
        .group_by(frame_household.c.building)
    )
    rows = (await session.execute(query)).all()
    # Sorted here, once: the draw and the snapshot then find them in order (a linear pass).
    return {str(b): sorted(str(ids).split(SEPARATOR)) for b, ids in rows}


async def key_facts(
    session: AsyncSession, *, site_id: str, since: datetime, unsatisfied: Iterable[str]
) -> dict[str, KeyFacts]:
    """The registry's facts about every household that may be a key household."""
    kinds = or_(complaint_mark.c.kind.in_(REGISTERED_KINDS), complaint_mark.c.kind.is_(None))
    query = select(
        complaint_mark.c.household_id, complaint_mark.c.received_at, complaint_mark.c.reopened_at
    ).where(
        complaint_mark.c.site_id == site_id,
        complaint_mark.c.household_id.is_not(None),
        kinds,
        or_(complaint_mark.c.received_at >= since, complaint_mark.c.reopened_at > since),
    )
    complaints: dict[str, list[datetime]] = defaultdict(list)
    reopens: dict[str, list[datetime]] = defaultdict(list)
    for household, received, reopened in (await session.execute(query)).all():
        if received is not None:
            complaints[household].append(received)
        if reopened is not None:
            reopens[household].append(reopened)
    return _facts(complaints, reopens, set(unsatisfied))


def _facts(
    complaints: dict[str, list[datetime]], reopens: dict[str, list[datetime]], unhappy: set[str]
) -> dict[str, KeyFacts]:
    households = set(complaints) | set(reopens) | unhappy
    return {
        h: KeyFacts(tuple(complaints.get(h, ())), tuple(reopens.get(h, ())), h in unhappy)
        for h in households
    }


async def present(session: AsyncSession, *, site_id: str, ids: list[str]) -> dict[str, Any]:
    """Where and how to reach each of `ids` that is in the frame now, by household id."""
    found: dict[str, Any] = {}
    columns = [frame_household.c[name] for name in PLACE_COLUMNS]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        # Only the primary key in the WHERE clause: given the site too, SQLite's planner
        # prefers the (site_id, removed_at) index and walks the whole site per chunk.
        query = select(*columns).where(frame_household.c.household_id.in_(chunk))
        rows = (await session.execute(query)).all()
        found.update(
            {r.household_id: r for r in rows if r.site_id == site_id and r.removed_at is None}
        )
    return found
