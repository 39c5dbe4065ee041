"""What the console says when a service cannot be reached, and what every response carries.

The four services are unreachable in these tests: a signed-in page is a 503 page in the
person's language that says nothing was lost; every response carries the policy that
forbids inline script and framing; the browser assets come from the installed npm
packages, not a CDN.
"""

from __future__ import annotations

import pytest
from console_harness import Console

from console.assets import VENDOR
from console.web.security import CSP

pytestmark = pytest.mark.integration


async def test_a_page_whose_service_is_down_says_so_in_the_persons_language(
    console: Console,
) -> None:
    cookie, _ = await console.session()
    zh = await console.client.get("/queues", headers=console.signed_in(cookie))
    assert zh.status_code == 503
    assert zh.headers["retry-after"] == "5"
    assert "服务暂时不可用" in zh.text
    assert "没有任何内容丢失" in zh.text
    en = await console.client.get("/queues?lang=en", headers=console.signed_in(cookie))
    assert "Service unavailable" in en.text
    assert "nothing was lost" in en.text
    assert "careloop_lang=en" in en.headers["set-cookie"]


async def test_every_response_forbids_inline_script_framing_and_caching(console: Console) -> None:
    cookie, _ = await console.session()
    for path in ("/queues", "/sign-in", "/no-such-page", "/healthz"):
        answer = await console.client.get(path, headers=console.signed_in(cookie))
        assert answer.headers["content-security-policy"] == CSP, path
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["cache-control"] == "no-store"
    assert "'unsafe-inline'" not in CSP
    assert "script-src 'self'" in CSP
    assert "frame-ancestors 'none'" in CSP


async def test_an_unknown_page_is_a_not_found_page(console: Console) -> None:
    cookie, _ = await console.session()
    answer = await console.client.get("/no-such-page", headers=console.signed_in(cookie))
    assert answer.status_code == 404
    assert "没有找到" in answer.text
    assert answer.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("name", sorted(VENDOR))
async def test_the_browser_assets_come_from_the_installed_packages(
    console: Console, name: str
) -> None:
    answer = await console.client.get(f"/static/vendor/{name}")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/javascript")
    expected = (console.settings.assets_dir / VENDOR[name]).read_bytes()
    assert answer.content == expected


async def test_the_consoles_own_assets_are_served(console: Console) -> None:
    for path, kind in (("/static/console.css", "text/css"), ("/static/console.js", "javascript")):
        answer = await console.client.get(path)
        assert answer.status_code == 200
        assert kind in answer.headers["content-type"]


async def test_no_page_of_the_console_loads_anything_from_elsewhere(console: Console) -> None:
    cookie, _ = await console.session()
    page = (await console.client.get("/queues", headers=console.signed_in(cookie))).text
    assert "http://" not in page
    assert "https://" not in page


async def test_a_page_says_how_long_it_took_and_how_much_of_that_was_the_services(
    console: Console,
) -> None:
    cookie, _ = await console.session()
    answer = await console.client.get("/queues", headers=console.signed_in(cookie))
    timing = dict(part.strip().split(";", 1) for part in answer.headers["server-timing"].split(","))
    app = float(timing["app"].removeprefix("dur="))
    api, calls = timing["api"].split(";")
    assert calls == 'desc="1 calls"'  # the sites asked of intake, which did not answer
    assert 0 < float(api.removeprefix("dur=")) <= app
