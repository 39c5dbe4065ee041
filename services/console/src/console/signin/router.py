"""Signing in and out: the development chooser, OpenID Connect, and sign-out.

The sign-in form is protected by a cookie of its own (double submit), since there is no
session to hold a CSRF token yet; sign-out needs the session's token like every form.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from console import metrics
from console.sessions import development, store
from console.sessions.oidc import SignInFailed
from console.sessions.store import Identity
from console.web.auth import CurrentPerson, safe_next
from console.web.forms import read_form
from console.web.pages import public_view, render
from console.web.security import check_csrf
from console.web.state import Console, console_of
from shared.http.writing import writing

router = APIRouter(include_in_schema=False)
SIGN_IN_COOKIE = "careloop_sign_in"


@router.get("/sign-in")
async def sign_in_page(request: Request) -> Response:
    """Whom to sign in as (development) or the button to the identity provider."""
    console, view = console_of(request), public_view(request)
    guard = secrets.token_urlsafe(24)
    people = (
        [] if console.provider else await development.people(console.settings, console.services)
    )
    response = render(
        view,
        "sign_in.html",
        people=development.in_order(people),
        guard=guard,
        next_path=safe_next(request.query_params.get("next")),
        signed_out=request.query_params.get("signed_out") == "1",
        failed=request.query_params.get("failed"),
        oidc=console.provider is not None,
    )
    response.set_cookie(
        SIGN_IN_COOKIE,
        guard,
        httponly=True,
        samesite="lax",
        max_age=1800,
        secure=console.settings.is_production,
    )
    return response


@router.post("/sign-in/development")
async def sign_in_development(request: Request) -> Response:
    """Sign in as one of the listed people (development only)."""
    console, form = console_of(request), await read_form(request)
    guard = request.cookies.get(SIGN_IN_COOKIE, "")
    if not guard or not hmac.compare_digest(guard, str(form.get("guard", ""))):
        return _failed(request, "expired")
    chosen = {p.sub: p for p in await development.people(console.settings, console.services)}
    person = chosen.get(str(form.get("sub", "")))
    if person is None:
        return _failed(request, "unknown_person")
    identity = development.identity(console.settings, person)
    return await _signed_in(console, identity, safe_next(str(form.get("next", ""))), "development")


@router.get("/sign-in/oidc")
async def sign_in_oidc(request: Request) -> Response:
    """Off to the identity provider, with a state, a nonce and a PKCE challenge."""
    console = console_of(request)
    if console.provider is None:
        return RedirectResponse("/sign-in", status_code=303)
    try:
        asked = await console.provider.start()
    except SignInFailed as exc:
        return _failed(request, exc.reason)
    async with writing(console.db) as session:
        await store.remember_sign_in(
            session,
            state=asked.state,
            verifier=asked.verifier,
            nonce=asked.nonce,
            next_path=safe_next(request.query_params.get("next")),
            sealer=console.sealer,
        )
    return RedirectResponse(asked.url, status_code=303)


@router.get("/auth/callback")
async def oidc_callback(request: Request) -> Response:
    """The provider sends the browser back here with a code (or an error)."""
    console = console_of(request)
    state, code = request.query_params.get("state", ""), request.query_params.get("code", "")
    if console.provider is None or not state or not code:
        return _failed(request, "refused")
    async with writing(console.db) as session:
        pending = await store.take_sign_in(session, state=state)
    verifier = console.sealer.open(pending.code_verifier) if pending else None
    if pending is None or verifier is None:
        return _failed(request, "expired")
    try:
        identity = await console.provider.finish(code=code, verifier=verifier, nonce=pending.nonce)
    except SignInFailed as exc:
        return _failed(request, exc.reason)
    return await _signed_in(console, identity, pending.next_path, "oidc")


@router.post("/sign-out")
async def sign_out(request: Request, person: CurrentPerson) -> Response:
    """End the session here (and at the provider, when it has a sign-out page)."""
    console = console_of(request)
    check_csrf(request, await read_form(request), person.csrf)
    async with writing(console.db) as session:
        await store.end_session(session, session_id=person.session_id)
    console.hub.close_session(person.session_id)
    console.sites.forget(person.session_id)
    console.people.forget(person.session_id)
    metrics.sign_outs.inc()
    after = f"{console.settings.base_url()}/sign-in?signed_out=1"
    target = "/sign-in?signed_out=1"
    if console.provider is not None:
        target = await console.provider.end_session_url(person.id_token, after) or target
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(console.cookie, path="/", secure=console.settings.is_production)
    return response


async def _signed_in(console: Console, identity: Identity, next_path: str, method: str) -> Response:
    longest = timedelta(hours=console.settings.session_hours)
    async with writing(console.db) as session:
        cookie = await store.open_session(
            session, identity=identity, sealer=console.sealer, longest=longest
        )
    metrics.sign_ins.labels(method, "signed_in").inc()
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        console.cookie,
        cookie,
        httponly=True,
        samesite="lax",
        secure=console.settings.is_production,
        path="/",
    )
    response.delete_cookie(SIGN_IN_COOKIE)
    return response


def _failed(request: Request, reason: str) -> Response:
    method = "oidc" if console_of(request).provider else "development"
    metrics.sign_ins.labels(method, reason).inc()
    return RedirectResponse(f"/sign-in?failed={reason}", status_code=303)
