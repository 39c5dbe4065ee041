"""Thin HTTP routes of the organisation: admins manage it, every role of the site reads it."""

from __future__ import annotations

from fastapi import APIRouter, Request

from routing.access import Admin, Reader, site_visible
from routing.bodies import DOCUMENT_BODY, read_document
from routing.inputs import DepartmentCode, SiteId, StaffId
from routing.organisation import service
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
from shared.db.engine import reading
from shared.http.app import DatabaseDep
from shared.http.writing import writing

router = APIRouter(prefix="/sites/{site_id}", tags=["organisation"])


@router.get("/organisation", summary="The site's departments, staff and escalation chain")
async def get_organisation(site_id: SiteId, principal: Reader, db: DatabaseDep) -> OrganisationRead:
    site_visible(principal, site_id)
    async with reading(db) as session:
        return await service.get_organisation(session, site_id=site_id)


@router.put(
    "/organisation",
    summary="Replace the site's whole organisation from a JSON or YAML document",
    openapi_extra={"requestBody": {**DOCUMENT_BODY, "description": "an OrganisationIn"}},
)
async def replace_organisation(
    site_id: SiteId, request: Request, principal: Admin, db: DatabaseDep
) -> OrganisationRead:
    site_visible(principal, site_id)
    organisation = await read_document(request, OrganisationIn)
    async with writing(db) as session:
        return await service.replace_organisation(
            session, site_id=site_id, organisation=organisation
        )


@router.put("/leadership", summary="Name the VP in charge of the site and the general manager")
async def put_leadership(
    site_id: SiteId, body: LeadershipIn, principal: Admin, db: DatabaseDep
) -> OrganisationRead:
    site_visible(principal, site_id)
    async with writing(db) as session:
        return await service.put_leadership(session, site_id=site_id, leadership=body)


@router.post("/departments", status_code=201, summary="Add a department")
async def create_department(
    site_id: SiteId, body: DepartmentCreate, principal: Admin, db: DatabaseDep
) -> DepartmentRead:
    site_visible(principal, site_id)
    async with writing(db) as session:
        return await service.create_department(session, site_id=site_id, department=body)


@router.patch("/departments/{code}", summary="Rename a department or name its head")
async def update_department(
    site_id: SiteId, code: DepartmentCode, body: DepartmentUpdate, principal: Admin, db: DatabaseDep
) -> DepartmentRead:
    site_visible(principal, site_id)
    async with writing(db) as session:
        return await service.update_department(session, site_id=site_id, code=code, changes=body)


@router.post("/staff", status_code=201, summary="Add a member of staff")
async def create_staff(
    site_id: SiteId, body: StaffCreate, principal: Admin, db: DatabaseDep
) -> StaffRead:
    site_visible(principal, site_id)
    async with writing(db) as session:
        return await service.create_staff(session, site_id=site_id, staff=body)


@router.patch("/staff/{staff_id}", summary="Change a member of staff")
async def update_staff(
    site_id: SiteId, staff_id: StaffId, body: StaffUpdate, principal: Admin, db: DatabaseDep
) -> StaffRead:
    site_visible(principal, site_id)
    async with writing(db) as session:
        return await service.update_staff(session, site_id=site_id, staff_id=staff_id, changes=body)
