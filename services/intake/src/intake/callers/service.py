"""Who is calling: the households with a phone number and their open complaints."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from intake.callers.schemas import CallerHousehold, CallerRead
from intake.complaints.models import complaint
from intake.complaints.queries import open_complaints
from intake.directory.households import read_households, to_reads
from intake.directory.models import household, household_phone
from shared.http.auth import Principal

MAX_HOUSEHOLDS = 20


async def look_up(session: AsyncSession, *, principal: Principal, phone: str) -> CallerRead:
    """The caller's households and every open complaint tied to the number, in one answer."""
    ids = (
        select(household_phone.c.household_id)
        .join(household, household.c.id == household_phone.c.household_id)
        .where(
            household_phone.c.phone == phone,
            household.c.removed_at.is_(None),
            principal.site_filter(household.c.site_id),
        )
        .limit(MAX_HOUSEHOLDS)
    )
    found = await to_reads(session, await read_households(session, household.c.id.in_(ids)))
    known = [h.id for h in found]
    complaints = await open_complaints(
        session,
        principal=principal,
        where=or_(complaint.c.household_id.in_(known), complaint.c.reporter_phone == phone),
    )
    return CallerRead(
        phone=phone,
        households=[
            CallerHousehold(
                **h.model_dump(),
                open_complaints=[c for c in complaints if c.reporter.household_id == h.id],
            )
            for h in found
        ],
        other_open_complaints=[c for c in complaints if c.reporter.household_id not in known],
    )
