"""Who is calling: the households with a phone number, their open and recent complaints."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from intake import phones
from intake.callers.schemas import CallerHousehold, CallerRead
from intake.complaints.models import complaint
from intake.complaints.queries import open_complaints, recent_complaints
from intake.directory.households import read_households, to_reads
from intake.directory.models import household, household_phone, site
from intake.directory.schemas import HouseholdRead
from shared.http.auth import Principal

MAX_HOUSEHOLDS = 20
RECENT_COMPLAINTS = 10


async def look_up(session: AsyncSession, *, principal: Principal, phone: str) -> CallerRead:
    """The caller's households and every complaint tied to the number, in one answer.

    The number as written is read as a number of each country the principal's sites are in
    (a 422 when it is one in none). At most five statements however many households share
    the number: the countries, the households, their phones, the open complaints, each
    household's recent ones.
    """
    numbers = phones.candidates(phone, regions=await _countries(session, principal))
    found = await _households(session, principal=principal, numbers=numbers)
    known = [h.id for h in found]
    complaints = await open_complaints(
        session,
        principal=principal,
        where=or_(complaint.c.household_id.in_(known), complaint.c.reporter_phone.in_(numbers)),
    )
    recent = await recent_complaints(
        session, principal=principal, household_ids=known, per_household=RECENT_COMPLAINTS
    )
    return CallerRead(
        phone=numbers[0],
        households=[
            CallerHousehold(
                **h.model_dump(),
                open_complaints=[c for c in complaints if c.reporter.household_id == h.id],
                recent_complaints=recent.get(h.id, []),
            )
            for h in found
        ],
        other_open_complaints=[c for c in complaints if c.reporter.household_id not in known],
    )


async def _countries(session: AsyncSession, principal: Principal) -> list[str]:
    query = select(site.c.country).where(principal.site_filter(site.c.id)).distinct()
    return list((await session.scalars(query)).all())


async def _households(
    session: AsyncSession, *, principal: Principal, numbers: list[str]
) -> list[HouseholdRead]:
    ids = (
        select(household_phone.c.household_id)
        .join(household, household.c.id == household_phone.c.household_id)
        .where(
            household_phone.c.phone.in_(numbers),
            household.c.removed_at.is_(None),
            principal.site_filter(household.c.site_id),
        )
        .limit(MAX_HOUSEHOLDS)
    )
    return await to_reads(session, await read_households(session, household.c.id.in_(ids)))
