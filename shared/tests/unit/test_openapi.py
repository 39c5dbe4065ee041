"""The OpenAPI document lists, on every operation, the problem answers it can give."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI

from shared.http.errors import PROBLEM_JSON
from shared.http.openapi import install_openapi


def _app() -> FastAPI:
    router = APIRouter()

    @router.get("/v1/things")
    async def things(cursor: str | None = None) -> list[str]:
        return []

    @router.post("/v1/things/{thing_id}/done")
    async def done(thing_id: str, body: dict[str, Any]) -> dict[str, str]:
        return {}

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {}

    app = FastAPI()
    app.include_router(router)
    install_openapi(app)
    return app


def _statuses(document: dict[str, Any], path: str, method: str) -> set[int]:
    return {int(s) for s in document["paths"][path][method]["responses"] if s[0] in "45"}


def test_each_operation_lists_the_problems_it_can_give() -> None:
    document = _app().openapi()

    assert _statuses(document, "/v1/things", "get") == {400, 401, 403, 404, 422, 503}
    assert _statuses(document, "/v1/things/{thing_id}/done", "post") == {
        401,
        403,
        404,
        409,
        422,
        503,
    }
    assert _statuses(document, "/healthz", "get") == set()


def test_every_problem_answer_is_problem_json_and_fastapis_own_shape_is_gone() -> None:
    document = _app().openapi()
    answers = [
        response
        for operations in document["paths"].values()
        for operation in operations.values()
        for status, response in operation["responses"].items()
        if status[0] in "45"
    ]

    assert answers
    assert all(list(a["content"]) == [PROBLEM_JSON] for a in answers)
    assert "HTTPValidationError" not in document["components"]["schemas"]
    assert document["components"]["schemas"]["Problem"]["required"] == [
        "type",
        "title",
        "status",
        "detail",
    ]


def test_the_api_needs_the_bearer_scheme_and_the_probes_do_not() -> None:
    document = _app().openapi()

    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert document["paths"]["/v1/things"]["get"]["security"] == [{"bearer": []}]
    assert "security" not in document["paths"]["/healthz"]["get"]
