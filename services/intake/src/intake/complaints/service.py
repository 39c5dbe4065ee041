"""Use cases of complaints: record one, follow it up, read it. Never commits.

Recording is the hot path (DESIGN.md §12): Core statements, one round trip each, and the
response built from what was written rather than read back.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from intake import phones
from intake.complaints import rules
from intake.complaints.models import complaint, complaint_counter
from intake.complaints.schemas import (
    ComplaintCreate,
    ComplaintSummary,
    HouseholdReporter,
    StaffReporter,
    VisitorReporter,
)
from intake.complaints.views import links
from intake.directory.models import building, household, site, unit
from intake.timeline import service as timeline
from shared.bus import outbox
from shared.clock import utcnow
from shared.context import correlation_id, new_id
from shared.contracts.intake import ComplaintContactGiven, ComplaintReceived, ImmediateReply
from shared.db.engine import dialect_insert
from shared.db.typed import rowcount
from shared.http.auth import Principal
from shared.http.errors import ProblemError


class DuplicateComplaintError(Exception):
    """The caller sent this external_ref before: the first complaint is the answer."""


@dataclass(frozen=True)
class _Place:
    code: str
    timezone: str
    country: str
    building_id: str | None = None
    building: str | None = None
    unit_id: str | None = None
    unit: str | None = None


_INSERTS: dict[str, Any] = {}
_COUNTERS: dict[str, Any] = {}


def _insert(session: AsyncSession) -> Any:
    # Built once per dialect: a duplicate (source, external_ref) inserts nothing.
    name = session.get_bind().dialect.name
    if name not in _INSERTS:
        _INSERTS[name] = dialect_insert(session)(complaint).on_conflict_do_nothing(
            index_elements=[complaint.c.source, complaint.c.external_ref]
        )
    return _INSERTS[name]


def _counter(session: AsyncSession) -> Any:
    name = session.get_bind().dialect.name
    if name not in _COUNTERS:
        statement = dialect_insert(session)(complaint_counter)
        _COUNTERS[name] = statement.on_conflict_do_update(
            index_elements=[complaint_counter.c.site_id, complaint_counter.c.day],
            set_={"last": complaint_counter.c.last + 1},
        ).returning(complaint_counter.c.last)
    return _COUNTERS[name]


async def next_reference(session: AsyncSession, *, site_id: str, code: str, day: Any) -> str:
    """The next reference of the site's day; the counter row serialises concurrent writers."""
    values = {"site_id": site_id, "day": f"{day:%Y%m%d}", "last": 1}
    sequence = (await session.execute(_counter(session), values)).scalar_one()
    return rules.reference(code, day, sequence)


# One round trip for the site and, when named, the reporter's household; built once.
_SITE_AND_HOUSEHOLD = (
    select(site.c.code, site.c.timezone, site.c.country, household.c.id.label("household_id"))
    .select_from(
        site.outerjoin(
            household,
            and_(
                household.c.id == bindparam("household_id"),
                household.c.site_id == site.c.id,
                household.c.removed_at.is_(None),
            ),
        )
    )
    .where(site.c.id == bindparam("site_id"))
)


async def _place(session: AsyncSession, data: ComplaintCreate) -> _Place:
    reporter = data.reporter
    wanted = reporter.household_id if isinstance(reporter, HouseholdReporter) else None
    found = (
        await session.execute(
            _SITE_AND_HOUSEHOLD, {"site_id": data.site_id, "household_id": wanted}
        )
    ).first()
    if found is None:
        raise ProblemError(
            422,
            f"site_id {data.site_id} is not a site",
            zh=f"site_id {data.site_id} 不是管理处",
        )
    if wanted is not None and found.household_id is None:
        raise ProblemError(
            422,
            f"reporter.household_id {wanted} is not a household here",
            zh=f"reporter.household_id {wanted} 不是本管理处的业户",
        )
    place = _Place(found.code, found.timezone, found.country)
    return await _located(session, data, place) if data.location else place


async def _located(session: AsyncSession, data: ComplaintCreate, place: _Place) -> _Place:
    where = data.location
    assert where is not None
    if where.unit_id is None and where.building_id is None:
        return place
    query = select(building.c.id, building.c.code).where(building.c.site_id == data.site_id)
    if where.unit_id is not None:
        query = query.add_columns(unit.c.number).join(unit, unit.c.building_id == building.c.id)
        query = query.where(unit.c.id == where.unit_id)
    if where.building_id is not None:
        query = query.where(building.c.id == where.building_id)
    row = (await session.execute(query)).first()
    if row is None:
        raise ProblemError(
            422,
            "location names a building or unit that is not in this site",
            zh="location 所指的楼栋或单元不在本管理处",
        )
    unit_number = row.number if where.unit_id is not None else None
    return replace(
        place, building_id=row.id, building=row.code, unit_id=where.unit_id, unit=unit_number
    )


def _reporter_columns(data: ComplaintCreate, place: _Place) -> dict[str, Any]:
    reporter = data.reporter
    if isinstance(reporter, VisitorReporter):
        phone = reporter.phone
        return {
            "reporter_name": reporter.name,
            "reporter_phone": phones.stored(
                phone, region=place.country, field="reporter.visitor.phone"
            )
            if phone
            else None,
            "reporter_email": reporter.email,
        }
    if isinstance(reporter, StaffReporter):
        return {"staff_member": reporter.staff_member, "staff_department": reporter.department}
    return {"household_id": reporter.household_id}


def _row(data: ComplaintCreate, by: Principal, place: _Place, now: datetime) -> dict[str, Any]:
    reply = data.immediate_reply
    common_area = data.location.common_area if data.location else None
    return {
        **dict.fromkeys(("household_id", "reporter_name", "reporter_phone", "staff_member")),
        "reporter_email": None,
        "staff_department": None,
        **_reporter_columns(data, place),
        "id": new_id(),
        "site_id": data.site_id,
        "version": 1,
        "status": rules.RECEIVED,
        "channel": data.channel,
        "kind": data.kind,
        "category": data.category,
        "severity": data.severity,
        "description": data.description,
        "reporter_type": data.reporter.type,
        "building_id": place.building_id,
        "unit_id": place.unit_id,
        "common_area": common_area,
        "location": rules.location_text(place.building, place.unit, common_area),
        "occurred_at": data.occurred_at,
        "received_at": now,
        "received_by": by.name[:100],
        "source": rules.source_of(by.sub),
        "external_ref": data.external_ref,
        "correlation_id": correlation_id.get() or new_id(),
        "reply_text": reply.text if reply else None,
        "replied_by": reply.replied_by if reply else None,
        "replied_at": (reply.replied_at or now) if reply else None,
    }


def _received(row: dict[str, Any]) -> ComplaintReceived:
    reply = None
    if row["reply_text"] is not None:
        reply = ImmediateReply(
            text=row["reply_text"], replied_by=row["replied_by"], replied_at=row["replied_at"]
        )
    return ComplaintReceived(
        complaint_id=row["id"],
        immediate_reply=reply,
        contact_given=_contact(row) is not None,
        filed_by=row["source"],
        **{k: row[k] for k in _EVENT_FIELDS},
    )


def _contact(row: dict[str, Any]) -> ComplaintContactGiven | None:
    """A visitor's own contact, for notify alone to answer them; None for anyone else (a
    household's contact is the directory's and reaches notify in household.upserted)."""
    if row["reporter_type"] != "visitor" or not (row["reporter_phone"] or row["reporter_email"]):
        return None
    return ComplaintContactGiven(
        complaint_id=row["id"],
        site_id=row["site_id"],
        name=row["reporter_name"],
        phone=row["reporter_phone"],
        email=row["reporter_email"],
    )


_EVENT_FIELDS = (
    "reference", "site_id", "channel", "kind", "category", "severity", "description",
    "reporter_type", "household_id", "staff_department", "staff_member", "location",
    "occurred_at", "received_at", "external_ref", "building_id", "unit_id",
)  # fmt: skip


async def record_complaint(
    session: AsyncSession, *, data: ComplaintCreate, by: Principal
) -> ComplaintSummary:
    """Record a complaint with its first timeline entries, and publish complaint.received."""
    place = await _place(session, data)
    now = utcnow()
    row = _row(data, by, place, now)
    day = rules.local_day(now, timezone=place.timezone)
    row["reference"] = await next_reference(session, site_id=data.site_id, code=place.code, day=day)
    if not rowcount(await session.execute(_insert(session), row)):
        raise DuplicateComplaintError
    contact = _contact(row)
    if contact is not None:  # first, so that notify usually knows it when the complaint comes
        await outbox.add(session, contact, site_id=data.site_id, aggregate_id=row["id"])
    message_id = await outbox.add(
        session, _received(row), site_id=data.site_id, aggregate_id=row["id"], aggregate_version=1
    )
    await timeline.record(session, *_first_entries(row, message_id))
    return ComplaintSummary(
        id=row["id"], reference=row["reference"], status="received", version=1, links=links(row)
    )


def _first_entries(row: dict[str, Any], message_id: str) -> list[dict[str, Any]]:
    facts = {k: row[k] for k in ("channel", "kind", "category", "reference")}
    first = timeline.entry(
        complaint_id=row["id"],
        event_id=message_id,
        type_="complaint.received",
        source="intake",
        at=row["received_at"],
        actor=row["received_by"],
        facts=facts,
        aggregate_version=1,
    )
    if row["reply_text"] is None:
        return [first]
    answered = timeline.entry(
        complaint_id=row["id"],
        event_id=f"{message_id}:reply",
        type_="complaint.answered",
        source="intake",
        at=row["replied_at"],
        actor=row["replied_by"],
        detail=row["reply_text"],
        aggregate_version=1,
    )
    return [first, answered]
