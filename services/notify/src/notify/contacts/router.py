"""Thin HTTP routes of contacts: household preferences and each site's staff directory."""

from __future__ import annotations

from fastapi import APIRouter

from notify.access import Admin, ContactKeeper, Reader
from notify.contacts import preferences, staff
from notify.contacts.schemas import (
    ContactPage,
    ContactPreferencesUpdate,
    ContactRead,
    StaffDirectoryIn,
    StaffDirectoryRead,
)
from shared.db.engine import reading
from shared.http.app import DatabaseDep
from shared.http.pagination import Cursor, Limit
from shared.http.writing import writing

router = APIRouter(tags=["contacts"])


@router.get("/contacts", summary="The households of a site and how they are reached")
async def list_contacts(
    site_id: str, principal: Reader, db: DatabaseDep, limit: Limit = 100, cursor: Cursor = None
) -> ContactPage:
    principal.visible("Site", site_id, site_id)
    async with reading(db) as session:
        return await preferences.list_contacts(session, site_id=site_id, limit=limit, cursor=cursor)


@router.get("/contacts/{household_id}", summary="How one household is reached")
async def get_contact(household_id: str, principal: Reader, db: DatabaseDep) -> ContactRead:
    async with reading(db) as session:
        contact = await preferences.get_or_404(
            session, household_id=household_id, principal=principal
        )
        return preferences.read(contact)


@router.patch("/contacts/{household_id}", summary="Record what the household chose")
async def patch_contact(
    household_id: str, body: ContactPreferencesUpdate, principal: ContactKeeper, db: DatabaseDep
) -> ContactRead:
    async with writing(db) as session:
        return await preferences.update_preferences(
            session, household_id=household_id, data=body, principal=principal
        )


@router.get("/sites/{site_id}/staff-contacts", summary="The site's staff directory")
async def get_staff_contacts(
    site_id: str, principal: Reader, db: DatabaseDep
) -> StaffDirectoryRead:
    principal.visible("Site", site_id, site_id)
    async with reading(db) as session:
        return await staff.read_directory(session, site_id=site_id)


@router.put("/sites/{site_id}/staff-contacts", summary="Replace the site's staff directory")
async def put_staff_contacts(
    site_id: str, body: StaffDirectoryIn, principal: Admin, db: DatabaseDep
) -> StaffDirectoryRead:
    principal.may_act_on(site_id)
    async with writing(db) as session:
        return await staff.replace_directory(session, site_id=site_id, data=body)
