"""The OpenAPI document of a service, with the answers it gives when it refuses.

FastAPI documents each operation's success and a 422 in a shape no careloop service sends.
Every error a service gives is `application/problem+json` (see `errors.py`); this lists,
on every operation, the problem responses it can give, with when, and declares the bearer
scheme that every `/v1` operation needs, so that a client generator, the docs page and an
outside fuzzer read the same contract the services keep.
"""

from __future__ import annotations

import html
import re
from importlib import resources
from typing import Any

from fastapi import FastAPI, routing
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse

from shared.http.auth import Role, RoleCheck
from shared.http.errors import PROBLEM_JSON

PROBLEM_REF = "#/components/schemas/Problem"
BEARER = "bearer"

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details: `detail` says what to change.",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "example": "about:blank"},
        "title": {"type": "string", "example": "Invalid request"},
        "status": {"type": "integer", "example": 422},
        "detail": {
            "type": "string",
            "example": "The request is not valid: site_id: Field required",
        },
        "instance": {"type": "string", "example": "/v1/complaints"},
        "errors": {
            "description": "With 422: each field that is wrong (`in`, `field`, `message`), "
            "or each bad row of an import (`line`, `reason`, `problems`).",
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "in": {"type": "string", "enum": ["body", "query", "path", "header"]},
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                    "type": {"type": "string"},
                    "line": {"type": "integer"},
                    "reason": {"type": "string"},
                    "problems": {"type": "array", "items": {"type": "object"}},
                },
            },
        },
    },
    "additionalProperties": True,
}

WHEN = {
    400: "The cursor is not one this list gave out: start again without it.",
    401: "No bearer token, or one that does not verify or has expired.",
    403: "The token grants no site, lacks a role this needs, or names a site it may not act on.",
    404: "Nothing with that id, or it belongs to a site the token does not see.",
    409: "The object's state does not allow this now, or the Idempotency-Key was used for "
    "another request.",
    415: "The body is not in a media type this operation reads.",
    422: "A parameter or field is missing or invalid; `errors` names each one.",
    503: "The database is unavailable for the moment; nothing was applied. Retry after "
    "`Retry-After` seconds.",
}
UNSAFE = frozenset({"post", "put", "patch", "delete"})
# Answered from memory: these never reach the database.
NO_DATABASE = frozenset({"/healthz", "/metrics", "/v1/openapi.json"})


def install_openapi(app: FastAPI, *, api_prefix: str = "/v1") -> None:
    """Make `app.openapi()` the documented contract (built once, on first use)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            app.openapi_schema = documented(
                document, api_prefix=api_prefix, roles=roles_of_operations(app)
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_docs(app: FastAPI, *, openapi_url: str, docs_url: str) -> None:
    """The API documentation page (Swagger UI at `docs_url`, `/docs` a way in), its assets
    served by the service itself from the `fastapi-offline` package and its start-up
    script from this one: the page works on a machine that reaches no CDN, and under a
    content security policy of 'self'."""
    assets = f"{docs_url}/assets"
    folder = resources.files("fastapi_offline") / "static"
    start = resources.files("shared.http") / "static" / "swagger-init.js"
    app.mount(assets, StaticFiles(directory=str(folder)), name="docs-assets")
    page = DOCS_PAGE.format(
        title=html.escape(f"{app.title} — API"),
        assets=assets,
        start=f"{docs_url}/start.js",
        openapi=html.escape(openapi_url),
    )

    @app.get(docs_url, include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return HTMLResponse(page)

    @app.get(f"{docs_url}/start.js", include_in_schema=False)
    async def swagger_start() -> FileResponse:
        return FileResponse(str(start), media_type="text/javascript")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> RedirectResponse:
        return RedirectResponse(docs_url)


DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css">
<link rel="icon" href="{assets}/favicon.png">
</head>
<body>
<div id="swagger-ui" data-openapi="{openapi}"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{start}"></script>
</body>
</html>
"""


def roles_of_operations(app: FastAPI) -> dict[tuple[str, str], tuple[str, ...]]:
    """(path, method) -> the roles an operation lets through, for those that check roles
    (`require_roles`); the others take any role on the token's sites."""
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for context in routing.iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, routing.APIRoute):
            continue
        checks = [d.call for d in _dependencies(context.dependant) if isinstance(d.call, RoleCheck)]
        if checks:
            roles = tuple(dict.fromkeys(r.value for check in checks for r in check.roles))
            for method in context.methods or ():
                found[(str(context.path_format), method.lower())] = roles
    return found


def _dependencies(dependant: Any) -> list[Any]:
    return [d for child in dependant.dependencies for d in (child, *_dependencies(child))]


def documented(
    document: dict[str, Any],
    *,
    api_prefix: str = "/v1",
    roles: dict[tuple[str, str], tuple[str, ...]] | None = None,
) -> dict[str, Any]:
    """`document` with the problem responses of every operation, the bearer scheme, and a
    description of each operation saying who may call it and when it refuses."""
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    components["securitySchemes"] = {
        BEARER: {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "A careloop token: roles and the sites it may act on.",
        }
    }
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            authenticated = path.startswith(f"{api_prefix}/")
            if authenticated:
                operation["security"] = [{BEARER: []}]
            responses = operation.setdefault("responses", {})
            for status in _refusals(path, method, operation, authenticated=authenticated):
                _problem(responses, status)
            for status, response in list(responses.items()):
                if str(status).startswith(("4", "5")):
                    _problem(responses, int(status), response.get("description"))
            operation["responses"] = dict(sorted(responses.items()))
            allowed = (roles or {}).get((path, method))
            operation["description"] = _description(operation, allowed, authenticated)
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return document


def _refusals(
    path: str, method: str, operation: dict[str, Any], *, authenticated: bool
) -> set[int]:
    refused: set[int] = set()
    if authenticated:
        refused |= {401, 403}
    parameters = operation.get("parameters") or []
    if re.search(r"\{[^}]+\}", path) or (
        authenticated and (parameters or operation.get("requestBody"))
    ):
        # An id in the path, the query or the body may name nothing the token sees.
        refused.add(404)
    if parameters or operation.get("requestBody"):
        refused.add(422)
    if any(p.get("name") == "cursor" for p in parameters):
        refused.add(400)
    if method in UNSAFE and authenticated:
        refused.add(409)
    if path not in NO_DATABASE:
        refused.add(503)
    return refused


def _description(
    operation: dict[str, Any], roles: tuple[str, ...] | None, authenticated: bool
) -> str:
    parts = [operation.get("description") or operation.get("summary") or ""]
    if authenticated:
        parts.append(f"**Roles:** {_roles_said(roles)}")
    refusals = [
        f"- **{status}**: {response['description']}"
        for status, response in operation["responses"].items()
        if str(status).startswith(("4", "5"))
    ]
    if refusals:
        parts.append(
            "**Refused with a problem (`application/problem+json`):**\n" + "\n".join(refusals)
        )
    return "\n\n".join(p for p in parts if p)


def _roles_said(roles: tuple[str, ...] | None) -> str:
    named = [r for r in roles or () if r != Role.ADMIN.value]
    if roles is None or set(named) >= {r.value for r in Role if r is not Role.ADMIN}:
        return "any, on the token's sites."
    if not named:
        return "admin only."
    return f"{', '.join(named)} (and admin), on the token's sites."


def _problem(responses: dict[str, Any], status: int, description: str | None = None) -> None:
    key = str(status)
    declared = responses.get(key, {})
    if PROBLEM_JSON in (declared.get("content") or {}):
        return
    said = declared.get("description") or description
    if said in (None, "", "Validation Error"):
        said = WHEN.get(status, "Refused.")
    content = {k: v for k, v in (declared.get("content") or {}).items() if k != "application/json"}
    content[PROBLEM_JSON] = {"schema": {"$ref": PROBLEM_REF}}
    responses[key] = {"description": said, "content": content}
