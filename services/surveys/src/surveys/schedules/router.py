"""Thin HTTP routes of a site's campaign schedule: set, read, remove."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from starlette.responses import Response

from shared.db.engine import reading
from shared.http.app import DatabaseDep
from shared.http.writing import writing
from surveys.access import Manager, Reader
from surveys.schedules import service
from surveys.schedules.schemas import ScheduleIn, ScheduleRead
from surveys.writes import LinkBase

router = APIRouter(prefix="/sites/{site_id}/campaign-schedule", tags=["schedules"])

SiteId = Annotated[str, Path(min_length=1, max_length=64)]


@router.put("", summary="Open the site's regular campaign by itself each period, with this shape")
async def put_schedule(
    site_id: SiteId, body: ScheduleIn, principal: Manager, db: DatabaseDep, links: LinkBase
) -> ScheduleRead:
    principal.visible("Site", site_id, site_id)
    async with writing(db) as session:
        return await service.put_schedule(
            session, site_id=site_id, data=body, by=principal.sub, link_base=links
        )


@router.get("", summary="The site's schedule and the period it opens next")
async def get_schedule(site_id: SiteId, principal: Reader, db: DatabaseDep) -> ScheduleRead:
    principal.visible("Site", site_id, site_id)
    async with reading(db) as session:
        return service.to_read(await service.get_or_404(session, site_id=site_id))


@router.delete("", status_code=204, summary="Stop opening the site's campaigns by themselves")
async def delete_schedule(site_id: SiteId, principal: Manager, db: DatabaseDep) -> Response:
    principal.visible("Site", site_id, site_id)
    async with writing(db) as session:
        await service.delete_schedule(session, site_id=site_id)
    return Response(status_code=204)
