"""Use cases of the directory's places: sites, buildings and units. Never commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Table, delete, exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from intake.directory import policy
from intake.directory.models import building, site, unit
from intake.directory.schemas import (
    BuildingCreate,
    BuildingRead,
    BuildingUpdate,
    SiteCreate,
    SiteRead,
    SiteUpdate,
    UnitCreate,
    UnitRead,
    UnitUpdate,
)
from shared.clock import utcnow
from shared.context import new_id
from shared.db.engine import dialect_insert
from shared.db.typed import rowcount
from shared.http.auth import Principal
from shared.http.errors import ConflictError, NotFoundError, ProblemError
from shared.http.pagination import Page, after_key, page_of


async def _insert_new(
    session: AsyncSession, table: Any, values: dict[str, Any], what: str, what_zh: str
) -> None:
    inserted = await session.execute(
        dialect_insert(session)(table).values(values).on_conflict_do_nothing()
    )
    if not rowcount(inserted):
        raise ConflictError(f"{what} already exists", zh=f"{what_zh}已存在")


async def _update_unique(session: AsyncSession, statement: Any, what: str, what_zh: str) -> int:
    try:
        result = await session.execute(statement)
    except IntegrityError as exc:
        raise ConflictError(f"{what} already exists", zh=f"{what_zh}已存在") from exc
    return rowcount(result)


async def named_anywhere(session: AsyncSession, table: Table, ident: str) -> bool:
    """True when a row of any table with a foreign key to `table` names `ident`: a building
    or a complaint names a site, a household or a complaint a unit. The directory need not
    know the tables above it that name its rows; the foreign keys say which they are."""
    for column in _naming(table):
        if await session.scalar(select(exists().where(column == ident))):
            return True
    return False


def _naming(table: Table) -> list[Column[Any]]:
    return sorted(
        (
            fk.parent
            for other in table.metadata.tables.values()
            for fk in other.foreign_keys
            if fk.column.table is table and other is not table
        ),
        key=lambda c: (c.table.name, c.name),
    )


async def require_site(session: AsyncSession, *, site_id: str) -> Any:
    """The site's row, or 404."""
    row = (await session.execute(select(site).where(site.c.id == site_id))).first()
    if row is None:
        raise NotFoundError("site", site_id)
    return row


async def create_site(session: AsyncSession, *, data: SiteCreate) -> SiteRead:
    """Add a site and set its daily retention run."""
    now = utcnow()
    values = {**data.model_dump(), "id": data.id or new_id(), "created_at": now, "updated_at": now}
    await _insert_new(
        session,
        site,
        values,
        f"A site with id {values['id']} or code {data.code}",
        f"编号为 {values['id']} 或代码为 {data.code} 的管理处",
    )
    await policy.schedule_run(session, site_id=values["id"], timezone=data.timezone)
    await policy.announce_policy(
        session,
        site_id=values["id"],
        retention_years=data.retention_years,
        timezone=data.timezone,
        set_at=now,
    )
    return SiteRead.model_validate(values)


async def get_site(session: AsyncSession, *, site_id: str) -> SiteRead:
    """One site, or 404."""
    return SiteRead.model_validate((await require_site(session, site_id=site_id))._mapping)


async def list_sites(
    session: AsyncSession, *, principal: Principal, limit: int, cursor: str | None
) -> Page[SiteRead]:
    """The principal's sites, by id."""
    query = after_key(select(site).where(principal.site_filter(site.c.id)), [site.c.id], cursor)
    rows = (await session.execute(query.limit(limit + 1))).all()
    items = [SiteRead.model_validate(r._mapping) for r in rows]
    return page_of(items, limit=limit, key=lambda s: (s.id,))


async def update_site(session: AsyncSession, *, site_id: str, data: SiteUpdate) -> SiteRead:
    """Change a site's details; a new time zone moves its retention run, everywhere."""
    changes = data.changes()
    if changes:
        statement = update(site).where(site.c.id == site_id).values(**changes, updated_at=utcnow())
        if not rowcount(await session.execute(statement)):
            raise NotFoundError("site", site_id)
    if data.timezone is not None:
        await policy.schedule_run(session, site_id=site_id, timezone=data.timezone)
    updated = await get_site(session, site_id=site_id)
    if data.timezone is not None or data.retention_years is not None:
        await policy.announce_policy(
            session,
            site_id=site_id,
            retention_years=updated.retention_years,
            timezone=updated.timezone,
            set_at=updated.updated_at,
        )
    return updated


async def delete_site(session: AsyncSession, *, site_id: str) -> None:
    """Remove a site that has nothing in it yet."""
    await require_site(session, site_id=site_id)
    if await named_anywhere(session, site, site_id):
        raise ConflictError(
            f"Site {site_id} has buildings or complaints; it cannot be removed",
            zh=f"管理处 {site_id} 下已有楼栋或投诉，不能删除",
        )
    await policy.cancel_run(session, site_id=site_id)
    await session.execute(delete(site).where(site.c.id == site_id))


async def create_building(
    session: AsyncSession, *, site_id: str, data: BuildingCreate
) -> BuildingRead:
    """Add a building to a site."""
    await require_site(session, site_id=site_id)
    values = {**data.model_dump(), "id": new_id(), "site_id": site_id}
    await _insert_new(session, building, values, f"Building {data.code}", f"楼栋 {data.code} ")
    return BuildingRead.model_validate(values)


async def get_building(session: AsyncSession, *, site_id: str, building_id: str) -> BuildingRead:
    """One building of the site, or 404."""
    row = (
        await session.execute(
            select(building).where(building.c.id == building_id, building.c.site_id == site_id)
        )
    ).first()
    if row is None:
        raise NotFoundError("building", building_id)
    return BuildingRead.model_validate(row._mapping)


async def list_buildings(
    session: AsyncSession, *, site_id: str, limit: int, cursor: str | None
) -> Page[BuildingRead]:
    """The site's buildings, by id."""
    query = after_key(
        select(building).where(building.c.site_id == site_id), [building.c.id], cursor
    )
    rows = (await session.execute(query.limit(limit + 1))).all()
    items = [BuildingRead.model_validate(r._mapping) for r in rows]
    return page_of(items, limit=limit, key=lambda b: (b.id,))


async def update_building(
    session: AsyncSession, *, site_id: str, building_id: str, data: BuildingUpdate
) -> BuildingRead:
    """Change a building's code or name."""
    await get_building(session, site_id=site_id, building_id=building_id)
    if changes := data.changes():
        statement = update(building).where(building.c.id == building_id).values(**changes)
        await _update_unique(session, statement, f"Building {data.code}", f"楼栋 {data.code} ")
    return await get_building(session, site_id=site_id, building_id=building_id)


async def delete_building(session: AsyncSession, *, site_id: str, building_id: str) -> None:
    """Remove a building without units."""
    await get_building(session, site_id=site_id, building_id=building_id)
    if await session.scalar(select(exists().where(unit.c.building_id == building_id))):
        raise ConflictError(
            f"Building {building_id} has units; remove them first",
            zh=f"楼栋 {building_id} 下还有单元，请先删除单元",
        )
    await session.execute(delete(building).where(building.c.id == building_id))


def _unit_query() -> Any:
    return select(*unit.c, building.c.code.label("building")).join(
        building, building.c.id == unit.c.building_id
    )


async def create_unit(session: AsyncSession, *, site_id: str, data: UnitCreate) -> UnitRead:
    """Add a unit to one of the site's buildings."""
    try:
        await get_building(session, site_id=site_id, building_id=data.building_id)
    except NotFoundError:
        await require_site(session, site_id=site_id)
        raise ProblemError(
            422,
            f"building_id {data.building_id} is not a building of this site",
            zh=f"building_id {data.building_id} 不是本管理处的楼栋",
        ) from None
    values = {**data.model_dump(), "id": new_id(), "site_id": site_id}
    await _insert_new(
        session,
        unit,
        values,
        f"Unit {data.number} in this building",
        f"本楼栋的单元 {data.number} ",
    )
    return await get_unit(session, site_id=site_id, unit_id=values["id"])


async def get_unit(session: AsyncSession, *, site_id: str, unit_id: str) -> UnitRead:
    """One unit of the site, or 404."""
    query = _unit_query().where(unit.c.id == unit_id, unit.c.site_id == site_id)
    row = (await session.execute(query)).first()
    if row is None:
        raise NotFoundError("unit", unit_id)
    return UnitRead.model_validate(row._mapping)


async def list_units(
    session: AsyncSession,
    *,
    site_id: str,
    building_id: str | None,
    limit: int,
    cursor: str | None,
) -> Page[UnitRead]:
    """The site's units (of one building, if named), by id."""
    query = _unit_query().where(unit.c.site_id == site_id)
    if building_id is not None:
        query = query.where(unit.c.building_id == building_id)
    rows = (await session.execute(after_key(query, [unit.c.id], cursor).limit(limit + 1))).all()
    items = [UnitRead.model_validate(r._mapping) for r in rows]
    return page_of(items, limit=limit, key=lambda u: (u.id,))


async def update_unit(
    session: AsyncSession, *, site_id: str, unit_id: str, data: UnitUpdate
) -> UnitRead:
    """Change a unit's number or floor."""
    await get_unit(session, site_id=site_id, unit_id=unit_id)
    if changes := data.changes():
        statement = update(unit).where(unit.c.id == unit_id).values(**changes)
        await _update_unique(
            session,
            statement,
            f"Unit {data.number} in this building",
            f"本楼栋的单元 {data.number} ",
        )
    return await get_unit(session, site_id=site_id, unit_id=unit_id)


async def delete_unit(session: AsyncSession, *, site_id: str, unit_id: str) -> None:
    """Remove a unit nobody lives in and no complaint names."""
    await get_unit(session, site_id=site_id, unit_id=unit_id)
    if await named_anywhere(session, unit, unit_id):
        raise ConflictError(
            f"Unit {unit_id} has households or complaints; it stays",
            zh=f"单元 {unit_id} 下已有业户或投诉，不能删除",
        )
    await session.execute(delete(unit).where(unit.c.id == unit_id))
