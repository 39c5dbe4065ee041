"""RFC 9457 problem details for every error a service returns, validation errors included.

A person reading `detail` should know what to change. Unexpected exceptions become a 500
problem without internals; the exception is logged with the request id.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from shared.db.errors import database_unavailable
from shared.logging import get_logger

log = get_logger(__name__)

_NOT_UTF8 = "The body is not valid JSON: it must be UTF-8 encoded"

PROBLEM_JSON = "application/problem+json"

# Errors that mean "the database cannot be reached now", not "this request is wrong".
DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (DBAPIError, PoolTimeoutError, ConnectionError)

# SQLSTATEs of a value sent that no column can take: the request's fault, answered 422.
# (Other data exceptions, a division by zero say, are the code's fault and stay 500.)
UNSTORABLE_SQLSTATES = frozenset(
    {
        "22021",  # character_not_in_repertoire: a NUL character in text
        "22P05",  # untranslatable_character
        "22003",  # numeric_value_out_of_range
        "22001",  # string_data_right_truncation
        "22008",  # datetime_field_overflow
    }
)

_TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Invalid request",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}


class ProblemError(Exception):
    """An error the API reports as problem+json; raise it from routes and services."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        type_: str = "about:blank",
        headers: Mapping[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title or _TITLES.get(status, "Error")
        self.type = type_
        self.headers = dict(headers or {})
        self.extensions = extensions


class NotFoundError(ProblemError):
    def __init__(self, what: str, ident: str) -> None:
        super().__init__(404, f"{what} {ident} does not exist or is not visible to you")


class ConflictError(ProblemError):
    def __init__(self, detail: str, **extensions: Any) -> None:
        super().__init__(409, detail, **extensions)


def problem_response(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    type_: str = "about:blank",
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> Response:
    """A problem+json response."""
    body: dict[str, Any] = {
        "type": type_,
        "title": title or _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update(extensions)
    return Response(
        orjson.dumps(body, default=str),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=dict(headers or {}),
    )


def install_error_handlers(app: FastAPI) -> None:
    """Make every error of `app` a problem+json response."""
    app.add_exception_handler(ProblemError, _on_problem)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _on_validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _on_http)  # type: ignore[arg-type]
    for unavailable in DATABASE_UNAVAILABLE:
        app.add_exception_handler(unavailable, _on_database_unavailable)
    app.add_exception_handler(OverflowError, _on_unstorable)
    app.add_exception_handler(Exception, _on_unexpected)


async def _on_problem(request: Request, exc: ProblemError) -> Response:
    return problem_response(
        exc.status,
        exc.detail,
        title=exc.title,
        type_=exc.type,
        instance=request.url.path,
        headers=exc.headers,
        **exc.extensions,
    )


async def _on_validation(request: Request, exc: RequestValidationError) -> Response:
    return _invalid(request, [_describe(err) for err in exc.errors()])


def _invalid(request: Request, errors: list[dict[str, Any]]) -> Response:
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return problem_response(
        422,
        f"The request is not valid: {summary}{more}",
        instance=request.url.path,
        errors=errors,
    )


async def _on_http(request: Request, exc: StarletteHTTPException) -> Response:
    if isinstance(exc.__cause__, UnicodeDecodeError):
        # FastAPI answers a body it cannot decode with a bare 400; it is as invalid as bad JSON.
        error = {"in": "body", "field": "body", "message": _NOT_UTF8, "type": "json_invalid"}
        return _invalid(request, [error])
    detail = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "Error")
    return problem_response(
        exc.status_code,
        detail,
        instance=request.url.path,
        headers=getattr(exc, "headers", None),
    )


async def _on_database_unavailable(request: Request, exc: Exception) -> Response:
    if _sqlstate(exc) in UNSTORABLE_SQLSTATES:
        return await _on_unstorable(request, exc)
    if not database_unavailable(exc):
        return await _on_unexpected(request, exc)
    log.warning("database unavailable", path=request.url.path, error=type(exc).__name__)
    return problem_response(
        503,
        "The database is unavailable at the moment; nothing was applied. Retry shortly.",
        instance=request.url.path,
        headers={"Retry-After": "2"},
    )


def _sqlstate(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    return str(getattr(orig, "sqlstate", None) or getattr(exc, "sqlstate", None) or "")


async def _on_unstorable(request: Request, exc: Exception) -> Response:
    # A value no column can hold (a NUL character, a number past BIGINT): the request's
    # fault, not ours. Only the kind of error is logged: its parameters are personal data.
    log.warning("value the database cannot store", path=request.url.path, error=type(exc).__name__)
    error = {
        "in": "body",
        "field": "",
        "message": "holds a value that cannot be stored: a NUL character, or a number too large",
        "type": "unstorable",
    }
    return _invalid(request, [error])


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error", path=request.url.path, error=repr(exc))
    return problem_response(
        500,
        "Something went wrong on our side; the request was not applied. "
        "Try again, and report the request id if it persists.",
        instance=request.url.path,
        request_id=request.headers.get("x-request-id"),
    )


def _describe(err: Mapping[str, Any]) -> dict[str, Any]:
    location = [str(p) for p in err.get("loc", ())]
    if location and location[0] in ("body", "query", "path", "header"):
        where, field = location[0], ".".join(location[1:]) or location[0]
    else:
        where, field = "body", ".".join(location) or "body"
    message = str(err.get("msg", "is invalid"))
    if err.get("type") == "json_invalid":
        # FastAPI puts the character offset where a field name would be.
        reason = (err.get("ctx") or {}).get("error") or "malformed"
        where, field = "body", "body"
        message = f"{message}: {reason} (at character {location[-1] if location else 0})"
    return {"in": where, "field": field, "message": message, "type": err.get("type", "")}
