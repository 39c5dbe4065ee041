"""A whole day of the procedure through the console, in a real browser, in two browsers at
once: the desk files a complaint, the handler sees it arrive without reloading, works it
and hands it up; the department head assigns it to another department on a work
assignment notice; that department resolves it; the resident, called back, is not
satisfied and the case reopens in the head's "escalated to me"; a second callback finds
them satisfied and the case closes. The printed record, slip and notice open from the case
page and name the resident and their room (the record their phone and what they said too).
Once in Chinese and once in English, with all five services as processes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from console_world import Site, World, languages, open_action, settle
from playwright.async_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("console-staff")]

WORDS = {
    "zh": {
        "record": "保存投诉",
        "accepted": "已受理。",
        "resolve_refused": "请检查填写的内容。",
        "required": "此项必须填写",
        "closed": "已关闭",
        "in_progress": "处理中",
        "slip": "工作传签单",
        "notice": "工作安排通知单",
        "complaint_record": "顾客投诉处理记录表",
        "record_call": "记录回访",
    },
    "en": {
        "record": "Record the complaint",
        "accepted": "Accepted.",
        "resolve_refused": "Please check what you entered.",
        "required": "This is required",
        "closed": "Closed",
        "in_progress": "In progress",
        "slip": "Work transmittal slip",
        "notice": "Work assignment notice",
        "complaint_record": "Complaint record",
        "record_call": "Record the call",
    },
}


COMMENTS = {True: "灯修好了，满意", False: "灯还是不亮"}


@dataclass
class Day:
    world: World
    site: Site
    lang: str

    def word(self, key: str) -> str:
        return WORDS[self.lang][key]

    async def as_(self, who: str) -> Page:
        sub = "cc-desk" if who == "desk" else self.site.sub(who)
        return await self.world.page_as(sub, lang=self.lang)


async def act(page: Page, action: str, **fields: str) -> None:
    """Fill one action's form on the case page and send it."""
    await open_action(page, action)
    form = page.locator(f"#action-{action} form")
    for name, value in fields.items():
        field = form.locator(f"[name={name}]")
        if await field.evaluate("e => e.tagName") == "SELECT":
            await field.select_option(value)
        else:
            await field.fill(value)
    await form.locator("button[type=submit]").click()
    await settle(page)


async def file_a_complaint(day: Day, desk: Page) -> str:
    """The desk types the caller's number as people say it and files for their household."""
    phone = day.site.phone
    await desk.goto(f"{day.world.console}/desk")
    await desk.fill("#phone", f"{phone[:3]}-{phone[3:7]}-{phone[7:]}")
    household = desk.locator("#caller .household")
    await expect(household).to_contain_text("李女士")
    await expect(household).to_contain_text("3栋-1201")
    await household.locator("a.button.primary").click()
    await expect(desk.locator("#reporter-household .chosen")).to_contain_text("李女士")
    await desk.select_option("#category", "housing_management")
    await desk.fill("#description", "楼道灯坏了一周，晚上看不见路")
    await desk.click(f"button:has-text('{day.word('record')}')")
    reference = (await desk.locator(".big-ref").inner_text()).strip()
    assert re.fullmatch(r"T[0-9A-F]{5}-\d{8}-\d{4}", reference), reference
    return reference


async def call_back(day: Day, desk: Page, reference: str, *, satisfied: bool) -> None:
    """The desk finds the resident in the due callbacks and records the call."""
    card = desk.locator(".callback-card", has_text=reference)

    async def due() -> bool:
        await desk.goto(f"{day.world.console}/callbacks?status=due")
        return await card.count() == 1

    await day.world.until(due, f"no callback of {reference} became due")
    await expect(card.locator(".whom")).to_have_text("李女士")
    await expect(card.locator("a.call")).to_have_attribute("href", f"tel:{day.site.phone}")
    await card.locator("input[name=reached][value=true]").check()
    await card.locator(f"input[name=satisfied][value={'true' if satisfied else 'false'}]").check()
    await card.locator("textarea[name=comment]").fill(COMMENTS[satisfied])
    await card.locator(f"button:has-text('{day.word('record_call')}')").click()
    await settle(desk)


@pytest.mark.parametrize("lang", languages("zh"))
async def test_a_whole_day_through_the_console(world: World, lang: str) -> None:
    day = Day(world, await world.new_site(), lang)
    desk, handler = await day.as_("desk"), await day.as_("handler")
    await handler.goto(f"{world.console}/queues?queue=mine")
    await handler.evaluate("window.notReloaded = true")

    reference = await file_a_complaint(day, desk)

    # The handler's queue shows the new case without a reload.
    row = handler.locator("#queue-rows tr", has_text=reference)
    await expect(row).to_be_visible(timeout=30_000)
    assert await handler.evaluate("window.notReloaded === true")
    await expect(row).to_contain_text("李女士")
    await expect(row).to_contain_text("3栋-1201")
    case = await world.case_of(reference)

    await row.locator("a.ref").click()
    await act(handler, "accept")
    await expect(handler.locator(".notice.ok")).to_contain_text(day.word("accepted"))
    await act(handler, "progress", note="已安排电工明天上午检修")
    await act(handler, "transmit", reason="需要工程部更换线路，请主管协调")
    await world.case_status(case["id"], "transmitted")

    head = await day.as_("head")
    await head.goto(f"{world.console}/queues?queue=escalated_to_me")
    await head.locator("a.ref", has_text=reference).click()
    await act(head, "issue_notice", department="engineering", instructions="请更换3栋楼道照明线路")

    eng = await day.as_("eng")
    await eng.goto(f"{world.console}/queues?queue=mine")
    await eng.locator("a.ref", has_text=reference).click()
    # A refused action shows routing's words and keeps what was typed.
    await act(eng, "resolve", result="", reply="楼道灯已修好，感谢您的反馈")
    refusal = eng.locator("#action-resolve .notice.bad")
    await expect(refusal).to_contain_text(day.word("resolve_refused"))
    await expect(refusal).to_contain_text("result")
    await expect(eng.locator("#action-resolve .field-error")).to_have_text(day.word("required"))
    await expect(eng.locator("#resolve-reply")).to_have_value("楼道灯已修好，感谢您的反馈")
    await act(eng, "resolve", result="更换了线路和灯具", reply="楼道灯已修好，感谢您的反馈")
    await world.case_status(case["id"], "resolved")

    await call_back(day, desk, reference, satisfied=False)
    await world.case_status(case["id"], "in_progress")
    eng_head = await day.as_("eng_head")

    async def escalated_to_the_head() -> bool:
        await eng_head.goto(f"{world.console}/queues?queue=escalated_to_me")
        return await eng_head.locator("a.ref", has_text=reference).count() == 1

    await world.until(escalated_to_the_head, "the reopened case never reached the head")
    await eng_head.locator("a.ref", has_text=reference).click()
    await expect(eng_head.locator(".case-head")).to_contain_text(day.word("in_progress"))
    await act(eng_head, "resolve", result="重新更换了灯具并测试", reply="已再次检修，请您放心")
    await world.case_status(case["id"], "resolved")

    await call_back(day, desk, reference, satisfied=True)
    await world.case_status(case["id"], "closed")
    await eng_head.reload()
    await expect(eng_head.locator(".case-head")).to_contain_text(day.word("closed"))

    # The printed record, slip and notice open from the case page, under the session, and
    # name the resident and where: the console fills in what routing does not hold.
    for kind in ("complaint_record", "slip", "notice"):
        link = eng_head.locator(".docs a", has_text=day.word(kind))
        async with eng_head.context.expect_page() as opened:
            await link.click()
        document = await opened.value
        await document.wait_for_load_state()
        content = await document.content()
        for words in (day.word(kind), reference, "李女士", "3栋-1201"):
            assert words in content, (kind, words)
        if kind == "complaint_record":
            assert day.site.phone in content
            assert COMMENTS[True] in content
            assert COMMENTS[False] not in content
    await world.close_pages()
