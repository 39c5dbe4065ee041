"""Thin HTTP routes of site settings."""

from __future__ import annotations

from fastapi import APIRouter

from notify.access import Admin, Reader
from notify.sites import service
from notify.sites.schemas import SiteSettingsIn, SiteSettingsRead
from shared.db.engine import reading
from shared.http.app import DatabaseDep
from shared.http.writing import writing

router = APIRouter(prefix="/sites/{site_id}", tags=["sites"])


@router.get("/settings", summary="The site's notify settings (defaults until set)")
async def get_settings(site_id: str, principal: Reader, db: DatabaseDep) -> SiteSettingsRead:
    principal.visible("Site", site_id, site_id)
    async with reading(db) as session:
        found = await service.get(session, site_id=site_id)
    return SiteSettingsRead.model_validate(found, from_attributes=True)


@router.put("/settings", summary="Replace the site's notify settings")
async def put_settings(
    site_id: str, body: SiteSettingsIn, principal: Admin, db: DatabaseDep
) -> SiteSettingsRead:
    principal.may_act_on(site_id)
    async with writing(db) as session:
        found = await service.put(session, site_id=site_id, data=body)
    return SiteSettingsRead.model_validate(found, from_attributes=True)
