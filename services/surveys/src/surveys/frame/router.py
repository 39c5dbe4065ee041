"""Thin HTTP routes of the frame and the complainant registry of a site."""

from __future__ import annotations

from fastapi import APIRouter

from shared.db.engine import reading
from shared.http.app import DatabaseDep
from shared.http.pagination import Cursor, Limit
from surveys.access import Reader
from surveys.frame import queries
from surveys.frame.schemas import ComplainantPage, FrameRead

router = APIRouter(prefix="/sites/{site_id}", tags=["frame"])


@router.get("/frame", summary="The site's sampling frame: households per building")
async def get_frame(site_id: str, principal: Reader, db: DatabaseDep) -> FrameRead:
    principal.visible("Site", site_id, site_id)
    async with reading(db) as session:
        return await queries.frame_summary(session, site_id=site_id)


@router.get("/complainants", summary="Who complained or grumbled, how often, and when")
async def list_complainants(
    site_id: str, principal: Reader, db: DatabaseDep, limit: Limit = 100, cursor: Cursor = None
) -> ComplainantPage:
    principal.visible("Site", site_id, site_id)
    async with reading(db) as session:
        return await queries.list_complainants(session, site_id=site_id, limit=limit, cursor=cursor)
