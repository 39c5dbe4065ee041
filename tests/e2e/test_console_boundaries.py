"""What the console must never do, and what it must always do, in a real browser.

It never widens what a person sees: a site-A handler opening a site-B case gets a
not-found page, and site B's live events never reach their browser. A form without its
CSRF token changes nothing. An expired session sends the person to sign in and back to
the page they were on; signing out ends the session. The pages pass an accessibility scan,
work at a phone's width, and a deadline badge turns red when its time passes.
"""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.async_playwright import Axe
from console_world import Site, World, settle
from playwright.async_api import Page, expect
from sqlalchemy import text

from shared.testing.browser import PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("console-staff")]

SERIOUS = {"serious", "critical"}
RECORD_EVENTS = """() => {
  window.heard = [];
  const stream = new EventSource('/live');
  stream.addEventListener('case', e => window.heard.push(JSON.parse(e.data).case));
}"""


async def file(world: World, site: Site, description: str = "电梯异响") -> dict[str, Any]:
    """A complaint of the site's household, filed by the call-center, and its case."""
    body = {
        "site_id": site.id,
        "channel": "call_center",
        "kind": "complaint",
        "category": "housing_management",
        "description": description,
        "reporter": {"type": "household", "household_id": site.household_id},
    }
    posted = await world.call("POST", "intake", "/v1/complaints", body, sub="cc", role="callcenter")
    return await world.case_of(posted["reference"])


async def test_a_handler_never_sees_another_sites_case_nor_its_live_events(world: World) -> None:
    a, b = await world.new_site(), await world.new_site()
    handler = await world.page_as(a.sub("handler"))
    await handler.goto(f"{world.console}/queues?queue=all")
    await handler.evaluate(RECORD_EVENTS)
    theirs = await file(world, b, "B 栋的投诉")
    ours = await file(world, a, "A 栋的投诉")

    async def heard_ours() -> bool:
        return ours["id"] in await handler.evaluate("window.heard")

    await world.until(heard_ours, "site A's own event never reached its handler")
    assert theirs["id"] not in await handler.evaluate("window.heard")

    answer = await handler.goto(f"{world.console}/cases/{theirs['id']}")
    assert answer is not None
    assert answer.status == 404
    await expect(handler.locator("h1")).to_have_text("没有找到")
    assert "B 栋的投诉" not in await handler.content()
    await handler.goto(f"{world.console}/queues?queue=all")
    await expect(handler.locator("#queue-rows")).to_contain_text(ours["reference"])
    assert theirs["reference"] not in await handler.locator("#queue-rows").inner_text()
    await world.close_pages()


async def test_a_form_without_its_csrf_token_changes_nothing(world: World) -> None:
    site = await world.new_site()
    case = await file(world, site)
    handler = await world.page_as(site.sub("handler"))
    await handler.goto(f"{world.console}/cases/{case['id']}")
    await handler.evaluate("document.querySelector('#action-accept input[name=csrf]').remove()")
    await handler.locator("#action-accept button[type=submit]").click()
    await settle(handler)
    await expect(handler.locator("h1")).to_have_text("页面已过期")
    after = await world.call("GET", "routing", f"/v1/cases/{case['id']}")
    assert after["status"] == "assigned"
    assert after["version"] == case["version"]
    await world.close_pages()


async def test_an_expired_session_signs_in_again_and_returns_to_the_page(world: World) -> None:
    site = await world.new_site()
    case = await file(world, site)
    handler = await world.page_as(site.sub("handler"))
    page = f"{world.console}/cases/{case['id']}?queue=mine"
    await handler.goto(page)
    async with world.system["console"].db.engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE staff_session SET expires_at = now() - interval '1 minute' WHERE sub = :sub"
            ),
            {"sub": site.sub("handler")},
        )
    await handler.reload()
    assert "/sign-in?next=" in handler.url
    await handler.click(f"button[value='{site.sub('handler')}']")
    await handler.wait_for_load_state()
    assert handler.url == page
    await expect(handler.locator(".case-head .ref")).to_have_text(case["reference"])

    await handler.locator("form[action='/sign-out'] button").click()
    await expect(handler.locator(".notice.ok")).to_have_text("您已退出。")
    await handler.goto(f"{world.console}/queues")
    assert "/sign-in?next=" in handler.url
    await world.close_pages()


async def scan(page: Page) -> list[dict[str, Any]]:
    """The serious and critical accessibility violations axe-core finds on the page."""
    results = await Axe().run(page)
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_four_pages_pass_an_accessibility_scan(world: World, lang: str) -> None:
    site = await world.new_site()
    case = await file(world, site)
    desk = await world.page_as("cc-desk", lang=lang)
    handler = await world.page_as(site.sub("handler"), lang=lang)
    pages = [
        (desk, "/desk"),
        (desk, "/callbacks?status=pending"),
        (handler, "/queues?queue=mine"),
        (handler, f"/cases/{case['id']}"),
    ]
    found = {}
    for page, path in pages:
        await page.goto(f"{world.console}{path}")
        if path == "/desk":  # with the caller popped up
            await page.fill("#phone", site.phone)
            await expect(page.locator("#caller .household")).to_be_visible()
        await settle(page)
        found[path] = await scan(page)
    assert found == {path: [] for _, path in pages}
    await world.close_pages()


async def test_the_case_and_callback_pages_fit_a_phone(world: World) -> None:
    site = await world.new_site()
    case = await file(world, site, "楼道灯坏了一周，晚上看不见路，" * 8)
    handler = await world.page_as(site.sub("handler"), viewport=PHONE)
    for path in (
        f"/cases/{case['id']}",
        "/queues?queue=mine",
        "/callbacks?status=pending",
        "/desk",
    ):
        await handler.goto(f"{world.console}{path}")
        await settle(handler)
        width = await handler.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width} px wide"
    await world.close_pages()


async def test_a_deadline_badge_turns_red_when_its_time_passes(world: World) -> None:
    site = await world.new_site()
    case = await file(world, site)
    handler = await world.page_as(site.sub("handler"))
    await handler.clock.install()
    await handler.goto(f"{world.console}/queues?queue=mine")
    badge = handler.locator("#queue-rows tr", has_text=case["reference"]).locator(".sla")
    await expect(badge).to_have_class("sla sla-running")
    await expect(badge).to_contain_text("还剩")
    due = await badge.get_attribute("data-due")
    assert due is not None
    await handler.clock.fast_forward(7 * 24 * 3600 * 1000)  # a week: past any deadline
    await expect(badge).to_have_class("sla sla-breached")
    await expect(badge).to_contain_text("已超时")
    await world.close_pages()


async def test_a_case_page_says_when_someone_else_changed_the_case(world: World) -> None:
    site = await world.new_site()
    case = await file(world, site)
    handler = await world.page_as(site.sub("handler"))
    await handler.goto(f"{world.console}/cases/{case['id']}")
    await world.call(
        "POST",
        "routing",
        f"/v1/cases/{case['id']}/accept",
        sub=site.sub("head"),
        role="dept_head",
        sites=(site.id,),
    )
    banner = handler.locator("#changed .notice")
    await expect(banner).to_contain_text("陈经理", timeout=30_000)
    await expect(banner).to_contain_text("受理")
    await world.close_pages()
