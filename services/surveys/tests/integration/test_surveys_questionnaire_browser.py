"""The questionnaire in a real browser: surveys as a process, Debian's Chromium driven by
Playwright on a phone-sized screen, filled in and submitted in Chinese and in English;
a reused link is refused."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aio_pika
import httpx
import orjson
import pytest
from playwright.async_api import Browser, Page
from surveys_harness import campaign_body, envelope, hex_id, household, next_event

from shared.bus.topology import declare_exchange
from shared.contracts.surveys import SurveyInvitationIssued
from shared.http.auth import issue_token
from shared.testing.browser import PHONE, chromium
from shared.testing.checks import eventually
from shared.testing.plugin import free_port
from shared.testing.processes import ServiceProcess, settings_env
from surveys.settings import SurveysSettings

pytestmark = pytest.mark.integration


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as launched:
        yield launched


async def _phone(browser: Browser, locale: str) -> Page:
    context = await browser.new_context(
        viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True, locale=locale
    )
    return await context.new_page()


async def _fill(page: Page, choices: dict[str, str], comment: str) -> None:
    for topic, level in choices.items():
        await page.locator(f"label[for='{topic}-{level}']").tap()
    await page.locator("#comment").fill(comment)
    await page.locator("#submit").tap()


async def _invitations(settings: SurveysSettings, client: httpx.AsyncClient) -> list[str]:
    """Two households in the frame, a campaign drawn: the two questionnaire links."""
    site_id = hex_id("site-")
    connection = await aio_pika.connect(settings.amqp_url)
    try:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await declare_exchange(channel, settings)
        watch = await channel.declare_queue(exclusive=True)
        await watch.bind(exchange, routing_key="survey.invitation_issued")
        for unit in ("101", "102"):
            one = household(site_id, unit=unit, phones=["13800000000"])
            env = envelope(one, aggregate_id=one.household_id, aggregate_version=1)
            await exchange.publish(
                aio_pika.Message(orjson.dumps(env), message_id=env["id"], type=env["type"]),
                routing_key=env["type"],
            )
        await _until_frame(client, site_id, 2)
        body = campaign_body(site_id, methods=["questionnaire"], topics=["cleaning", "security"])
        created = (await client.post("/v1/campaigns", json=body)).json()
        drawn = await client.post(f"/v1/campaigns/{created['id']}/draw", json={})
        assert drawn.status_code == 201, drawn.text
        found = [(await next_event(watch))[1] for _ in range(2)]
    finally:
        await connection.close()
    return [e.url for e in found if isinstance(e, SurveyInvitationIssued)]


async def _until_frame(client: httpx.AsyncClient, site_id: str, count: int) -> None:
    async def households() -> int:
        return int((await client.get(f"/v1/sites/{site_id}/frame")).json()["households"])

    assert await eventually(households, count) == count, "the frame never filled"


async def test_residents_fill_in_the_questionnaire_on_a_phone_in_both_languages(
    database_url: str,
    make_settings: Callable[..., Any],
    tmp_path: Path,
    browser: Browser,
) -> None:
    settings: SurveysSettings = make_settings(
        SurveysSettings, database_url=database_url, port=free_port()
    )
    token = issue_token(settings, sub="ops", roles=["admin"], sites=["*"])
    process = ServiceProcess(
        "surveys", port=settings.port, env=settings_env(settings), log_path=tmp_path / "s.log"
    )
    with process.start():
        async with httpx.AsyncClient(
            base_url=process.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as client:
            chinese_link, english_link = await _invitations(settings, client)

            page = await _phone(browser, "zh-CN")
            await page.goto(chinese_link)
            assert await page.locator("h1").inner_text() == "业户满意度征询"
            assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            await page.screenshot(path=str(tmp_path / "questionnaire-zh.png"), full_page=True)
            await _fill(
                page, {"cleaning": "satisfied", "security": "dissatisfied"}, "夜间门岗无人值守"
            )
            assert await page.locator("#thanks").inner_text() == "感谢您的参与"

            page = await _phone(browser, "en-US")
            await page.goto(english_link)
            await page.locator("#switch").tap()
            assert await page.locator("h1").inner_text() == "Resident satisfaction survey"
            await _fill(page, {"cleaning": "very_satisfied"}, "")
            assert await page.locator("#thanks").inner_text() == "Thank you"

            again = await page.goto(chinese_link)
            assert again is not None
            assert again.status == 410
            assert await page.locator("#used").inner_text() == "此链接已使用"

            campaigns = (await client.get("/v1/campaigns")).json()["items"]
            stored = (await client.get(f"/v1/campaigns/{campaigns[0]['id']}/responses")).json()
    answers = sorted(
        (
            r["language"],
            r["source"],
            r["answers"]["cleaning"],
            r["answers"]["security"],
            r["comment"],
        )
        for r in stored["items"]
    )
    assert answers == [
        ("en", "link", "very_satisfied", None, None),
        ("zh-CN", "link", "satisfied", "dissatisfied", "夜间门岗无人值守"),
    ]
