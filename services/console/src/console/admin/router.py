"""The administration pages (a stub until they are built)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.responses import Response

from console.web.guard import require
from console.web.pages import View, render, signed_in_view

router = APIRouter(include_in_schema=False)
ROLES = ("admin",)


@router.get("/admin")
async def index(view: View = Depends(signed_in_view)) -> Response:
    require(view, *ROLES)
    return render(view, "admin/index.html")
