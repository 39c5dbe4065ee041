"""Thin HTTP routes of a site's rules: admins set them, every role of the site reads them."""

from __future__ import annotations

from fastapi import APIRouter, Request

from routing.access import Admin, Reader, site_visible
from routing.bodies import DOCUMENT_BODY, read_document
from routing.inputs import SiteId
from routing.rules import service
from routing.rules.schemas import RulesIn, RulesRead
from shared.db.engine import reading
from shared.http.app import DatabaseDep
from shared.http.writing import writing

router = APIRouter(prefix="/sites/{site_id}", tags=["rules"])


@router.get("/rules", summary="The site's routing rules, SLA policies and calendar in force")
async def get_rules(site_id: SiteId, principal: Reader, db: DatabaseDep) -> RulesRead:
    site_visible(principal, site_id)
    async with reading(db) as session:
        return await service.get_rules(session, site_id=site_id)


@router.put(
    "/rules",
    summary="Set the site's rules from a JSON or YAML document (sections left out stay)",
    openapi_extra={"requestBody": {**DOCUMENT_BODY, "description": "a RulesIn"}},
)
async def put_rules(
    site_id: SiteId, request: Request, principal: Admin, db: DatabaseDep
) -> RulesRead:
    site_visible(principal, site_id)
    rules = await read_document(request, RulesIn)
    async with writing(db) as session:
        return await service.put_rules(session, site_id=site_id, rules=rules)
