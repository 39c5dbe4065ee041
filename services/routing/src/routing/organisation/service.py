"""Use cases of the organisation: take a session, never commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from routing.organisation import rules
from routing.organisation.models import Department, SiteLeadership, Staff
from routing.organisation.schemas import (
    DepartmentCreate,
    DepartmentRead,
    DepartmentUpdate,
    LeadershipIn,
    OrganisationIn,
    OrganisationRead,
    StaffCreate,
    StaffRead,
    StaffUpdate,
)
from shared.http.errors import ConflictError, NotFoundError, ProblemError


@dataclass(frozen=True)
class Membership:
    """Where one staff member stands on one site."""

    staff_id: str
    role: str | None = None
    department: str | None = None
    heads: frozenset[str] = frozenset()
    is_vp: bool = False
    is_gm: bool = False


async def get_organisation(session: AsyncSession, *, site_id: str) -> OrganisationRead:
    """The site's whole organisation (empty when nothing was loaded)."""
    leadership = await session.get(SiteLeadership, site_id)
    return OrganisationRead(
        site_id=site_id,
        site_name=leadership.site_name if leadership else "",
        region=leadership.region if leadership else None,
        vp=leadership.vp_id if leadership else None,
        gm=leadership.gm_id if leadership else None,
        departments=[_department(d) for d in await _departments(session, site_id)],
        staff=[_staff(s) for s in await _staff_of(session, site_id)],
    )


async def replace_organisation(
    session: AsyncSession, *, site_id: str, organisation: OrganisationIn
) -> OrganisationRead:
    """Replace the site's departments, staff and leadership with `organisation`."""
    _check(organisation.departments, organisation.staff, organisation.vp, organisation.gm)
    await session.execute(delete(Department).where(col(Department.site_id) == site_id))
    await session.execute(delete(Staff).where(col(Staff.site_id) == site_id))
    session.add_all(_department_row(site_id, d) for d in organisation.departments)
    session.add_all(_staff_row(site_id, s) for s in organisation.staff)
    await _put_leadership(session, site_id, organisation)
    await session.flush()
    return await get_organisation(session, site_id=site_id)


async def put_leadership(
    session: AsyncSession, *, site_id: str, leadership: LeadershipIn
) -> OrganisationRead:
    """Name the site's VP in charge and the general manager."""
    current = await get_organisation(session, site_id=site_id)
    _check(current.departments, current.staff, leadership.vp, leadership.gm)
    await _put_leadership(session, site_id, leadership)
    await session.flush()
    return await get_organisation(session, site_id=site_id)


async def create_department(
    session: AsyncSession, *, site_id: str, department: DepartmentCreate
) -> DepartmentRead:
    """Add a department; 409 when its code is taken on the site."""
    current = await get_organisation(session, site_id=site_id)
    if any(d.code == department.code for d in current.departments):
        raise ConflictError(
            f"Department {department.code} already exists on site {site_id}",
            zh=f"管理处 {site_id} 已有部门 {department.code}",
        )
    _check([*current.departments, department], current.staff, current.vp, current.gm)
    row = _department_row(site_id, department)
    session.add(row)
    await session.flush()
    return _department(row)


async def update_department(
    session: AsyncSession, *, site_id: str, code: str, changes: DepartmentUpdate
) -> DepartmentRead:
    """Rename a department or name its head."""
    row = await _one_department(session, site_id, code)
    for name, value in changes.model_dump(exclude_unset=True).items():
        setattr(row, "head_id" if name == "head" else name, value)
    current = await get_organisation(session, site_id=site_id)
    _check(current.departments, current.staff, current.vp, current.gm)
    return _department(row)


async def create_staff(session: AsyncSession, *, site_id: str, staff: StaffCreate) -> StaffRead:
    """Add a member of staff; 409 when the id is taken on the site."""
    current = await get_organisation(session, site_id=site_id)
    if any(s.id == staff.id for s in current.staff):
        raise ConflictError(
            f"Staff {staff.id} already exists on site {site_id}",
            zh=f"管理处 {site_id} 已有员工 {staff.id}",
        )
    _check(current.departments, [*current.staff, staff], current.vp, current.gm)
    row = _staff_row(site_id, staff)
    session.add(row)
    await session.flush()
    return _staff(row)


async def update_staff(
    session: AsyncSession, *, site_id: str, staff_id: str, changes: StaffUpdate
) -> StaffRead:
    """Change a member of staff's name, role, department or whether they are active."""
    row = await _one_staff(session, site_id, staff_id)
    for name, value in changes.model_dump(exclude_unset=True).items():
        setattr(row, name, value)
    current = await get_organisation(session, site_id=site_id)
    _check(current.departments, current.staff, current.vp, current.gm)
    return _staff(row)


async def one_level_up(
    session: AsyncSession, *, site_id: str, department: str, handler_id: str | None, level: str
) -> tuple[rules.Level, str | None]:
    """Where overdue work goes: the level above `level` (the GM stays the GM) on the chain
    of `department`, and who holds it — for rectification items and corrective actions."""
    current = rules.level_of(level)
    target = rules.next_level(current) or current
    chain = await chain_for(session, site_id=site_id, department=department, handler_id=handler_id)
    return target, chain.holder(target)


async def chain_for(
    session: AsyncSession, *, site_id: str, department: str, handler_id: str | None
) -> rules.Chain:
    """Who holds each level for a case of `department` on `site_id`."""
    head = await session.scalar(
        select(col(Department.head_id)).where(
            col(Department.site_id) == site_id, col(Department.code) == department
        )
    )
    leadership = await session.get(SiteLeadership, site_id)
    return rules.Chain(
        handler=handler_id,
        dept_head=head,
        vp=leadership.vp_id if leadership else None,
        gm=leadership.gm_id if leadership else None,
    )


async def membership(session: AsyncSession, *, site_id: str, staff_id: str) -> Membership:
    """The staff member's role, department and leadership on the site."""
    staff = (
        await session.execute(
            select(Staff).where(
                col(Staff.site_id) == site_id, col(Staff.staff_id) == staff_id, col(Staff.active)
            )
        )
    ).scalar_one_or_none()
    heads = await session.scalars(
        select(col(Department.code)).where(
            col(Department.site_id) == site_id, col(Department.head_id) == staff_id
        )
    )
    leadership = await session.get(SiteLeadership, site_id)
    return Membership(
        staff_id=staff_id,
        role=staff.role if staff else None,
        department=staff.department if staff else None,
        heads=frozenset(heads),
        is_vp=bool(leadership and leadership.vp_id == staff_id),
        is_gm=bool(leadership and leadership.gm_id == staff_id),
    )


async def names(
    session: AsyncSession, *, site_id: str, department: str, handler: str | None
) -> dict[str, str | None]:
    """The department's and the handler's names, for the events that tell them of a case."""
    dept = (
        await session.execute(
            select(col(Department.name), col(Department.name_zh)).where(
                col(Department.site_id) == site_id, col(Department.code) == department
            )
        )
    ).first()
    person = None
    if handler is not None:
        person = await session.scalar(
            select(col(Staff.name)).where(
                col(Staff.site_id) == site_id, col(Staff.staff_id) == handler
            )
        )
    return {
        "department_name": dept.name if dept else None,
        "department_name_zh": (dept.name_zh or None) if dept else None,
        "handler_name": person,
    }


async def department_exists(session: AsyncSession, *, site_id: str, code: str) -> bool:
    """True when the site has the department."""
    found = await session.scalar(
        select(col(Department.id)).where(
            col(Department.site_id) == site_id, col(Department.code) == code
        )
    )
    return found is not None


class _Dept(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def head(self) -> str | None: ...


class _Person(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def role(self) -> rules.StaffRole: ...
    @property
    def department(self) -> str | None: ...


def _check(
    departments: Sequence[_Dept], staff: Sequence[_Person], vp: str | None, gm: str | None
) -> None:
    units = [rules.Unit(code=d.code, head=d.head) for d in departments]
    members = [rules.Member(id=s.id, role=s.role, department=s.department) for s in staff]
    problems = rules.structure_problems(units, members, vp=vp, gm=gm)
    if problems:
        chinese = rules.structure_problems(units, members, vp=vp, gm=gm, lang="zh")
        raise ProblemError(
            422,
            f"The organisation does not hold together: {'; '.join(problems)}",
            zh=f"组织架构前后矛盾：{'；'.join(chinese)}",
            problems=problems,
        )


async def _put_leadership(session: AsyncSession, site_id: str, leadership: LeadershipIn) -> None:
    row = await session.get(SiteLeadership, site_id) or SiteLeadership(site_id=site_id)
    row.site_name, row.vp_id, row.gm_id = leadership.site_name, leadership.vp, leadership.gm
    row.region = leadership.region
    session.add(row)


async def _departments(session: AsyncSession, site_id: str) -> list[Department]:
    query = (
        select(Department).where(col(Department.site_id) == site_id).order_by(col(Department.code))
    )
    return list(await session.scalars(query))


async def _staff_of(session: AsyncSession, site_id: str) -> list[Staff]:
    query = select(Staff).where(col(Staff.site_id) == site_id).order_by(col(Staff.staff_id))
    return list(await session.scalars(query))


async def _one_department(session: AsyncSession, site_id: str, code: str) -> Department:
    found = await session.scalar(
        select(Department).where(col(Department.site_id) == site_id, col(Department.code) == code)
    )
    if found is None:
        raise NotFoundError("Department", code)
    return found


async def _one_staff(session: AsyncSession, site_id: str, staff_id: str) -> Staff:
    found = await session.scalar(
        select(Staff).where(col(Staff.site_id) == site_id, col(Staff.staff_id) == staff_id)
    )
    if found is None:
        raise NotFoundError("Staff", staff_id)
    return found


def _department_row(site_id: str, d: DepartmentCreate) -> Department:
    return Department(site_id=site_id, code=d.code, name=d.name, name_zh=d.name_zh, head_id=d.head)


def _staff_row(site_id: str, s: StaffCreate) -> Staff:
    return Staff(
        site_id=site_id,
        staff_id=s.id,
        name=s.name,
        role=s.role,
        department=s.department,
        active=s.active,
    )


def _department(row: Department) -> DepartmentRead:
    return DepartmentRead(code=row.code, name=row.name, name_zh=row.name_zh, head=row.head_id)


def _staff(row: Staff) -> StaffRead:
    return StaffRead(
        id=row.staff_id,
        name=row.name,
        role=row.role,
        department=row.department,
        active=row.active,
    )
