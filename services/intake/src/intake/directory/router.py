"""HTTP routes of sites, buildings and units: thin; the use cases are in service.py."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response

from intake.access import Admin, Reader
from intake.directory import households, service
from intake.directory.schemas import (
    BuildingCreate,
    BuildingPage,
    BuildingRead,
    BuildingUpdate,
    SiteCreate,
    SitePage,
    SiteRead,
    SiteUpdate,
    UnitCreate,
    UnitPage,
    UnitRead,
    UnitUpdate,
)
from intake.inputs import Id, PathId
from shared.db.engine import reading
from shared.http.app import DatabaseDep
from shared.http.auth import Principal
from shared.http.errors import ProblemError
from shared.http.pagination import Cursor, Limit
from shared.http.writing import writing

router = APIRouter(tags=["directory"])


def _site(principal: Principal, site_id: str) -> None:
    principal.visible("site", site_id, site_id)


@router.post("/sites", status_code=201, summary="Add a site")
async def create_site(body: SiteCreate, principal: Admin, db: DatabaseDep) -> SiteRead:
    if body.id is not None:
        principal.may_act_on(body.id)
    elif not principal.all_sites:
        raise ProblemError(
            403,
            "Only a group-level admin adds a site without naming its id",
            zh="只有集团级管理员可以不指定编号新增管理处",
        )
    async with writing(db) as session:
        return await service.create_site(session, data=body)


@router.get("/sites", summary="The sites you may see")
async def list_sites(
    principal: Reader, db: DatabaseDep, limit: Limit = 50, cursor: Cursor = None
) -> SitePage:
    async with reading(db) as session:
        return await service.list_sites(session, principal=principal, limit=limit, cursor=cursor)


@router.get("/sites/{site_id}", summary="One site")
async def get_site(site_id: PathId, principal: Reader, db: DatabaseDep) -> SiteRead:
    _site(principal, site_id)
    async with reading(db) as session:
        return await service.get_site(session, site_id=site_id)


@router.patch("/sites/{site_id}", summary="Change a site")
async def update_site(
    site_id: PathId, body: SiteUpdate, principal: Admin, db: DatabaseDep
) -> SiteRead:
    _site(principal, site_id)
    async with writing(db) as session:
        return await service.update_site(session, site_id=site_id, data=body)


@router.delete("/sites/{site_id}", status_code=204, summary="Remove an empty site")
async def delete_site(site_id: PathId, principal: Admin, db: DatabaseDep) -> Response:
    _site(principal, site_id)
    async with writing(db) as session:
        await service.delete_site(session, site_id=site_id)
    return Response(status_code=204)


@router.post("/sites/{site_id}/buildings", status_code=201, summary="Add a building")
async def create_building(
    site_id: PathId, body: BuildingCreate, principal: Admin, db: DatabaseDep
) -> BuildingRead:
    _site(principal, site_id)
    async with writing(db) as session:
        return await service.create_building(session, site_id=site_id, data=body)


@router.get("/sites/{site_id}/buildings", summary="The site's buildings")
async def list_buildings(
    site_id: PathId,
    principal: Reader,
    db: DatabaseDep,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> BuildingPage:
    _site(principal, site_id)
    async with reading(db) as session:
        await service.require_site(session, site_id=site_id)
        return await service.list_buildings(session, site_id=site_id, limit=limit, cursor=cursor)


@router.get("/sites/{site_id}/buildings/{building_id}", summary="One building")
async def get_building(
    site_id: PathId, building_id: PathId, principal: Reader, db: DatabaseDep
) -> BuildingRead:
    _site(principal, site_id)
    async with reading(db) as session:
        return await service.get_building(session, site_id=site_id, building_id=building_id)


@router.patch("/sites/{site_id}/buildings/{building_id}", summary="Change a building")
async def update_building(
    site_id: PathId, building_id: PathId, body: BuildingUpdate, principal: Admin, db: DatabaseDep
) -> BuildingRead:
    _site(principal, site_id)
    async with writing(db) as session:
        changed = await service.update_building(
            session, site_id=site_id, building_id=building_id, data=body
        )
        if "code" in body.model_fields_set:  # households' events carry the building's code
            await households.republish_building(session, site_id=site_id, building_id=building_id)
        return changed


@router.delete(
    "/sites/{site_id}/buildings/{building_id}", status_code=204, summary="Remove a building"
)
async def delete_building(
    site_id: PathId, building_id: PathId, principal: Admin, db: DatabaseDep
) -> Response:
    _site(principal, site_id)
    async with writing(db) as session:
        await service.delete_building(session, site_id=site_id, building_id=building_id)
    return Response(status_code=204)


@router.post("/sites/{site_id}/units", status_code=201, summary="Add a unit")
async def create_unit(
    site_id: PathId, body: UnitCreate, principal: Admin, db: DatabaseDep
) -> UnitRead:
    _site(principal, site_id)
    async with writing(db) as session:
        return await service.create_unit(session, site_id=site_id, data=body)


@router.get("/sites/{site_id}/units", summary="The site's units")
async def list_units(
    site_id: PathId,
    principal: Reader,
    db: DatabaseDep,
    building_id: Id | None = Query(default=None),
    limit: Limit = 50,
    cursor: Cursor = None,
) -> UnitPage:
    _site(principal, site_id)
    async with reading(db) as session:
        await service.require_site(session, site_id=site_id)
        return await service.list_units(
            session, site_id=site_id, building_id=building_id, limit=limit, cursor=cursor
        )


@router.get("/sites/{site_id}/units/{unit_id}", summary="One unit")
async def get_unit(
    site_id: PathId, unit_id: PathId, principal: Reader, db: DatabaseDep
) -> UnitRead:
    _site(principal, site_id)
    async with reading(db) as session:
        return await service.get_unit(session, site_id=site_id, unit_id=unit_id)


@router.patch("/sites/{site_id}/units/{unit_id}", summary="Change a unit")
async def update_unit(
    site_id: PathId, unit_id: PathId, body: UnitUpdate, principal: Admin, db: DatabaseDep
) -> UnitRead:
    _site(principal, site_id)
    async with writing(db) as session:
        changed = await service.update_unit(session, site_id=site_id, unit_id=unit_id, data=body)
        if "number" in body.model_fields_set:  # households' events carry the unit's number
            await households.republish_unit(session, site_id=site_id, unit_id=unit_id)
        return changed


@router.delete("/sites/{site_id}/units/{unit_id}", status_code=204, summary="Remove a unit")
async def delete_unit(
    site_id: PathId, unit_id: PathId, principal: Admin, db: DatabaseDep
) -> Response:
    _site(principal, site_id)
    async with writing(db) as session:
        await service.delete_unit(session, site_id=site_id, unit_id=unit_id)
    return Response(status_code=204)
