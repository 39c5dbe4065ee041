"""A satisfaction survey through the console, in a real browser, once in Chinese and once
in English: a department head plans it (a refused plan keeps what was typed; the
sample-size helper shows the size before saving, with and without JavaScript) and draws
the sample, whose key household says why it is there; a surveyor enters three
households' answers at a phone's width; a resident answers the single-use questionnaire
link; the head confirms and corrects the re-checks against the paper forms, closes the
survey, and reads its results: each topic against its target beside the previous survey,
a topic with too few answers "not judged", the chart drawing the very numbers of the API,
and the corrective action routing opened for the topic under target. Every page passes an
accessibility scan and the browser reports no Content-Security-Policy violation.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import aio_pika
import pytest
from axe_playwright_python.async_playwright import Axe
from console_world import Site, World, languages, settle
from playwright.async_api import ConsoleMessage, Page, expect

from shared.bus.topology import declare_exchange
from shared.contracts.base import parse_message
from shared.contracts.surveys import SurveyInvitationIssued
from shared.testing.browser import DESKTOP, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("console-managers")]

SERIOUS = {"serious", "critical"}
TOPICS = ("cleaning", "security")
OTHER_TOPICS = (
    "housing_management",
    "vehicles",
    "greening",
    "maintenance",
    "community_activities",
    "convenience_services",
)
WORDS = {
    "zh": {
        "new": "新建测评",
        "save_plan": "保存测评计划",
        "calculate": "计算",
        "key_reason": "上次测评后投诉或抱怨过",
        "enter": "录入答卷",
        "save_entry": "保存答卷",
        "saved": "的答卷已保存。",
        "confirm": "与纸质问卷一致",
        "correct": "与纸质问卷不符，更正",
        "save_correction": "按纸质问卷更正",
        "missed": "未达标",
        "thin": "样本不足，无法判断",
        "cleaning": "清洁",
        "security": "治安",
        "thanks": "感谢您的参与",
        "refused": "请检查填写的内容。",
        "required": "此项必须填写",
    },
    "en": {
        "new": "Plan a survey",
        "save_plan": "Save the plan",
        "calculate": "Calculate",
        "key_reason": "Complained since the last survey",
        "enter": "Enter answers",
        "save_entry": "Save the answers",
        "saved": "are saved.",
        "confirm": "Matches the paper form",
        "correct": "Differs from the paper: correct it",
        "save_correction": "Correct from the paper form",
        "missed": "Under target",
        "thin": "Too few answers to judge",
        "cleaning": "Cleaning",
        "security": "Security",
        "thanks": "Thank you",
        "refused": "Please check what you entered.",
        "required": "This is required",
    },
}


@dataclass
class Households:
    """The site's five households: 3栋-1201 (the world's, who complains), 3栋-1202 and
    3栋-1203 with phones (they get questionnaire links), 5栋-101 and 5栋-102 without
    (an interviewer visits them)."""

    by_place: dict[str, str] = field(default_factory=dict)

    def id(self, place: str) -> str:
        return self.by_place[place]


async def seed(world: World, site: Site) -> Households:
    """Four more households beside the world's own, all known to surveys' frame."""
    base = f"/v1/sites/{site.id}"
    found = Households({"3栋-1201": site.household_id})
    buildings = (await world.call("GET", "intake", f"{base}/buildings"))["items"]
    three = next(b["id"] for b in buildings if b["code"] == "3栋")
    five = (await world.call("POST", "intake", f"{base}/buildings", {"code": "5栋"}))["id"]
    people = [
        (three, "1202", "王先生", [f"137{site.phone[3:]}"]),
        (three, "1203", "赵女士", [f"136{site.phone[3:]}"]),
        (five, "101", "孙先生", []),
        (five, "102", "周女士", []),
    ]
    for building, number, name, phones in people:
        world.personal.update([name, *phones])
        unit = await world.call(
            "POST", "intake", f"{base}/units", {"building_id": building, "number": number}
        )
        household = await world.call(
            "POST",
            "intake",
            f"{base}/households",
            {"unit_id": unit["id"], "name": name, "phones": phones},
        )
        code = "3栋" if building == three else "5栋"
        found.by_place[f"{code}-{number}"] = str(household["id"])

    async def framed() -> bool:
        frame = await world.call("GET", "surveys", f"{base}/frame")
        return int(frame["households"]) == 5

    await world.until(framed, "surveys' frame never held the five households")
    return found


async def earlier_survey(world: World, site: Site, households: Households) -> str:
    """A special survey of the same topics, answered 'satisfied' by three households and
    closed: the survey the new one is compared with."""
    body = {
        "site_id": site.id,
        "kind": "special",
        "title": "上半年专项调查",
        "topics": list(TOPICS),
        "methods": ["door_to_door"],
        "sampling": {"size": 5},
        "recheck_rate": 0,
        "opens_at": "2020-01-01T00:00:00+08:00",
        "closes_at": "2099-01-01T00:00:00+08:00",
    }
    made = await world.call("POST", "surveys", "/v1/campaigns", body)
    base = f"/v1/campaigns/{made['id']}"
    await world.call("POST", "surveys", f"{base}/draw", {})
    for place in ("3栋-1202", "5栋-101", "5栋-102"):
        entry = {
            "household_id": households.id(place),
            "method": "door_to_door",
            "answers": dict.fromkeys(TOPICS, "satisfied"),
        }
        await world.call("POST", "surveys", f"{base}/responses", entry)
    await world.call("POST", "surveys", f"{base}/close")
    return str(made["id"])


async def complain(world: World, site: Site) -> None:
    """The world's household complains: it is a key household of the next survey."""
    body = {
        "site_id": site.id,
        "channel": "call_center",
        "kind": "complaint",
        "category": "cleaning",
        "description": "楼道一周没有打扫",
        "reporter": {"type": "household", "household_id": site.household_id},
    }
    await world.call("POST", "intake", "/v1/complaints", body, sub="cc", role="callcenter")

    async def registered() -> bool:
        found = await world.call("GET", "surveys", f"/v1/sites/{site.id}/complainants")
        return any(c["household_id"] == site.household_id for c in found["items"])

    await world.until(registered, "surveys never heard of the complaint")


class Invitations:
    """The questionnaire links surveys issues, read off the exchange the way the surveys
    service's own tests read them (notify delivers them to residents)."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.connection: aio_pika.abc.AbstractRobustConnection | None = None
        self.queue: aio_pika.abc.AbstractQueue | None = None

    async def __aenter__(self) -> Invitations:
        self.connection = await aio_pika.connect_robust(self.world.system.amqp_url)
        channel = await self.connection.channel()
        exchange = await declare_exchange(channel, self.world.system["surveys"].settings)
        self.queue = await channel.declare_queue(exclusive=True)
        await self.queue.bind(exchange, routing_key="survey.invitation_issued")
        return self

    async def __aexit__(self, *_exc: object) -> None:
        if self.connection is not None:
            await self.connection.close()

    async def link(self, campaign_id: str, household_id: str) -> str:
        """The household's questionnaire link, once surveys has issued it."""
        found: dict[str, str] = {}

        async def issued() -> bool:
            assert self.queue is not None
            while (message := await self.queue.get(fail=False, no_ack=True)) is not None:
                _envelope, event = parse_message(message.body)
                if isinstance(event, SurveyInvitationIssued) and event.campaign_id == campaign_id:
                    found[event.household_id] = event.url
            return household_id in found

        await self.world.until(issued, "the questionnaire link was never issued")
        return found[household_id]


@dataclass
class Survey:
    world: World
    site: Site
    lang: str
    households: Households
    violations: list[str] = field(default_factory=list)
    scanned: dict[str, list[Any]] = field(default_factory=dict)

    def word(self, key: str) -> str:
        return WORDS[self.lang][key]

    async def as_(self, who: str, *, phone: bool = False) -> Page:
        viewport = PHONE if phone else DESKTOP
        page = await self.world.page_as(self.site.sub(who), lang=self.lang, viewport=viewport)
        page.on("console", self._heard)
        return page

    def _heard(self, message: ConsoleMessage) -> None:
        if "Refused to" in message.text or "Content Security Policy" in message.text:
            self.violations.append(message.text)

    async def scan(self, page: Page, name: str) -> None:
        """Keep the serious and critical accessibility violations axe finds on the page."""
        await settle(page)
        results = await Axe().run(page)
        self.scanned[name] = [
            {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in results.response["violations"]
            if v["impact"] in SERIOUS
        ]


async def plan(survey: Survey, head: Page) -> str:
    """The head plans the survey: two topics, every method, all households by share, each
    entry re-checked; the helper shows the size before anything is saved."""
    world = survey.world
    await head.goto(f"{world.console}/surveys")
    await survey.scan(head, "list")
    await head.get_by_role("link", name=survey.word("new")).click()
    await head.wait_for_load_state()
    for topic in OTHER_TOPICS:
        await head.locator(f"input[name=topics][value={topic}]").uncheck()
    await head.fill("#target-security", "80")
    for method in ("phone", "outdoor"):
        await head.locator(f"input[name=methods][value={method}]").check()
    await head.fill("#recheck_rate", "100")
    await survey.scan(head, "plan")

    # Refused (no title): surveys' words on the page, the field marked, the rest kept.
    await head.fill("#title", "")
    await head.get_by_role("button", name=survey.word("save_plan")).click()
    await head.wait_for_load_state()
    await expect(head.locator(".notice.bad")).to_contain_text(survey.word("refused"))
    await expect(head.locator("#err-title")).to_have_text(survey.word("required"))
    await expect(head.locator("#target-security")).to_have_value("80")
    assert await head.locator("input[name=methods][value=outdoor]").is_checked()
    await head.fill("#title", f"满意度征询 {survey.site.tag}")

    # Without JavaScript's help: the 计算 button posts the form and shows it again, filled.
    await head.fill("#margin", "50")
    await head.get_by_role("button", name=survey.word("calculate"), exact=True).click()
    await head.wait_for_load_state()
    helper = await world.call(
        "GET", "surveys", "/v1/sampling/size?population=5&confidence=0.95&margin=0.5"
    )
    await expect(head.locator("#size-random")).to_have_text(str(helper["size"]))
    await expect(head.locator("#title")).to_have_value(f"满意度征询 {survey.site.tag}")
    await expect(head.locator("#target-security")).to_have_value("80")
    assert not await head.locator("input[name=topics][value=greening]").is_checked()

    # With it: the size follows the plan as it is typed.
    await head.locator("input[name=mode][value=rate]").check()
    await head.fill("#rate", "100")
    await expect(head.locator("#size-random")).to_have_text("5")
    await head.get_by_role("button", name=survey.word("save_plan")).click()
    await head.wait_for_load_state()
    match = re.search(r"/surveys/([^/?]+)\?done=created", head.url)
    assert match, head.url
    return match.group(1)


async def draw(survey: Survey, head: Page, campaign_id: str) -> None:
    """The head draws the sample: the complainer is a key household, and says why."""
    await head.locator("#draw").click()
    await head.wait_for_load_state()
    assert head.url.endswith(f"/surveys/{campaign_id}?done=drawn")
    key = head.locator("table.members").first
    await expect(key).to_contain_text("3栋-1201")
    await expect(key).to_contain_text(survey.word("key_reason"))
    await expect(head.locator("table.members").nth(1).locator("tbody tr")).to_have_count(4)
    await survey.scan(head, "campaign")
    campaign = await survey.world.call("GET", "surveys", f"/v1/campaigns/{campaign_id}")
    assert (campaign["status"], campaign["key_size"], campaign["random_size"]) == ("open", 1, 4)
    assert campaign["targets"] == {"cleaning": 0.9, "security": 0.8, "overall": 0.9}


async def interview(survey: Survey, campaign_id: str) -> None:
    """A surveyor, on a phone, enters the three households an interviewer visits."""
    world = survey.world
    surveyor = await survey.as_("eng_head", phone=True)
    await surveyor.goto(f"{world.console}/surveys/{campaign_id}/tasks")
    await expect(surveyor.locator(".task")).to_have_count(3)
    entries = [
        ("3栋-1201", "door_to_door", {"cleaning": "dissatisfied", "security": "satisfied"}),
        ("5栋-101", "phone", {"cleaning": "neutral", "security": "skip"}),
        ("5栋-102", "door_to_door", {"cleaning": "satisfied", "security": "skip"}),
    ]
    for number, (place, method, answers) in enumerate(entries, start=1):
        card = surveyor.locator(".task", has_text=place)
        await card.get_by_role("link", name=survey.word("enter")).click()
        await surveyor.wait_for_load_state()
        if number == 1:
            await survey.scan(surveyor, "entry")
            width = await surveyor.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"the entry form is {width} px wide"
        await surveyor.locator(f"label:has(input[name=method][value={method}])").click()
        await surveyor.locator("label:has(input[name=form][value=paper])").click()
        await surveyor.fill("#paper_ref", f"P-{number:03d}")
        for topic, level in answers.items():
            await surveyor.locator(f"#q-{topic} label:has(input[value={level}])").click()
        if number == 1:
            await surveyor.fill("#comment", "楼道很久没有打扫了")
        await surveyor.get_by_role("button", name=survey.word("save_entry")).click()
        await surveyor.wait_for_load_state()
        await expect(surveyor.locator(".notice.ok")).to_contain_text(place)
        await expect(surveyor.locator(".notice.ok")).to_contain_text(survey.word("saved"))
    await expect(surveyor.locator(".task")).to_have_count(0)


async def answer_the_link(survey: Survey, link: str) -> None:
    """The resident opens the single-use link on their phone and answers one topic."""
    context = await survey.world.browser.new_context(viewport=PHONE, locale="zh-CN")
    survey.world.contexts.append(context)
    resident = await context.new_page()
    await resident.goto(f"{link}?lang={'en' if survey.lang == 'en' else 'zh-CN'}")
    await resident.locator("label[for='cleaning-very_satisfied']").click()
    await resident.locator("#submit").click()
    await expect(resident.locator("#thanks")).to_have_text(survey.word("thanks"))


async def recheck(survey: Survey, head: Page, campaign_id: str) -> None:
    """Every entry waits for the head, who confirms two and corrects one from the paper."""
    await head.goto(f"{survey.world.console}/surveys/{campaign_id}/rechecks")
    await expect(head.locator(".recheck")).to_have_count(3)
    for place in ("3栋-1201", "5栋-102"):
        card = head.locator(".recheck", has_text=place)
        await card.get_by_role("button", name=survey.word("confirm")).click()
        await head.wait_for_load_state()
    card = head.locator(".recheck", has_text="5栋-101")
    await expect(card.locator(".paper-ref")).to_have_text("P-002")
    await card.locator("summary", has_text=survey.word("correct")).click()
    await card.locator("label:has(input[name='topic.cleaning'][value=fairly_satisfied])").click()
    await card.get_by_role("button", name=survey.word("save_correction")).click()
    await head.wait_for_load_state()
    await expect(head.locator(".recheck")).to_have_count(0)
    left = await survey.world.call(
        "GET", "surveys", f"/v1/campaigns/{campaign_id}/responses?recheck=pending"
    )
    assert left["items"] == []


async def close(survey: Survey, head: Page, campaign_id: str) -> None:
    await head.goto(f"{survey.world.console}/surveys/{campaign_id}")
    await head.locator("#close-campaign summary").click()
    await head.locator("#close").click()
    await head.wait_for_load_state()
    assert head.url.endswith(f"/surveys/{campaign_id}/results?done=closed")


def percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


async def read_results(survey: Survey, head: Page, campaign_id: str, previous_id: str) -> None:
    """The results say what the API says, in the table and in the chart alike."""
    world = survey.world
    results = await world.call("GET", "surveys", f"/v1/campaigns/{campaign_id}/results")
    assert results["previous_campaign_id"] == previous_id
    topics = {t["topic"]: t for t in results["topics"]}
    assert (topics["cleaning"]["valid"], topics["cleaning"]["satisfied"]) == (4, 3)
    assert (topics["security"]["enough"], topics["cleaning"]["enough"]) == (False, True)

    table = head.locator("#rate-table")
    for topic, figures in topics.items():
        cells = table.locator(f"tr[data-topic={topic}]")
        await expect(cells.locator("td.rate")).to_have_text(f"{percent(figures['rate']):.1f}%")
        await expect(cells.locator("td.previous")).to_have_text("100.0%")
    verdict = "tr[data-topic={}] td.verdict"
    await expect(table.locator(verdict.format("cleaning"))).to_have_text(survey.word("missed"))
    await expect(table.locator(verdict.format("security"))).to_have_text(survey.word("thin"))

    option = json.loads(await head.locator("#rate-chart-option").text_content() or "{}")
    rates, previous, targets = (s["data"] for s in option["series"])
    assert rates == [percent(t["rate"]) for t in results["topics"]]
    assert previous == [percent(t["previous_rate"]) for t in results["topics"]]
    assert targets == [percent(t["target"]) for t in results["topics"]]
    names = {"cleaning": survey.word("cleaning"), "security": survey.word("security")}
    assert option["xAxis"]["data"][:2] == [names[t["topic"]] for t in results["topics"][:2]]
    await expect(head.locator("#rate-chart[data-drawn=true] svg")).to_have_count(1)
    drawn = await head.locator("#rate-chart svg text").all_text_contents()
    assert survey.word("cleaning") in drawn

    spread = json.loads(await head.locator("#spread-chart-option").text_content() or "{}")
    by_level = {s["name"]: s["data"] for s in spread["series"]}
    assert [sum(column) for column in zip(*by_level.values(), strict=True)] == [
        t["valid"] for t in results["topics"]
    ]
    await survey.scan(head, "results")


async def corrective_action(survey: Survey, head: Page, campaign_id: str) -> None:
    """Routing opens the action for the topic under target by itself; the page links it."""
    world = survey.world
    found: dict[str, Any] = {}

    async def opened() -> bool:
        page = await world.call(
            "GET", "routing", f"/v1/corrective-actions?site_id={survey.site.id}&source=survey"
        )
        for action in page["items"]:
            if action["campaign_id"] == campaign_id and action["topic"] == "cleaning":
                found.update(action)
        return bool(found)

    await world.until(opened, "routing never opened the corrective action for cleaning")
    link = head.locator("#survey-actions li[data-topic=cleaning] a.action-link")
    await expect(link).to_have_attribute("href", f"/actions/{found['id']}", timeout=30_000)
    await expect(link).to_have_text(found["number"])
    assert found["kind"] == "corrective"
    assert found["target"] == 0.9

    # The head plans the action from the survey's topic and sees it carried out.
    await link.click()
    await settle(head)
    await expect(head.locator("#problem-title + p + .facts")).to_contain_text(survey.site.tag)
    await head.fill("#plan-analysis", "夜班只有一名保洁员")
    await head.fill("#plan-action", "增加夜班保洁一人，每日巡查")
    await head.select_option("#plan-owner", survey.site.sub("handler"))
    await head.locator("#action-plan button[type=submit]").click()
    await settle(head)
    await head.fill("#complete-note", "已增加夜班保洁")
    await head.locator("#action-complete button[type=submit]").click()
    await settle(head)
    after = await world.call("GET", "routing", f"/v1/corrective-actions/{found['id']}")
    assert (after["status"], after["owner"]) == ("completed", survey.site.sub("handler"))
    assert after["completion_note"] == "已增加夜班保洁"


@pytest.mark.parametrize("lang", languages("zh"))
async def test_a_survey_from_its_plan_to_its_results(world: World, lang: str) -> None:
    site = await world.new_site()
    households = await seed(world, site)
    previous_id = await earlier_survey(world, site, households)
    await complain(world, site)
    survey = Survey(world, site, lang, households)
    head = await survey.as_("head")

    campaign_id = await plan(survey, head)
    async with Invitations(world) as invitations:
        await draw(survey, head, campaign_id)
        link = await invitations.link(campaign_id, households.id("3栋-1202"))
    await interview(survey, campaign_id)
    await answer_the_link(survey, link)
    await recheck(survey, head, campaign_id)
    await close(survey, head, campaign_id)
    await read_results(survey, head, campaign_id, previous_id)
    await corrective_action(survey, head, campaign_id)
    on_phone = await survey.as_("head", phone=True)
    await on_phone.goto(f"{world.console}/surveys/{campaign_id}/results")
    await settle(on_phone)
    width = await on_phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the results page is {width} px wide on a phone"

    await head.goto(f"{world.console}/surveys?status=closed")
    await expect(head.locator("table.campaigns")).to_contain_text(f"满意度征询 {site.tag}")
    assert survey.scanned == {name: [] for name in ("list", "plan", "campaign", "entry", "results")}
    assert survey.violations == []
    await world.close_pages()
