"""Thin HTTP routes of phone tasks: the call-center's work list."""

from __future__ import annotations

from fastapi import APIRouter

from notify.access import Caller, Reader
from notify.phone_tasks import service
from notify.phone_tasks.schemas import PhoneTaskDone, PhoneTaskPage, PhoneTaskRead, Status
from shared.db.engine import reading
from shared.http.app import DatabaseDep
from shared.http.pagination import Cursor, Limit
from shared.http.params import RowId
from shared.http.writing import writing

router = APIRouter(prefix="/phone-tasks", tags=["phone tasks"])


@router.get("", summary="Calls to make (status=open) or made, oldest first")
async def list_phone_tasks(
    principal: Reader,
    db: DatabaseDep,
    site_id: str | None = None,
    status: Status | None = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> PhoneTaskPage:
    async with reading(db) as session:
        return await service.list_tasks(
            session, principal=principal, site_id=site_id, status=status, limit=limit, cursor=cursor
        )


@router.post("/{task_id}/done", summary="Record that the call was made")
async def post_phone_task_done(
    task_id: RowId, principal: Caller, db: DatabaseDep, body: PhoneTaskDone | None = None
) -> PhoneTaskRead:
    async with writing(db) as session:
        return await service.complete(
            session, task_id=task_id, data=body or PhoneTaskDone(), principal=principal
        )
