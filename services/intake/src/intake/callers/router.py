"""HTTP route of the caller lookup."""

from __future__ import annotations

from fastapi import APIRouter

from intake.access import Reader
from intake.callers import service
from intake.callers.schemas import CallerRead
from intake.inputs import Phone
from shared.db.engine import reading
from shared.http.app import DatabaseDep

router = APIRouter(tags=["callers"])


@router.get("/callers", summary="Who is calling: households and open complaints for a number")
async def look_up_caller(phone: Phone, principal: Reader, db: DatabaseDep) -> CallerRead:
    async with reading(db) as session:
        return await service.look_up(session, principal=principal, phone=phone)
