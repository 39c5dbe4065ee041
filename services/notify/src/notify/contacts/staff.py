"""Notify's staff directory: who to reach in a department or a role, and where.

Routing's organisation knows who holds which role but no addresses; notify keeps its own
directory per site, replaced as a whole by an administrator.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import ColumnElement, delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from notify.contacts import rules
from notify.contacts.models import staff_contact
from notify.contacts.rules import Recipient
from notify.contacts.schemas import StaffContactRead, StaffDirectoryIn, StaffDirectoryRead


async def replace_directory(
    session: AsyncSession, *, site_id: str, data: StaffDirectoryIn
) -> StaffDirectoryRead:
    """Replace the site's whole staff directory (in the caller's one transaction)."""
    await session.execute(delete(staff_contact).where(staff_contact.c.site_id == site_id))
    rows = [{**member.model_dump(), "site_id": site_id} for member in data.staff]
    if rows:
        await session.execute(insert(staff_contact), rows)
    return await read_directory(session, site_id=site_id)


async def read_directory(session: AsyncSession, *, site_id: str) -> StaffDirectoryRead:
    """The site's staff directory: leadership first, then by department and staff id."""
    query = (
        select(staff_contact)
        .where(staff_contact.c.site_id == site_id)
        # Leadership (no department) first, on both databases: they sort NULL differently.
        .order_by(func.coalesce(staff_contact.c.department, ""), staff_contact.c.staff_id)
    )
    rows = (await session.execute(query)).all()
    return StaffDirectoryRead(
        site_id=site_id, staff=[StaffContactRead.model_validate(r) for r in rows]
    )


async def _recipients(
    session: AsyncSession, site_id: str, where: ColumnElement[bool]
) -> list[Recipient]:
    query = (
        select(staff_contact)
        .where(staff_contact.c.site_id == site_id, where)
        .order_by(staff_contact.c.staff_id)
    )
    return _reach((await session.execute(query)).all())


def _reach(rows: Iterable[Any]) -> list[Recipient]:
    return [
        Recipient(f"staff:{row.staff_id}", channel, address, row.locale)
        for row in rows
        for channel, address in rules.staff_channels(
            phone=row.phone, email=row.email, webhook_url=row.webhook_url
        )
    ]


async def department(
    session: AsyncSession, *, site_id: str, department: str, also: Collection[str] = ()
) -> list[Recipient]:
    """Everyone of a department, plus the staff ids in `also`."""
    where = staff_contact.c.department == department
    if also:
        where = where | staff_contact.c.staff_id.in_(sorted(also))
    return await _recipients(session, site_id, where)


async def by_id(
    session: AsyncSession, *, site_id: str, staff_ids: Collection[str]
) -> list[Recipient]:
    """The staff with these ids (unknown ids reach nobody)."""
    return await _recipients(session, site_id, staff_contact.c.staff_id.in_(sorted(staff_ids)))


async def name_of(session: AsyncSession, *, site_id: str, staff_id: str) -> str:
    """The staff member's name as the directory has it; the id when it has none."""
    query = select(staff_contact.c.name).where(
        staff_contact.c.site_id == site_id, staff_contact.c.staff_id == staff_id
    )
    return str(await session.scalar(query) or staff_id)


async def by_role(
    session: AsyncSession, *, site_id: str, role: str, department: str | None = None
) -> list[Recipient]:
    """The holders of a role on the site (of one department, for department heads)."""
    where = staff_contact.c.role == role
    if department is not None:
        where = where & (staff_contact.c.department == department)
    return await _recipients(session, site_id, where)


async def department_heads(session: AsyncSession, *, site_id: str) -> list[Recipient]:
    """One voice per department: its heads, or everyone of a department without a head."""
    query = select(staff_contact).where(
        staff_contact.c.site_id == site_id, staff_contact.c.department.is_not(None)
    )
    rows = (await session.execute(query.order_by(staff_contact.c.staff_id))).all()
    headed = {r.department for r in rows if r.role == "dept_head"}
    chosen = [r for r in rows if r.role == "dept_head" or r.department not in headed]
    return _reach(chosen)
