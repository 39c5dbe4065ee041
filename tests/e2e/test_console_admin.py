"""The administrators' pages (系统设置) in a real browser, once in Chinese and once in
English, with all five services as processes.

An administrator adds a site (a refused form keeps what was typed), imports the residents
of another (a file with bad rows is refused whole, each bad row shown with its line and
why; the corrected file is accepted and its households are found by phone), routes a
category to another department (the next complaint, filed through intake, is that
department's, in routing and on the case page), names a new department head (the chain
shows them), gives a member of staff an e-mail address in notify, and is refused a
deadline that acknowledges later than it resolves, with every typed value kept. The pages
pass an accessibility scan. A complaint handler opening the pages is not allowed in.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from axe_playwright_python.async_playwright import Axe
from console_world import Site, World, languages, settle
from playwright.async_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("console-managers")]

SERIOUS = {"serious", "critical"}
WORDS = {
    "zh": {
        "not_allowed": "没有权限",
        "add_site": "添加管理处",
        "pattern": "格式不正确",
        "site_created": "管理处已添加",
        "refused": "有 2 行有误，没有导入任何内容。",
        "line_3": "第 3 行",
        "line_4": "第 4 行",
        "bad_phone": "电话（第 1 个）：不是有效的电话号码",
        "repeated": "与第 2 行是同一业户",
        "imported": "已导入 2 行。",
        "find": "查找",
        "save_routing": "保存分派规则",
        "routed": "分派规则已保存",
        "engineering": "工程维修部",
        "save_deadlines": "保存时限",
        "acknowledge_first": "受理时限不能长于处理时限",
        "check": "请检查填写的内容。",
        "add": "添加",
        "save": "保存",
        "contacts_saved": "人员联系方式已保存。",
    },
    "en": {
        "not_allowed": "Not allowed",
        "add_site": "Add the site",
        "pattern": "This is not in the expected form",
        "site_created": "The site is added",
        "refused": "2 rows are not valid, so nothing was imported.",
        "line_3": "Line 3",
        "line_4": "Line 4",
        "bad_phone": "Phone numbers (number 1): Not a phone number",
        "repeated": "The same household as line 2",
        "imported": "2 rows imported.",
        "find": "Find",
        "save_routing": "Save the routing rules",
        "routed": "The routing rules are saved",
        "engineering": "Engineering",
        "save_deadlines": "Save the deadlines",
        "acknowledge_first": "Acknowledging may not take longer than resolving",
        "check": "Please check what you entered.",
        "add": "Add",
        "save": "Save",
        "contacts_saved": "The staff's addresses are saved.",
    },
}
HEADER = "building,unit,floor,name,phones,email,occupancy,moved_in_on\n"


def phone() -> str:
    return f"137{random.randrange(10**8):08d}"


async def scan(page: Page) -> list[dict[str, Any]]:
    """The serious and critical accessibility violations axe-core finds on the page."""
    results = await Axe().run(page)
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


async def upload(page: Page, name: str, text: str) -> None:
    """Choose a file on the import page and send it."""
    await page.locator("#file").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode("gb18030")}
    )
    await page.locator("form[enctype] button[type=submit]").click()
    await settle(page)


async def add_a_site(world: World, admin: Page, w: dict[str, str]) -> None:
    """A refused new site keeps what was typed; corrected, it is added."""
    await admin.goto(f"{world.console}/admin")
    name = f"碧水湾{random.randrange(10**6)}"
    await admin.fill("#site-name", name)
    await admin.fill("#site-code", "gh-1")
    await admin.fill("#site-developer", "海湾发展有限公司")
    await admin.click(f"#add-site button:has-text('{w['add_site']}')")
    await expect(admin.locator("#add-site .field-error")).to_have_text(w["pattern"])
    await expect(admin.locator("#site-name")).to_have_value(name)
    await expect(admin.locator("#site-developer")).to_have_value("海湾发展有限公司")
    await admin.fill("#site-code", f"B{random.randrange(16**5):05X}")
    await admin.click(f"#add-site button:has-text('{w['add_site']}')")
    await expect(admin.locator(".notice.ok")).to_contain_text(w["site_created"])
    await expect(admin.locator("h1")).to_contain_text(name)


async def import_residents(world: World, site: Site, admin: Page, w: dict[str, str]) -> None:
    """A file with bad rows is refused whole, each bad row named; corrected, it is taken."""
    zhou, wu, number = f"周{site.tag}", f"吴{site.tag}", phone()
    world.personal.update({zhou, wu, number})
    await admin.goto(f"{world.console}/admin/sites/{site.id}/import")
    bad = (
        HEADER
        + f"5栋,0801,8,{zhou},{phone()},,owner,2021-06-01\n"
        + f"5栋,0802,8,{wu},not a phone,,tenant,\n"
        + f"5栋,0801,8,{zhou},,,owner,\n"
    )
    await upload(admin, "业户.csv", bad)
    await expect(admin.locator(".notice.bad")).to_contain_text(w["refused"])
    rows = admin.locator(".bad-rows tbody tr")
    await expect(rows).to_have_count(2)
    await expect(rows.nth(0)).to_contain_text(w["line_3"])
    await expect(rows.nth(0)).to_contain_text(w["bad_phone"])
    await expect(rows.nth(1)).to_contain_text(w["line_4"])
    await expect(rows.nth(1)).to_contain_text(w["repeated"])
    found = await world.call("GET", "intake", f"/v1/sites/{site.id}/households?q={wu}")
    assert found["items"] == []  # nothing was applied

    good = (
        HEADER
        + f"5栋,0801,8,{zhou},{phone()},,owner,2021-06-01\n5栋,0802,8,{wu},{number},,tenant,\n"
    )
    await upload(admin, "业户.csv", good)
    await expect(admin.locator(".notice.ok")).to_contain_text(w["imported"])
    await admin.goto(f"{world.console}/admin/sites/{site.id}/directory")
    await admin.fill("#q", f"{number[:3]} {number[3:7]} {number[7:]}")
    await admin.click(f"form[role=search] button:has-text('{w['find']}')")
    await settle(admin)
    result = admin.locator("main table.queue tbody tr")
    await expect(result).to_have_count(1)
    await expect(result).to_contain_text(wu)
    await expect(result).to_contain_text("5栋-0802")
    assert number not in admin.url  # a searched number never goes into the address


async def route_cleaning_to_engineering(
    world: World, site: Site, admin: Page, w: dict[str, str]
) -> None:
    """A rule saved on the rules page routes the next complaint of its category."""
    await admin.goto(f"{world.console}/admin/sites/{site.id}/rules")
    form = admin.locator("#routing form")
    await form.locator("[name=route-1-category]").select_option("cleaning")
    await form.locator("[name=route-1-department]").select_option("engineering")
    await form.locator(f"button:has-text('{w['save_routing']}')").click()
    await expect(admin.locator(".notice.ok")).to_contain_text(w["routed"])
    await expect(form.locator("[name=route-1-category]")).to_have_value("cleaning")

    body = {
        "site_id": site.id,
        "channel": "call_center",
        "kind": "complaint",
        "category": "cleaning",
        "description": "垃圾三天没有清运",
        "reporter": {"type": "household", "household_id": site.household_id},
    }
    posted = await world.call("POST", "intake", "/v1/complaints", body, sub="cc", role="callcenter")
    case = await world.case_of(posted["reference"])
    assert case["department"] == "engineering"
    await admin.goto(f"{world.console}/cases/{case['id']}")
    await expect(admin.locator("main")).to_contain_text(w["engineering"])


async def refuse_a_deadline(world: World, site: Site, admin: Page, w: dict[str, str]) -> None:
    """A deadline that acknowledges later than it resolves is refused; the typed rows stay."""
    await admin.goto(f"{world.console}/admin/sites/{site.id}/rules")
    form = admin.locator("#deadlines form")
    await form.locator("[name=sla-0-severity]").select_option("urgent")
    await form.locator("[name=sla-0-acknowledge_hours]").fill("5")
    await form.locator("[name=sla-0-resolve_hours]").fill("2")
    await form.locator("[name=sla-0-clock]").select_option("calendar")
    await form.locator(f"button:has-text('{w['save_deadlines']}')").click()
    await settle(admin)
    form = admin.locator("#deadlines form")
    await expect(admin.locator("#deadlines .notice.bad")).to_contain_text(w["check"])
    await expect(form.locator(".field-error")).to_contain_text(w["acknowledge_first"])
    await expect(form.locator("[name=sla-0-severity]")).to_have_value("urgent")
    await expect(form.locator("[name=sla-0-acknowledge_hours]")).to_have_value("5")
    await expect(form.locator("[name=sla-0-resolve_hours]")).to_have_value("2")
    await expect(form.locator("[name=sla-0-clock]")).to_have_value("calendar")
    rules = await world.call("GET", "routing", f"/v1/sites/{site.id}/rules")
    assert rules["sla_policies"] == []


async def name_a_new_head(world: World, site: Site, admin: Page, w: dict[str, str]) -> None:
    """A new department head named on the organisation page shows in the chain."""
    sun = f"sun-{site.tag}"
    await admin.goto(f"{world.console}/admin/sites/{site.id}/organisation")
    adding = admin.locator("#staff-new")
    await adding.locator("summary").click()
    await adding.locator("[name=id]").fill(sun)
    await adding.locator("[name=name]").fill("孙工")
    await adding.locator("[name=role]").select_option("dept_head")
    await adding.locator("[name=department]").select_option("engineering")
    await adding.locator(f"button:has-text('{w['add']}')").click()
    await settle(admin)
    department = admin.locator("#department-engineering")
    await department.locator("summary").click()
    await department.locator("[name=head]").select_option(sun)
    await department.locator(f"button:has-text('{w['save']}')").click()
    await settle(admin)
    head = admin.locator("#chain-engineering [data-level=dept_head]")
    await expect(head).to_have_text("孙工")
    await expect(admin.locator("#chain-customer_service [data-level=dept_head]")).to_have_text(
        "陈经理"
    )
    found = await world.call("GET", "routing", f"/v1/sites/{site.id}/organisation")
    assert {d["code"]: d["head"] for d in found["departments"]}["engineering"] == sun


async def give_an_address(world: World, site: Site, admin: Page, w: dict[str, str]) -> None:
    """A member of staff's e-mail address typed on the office page reaches notify."""
    address = f"zhang-{site.tag}@example.com"
    await admin.goto(f"{world.console}/admin/sites/{site.id}/office")
    row = admin.locator("#contacts tbody tr", has_text="张三")
    await row.locator("input[type=email]").fill(address)
    await admin.locator(f"#contacts button:has-text('{w['save']}')").click()
    await expect(admin.locator(".notice.ok")).to_contain_text(w["contacts_saved"])
    found = await world.call("GET", "notify", f"/v1/sites/{site.id}/staff-contacts")
    held = {s["staff_id"]: s for s in found["staff"]}
    assert held[site.sub("handler")]["email"] == address
    assert held[site.sub("handler")]["role"] == "handler"


@pytest.mark.parametrize("lang", languages("en"))
async def test_an_administrator_sets_up_a_site(world: World, lang: str) -> None:
    w = WORDS[lang]
    site = await world.new_site()
    handler = await world.page_as(site.sub("handler"), lang=lang)
    for path in ("/admin", f"/admin/sites/{site.id}/rules"):
        answer = await handler.goto(f"{world.console}{path}")
        assert answer is not None
        assert answer.status == 403
        await expect(handler.locator("h1")).to_have_text(w["not_allowed"])

    admin = await world.page_as("admin", lang=lang)
    refused_by_the_browser: list[str] = []
    admin.on("console", lambda m: refused_by_the_browser.append(m.text))
    await add_a_site(world, admin, w)
    await import_residents(world, site, admin, w)
    await route_cleaning_to_engineering(world, site, admin, w)
    await refuse_a_deadline(world, site, admin, w)
    await name_a_new_head(world, site, admin, w)
    await give_an_address(world, site, admin, w)

    found = {}
    for path in ("", "/directory", "/import", "/organisation", "/rules", "/office"):
        await admin.goto(f"{world.console}/admin/sites/{site.id}{path}")
        await settle(admin)
        found[path] = await scan(admin)
    await admin.goto(f"{world.console}/admin")
    found["/admin"] = await scan(admin)
    assert found == {path: [] for path in found}
    assert [m for m in refused_by_the_browser if "Refused" in m] == []
    await world.close_pages()
