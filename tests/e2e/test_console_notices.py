"""Notices (通知单) through the console, in a real browser, with all five services as
processes: a department head types a water-outage notice for ONE building, to go out a
minute later in the site's local time; a refusal (the end before the start) shows
notify's words and keeps everything typed; the notice prints as the bulletin-board notice
and the warning sign; once notify's timer publishes it the notice's page shows how its
deliveries went (a mail sent, a text message waiting for its retry) while the household
of the other building got nothing; another notice is changed and then cancelled through
the confirmation step. Once in Chinese and once in English, with an accessibility scan
of the list, the form and a notice's page, and no Content-Security-Policy complaint.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from axe_playwright_python.async_playwright import Axe
from console_world import Site, World, languages, settle
from playwright.async_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("console-staff")]

SERIOUS = {"serious", "critical"}
PUBLISHED_WITHIN = 150_000  # ms: the publish minute, notify's timer, the page's own polling

WORDS = {
    "zh": {
        "new": "发布通知单",
        "publish": "确认发布",
        "check": "请检查填写的内容。",
        "end_before_start": "结束时间必须晚于开始时间。",
        "saved": "通知单已保存。",
        "scheduled": "待发布",
        "published": "已发布",
        "cancelled": "已取消",
        "buildings": "指定楼栋",
        "sms": "短信",
        "email": "电子邮件",
        "retrying": "重试中",
        "changed": "修改已保存。",
        "edit": "修改通知单",
        "save": "保存修改",
        "cancel": "取消通知单……",
        "confirm": "确定取消这份通知单？",
        "yes_cancel": "确定取消",
        "is_cancelled": "通知单已取消。",
        "notice": "通知单（宣传栏张贴）",
        "sign": "警示标识",
        "headline": "停水",
    },
    "en": {
        "new": "New notice",
        "publish": "Publish",
        "check": "Please check what you entered.",
        "end_before_start": "The end must be after the start.",
        "saved": "The notice is saved.",
        "scheduled": "Scheduled",
        "published": "Published",
        "cancelled": "Cancelled",
        "buildings": "Chosen buildings",
        "sms": "SMS",
        "email": "E-mail",
        "retrying": "Retrying",
        "changed": "The change is saved.",
        "edit": "Change the notice",
        "save": "Save the change",
        "cancel": "Cancel the notice…",
        "confirm": "Cancel this notice?",
        "yes_cancel": "Yes, cancel it",
        "is_cancelled": "The notice is cancelled.",
        "notice": "Notice (for the bulletin board)",
        "sign": "Warning sign",
        "headline": "WATER OFF",
    },
}


async def household(
    world: World, site: Site, building: str, number: str, name: str, **reach: Any
) -> str:
    """A household in `building` (added when the site has none of that name), known to
    notify before the test goes on."""
    base = f"/v1/sites/{site.id}"
    found = await world.call("GET", "intake", f"{base}/buildings")
    ids = [b["id"] for b in found["items"] if b["code"] == building]
    building_id = (
        ids[0]
        if ids
        else (await world.call("POST", "intake", f"{base}/buildings", {"code": building}))["id"]
    )
    unit = await world.call(
        "POST", "intake", f"{base}/units", {"building_id": building_id, "number": number}
    )
    world.personal.update({name, *reach.values()} - {None})
    body = {"unit_id": unit["id"], "name": name, "phones": [], **reach}
    made = await world.call("POST", "intake", f"{base}/households", body)

    async def known() -> bool:
        contacts = await world.call("GET", "notify", f"/v1/contacts?site_id={site.id}&limit=500")
        return made["id"] in {c["household_id"] for c in contacts["items"]}

    await world.until(known, f"notify never heard of household {made['id']}")
    return str(made["id"])


def local(site_zone: str, *, minutes: float = 0, days: int = 0, hour: int | None = None) -> str:
    """A datetime-local value in the site's zone, as a person types it."""
    at = datetime.now(ZoneInfo(site_zone)) + timedelta(minutes=minutes, days=days)
    if hour is not None:
        at = at.replace(hour=hour, minute=0)
    return at.strftime("%Y-%m-%dT%H:%M")


def shown(value: str) -> str:
    """A typed datetime-local value as the pages print it."""
    return value.replace("T", " ")


async def scan(page: Page) -> list[dict[str, Any]]:
    """The serious and critical accessibility violations axe-core finds on the page."""
    results = await Axe().run(page)
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


def csp_complaints(page: Page) -> list[str]:
    """Every console message of the page that says the browser refused something."""
    heard: list[str] = []
    page.on("console", lambda m: heard.append(m.text) if "Refused to" in m.text else None)
    return heard


async def fill_notice(page: Page, zone: str, title: str, *, publish_at: str, ends: str) -> None:
    """A water outage tomorrow for building 3栋 only, going out at `publish_at`."""
    await page.select_option("#kind", "water_outage")
    await page.fill("#title", title)
    await page.fill("#body", "因供水管道检修，届时暂停供水，请提前储水。")
    await page.fill("#starts_at", local(zone, days=1, hour=9))
    await page.fill("#ends_at", ends)
    await page.fill("#publish_at", publish_at)
    await page.check("input[name=scope][value=buildings]")
    await page.locator("#scope-buildings label", has_text="3栋").locator("input").check()


@pytest.mark.parametrize("lang", languages("en"))
async def test_a_head_publishes_prints_follows_and_cancels_notices(world: World, lang: str) -> None:
    words = WORDS[lang]
    site = await world.new_site()
    zone = (await world.call("GET", "intake", f"/v1/sites/{site.id}"))["timezone"]
    mailed = await household(
        world, site, "3栋", "1202", "周先生", email=f"zhou-{site.tag}@example.com"
    )
    await household(world, site, "5栋", "0801", "吴女士", email=f"wu-{site.tag}@example.com")
    head = await world.page_as(site.sub("head"), lang=lang)
    refused_by_browser = csp_complaints(head)
    scans: dict[str, list[dict[str, Any]]] = {}

    await head.goto(f"{world.console}/notices")
    await expect(head.locator(".empty")).to_be_visible()
    scans["list"] = await scan(head)
    await head.click(f"a.button.primary:has-text('{words['new']}')")
    await expect(head.locator("#scope-buildings")).to_be_hidden()
    scans["new"] = await scan(head)

    # Refused: the end before the start. notify's words show, and nothing typed is lost.
    title = f"二期停水通知 {site.tag}"
    publish_at = local(zone, minutes=1.5)
    await fill_notice(head, zone, title, publish_at=publish_at, ends=local(zone, days=1, hour=8))
    await head.click(f"button:has-text('{words['publish']}')")
    await settle(head)
    alert = head.locator("[role=alert]")
    await expect(alert).to_contain_text(words["check"])
    await expect(alert).to_contain_text("ends_at must be after starts_at")
    await expect(head.locator("#err-ends_at")).to_have_text(words["end_before_start"])
    await expect(head.locator("#title")).to_have_value(title)
    await expect(head.locator("#publish_at")).to_have_value(publish_at)
    await expect(head.locator("#scope-buildings")).to_be_visible()
    ticked = head.locator("#scope-buildings input:checked")
    await expect(ticked).to_have_count(1)
    checked = head.locator("input:checked")
    await expect(head.locator("#scope-buildings label", has=checked)).to_have_text("3栋")

    # Put right and sent again with the same form: the notice waits for its minute.
    await head.fill("#ends_at", local(zone, days=1, hour=17))
    await head.click(f"button:has-text('{words['publish']}')")
    await settle(head)
    await expect(head.locator(".notice.ok")).to_contain_text(words["saved"])
    await expect(head.locator("h1 .chip-notice-scheduled")).to_have_text(words["scheduled"])
    await expect(head.locator("#facts-title + dl")).to_contain_text(shown(publish_at))
    await expect(head.locator("#facts-title + dl")).to_contain_text(f"{words['buildings']}")
    notice_url = head.url.split("?")[0]
    notice_id = notice_url.rsplit("/", 1)[1]
    stored = await world.call("GET", "notify", f"/v1/notices/{notice_id}")
    assert (stored["scope"], stored["status"], stored["title"]) == ("buildings", "scheduled", title)
    assert len(stored["scope_ids"]) == 1
    scans["notice"] = await scan(head)

    # Printed before it goes out: the bulletin-board notice and the warning sign.
    for link, expected in ((words["notice"], "3栋"), (words["sign"], words["headline"])):
        async with head.context.expect_page() as opened:
            await head.click(f"#print-title ~ ul a:has-text('{link}')")
        printed = await opened.value
        await printed.wait_for_load_state()
        await expect(printed.locator("body")).to_contain_text(title)
        await expect(printed.locator("body")).to_contain_text(expected)
        await printed.close()

    # Meanwhile another notice, far ahead: changed, then cancelled after a confirmation.
    later = {
        "site_id": site.id,
        "kind": "general",
        "title": f"二期消防演练 {site.tag}",
        "body": "周六上午进行消防演练。",
        "publish_at": (datetime.now(ZoneInfo(zone)) + timedelta(days=2)).isoformat(),
    }
    other = await world.call(
        "POST", "notify", "/v1/notices", later, sub=site.sub("head"), role="dept_head",
        sites=(site.id,),
    )  # fmt: skip
    await head.goto(f"{world.console}/notices/{other['id']}")
    await head.click(f"summary:has-text('{words['edit']}')")
    await head.fill("#title", f"二期消防演练（改期） {site.tag}")
    await head.click(f"button:has-text('{words['save']}')")
    await settle(head)
    await expect(head.locator(".notice.ok")).to_have_text(words["changed"])
    await expect(head.locator("h1 .notice-title")).to_have_text(f"二期消防演练（改期） {site.tag}")
    await head.click(f"a:has-text('{words['cancel']}')")
    await expect(head.locator("h1")).to_have_text(words["confirm"])
    scans["confirm"] = await scan(head)
    after = await world.call("GET", "notify", f"/v1/notices/{other['id']}")
    assert after["status"] == "scheduled"  # asking is not cancelling
    await head.fill("#reason", "演练改到下月")
    await head.click(f"button:has-text('{words['yes_cancel']}')")
    await settle(head)
    await expect(head.locator(".notice.ok")).to_have_text(words["is_cancelled"])
    await expect(head.locator("h1 .chip-notice-cancelled")).to_have_text(words["cancelled"])

    gone = await world.call("GET", "notify", f"/v1/notices/{other['id']}")
    assert gone["status"] == "cancelled"  # the reason went to nobody: it never went out

    # notify's timer publishes it; the page looks again by itself and then shows the
    # deliveries: the mail went, the text message (no SMS gateway here) waits to retry.
    await head.goto(notice_url)
    await expect(head.locator("h1 .chip-notice-published")).to_have_text(
        words["published"], timeout=PUBLISHED_WITHIN
    )
    failing = head.locator("table.failing tbody tr")
    await expect(failing).to_have_count(1, timeout=30_000)
    await expect(failing).to_contain_text("3栋-1201")
    await expect(failing).to_contain_text(words["sms"])
    await expect(failing).to_contain_text(words["retrying"])
    await expect(failing).to_contain_text("no SMS gateway configured")
    figures = head.locator("#deliveries table.figures")
    await expect(figures.locator("tbody tr", has_text=words["email"])).to_contain_text("1")
    await expect(figures.locator("tfoot td").last).to_have_text("2")
    counts = await world.call("GET", "notify", f"/v1/notices/{notice_id}/deliveries/counts")
    reached = {(c["channel"], c["status"]): c["count"] for c in counts["items"]}
    assert sum(reached.values()) == 2, reached  # 3栋's two households, not 5栋's
    assert reached[("email", "sent")] == 1
    deliveries = await world.call("GET", "notify", f"/v1/notices/{notice_id}/deliveries")
    assert f"household:{mailed}" in {d["recipient_key"] for d in deliveries["items"]}
    await expect(head.locator("[data-chart][data-drawn=true]")).to_have_count(1)
    scans["published"] = await scan(head)

    await head.goto(f"{world.console}/notices?status=cancelled")
    await expect(head.locator("table.notices tbody tr")).to_have_count(1)
    await expect(head.locator("table.notices")).to_contain_text("二期消防演练（改期）")
    await head.goto(f"{world.console}/notices?status=published")
    await expect(head.locator("table.notices tbody tr", has_text=title)).to_contain_text("3栋")

    assert scans == {"list": [], "new": [], "notice": [], "published": [], "confirm": []}
    assert refused_by_browser == []
    await world.close_pages()
