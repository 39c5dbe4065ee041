"""Every page of the console needs a live session; forms need the session's CSRF token.

The walk covers every route of every page router: without a session a page sends the
browser to sign in (and back), an htmx request gets HX-Redirect, and nothing reaches a
service. An expired session, or one sealed with another secret, is no session.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from console_harness import Console

from console.main import PAGE_ROUTERS
from shared.testing.routes import filled, router_routes

OPEN = {"/sign-in", "/sign-in/development", "/sign-in/oidc", "/auth/callback"}


def page_routes() -> list[tuple[str, str]]:
    return [(m, path) for m, path in router_routes(PAGE_ROUTERS) if path not in OPEN]


def test_the_walk_sees_every_page() -> None:
    paths = {path for _, path in page_routes()}
    assert {"/desk", "/queues", "/cases/{case_id}", "/callbacks", "/live", "/sign-out"} <= paths
    managers = {"/notices", "/surveys", "/rectifications", "/actions", "/dashboard", "/admin"}
    assert managers | {"/reports/complaints", "/admin/sites/{site_id}/import"} <= paths
    assert len(page_routes()) >= 80


def _next_of(location: str) -> str:
    split = urlsplit(location)
    assert split.path == "/sign-in"
    return parse_qs(split.query).get("next", [""])[0]


async def test_no_page_opens_without_a_session(console: Console) -> None:
    refused = []
    for method, path in page_routes():
        url = filled(path)
        answer = await console.client.request(method, url, data={"csrf": "x"})
        htmx = await console.client.request(method, url, headers={"HX-Request": "true"})
        sent_to = (answer.status_code, _next_of(answer.headers.get("location", "/sign-in?next=")))
        told = (htmx.status_code, _next_of(htmx.headers.get("hx-redirect", "/sign-in?next=")))
        if sent_to != (303, url) or told != (401, url):
            refused.append((method, path, sent_to, told))
    assert refused == []


async def test_an_expired_session_is_no_session(console: Console) -> None:
    cookie, _ = await console.session(expires_in=-1)
    answer = await console.client.get("/queues?queue=mine", headers=console.signed_in(cookie))
    assert answer.status_code == 303
    assert _next_of(answer.headers["location"]) == "/queues?queue=mine"


async def test_a_session_sealed_with_another_secret_is_no_session(
    console: Console, console_settings: object
) -> None:
    cookie, _ = await console.session()
    console.app.state.console.sealer = type(console.app.state.console.sealer)("rotated secret")
    answer = await console.client.get("/desk", headers=console.signed_in(cookie))
    assert answer.status_code == 303


async def test_a_made_up_cookie_is_no_session(console: Console) -> None:
    answer = await console.client.get("/desk", headers=console.signed_in("made-up"))
    assert answer.status_code == 303


async def test_the_live_stream_asks_an_unsigned_browser_to_sign_in(console: Console) -> None:
    answer = await console.client.get("/live", headers={"Accept": "text/event-stream"})
    assert answer.status_code == 401
    assert _next_of(answer.headers["hx-redirect"]) == "/live"


@pytest.mark.parametrize(
    "path", ["/sign-out", "/desk/complaints", "/cases/c1/accept", "/callbacks/c1/attempts"]
)
async def test_a_form_without_the_sessions_csrf_token_is_refused(
    console: Console, path: str
) -> None:
    cookie, person = await console.session()
    headers = console.signed_in(cookie)
    for sent in ({}, {"csrf": "wrong"}):
        answer = await console.client.post(path, data=sent, headers=headers)
        assert answer.status_code == 403, answer.text[:300]
        assert "页面已过期" in answer.text
    # The session is intact: signing out with the token works.
    out = await console.client.post("/sign-out", data={"csrf": person.csrf}, headers=headers)
    assert out.status_code == 303
    assert out.headers["location"] == "/sign-in?signed_out=1"


async def test_a_form_from_another_site_is_refused_even_with_the_token(console: Console) -> None:
    cookie, person = await console.session()
    headers = {**console.signed_in(cookie), "Origin": "https://evil.example"}
    answer = await console.client.post("/sign-out", data={"csrf": person.csrf}, headers=headers)
    assert answer.status_code == 403


async def test_signing_out_ends_the_session_for_every_page(console: Console) -> None:
    cookie, person = await console.session()
    headers = console.signed_in(cookie)
    out = await console.client.post("/sign-out", headers={**headers, "X-CSRF-Token": person.csrf})
    assert out.status_code == 303
    assert "careloop_session=" in out.headers["set-cookie"]
    after = await console.client.get("/queues", headers=headers)
    assert after.status_code == 303
    assert after.headers["location"].startswith("/sign-in")


async def test_no_form_of_any_page_is_taken_without_the_csrf_token(console: Console) -> None:
    cookie, _ = await console.session()
    headers = console.signed_in(cookie)
    taken = []
    for method, path in page_routes():
        if method == "POST":
            answer = await console.client.post(filled(path), data={"x": "1"}, headers=headers)
            if answer.status_code != 403:
                taken.append((path, answer.status_code))
    assert taken == []
