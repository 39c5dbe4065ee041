"""Signing in through a real OpenID Connect provider, and out again.

The provider is a real process (PyPI's oidc-provider-mock): its RS256 keys are the keys
intake and routing verify tokens with, and the console's client id is `careloop`, so the
ID token it issues (with the person's roles and sites) is the token the console sends to
the services. The browser goes to the provider and back; the console never mints a
token; sign-out ends the session at the console and sends the browser to the provider's
sign-out page.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from playwright.async_api import Browser, expect

from console.sessions.store import Sealer
from console.settings import ConsoleSettings
from intake.settings import IntakeSettings
from routing.settings import RoutingSettings
from shared.testing.browser import DESKTOP, chromium
from shared.testing.plugin import forget_topologies, free_port, settings_for_test
from shared.testing.system import PatientClient, System

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("console-oidc")]

CLIENT = "careloop"
SITE = f"oidc-{uuid.uuid4().hex[:6]}"
PEOPLE = [
    {"sub": "h-oidc", "name": "张三", "roles": ["handler"], "sites": [SITE]},
    {"sub": "admin-oidc", "name": "管理员", "roles": ["admin"], "sites": ["*"]},
    {"sub": "nobody-oidc", "name": "无权限", "roles": [], "sites": []},
]


@dataclass
class Provider:
    url: str
    process: subprocess.Popen[bytes]

    def public_key_pem(self) -> str:
        """The provider's signing key, as the services are configured with it."""
        (key,) = httpx.get(f"{self.url}/jwks").json()["keys"]
        public = jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(key))
        return public.public_bytes(  # type: ignore[union-attr]
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()

    def id_token(self, sub: str) -> str:
        """An ID token for `sub`, got the way any client gets one (code flow, no browser)."""
        redirect = "http://127.0.0.1/unused"
        ask = {"client_id": CLIENT, "response_type": "code", "scope": "openid profile",
               "redirect_uri": redirect, "state": "s", "nonce": "n"}  # fmt: skip
        answer = httpx.post(f"{self.url}/oauth2/authorize", params=ask, data={"sub": sub})
        code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect}
        tokens = httpx.post(f"{self.url}/oauth2/token", data=form, auth=(CLIENT, "secret"))
        return str(tokens.json()["id_token"])


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    port = free_port()
    args = [sys.executable, "-m", "oidc_provider_mock", "--port", str(port)]
    for person in PEOPLE:
        args += ["--user-claims", json.dumps(person)]
    log = (tmp_path_factory.mktemp("oidc") / "provider.log").open("wb")
    process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{url}/.well-known/openid-configuration", process)
        yield Provider(url, process)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def _wait(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, "the provider exited"
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise TimeoutError(url)


@dataclass
class Signed:
    system: System
    provider: Provider
    browser: Browser

    @property
    def console(self) -> str:
        return self.system["console"].url


@pytest.fixture(scope="module")
async def signed(
    provider: Provider, amqp_url: str, postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Signed]:
    """Intake, routing and a console that signs people in at the provider."""
    run_id, data = f"t{uuid.uuid4().hex[:10]}", tmp_path_factory.mktemp("signed")
    keys = {"jwt_public_keys": provider.public_key_pem()}
    common = {"amqp_url": amqp_url, "run_id": run_id, "data_dir": data, "db_pool_size": 2}
    intake = settings_for_test(IntakeSettings, port=free_port(), **keys, **common)
    routing = settings_for_test(RoutingSettings, port=free_port(), **keys, **common)
    console = settings_for_test(
        ConsoleSettings,
        port=free_port(),
        intake_url=f"http://127.0.0.1:{intake.port}",
        routing_url=f"http://127.0.0.1:{routing.port}",
        oidc_issuer=provider.url,
        oidc_client_id=CLIENT,
        oidc_client_secret="secret",
        oidc_service_token="id_token",
        **keys,
        **common,
    )
    system = System([intake, routing, console], admin_url=postgres_url, run_id=run_id, log_dir=data)
    try:
        async with system, chromium() as browser:
            await system.start()
            await _set_up(system, provider)
            yield Signed(system, provider, browser)
    finally:
        await forget_topologies([intake, routing, console])


async def _set_up(system: System, provider: Provider) -> None:
    admin = {"Authorization": f"Bearer {provider.id_token('admin-oidc')}"}
    organisation = {
        "departments": [
            {"code": "customer_service", "name": "Customer service", "name_zh": "客服中心"}
        ],
        "staff": [
            {"id": "h-oidc", "name": "张三", "role": "handler", "department": "customer_service"}
        ],
    }
    async with PatientClient() as client:
        site = {"id": SITE, "code": "OIDC", "name": "统一登录花园"}
        for service, path, body in (
            ("intake", "/v1/sites", site),
            ("routing", f"/v1/sites/{SITE}/organisation", organisation),
        ):
            method = "POST" if service == "intake" else "PUT"
            url = f"{system[service].url}{path}"
            answer = await client.request(method, url, json=body, headers=admin)
            assert answer.is_success, answer.text


async def test_a_person_signs_in_at_the_provider_and_the_services_accept_their_token(
    signed: Signed,
) -> None:
    context = await signed.browser.new_context(viewport=DESKTOP)
    page = await context.new_page()
    await page.goto(f"{signed.console}/queues?queue=mine")
    assert "/sign-in?next=" in page.url
    await page.click("a.button.primary")
    assert page.url.startswith(f"{signed.provider.url}/oauth2/authorize")
    query = parse_qs(urlsplit(page.url).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["client_id"] == [CLIENT]
    await page.fill("input[name=sub]", "h-oidc")
    await page.click("button:has-text('Authorize')")
    await page.wait_for_load_state()
    assert page.url == f"{signed.console}/queues?queue=mine"
    await expect(page.locator(".me .who")).to_contain_text("张三")
    await expect(page.locator("h1")).to_have_text("我的工作")  # routing answered the ID token
    cookies = {c["name"]: c for c in await context.cookies()}
    session = cookies["careloop_session"]
    assert session["httpOnly"] is True
    assert session["sameSite"] == "Lax"
    assert await page.evaluate("document.cookie") == ""  # nothing readable by scripts
    stored = await page.evaluate("JSON.stringify(localStorage) + JSON.stringify(sessionStorage)")
    sealed = await signed.system.scalar("console", "SELECT token FROM staff_session")
    token = Sealer(signed.system["console"].settings.session_secret).open(sealed)  # type: ignore[attr-defined]
    assert token is not None
    for secret in ("张三", "h-oidc", token, session["value"]):
        assert secret not in stored  # neither personal data nor a token in the browser's storage

    await page.locator("form[action='/sign-out'] button").click()
    assert page.url.startswith(f"{signed.provider.url}/oauth2/end_session")
    await page.click("button:has-text('End session')")
    await expect(page.locator(".notice.ok")).to_have_text("您已退出。")
    assert await signed.system.scalar("console", "SELECT count(*) FROM staff_session") == 0
    await page.goto(f"{signed.console}/queues")
    assert "/sign-in?next=" in page.url
    await context.close()


async def test_a_person_the_provider_gives_no_roles_is_not_signed_in(signed: Signed) -> None:
    context = await signed.browser.new_context(viewport=DESKTOP)
    page = await context.new_page()
    await page.goto(f"{signed.console}/sign-in")
    await page.click("a.button.primary")
    await page.fill("input[name=sub]", "nobody-oidc")
    await page.click("button:has-text('Authorize')")
    await expect(page.locator(".notice.bad")).to_contain_text("还没有分配角色")
    sessions = "SELECT count(*) FROM staff_session WHERE sub = 'nobody-oidc'"
    assert await signed.system.scalar("console", sessions) == 0
    await context.close()


async def test_a_callback_the_console_did_not_start_signs_nobody_in(signed: Signed) -> None:
    async with httpx.AsyncClient() as client:
        answer = await client.get(f"{signed.console}/auth/callback?state=forged&code=whatever")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/sign-in?failed=expired"
