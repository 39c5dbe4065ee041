"""Errors as pages a person can read, in their language; never a stack trace.

A missing session sends the browser to sign in (htmx requests get `HX-Redirect`); a
service that is down is a 503 page saying nothing was lost; another site's case is the
same not-found page as a case that does not exist.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from console.backend.client import Refused, TokenRejected, Unavailable
from console.web.auth import SignInRequired, here
from console.web.pages import public_view, render
from shared.http.errors import ProblemError, add_handler
from shared.logging import get_logger

log = get_logger(__name__)

KNOWN = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "not_allowed"}


def install(app: FastAPI) -> None:
    """Make every error of the console's pages an HTML page."""
    add_handler(app, SignInRequired, _sign_in)
    add_handler(app, TokenRejected, _token_rejected)
    add_handler(app, Unavailable, _unavailable)
    add_handler(app, Refused, _refused)
    add_handler(app, ProblemError, _problem)
    add_handler(app, HTTPException, _http)
    add_handler(app, RequestValidationError, _invalid)
    add_handler(app, Exception, _unexpected)


def _is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


async def _sign_in(request: Request, exc: SignInRequired) -> Response:
    if _is_htmx(request) or "text/event-stream" in request.headers.get("accept", ""):
        return Response(status_code=401, headers={"HX-Redirect": exc.location})
    return RedirectResponse(exc.location, status_code=303)


async def _token_rejected(request: Request, _exc: Exception) -> Response:
    return await _sign_in(request, SignInRequired(here(request)))


def error_page(request: Request, status: int, kind: str, detail: str | None = None) -> Response:
    """The error page of `kind` (its words are in the messages), with `status`."""
    view = public_view(request)
    view.person = getattr(request.state, "person", None)
    return render(view, "error.html", status=status, kind=kind, detail=detail)


async def _unavailable(request: Request, exc: Exception) -> Response:
    service = getattr(exc, "service", "")
    log.warning("service unavailable for a page", service=service, path=request.url.path)
    response = error_page(request, 503, "unavailable")
    response.headers["Retry-After"] = "5"
    return response


async def _refused(request: Request, exc: Refused) -> Response:
    kind = KNOWN.get(exc.status, "refused")
    return error_page(request, exc.status, kind, exc.detail if kind == "refused" else None)


async def _problem(request: Request, exc: ProblemError) -> Response:
    kind = "csrf" if exc.detail == "csrf" else KNOWN.get(exc.status, "refused")
    return error_page(request, exc.status, kind)


async def _http(request: Request, exc: HTTPException) -> Response:
    return error_page(request, exc.status_code, KNOWN.get(exc.status_code, "refused"))


async def _invalid(request: Request, _exc: Exception) -> Response:
    return error_page(request, 400, "bad_request")


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on a page", path=request.url.path, error=type(exc).__name__)
    return error_page(request, 500, "unexpected")
