"""Reports and the managers' dashboard in a real browser, against the services' own figures.

One site's cases are put in known states through the APIs: open in each department and
status, one past its deadlines (a two-second SLA), one transmitted up, one resolved and
called back satisfied; a satisfaction survey is closed. Then, in Chinese, the site's VP
reads the dashboard and the complaint report: every chart's embedded option and its drawn
SVG say what the table says and the table what routing's and surveys' JSON say; clicking
numbers opens the queue (or the list of cases) with exactly that many cases; the printable
report opens under the session and the CSV downloads. In English the administrator sees
the group, narrows it to the site, opens a monthly report and prints it, also on a phone.
The pages pass an accessibility scan.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from axe_playwright_python.async_playwright import Axe
from console_world import Site, World, settle
from playwright.async_api import Page, expect

from routing.reports.periods import month_before
from routing.reports.published import publish_site
from shared.clock import utcnow
from shared.db.engine import transaction
from shared.testing.browser import PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("console-managers")]

SERIOUS = {"serious", "critical"}
OPEN = ("assigned", "in_progress", "transmitted", "with_developer")
DOCUMENT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
)
STATUS_WORDS = {
    "zh": {"assigned": "已分派", "in_progress": "处理中", "transmitted": "已传签"},
    "en": {"assigned": "Assigned", "in_progress": "In progress", "transmitted": "Transmitted"},
}


@dataclass
class Seeded:
    """The site, its cases by what was done to them, and its closed survey."""

    site: Site
    cases: dict[str, dict[str, Any]] = field(default_factory=dict)
    campaign_id: str = ""

    def headers(self) -> dict[str, Any]:
        return {"sub": self.site.sub("vp"), "role": "vp", "sites": (self.site.id,)}


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


async def act(
    world: World, site: Site, who: str, case: dict[str, Any], action: str, body: Any
) -> None:
    role = {"handler": "handler", "eng": "handler", "head": "dept_head"}[who]
    await world.call(
        "POST", "routing", f"/v1/cases/{case['id']}/{action}", body,
        sub=site.sub(who), role=role, sites=(site.id,),
    )  # fmt: skip


async def close_with_a_satisfied_callback(world: World, site: Site, case: dict[str, Any]) -> None:
    found: dict[str, Any] = {}

    async def due() -> bool:
        listed = await world.call("GET", "notify", f"/v1/callbacks?case_id={case['id']}")
        found.update(listed["items"][0] if listed["items"] else {})
        return bool(found)

    await world.until(due, "notify never scheduled the callback")
    await world.call(
        "POST", "notify", f"/v1/callbacks/{found['id']}/attempts",
        {"reached": True, "satisfied": True}, sub=site.sub("handler"), role="handler",
        sites=(site.id,),
    )  # fmt: skip
    await world.case_status(case["id"], "closed")


async def closed_survey(world: World, site: Site) -> str:
    """A survey of cleaning and security, one household answering, closed."""

    async def framed() -> bool:
        frame = await world.call("GET", "surveys", f"/v1/sites/{site.id}/frame")
        return bool(frame["households"])

    await world.until(framed, "surveys never heard of the household")
    now = utcnow()
    campaign = await world.call(
        "POST", "surveys", "/v1/campaigns",
        {
            "site_id": site.id, "kind": "special", "title": "清洁与治安专项调查",
            "topics": ["cleaning", "security"], "methods": ["door_to_door"],
            "opens_at": (now - timedelta(minutes=1)).isoformat(),
            "closes_at": (now + timedelta(days=7)).isoformat(),
            "sampling": {"size": 1}, "recheck_rate": 0,
            "targets": {"cleaning": 0.9, "security": 0.85, "overall": 0.9},
        },
    )  # fmt: skip
    base = f"/v1/campaigns/{campaign['id']}"
    await world.call("POST", "surveys", f"{base}/draw", {})
    answers = {"cleaning": "satisfied", "security": "dissatisfied"}
    entry = {"household_id": site.household_id, "method": "door_to_door", "answers": answers}
    await world.call("POST", "surveys", f"{base}/responses", entry)
    await world.call("POST", "surveys", f"{base}/close", {})
    return str(campaign["id"])


@pytest.fixture(scope="module")
async def seeded(world: World) -> Seeded:
    site = await world.new_site()
    seeded = Seeded(site)
    rules = {"sla_policies": [
        {"category": "security", "acknowledge_within": "PT2S", "resolve_within": "PT4S"},
    ]}  # fmt: skip
    await world.call("PUT", "routing", f"/v1/sites/{site.id}/rules", rules)
    c = seeded.cases
    c["waiting"] = await file(world, site, "maintenance", "电梯异响")
    c["working"] = await file(world, site, "maintenance", "水管漏水")
    await act(world, site, "eng", c["working"], "accept", None)
    c["late"] = await file(world, site, "security", "夜间门岗无人")
    c["handed_up"] = await file(world, site, "cleaning", "楼道垃圾未清")
    await act(world, site, "handler", c["handed_up"], "accept", None)
    await act(world, site, "handler", c["handed_up"], "transmittals", {"reason": "需要主管协调"})
    c["done"] = await file(world, site, "housing_management", "门禁卡失灵")
    await act(world, site, "handler", c["done"], "accept", None)
    await act(world, site, "handler", c["done"], "validity", {"valid": True})
    await act(
        world,
        site,
        "handler",
        c["done"],
        "resolution",
        {"result": "已更换", "reply": "已为您更换门禁卡"},
    )
    await close_with_a_satisfied_callback(world, site, c["done"])

    async def both_deadlines_passed() -> bool:
        # Each missed deadline escalates once: two escalations, both deadlines missed, so
        # that the dashboard read later and the report read after it count the same.
        case = await world.call("GET", "routing", f"/v1/cases/{c['late']['id']}")
        return bool(case["overdue"] and case["escalation_count"] >= 2)

    await world.until(both_deadlines_passed, "the two- and four-second deadlines never passed")
    seeded.campaign_id = await closed_survey(world, site)
    return seeded


# ---- what the page shows ----------------------------------------------------------------


async def option(page: Page, chart: str) -> dict[str, Any]:
    """The ECharts option the page embedded for a chart."""
    found: dict[str, Any] = json.loads(
        await page.locator(f"#{chart}-option").text_content() or "{}"
    )
    return found


async def cells(page: Page, selector: str) -> list[str]:
    return [t.strip() for t in await page.locator(selector).all_inner_texts()]


async def drawn(page: Page, chart: str, *texts: str) -> None:
    """The chart is drawn as SVG, and its labels and legend are the given words."""
    svg = page.locator(f"#{chart} svg")
    await expect(svg).to_have_count(1)
    for text in texts:
        await expect(svg).to_contain_text(text)


async def scan(page: Page) -> list[dict[str, Any]]:
    """The serious and critical accessibility violations axe-core finds on the page."""
    results = await Axe().run(page)
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


def watch_console(page: Page) -> list[str]:
    """Every error or CSP complaint the browser prints while the test runs."""
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if m.type == "error" or "Refused" in m.text else None,
    )
    return problems


async def rows_listed(page: Page, table: str) -> int:
    await settle(page)
    return await page.locator(f"{table} tr[data-row]").count()


def by_department(found: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Routing's open cases summed per department and status, as the dashboard shows them."""
    counts: dict[str, dict[str, int]] = {}
    for line in found["lines"]:
        row = counts.setdefault(line["department"], dict.fromkeys(OPEN, 0))
        row[line["status"]] += line["count"]
    return counts


def figures_of(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in report["figures"]}


# ---- the flows ------------------------------------------------------------------------------


async def test_a_vp_reads_the_dashboard_and_the_report_in_chinese(
    world: World, seeded: Seeded
) -> None:
    site, api = seeded.site, seeded.headers()
    vp = await world.page_as(site.sub("vp"))
    problems = watch_console(vp)
    await vp.goto(f"{world.console}/dashboard")
    await expect(vp.locator("h1")).to_contain_text("管理看板")

    found = await world.call("GET", "routing", f"/v1/reports/open?site_id={site.id}", **api)
    assert found["open"] == 4
    assert found["overdue"] >= 1
    await expect(vp.locator("#tile-open")).to_have_text(str(found["open"]))
    await expect(vp.locator("#tile-overdue")).to_have_text(str(found["overdue"]))
    expected = by_department(found)
    assert expected["engineering"]["assigned"] == expected["engineering"]["in_progress"] == 1
    chart = await option(vp, "open-chart")
    assert chart["yAxis"]["data"][0] in ("工程维修部", "客服中心")
    names = {"工程维修部": "engineering", "客服中心": "customer_service"}
    words = {series["name"]: series["data"] for series in chart["series"]}
    for status, word in STATUS_WORDS["zh"].items():
        for index, name in enumerate(chart["yAxis"]["data"]):
            department = names[name]
            cell = f"#open-table tr[data-department='{department}'] td[data-status='{status}']"
            assert await vp.locator(cell).inner_text() == str(expected[department][status])
            if word in words:
                assert words[word][index] == expected[department][status]
    await drawn(vp, "open-chart", "工程维修部", "客服中心", "已分派", "处理中")

    month = await world.call(
        "GET", "routing", "/v1/reports/complaints?" + month_query() + f"&site_id={site.id}",
        **api,
    )  # fmt: skip
    figures = figures_of(month)
    resolve = await cells(vp, "#deadline-table tr[data-step='resolve'] td")
    assert resolve[:3] == [str(figures[f"resolve_{o}"]["value"]) for o in ("met", "missed", "open")]
    assert resolve[4:7] == [
        str(figures[f"resolve_{o}"]["previous"]) for o in ("met", "missed", "open")
    ]
    met, missed = figures["resolve_met"]["value"], figures["resolve_missed"]["value"]
    assert (await option(vp, "deadline-chart"))["series"][0]["data"][1] == (
        round(100 * met / (met + missed), 1) if met + missed else None
    )
    levels = {
        line["key"]: line["value"]
        for line in month["lines"]
        if line["dimension"] == "escalation_level"
    }
    assert levels.get("dept_head", 0) >= 2  # the transmittal and the missed deadline
    escalated = await cells(vp, "#escalation-table tbody td:nth-child(2)")
    assert escalated == [str(levels.get(k, 0)) for k in ("dept_head", "vp", "gm")]
    assert (await option(vp, "escalation-chart"))["series"][0]["data"] == [
        levels.get(k, 0) for k in ("dept_head", "vp", "gm")
    ]
    await drawn(vp, "escalation-chart", "部门负责人", "本月", "上月")

    latest = await world.call("GET", "surveys", f"/v1/results/latest?site_id={site.id}", **api)
    rates = {t["topic"]: round(100 * t["rate"], 1) for t in latest["items"]}
    assert rates == {"cleaning": 100.0, "security": 0.0, "overall": 50.0}
    await expect(vp.locator("#satisfaction-table tr[data-topic='cleaning'] td.rate")).to_have_text(
        "100.0%"
    )
    await expect(vp.locator("#satisfaction-table tr[data-topic='security'] .chip")).to_have_text(
        "未达标"
    )
    satisfaction = await option(vp, "satisfaction-chart")
    assert satisfaction["xAxis"]["data"] == ["治安", "清洁", "总体"]
    assert satisfaction["series"][0]["data"] == [0.0, 100.0, 50.0]
    assert satisfaction["series"][1]["data"] == [85.0, 90.0, 90.0]
    await drawn(vp, "satisfaction-chart", "满意率", "质量目标", "清洁")
    assert await scan(vp) == []

    # A number opens the queue listing exactly as many cases.
    number = vp.locator(
        "#open-table tr[data-department='engineering'] td[data-status='assigned'] a"
    )
    await number.click()
    await expect(vp).to_have_url(
        f"{world.console}/queues?queue=all&department=engineering&status=assigned&site_id={site.id}"
    )
    assert await rows_listed(vp, "#queue-rows") == 1
    await expect(vp.locator("#queue-rows")).to_contain_text(seeded.cases["waiting"]["reference"])
    await vp.go_back()
    await vp.locator("#tile-overdue").click()
    await expect(vp).to_have_url(f"{world.console}/queues?queue=overdue&site_id={site.id}")
    assert await rows_listed(vp, "#queue-rows") == found["overdue"]
    await vp.go_back()
    await vp.locator("#deadline-table tr[data-step='resolve'] td:nth-child(2) a").click()
    await expect(vp.locator("#drill-count")).to_have_text(f"共 {met} 件")
    assert await rows_listed(vp, "#drill-cases") == met
    await expect(vp.locator("#drill-cases")).to_contain_text(seeded.cases["done"]["reference"])

    # The complaint report: the console's rendering of routing's JSON, printable, as CSV.
    await vp.goto(f"{world.console}/reports/complaints")
    await expect(vp.locator("#report-period")).to_contain_text(month["period"]["first"])
    for name in ("complaints", "valid", "resolve_met", "escalations", "callbacks_satisfied"):
        value = await vp.locator(f"#headline tr[data-figure='{name}'] td.value").inner_text()
        assert value == str(figures[name]["value"]), name
    categories = [line for line in month["lines"] if line["dimension"] == "category"]
    chart = await option(vp, "chart-category")
    assert chart["series"][0]["data"] == [line["value"] for line in categories]
    assert chart["series"][1]["data"] == [line["previous"] for line in categories]
    assert await cells(vp, "#table-category tbody td.value") == [
        str(line["value"]) for line in categories
    ]
    await drawn(vp, "chart-category", "维修", "本期", "上期")
    assert await scan(vp) == []
    await vp.locator("#table-category tr[data-key='maintenance'] td.value a").click()
    assert await rows_listed(vp, "#drill-cases") == 2
    await vp.go_back()

    async with vp.context.expect_page() as opened:
        await vp.locator("#print-report").click()
    printed = await opened.value
    await expect(printed.locator("h1")).to_have_text("顾客投诉报告")
    await expect(printed.locator("body")).to_contain_text("投诉总数（含有效、无效）")
    response = await vp.request.get(
        world.console + (await vp.locator("#print-report").get_attribute("href") or "")
    )
    assert response.headers["content-security-policy"] == DOCUMENT_CSP
    csv = await vp.request.get(
        world.console + (await vp.locator("#csv-report").get_attribute("href") or "")
    )
    assert csv.headers["content-type"].startswith("text/csv")
    body = await csv.body()
    assert body.startswith("\ufeff".encode())
    assert "投诉总数".encode() in body
    assert problems == []
    await world.close_pages()


def month_query() -> str:
    """This month, whole, in the site's zone: what the dashboard asks routing for."""
    first = utcnow().astimezone(ZoneInfo("Asia/Shanghai")).date().replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return f"from={first}&to={last}"


async def test_the_administrator_sees_the_group_and_the_monthly_reports_in_english(
    world: World, seeded: Seeded
) -> None:
    site = seeded.site
    period = month_before(utcnow(), "Asia/Shanghai")
    routing = world.system["routing"]
    async with transaction(routing.db) as session:
        await publish_site(session, site_id=site.id, period=period, settings=routing.settings)
    admin = await world.page_as("admin", lang="en")
    problems = watch_console(admin)
    await admin.goto(f"{world.console}/dashboard")
    await expect(admin.locator("h1")).to_contain_text("The group")
    everywhere = await world.call("GET", "routing", "/v1/reports/open")
    await expect(admin.locator("#tile-open")).to_have_text(str(everywhere["open"]))
    await drawn(admin, "open-chart", "Assigned", "In progress")

    await admin.select_option("#f-scope", f"site:{site.id}")
    await admin.locator("form.filters button[type=submit]").click()
    await expect(admin.locator("h1")).to_contain_text(f"翠湖花园{site.tag}")
    found = await world.call("GET", "routing", f"/v1/reports/open?site_id={site.id}")
    await expect(admin.locator("#tile-open")).to_have_text(str(found["open"]))
    expected = by_department(found)
    row = "#open-table tr[data-department='customer_service'] td[data-status='{}']"
    for status in ("assigned", "transmitted"):
        await expect(admin.locator(row.format(status))).to_have_text(
            str(expected["customer_service"][status])
        )
    await drawn(admin, "open-chart", "Customer service", "Engineering", "Transmitted")
    await expect(admin.locator("#satisfaction-table tr[data-topic='security'] .chip")).to_have_text(
        "Missed"
    )
    await admin.locator(row.format("transmitted") + " a").click()
    assert await rows_listed(admin, "#queue-rows") == expected["customer_service"]["transmitted"]

    published = await world.call("GET", "routing", f"/v1/reports?site_id={site.id}")
    (report,) = published["items"]
    await admin.goto(f"{world.console}/reports?site_id={site.id}")
    await expect(admin.locator("#published tr[data-report]")).to_have_count(1)
    await admin.locator(f"#published tr[data-report='{report['id']}'] a").click()
    await expect(admin.locator("h1")).to_have_text(f"Monthly complaint report {period.label}")
    kept = await world.call("GET", "routing", f"/v1/reports/{report['id']}")
    shown = await admin.locator("#headline tr[data-figure='complaints'] td.value").inner_text()
    assert shown == str(figures_of(kept)["complaints"]["value"])
    await expect(admin.locator("#headline")).to_contain_text("All complaints (valid and invalid)")
    assert await scan(admin) == []
    async with admin.context.expect_page() as opened:
        await admin.locator("#print-report").click()
    printed = await opened.value
    await expect(printed.locator("h1")).to_have_text("Complaint report")

    phone = await world.page_as(site.sub("vp"), lang="en", viewport=PHONE)
    phone_problems = watch_console(phone)
    for path in ("/dashboard", "/reports/complaints"):
        await phone.goto(f"{world.console}{path}")
        await settle(phone)
        width = await phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (path, width)
        assert await scan(phone) == []
    assert problems == phone_problems == []
    await world.close_pages()
