"""Notify's pages in a real browser: notify as a process, Debian's Chromium driven by
Playwright. The bulletin-board notice and the warning sign render in Chinese and print on
one A4 page; the resident's callback page renders on a phone, its form submits, the callback
is completed, and the spent link is refused."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aio_pika
import httpx
import orjson
import pytest
from notify_harness import envelope, hex_id, notice_body, resolved
from playwright.async_api import Browser
from sqlalchemy import text

from notify.contacts.models import household_contact
from notify.messages.models import complaint_ref
from notify.settings import NotifySettings
from notify.sites.models import notify_site
from shared.bus.topology import declare_exchange
from shared.clock import utcnow
from shared.db.engine import Database, transaction
from shared.http.auth import issue_token
from shared.testing.browser import PHONE, chromium
from shared.testing.checks import eventually
from shared.testing.plugin import free_port
from shared.testing.processes import ServiceProcess, settings_env

pytestmark = pytest.mark.integration

LINK = re.compile(r"/c/([A-Za-z0-9_-]+)")


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as launched:
        yield launched


@pytest.fixture
def settings(database_url: str, make_settings: Callable[..., Any]) -> NotifySettings:
    port = free_port()
    made: NotifySettings = make_settings(
        NotifySettings,
        database_url=database_url,
        port=port,
        public_url=f"http://127.0.0.1:{port}",
        callback_working_days=[1, 2, 3, 4, 5, 6, 7],
    )
    return made


async def _seed(db: Database, site: str) -> tuple[str, str]:
    """A site office, one household with a phone and a complaint of theirs."""
    household, complaint = hex_id("h-"), hex_id("c-")
    async with transaction(db) as session:
        await session.execute(
            notify_site.insert().values(
                site_id=site,
                name="翠苑管理处",
                contact_phone="0755-8888-0000",
                acknowledge=False,
                default_locale="zh-CN",
                callback_delay_hours=0,
                timezone="Asia/Shanghai",
                working_hours_start="00:00",
                working_hours_end="23:59",
                updated_at=utcnow(),
            )
        )
        await session.execute(
            household_contact.insert().values(
                household_id=household,
                site_id=site,
                building_id="b1",
                unit_id="u1",
                building="1栋",
                unit="101",
                name="Zhang Min",
                phone="13800000000",
                opted_out=False,
                updated_at=utcnow(),
            )
        )
        await session.execute(
            complaint_ref.insert().values(
                complaint_id=complaint,
                site_id=site,
                household_id=household,
                reference="GH-20261127-0042",
                received=True,
            )
        )
    return household, complaint


async def _until(check: Callable[[], Any], *, timeout: float = 30) -> Any:
    async def happened() -> bool:
        return bool(await check())

    assert await eventually(happened, True, timeout=timeout), "it never happened"
    return await check()


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


async def _print_check(browser: Browser, url: str, token: str, shot: Path) -> tuple[str, int]:
    context = await browser.new_context(
        extra_http_headers={"Authorization": f"Bearer {token}"}, locale="zh-CN"
    )
    page = await context.new_page()
    response = await page.goto(url)
    assert response is not None
    assert response.status == 200
    await page.screenshot(path=str(shot), full_page=True)
    sizes = await page.evaluate(
        "[...document.styleSheets].flatMap(s => [...s.cssRules])"
        ".filter(r => r.type === CSSRule.PAGE_RULE).map(r => r.style.size)"
    )
    pdf = await page.pdf(prefer_css_page_size=True, print_background=True)
    html = await page.content()
    await context.close()
    assert any(s.lower().startswith("a4") for s in sizes), sizes
    return html, _pages(pdf)


async def test_the_notice_and_the_warning_sign_print_on_one_a4_page_in_chinese(
    settings: NotifySettings, tmp_path: Path, browser: Browser
) -> None:
    site = hex_id("site-")
    token = issue_token(settings, sub="office", roles=["handler"], sites=[site])
    process = ServiceProcess(
        "notify", port=settings.port, env=settings_env(settings), log_path=tmp_path / "n.log"
    )
    with process.start():
        db = Database(settings.database_url, pool_size=1)
        try:
            await _seed(db, site)
        finally:
            await db.dispose()
        async with httpx.AsyncClient(
            base_url=process.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as client:
            created = await client.post("/v1/notices", json=notice_body(site))
            assert created.status_code == 201, created.text
            base = f"{process.url}/v1/notices/{created.json()['id']}"
            html, pages = await _print_check(
                browser, f"{base}/document", token, tmp_path / "notice.png"
            )
            assert pages == 1
            assert "停水通知" in html
            assert "二期停水检修" in html
            assert "翠苑管理处" in html
            assert "0755-8888-0000" in html
            html, pages = await _print_check(browser, f"{base}/sign", token, tmp_path / "sign.png")
            assert pages == 1
            assert ">停水<" in html
            assert "警示" in html
            assert "二期停水检修" in html


async def test_the_resident_answers_the_callback_on_a_phone_and_the_link_is_then_spent(
    settings: NotifySettings, tmp_path: Path, browser: Browser
) -> None:
    site = hex_id("site-")
    token = issue_token(settings, sub="agent", roles=["callcenter"], sites=[site])
    process = ServiceProcess(
        "notify", port=settings.port, env=settings_env(settings), log_path=tmp_path / "n.log"
    )
    with process.start():
        db = Database(settings.database_url, pool_size=1)
        try:
            _, complaint = await _seed(db, site)
            event = resolved(site, complaint)
            connection = await aio_pika.connect(settings.amqp_url)
            try:
                channel = await connection.channel(publisher_confirms=True)
                exchange = await declare_exchange(channel, settings)
                env = envelope(event, site_id=site, aggregate_id=event.case_id)
                await exchange.publish(
                    aio_pika.Message(orjson.dumps(env), message_id=env["id"], type=env["type"]),
                    routing_key=env["type"],
                )
            finally:
                await connection.close()

            async def reply_body() -> str | None:
                async with db.engine.connect() as conn:
                    found = await conn.execute(
                        text(
                            "SELECT body FROM message WHERE kind = 'case_reply' "
                            "AND complaint_id = :c"
                        ),
                        {"c": complaint},
                    )
                    return found.scalar()

            body = await _until(reply_body)
        finally:
            await db.dispose()
        match = LINK.search(body)
        assert match is not None, body
        link = f"{process.url}/c/{match.group(1)}"

        context = await browser.new_context(
            viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True, locale="zh-CN"
        )
        page = await context.new_page()
        await page.goto(link)
        assert await page.locator("h1").inner_text() == "投诉处理回访"
        assert await page.locator("#reply").inner_text() == event.reply
        assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        await page.screenshot(path=str(tmp_path / "callback-zh.png"), full_page=True)
        await page.locator("label[for='outcome_level-dissatisfied']").tap()
        await page.locator("#comment").fill("楼道还有异味")
        await page.locator("#submit").tap()
        assert await page.locator("#thanks").inner_text() == "感谢您的反馈"

        again = await page.goto(link + "?lang=en")
        assert again is not None
        assert again.status == 410
        assert await page.locator("#used").inner_text() == "This link has been used"

        async with httpx.AsyncClient(
            base_url=process.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as client:
            done = (await client.get(f"/v1/callbacks?status=completed&site_id={site}")).json()
    [callback] = done["items"]
    assert (callback["case_id"], callback["satisfied"], callback["comment"]) == (
        event.case_id,
        False,
        "楼道还有异味",
    )
    assert callback["completed_via"] == "link"
