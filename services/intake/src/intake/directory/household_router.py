"""HTTP routes of households and the bulk import: thin; use cases are in households.py
and imports.py."""

from __future__ import annotations

import asyncio
import csv
from dataclasses import asdict
from typing import Any

import orjson
from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from intake import metrics
from intake.access import Admin, Reader
from intake.directory import households, imports, rules
from intake.directory.schemas import (
    HouseholdCreate,
    HouseholdPage,
    HouseholdRead,
    HouseholdUpdate,
    ImportResult,
)
from intake.directory.service import require_site
from intake.inputs import Id, PathId, Search
from shared.db.engine import reading
from shared.http.app import DatabaseDep
from shared.http.errors import ProblemError
from shared.http.idempotency import IdempotencyKey, respond_once
from shared.http.pagination import Cursor, Limit
from shared.http.writing import writing

router = APIRouter(tags=["directory"])

IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"type": "object", "required": ["rows"]}},
            "text/csv": {"schema": {"type": "string"}},
        },
    }
}


@router.post(
    "/sites/{site_id}/households",
    status_code=201,
    response_model=HouseholdRead,
    responses={200: {"model": HouseholdRead, "description": "the first result of a repeat"}},
    summary="Add a household (once per Idempotency-Key: a household has no natural key)",
)
async def create_household(
    site_id: PathId,
    body: HouseholdCreate,
    principal: Admin,
    db: DatabaseDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    principal.visible("site", site_id, site_id)

    async def work(session: AsyncSession) -> HouseholdRead:
        return await households.create_household(session, site_id=site_id, data=body)

    return await respond_once(
        db,
        principal=principal,
        key=idempotency_key,
        scope=f"households:{site_id}",
        request=body,
        work=work,
    )


@router.get("/sites/{site_id}/households", summary="The site's households")
async def list_households(
    site_id: PathId,
    principal: Reader,
    db: DatabaseDep,
    unit_id: Id | None = Query(default=None),
    q: Search | None = Query(
        default=None, description="a name, unit, building, `building-unit` or phone digits"
    ),
    include_removed: bool = False,
    order: households.Order = Query(
        default="id", description="`place`: by building and unit, as an office lists them"
    ),
    limit: Limit = 50,
    cursor: Cursor = None,
) -> HouseholdPage:
    principal.visible("site", site_id, site_id)
    async with reading(db) as session:
        await require_site(session, site_id=site_id)
        return await households.list_households(
            session,
            site_id=site_id,
            unit_id=unit_id,
            search=rules.search_terms(q) if q else None,
            include_removed=include_removed,
            order=order,
            limit=limit,
            cursor=cursor,
        )


@router.get("/sites/{site_id}/households/{household_id}", summary="One household")
async def get_household(
    site_id: PathId, household_id: PathId, principal: Reader, db: DatabaseDep
) -> HouseholdRead:
    principal.visible("site", site_id, site_id)
    async with reading(db) as session:
        return await households.get_household(session, site_id=site_id, household_id=household_id)


@router.patch("/sites/{site_id}/households/{household_id}", summary="Change a household")
async def update_household(
    site_id: PathId, household_id: PathId, body: HouseholdUpdate, principal: Admin, db: DatabaseDep
) -> HouseholdRead:
    principal.visible("site", site_id, site_id)
    async with writing(db) as session:
        return await households.update_household(
            session, site_id=site_id, household_id=household_id, data=body
        )


@router.delete(
    "/sites/{site_id}/households/{household_id}",
    status_code=204,
    summary="Remove a household from the directory",
)
async def remove_household(
    site_id: PathId, household_id: PathId, principal: Admin, db: DatabaseDep
) -> Response:
    principal.visible("site", site_id, site_id)
    async with writing(db) as session:
        await households.remove_household(session, site_id=site_id, household_id=household_id)
    return Response(status_code=204)


@router.post(
    "/sites/{site_id}/directory-import",
    summary="Import units and households from CSV or JSON; all rows or none",
    openapi_extra=IMPORT_BODY,
    responses={
        400: {"description": "The body is not valid JSON, or the CSV file is not UTF-8 text."},
        415: {"description": "The body is neither application/json nor text/csv."},
        422: {"description": "Bad rows, each with its line and reason; nothing applied."},
    },
)
async def import_directory(
    site_id: PathId, request: Request, principal: Admin, db: DatabaseDep
) -> ImportResult:
    principal.visible("site", site_id, site_id)
    async with reading(db) as session:
        country = (await require_site(session, site_id=site_id)).country
    body, media = await request.body(), _media_type(request)
    checked = await asyncio.to_thread(_check, body, media, country)
    if checked.bad:
        raise ProblemError(
            422,
            f"{len(checked.bad)} of {len(checked.bad) + len(checked.rows)} rows are not valid; "
            "nothing was imported",
            zh=f"{len(checked.bad) + len(checked.rows)} 行中有 {len(checked.bad)} 行无效，"
            "未导入任何数据",
            errors=[_bad_row(b) for b in checked.bad],
        )
    if not checked.rows:
        raise ProblemError(422, "The import has no rows", zh="导入的数据没有任何行")
    async with writing(db) as session:
        result = await imports.import_rows(
            session, site_id=site_id, rows=[r for _, r in checked.rows]
        )
    metrics.households_imported.labels("created").inc(result.households_created)
    metrics.households_imported.labels("updated").inc(result.households_updated)
    return result


def _bad_row(bad: rules.BadRow) -> dict[str, Any]:
    """A bad row as the problem lists it: its line, a sentence, and each problem."""
    return {
        "line": bad.line,
        "reason": bad.reason,
        "problems": [asdict(p) for p in bad.problems],
        "same_as": bad.same_as,
    }


def _media_type(request: Request) -> str:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in ("application/json", "text/csv"):
        raise ProblemError(
            415,
            "Send the import as application/json or text/csv",
            zh="请以 application/json 或 text/csv 格式提交导入数据",
        )
    return media


def _check(body: bytes, media: str, country: str) -> rules.Checked:
    try:
        records: Any = (
            rules.json_records(orjson.loads(body))
            if media == "application/json"
            else rules.csv_records(body.decode("utf-8-sig"))
        )
        return rules.check(records, region=country)
    except orjson.JSONDecodeError as exc:
        raise ProblemError(
            400, f"The body is not valid JSON: {exc}", zh=f"请求体不是有效的 JSON：{exc}"
        ) from exc
    except UnicodeDecodeError as exc:
        raise ProblemError(
            400, "The CSV file is not UTF-8 text", zh="CSV 文件不是 UTF-8 编码的文本"
        ) from exc
    except csv.Error as exc:
        raise ProblemError(
            422, f"The CSV file cannot be read: {exc}", zh=f"无法读取 CSV 文件：{exc}"
        ) from exc
    except rules.UnreadableImportError as exc:
        raise ProblemError(422, exc.detail, zh=exc.zh) from exc
