"""Rectification (整改) and corrective / preventive action through the console, in a real
browser, once in Chinese and once in English, with all five services as processes.

A department head opens a rectification from a case page with an item for each of two
teams; a refused opening keeps what was typed; each team reports (the engineer on a
phone), the last item done submits the work, the head rejects it back, the engineer
reports again and the VP accepts it; the printed report opens. A corrective action opened
from two cases is planned (a refused plan keeps what was typed), completed and verified
by the head. The lists, the opening form and both detail pages pass an accessibility scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from axe_playwright_python.async_playwright import Axe
from console_world import Site, World, languages, open_action, settle
from playwright.async_api import ConsoleMessage, Page, expect

from shared.testing.browser import PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("console-managers")]

SERIOUS = {"serious", "critical"}
WORDS = {
    "zh": {
        "open_rectification": "发起整改",
        "add_item": "增加一项",
        "check": "请检查填写的内容。",
        "required": "此项必须填写",
        "opened": "整改已发起",
        "reported": "汇报已记录。",
        "submitted": "整改已提交验收",
        "rejected": "验收未通过，整改项目已退回",
        "accepted": "验收通过，结果已反馈各部门。",
        "in_acceptance": "待验收",
        "accepted_status": "已验收",
        "progress": "已完成 2/2 项",
        "report": "整改报告",
        "planned": "原因分析和措施已记录。",
        "completed": "已记录措施落实完成",
        "verified": "效果验证已记录。",
        "verified_status": "已验证",
        "effective": "有效",
    },
    "en": {
        "open_rectification": "Open a rectification",
        "add_item": "Add an item",
        "check": "Please check what you entered.",
        "required": "This is required",
        "opened": "Opened; each team has its items.",
        "reported": "The report is recorded.",
        "submitted": "submitted for acceptance",
        "rejected": "Rejected; the items went back",
        "accepted": "Accepted; every department hears of the result.",
        "in_acceptance": "Awaiting acceptance",
        "accepted_status": "Accepted",
        "progress": "2 of 2 items done",
        "report": "Rectification report",
        "planned": "The cause and the action are recorded.",
        "completed": "Carried out; verification follows.",
        "verified": "The verification is recorded.",
        "verified_status": "Verified",
        "effective": "Effective",
    },
}


@dataclass
class Walk:
    world: World
    site: Site
    lang: str
    found: dict[str, list[dict[str, Any]]]

    def word(self, key: str) -> str:
        return WORDS[self.lang][key]

    async def as_(self, who: str, **kw: Any) -> Page:
        return await self.world.page_as(self.site.sub(who), lang=self.lang, **kw)

    async def scan(self, page: Page, name: str) -> None:
        """Note the serious and critical accessibility violations axe finds on the page."""
        await settle(page)
        results = await Axe().run(page)
        self.found[name] = [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in results.response["violations"]
            if v["impact"] in SERIOUS
        ]


def watch_console(page: Page, errors: list[str]) -> None:
    """Collect what the browser refuses (a CSP violation) and script errors; a refused
    form's 4xx answer is the page working."""

    def heard(message: ConsoleMessage) -> None:
        if message.type == "error" and "Failed to load resource" not in message.text:
            errors.append(message.text)

    page.on("console", heard)
    page.on("pageerror", lambda e: errors.append(str(e)))


async def file(world: World, site: Site, category: str, description: str) -> dict[str, Any]:
    """A complaint of the site's household, filed by the call-center, and its case."""
    body = {
        "site_id": site.id,
        "channel": "call_center",
        "kind": "complaint",
        "category": category,
        "description": description,
        "reporter": {"type": "household", "household_id": site.household_id},
    }
    posted = await world.call("POST", "intake", "/v1/complaints", body, sub="cc", role="callcenter")
    return await world.case_of(posted["reference"])


async def report(page: Page, position: int, note: str, *, done: bool) -> None:
    """Report on one item of the rectification page."""
    name = f"report-{position}"
    await open_action(page, name)
    form = page.locator(f"#action-{name} form")
    await form.locator("textarea[name=note]").fill(note)
    if done:
        await form.locator("input[name=done]").check()
    await form.locator("button[type=submit]").click()
    await settle(page)


async def open_the_rectification(walk: Walk, head: Page, case: dict[str, Any]) -> str:
    """From the case page: the form comes filled from the case; one more item row arrives
    in place; a refused opening keeps everything typed; then it opens."""
    await head.goto(f"{walk.world.console}/cases/{case['id']}")
    await head.locator("a", has_text=walk.word("open_rectification")).click()
    await expect(head.locator("#problem")).to_have_value(case["description"])
    await expect(head.locator("#item-0-team")).to_have_value(case["department"])
    await walk.scan(head, "new")
    await head.locator("#add-item button").click()
    await expect(head.locator("#item-3")).to_be_visible()
    await expect(head.locator("#rows")).to_have_value("4")
    await head.fill("#item-0-task", "通知受影响业户并回访")
    await head.select_option("#item-3-team", "engineering")
    await head.fill("#item-3-task", "更换3栋全部楼道灯具")
    await head.locator("form.rect-form button.primary").click()  # no measures yet
    await settle(head)
    await expect(head.locator(".notice.bad")).to_contain_text(walk.word("check"))
    await expect(head.locator("#measures + .field-error")).to_have_text(walk.word("required"))
    await expect(head.locator("#item-3-task")).to_have_value("更换3栋全部楼道灯具")
    await expect(head.locator("#item-3-team")).to_have_value("engineering")
    await head.fill("#measures", "更换灯具，建立每周巡检制度")
    await head.locator("form.rect-form button.primary").click()
    await settle(head)
    await expect(head.locator(".notice.ok")).to_contain_text(walk.word("opened"))
    return head.url.split("/rectifications/")[1].split("?")[0]


@pytest.mark.parametrize("lang", languages("zh"))
async def test_a_rectification_from_a_case_to_its_printed_report(world: World, lang: str) -> None:
    walk = Walk(world, await world.new_site(), lang, {})
    case = await file(world, walk.site, "housing_management", "3栋楼道灯坏了一周，晚上看不见路")
    head = await walk.as_("head")
    errors: list[str] = []
    watch_console(head, errors)
    rect_id = await open_the_rectification(walk, head, case)
    page = f"{world.console}/rectifications/{rect_id}"
    found = await world.call("GET", "routing", f"/v1/rectifications/{rect_id}")
    assert [(i["position"], i["team"]) for i in found["items"]] == [
        (1, "customer_service"),
        (2, "engineering"),
    ]
    assert (found["case_id"], found["origin"]) == (case["id"], "case")
    await walk.scan(head, "rectification")
    await report(head, 1, "已电话通知全部业户", done=True)
    await expect(head.locator(".notice.ok")).to_have_text(walk.word("reported"))
    await expect(head.locator("#item-1 .reports")).to_contain_text("已电话通知全部业户")

    eng = await walk.as_("eng", viewport=PHONE)
    watch_console(eng, errors)
    await eng.goto(page)
    assert await eng.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert await eng.locator("#action-report-1").count() == 0  # not their team's item
    await report(eng, 2, "已采购灯具", done=False)
    await report(eng, 2, "已全部更换", done=True)
    await expect(eng.locator(".notice.ok")).to_contain_text(walk.word("submitted"))
    await expect(eng.locator(".case-head")).to_contain_text(walk.word("in_acceptance"))

    await head.goto(page)
    await head.locator("#action-reject summary").click()
    await head.fill("#reject-reason", "2 楼仍有一盏不亮")
    await head.locator("#action-reject input[name=items][value='2']").check()
    await head.locator("#action-reject button[type=submit]").click()
    await settle(head)
    await expect(head.locator(".notice.ok")).to_contain_text(walk.word("rejected"))
    await expect(head.locator(".history")).to_contain_text("2 楼仍有一盏不亮")

    await eng.goto(page)
    await report(eng, 2, "已更换 2 楼灯具", done=True)
    vp = await walk.as_("vp")
    watch_console(vp, errors)
    await vp.goto(page)
    await vp.fill("#accept-note", "现场检查合格")
    await vp.locator("#action-accept button[type=submit]").click()
    await settle(vp)
    await expect(vp.locator(".notice.ok")).to_have_text(walk.word("accepted"))
    await expect(vp.locator(".case-head")).to_contain_text(walk.word("accepted_status"))
    after = await world.call("GET", "routing", f"/v1/rectifications/{rect_id}")
    assert (after["status"], after["rejections"], after["accepted_by"]) == (
        "accepted",
        1,
        walk.site.sub("vp"),
    )

    async with vp.context.expect_page() as opened:
        await vp.locator(".docs a", has_text=walk.word("report")).click()
    document = await opened.value
    await document.wait_for_load_state()
    printed = await document.content()
    for words in (walk.word("report"), after["number"], "现场检查合格", "2 楼仍有一盏不亮"):
        assert words in printed, words

    await vp.goto(f"{world.console}/rectifications?status=accepted&site_id={walk.site.id}")
    row = vp.locator("tr[data-row]", has_text=after["number"])
    await expect(row).to_contain_text(walk.word("progress"))
    await expect(row.locator(f"a[href='/cases/{case['id']}']")).to_have_text(case["reference"])
    await walk.scan(vp, "rectifications")
    assert walk.found == {k: [] for k in walk.found}
    assert errors == []
    await world.close_pages()


@pytest.mark.parametrize("lang", languages("en"))
async def test_a_corrective_action_is_planned_completed_and_verified(
    world: World, lang: str
) -> None:
    walk = Walk(world, await world.new_site(), lang, {})
    site = walk.site
    cases = [await file(world, site, "cleaning", f"楼道垃圾无人清理 {n}") for n in (1, 2)]
    body = {
        "case_ids": [c["id"] for c in cases],
        "kind": "corrective",
        "problem": "夜间保洁投诉集中",
        "category": "cleaning",
    }
    action = await world.call(
        "POST", "routing", "/v1/corrective-actions", body, sub=site.sub("head"),
        role="dept_head", sites=(site.id,),
    )  # fmt: skip
    head = await walk.as_("head")
    errors: list[str] = []
    watch_console(head, errors)
    await head.goto(f"{world.console}/actions?site_id={site.id}")
    await walk.scan(head, "actions")
    await head.locator("a.ref", has_text=action["number"]).click()
    for c in cases:
        await expect(head.locator(f"a[href='/cases/{c['id']}']")).to_have_text(c["reference"])
    await walk.scan(head, "action")

    # A refused plan (nobody named to carry it out) keeps what was typed.
    await head.fill("#plan-analysis", "夜班只有一名保洁员")
    await head.fill("#plan-action", "增加夜班保洁一人，每日巡查")
    await head.locator("#action-plan button[type=submit]").click()
    await settle(head)
    await expect(head.locator("#action-plan .notice.bad")).to_contain_text(walk.word("check"))
    await expect(head.locator("#plan-owner + .field-error")).to_have_text(walk.word("required"))
    await expect(head.locator("#plan-action")).to_have_value("增加夜班保洁一人，每日巡查")
    await head.select_option("#plan-owner", site.sub("handler"))
    await head.locator("#action-plan button[type=submit]").click()
    await settle(head)
    await expect(head.locator(".notice.ok")).to_have_text(walk.word("planned"))
    await expect(head.locator("#plan-title + .facts")).to_contain_text("张三")

    await head.fill("#complete-note", "已增加夜班保洁")
    await head.locator("#action-complete button[type=submit]").click()
    await settle(head)
    await expect(head.locator(".notice.ok")).to_contain_text(walk.word("completed"))
    await head.locator("#action-verify input[name=effective][value=true]").check()
    await head.fill("#verify-note", "一个月内无同类投诉")
    await head.locator("#action-verify button[type=submit]").click()
    await settle(head)
    await expect(head.locator(".notice.ok")).to_have_text(walk.word("verified"))
    await expect(head.locator(".case-head")).to_contain_text(walk.word("verified_status"))
    await expect(head.locator("#verify-title ~ p")).to_contain_text(walk.word("effective"))
    after = await world.call("GET", "routing", f"/v1/corrective-actions/{action['id']}")
    assert (after["status"], after["effective"], after["owner"]) == (
        "verified",
        True,
        site.sub("handler"),
    )
    assert after["verification"]["note"] == "一个月内无同类投诉"
    assert walk.found == {k: [] for k in walk.found}
    assert errors == []
    await world.close_pages()
