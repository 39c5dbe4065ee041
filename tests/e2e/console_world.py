"""The whole system for the console's browser tests: five services as real processes on
PostgreSQL and RabbitMQ, a mail server, Chromium, and sites set up through the APIs.

Everything a test does in the console it does as a person would: signs in on the
development sign-in page, types, clicks and waits for what the page shows. The APIs are
used only to set sites up and to check what the pages claim.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, BrowserContext, Page

from shared.testing.browser import DESKTOP, PHONE
from shared.testing.checks import eventually
from shared.testing.system import PatientClient, System

WITHIN = 60.0


def languages(first: str) -> list[str]:
    """The languages a browser flow runs in: `first` alone in `make test`, where the flows
    share Chinese and English out between them and the phrase tests hold every phrase in
    both; both with CARELOOP_CONSOLE_LANGUAGES=both, and when photographing the pages."""
    if os.environ.get("CARELOOP_CONSOLE_LANGUAGES") == "both" or os.environ.get(
        "CARELOOP_CONSOLE_SHOTS"
    ):
        return ["zh", "en"]
    return [first]


@dataclass
class Site:
    """One site set up in every service, with its people's staff ids and one household."""

    id: str
    tag: str
    phone: str
    household_id: str = ""
    people: dict[str, str] = field(default_factory=dict)

    def sub(self, who: str) -> str:
        """The staff id of one of the site's people: desk, handler, head, eng, eng_head, vp, gm."""
        return self.people[who]


def organisation(site: Site) -> dict[str, Any]:
    """Two departments and the chain above them; every staff id is the site's own."""
    p = site.people
    return {
        "site_name": f"翠湖花园{site.tag}",
        "vp": p["vp"],
        "gm": p["gm"],
        "departments": [
            {
                "code": "customer_service",
                "name": "Customer service",
                "name_zh": "客服中心",
                "head": p["head"],
            },
            {
                "code": "engineering",
                "name": "Engineering",
                "name_zh": "工程维修部",
                "head": p["eng_head"],
            },
        ],
        "staff": [
            {"id": p["gm"], "name": "王总", "role": "gm"},
            {"id": p["vp"], "name": "李副总", "role": "vp"},
            {
                "id": p["head"],
                "name": "陈经理",
                "role": "dept_head",
                "department": "customer_service",
            },
            {
                "id": p["handler"],
                "name": "张三",
                "role": "handler",
                "department": "customer_service",
            },
            {"id": p["eng_head"], "name": "赵工", "role": "dept_head", "department": "engineering"},
            {"id": p["eng"], "name": "钱师傅", "role": "handler", "department": "engineering"},
        ],
    }


class World:
    """The running system, the browser, and what tests do with them."""

    def __init__(self, system: System, browser: Browser, client: PatientClient) -> None:
        self.system = system
        self.browser = browser
        self.client = client
        self.contexts: list[BrowserContext] = []
        self.personal: set[str] = {"李女士"}
        """Personal data the tests gave the services: none of it may reach a log line."""

    @property
    def console(self) -> str:
        return self.system["console"].url

    def url(self, service: str, path: str) -> str:
        return f"{self.system[service].url}{path}"

    async def call(
        self,
        method: str,
        service: str,
        path: str,
        body: Any = None,
        *,
        sub: str = "admin",
        role: str = "admin",
        sites: tuple[str, ...] = ("*",),
    ) -> Any:
        """One API call as `sub`; fails the test unless it succeeds."""
        headers = self.system.token(sub, role, sites=sites)
        response = await self.client.request(
            method, self.url(service, path), json=body, headers=headers
        )
        assert response.is_success, (
            f"{method} {service}{path}: {response.status_code} {response.text}"
        )
        return response.json() if response.content else None

    async def new_site(self) -> Site:
        """A site in every service: its organisation and rules, notify's office (callbacks
        due at once, every day), one household with a phone number of its own."""
        tag = uuid.uuid4().hex[:6]
        site = Site(id=f"s-{tag}", tag=tag, phone=f"139{random.randrange(10**8):08d}")
        self.personal.add(site.phone)
        site.people = {
            who: f"{who}-{tag}" for who in ("handler", "head", "eng", "eng_head", "vp", "gm")
        }
        base = f"/v1/sites/{site.id}"
        code = f"T{tag[:5].upper()}"
        await self.call(
            "POST", "intake", "/v1/sites", {"id": site.id, "code": code, "name": f"翠湖花园{tag}"}
        )
        await self.call("PUT", "routing", f"{base}/organisation", organisation(site))
        rules = {
            "default_department": "customer_service",
            "routes": [{"category": "maintenance", "department": "engineering"}],
        }
        await self.call("PUT", "routing", f"{base}/rules", rules)
        office = {
            "name": f"翠湖花园{tag}管理处",
            "contact_phone": "0755-88886666",
            "callback_delay_hours": 0,
            "working_hours_start": "00:00",
            "working_hours_end": "23:59",
        }
        await self.call("PUT", "notify", f"{base}/settings", office)
        site.household_id = await self._household(site)
        return site

    async def _household(self, site: Site) -> str:
        base = f"/v1/sites/{site.id}"
        building = await self.call("POST", "intake", f"{base}/buildings", {"code": "3栋"})
        unit = await self.call(
            "POST", "intake", f"{base}/units", {"building_id": building["id"], "number": "1201"}
        )
        household = await self.call(
            "POST",
            "intake",
            f"{base}/households",
            {"unit_id": unit["id"], "name": "李女士", "phones": [site.phone]},
        )
        household_id = str(household["id"])
        await self.until(
            lambda: self._known_to_notify(household_id), "notify never heard of the household"
        )
        return household_id

    async def _known_to_notify(self, household_id: str) -> bool:
        response = await self.client.get(
            self.url("notify", f"/v1/contacts/{household_id}"),
            headers=self.system.token("admin", "admin"),
        )
        return response.status_code == 200

    async def page_as(
        self, sub: str, *, lang: str = "zh", viewport: dict[str, int] = DESKTOP
    ) -> Page:
        """A browser of its own, signed in as `sub` through the development sign-in page."""
        context = await self.browser.new_context(viewport=viewport, locale="zh-CN")
        self.contexts.append(context)
        page = await context.new_page()
        await page.goto(f"{self.console}/sign-in?lang={lang}")
        await page.click(f"button[value='{sub}']")
        await page.wait_for_load_state()
        assert "/sign-in" not in page.url, await page.content()
        return page

    def personal_data_in_logs(self, log_dir: Path) -> dict[str, list[str]]:
        """Each process log that holds some of the personal data, and what it holds."""
        found: dict[str, list[str]] = {}
        for log in sorted(log_dir.glob("*.log")):
            text = log.read_text(errors="replace")
            held = sorted(p for p in self.personal if p in text)
            if held:
                found[log.name] = held
        return found

    async def close_pages(self) -> None:
        for context in self.contexts:
            await context.close()
        self.contexts.clear()

    async def until(self, check: Callable[[], Awaitable[bool]], what: str) -> None:
        """Wait until `check` holds (the processes pass events along), or fail saying what."""
        assert await eventually(check, True, timeout=WITHIN), what

    async def case_of(self, reference: str) -> dict[str, Any]:
        """The case routing has for a complaint reference (as the group's GM sees it)."""
        found: dict[str, Any] = {}

        async def opened() -> bool:
            complaints = await self.call("GET", "intake", f"/v1/complaints?q={reference}")
            items = [c for c in complaints["items"] if c["reference"] == reference and c["case_id"]]
            if items:
                found.update(await self.call("GET", "routing", f"/v1/cases/{items[0]['case_id']}"))
            return bool(items)

        await self.until(opened, f"routing never opened a case for {reference}")
        return found

    async def case_status(self, case_id: str, status: str) -> None:
        async def reached() -> bool:
            return (await self.call("GET", "routing", f"/v1/cases/{case_id}"))["status"] == status

        await self.until(reached, f"case {case_id} never became {status}")


SHOTS = os.environ.get("CARELOOP_CONSOLE_SHOTS")
"""A folder: every settled page is also photographed there at its width and a phone's, to
be looked at as its user would (`make e2e CARELOOP_CONSOLE_SHOTS=/tmp/shots`)."""
_shot_numbers = itertools.count(1)
if SHOTS:
    Path(SHOTS).mkdir(parents=True, exist_ok=True)


async def settle(page: Page) -> None:
    """Let htmx finish what the last action started."""
    await page.wait_for_load_state()
    await asyncio.sleep(0.05)
    if SHOTS:
        await photograph(page, Path(SHOTS))


async def open_action(page: Page, name: str) -> None:
    """Open one action's fold on the page, once the page that has it is there.

    The locator waits for the element, so an action asked for right after a click that
    navigates finds the new page's fold rather than the old page's nothing.
    """
    await page.locator(f"#action-{name}").evaluate("fold => { fold.open = true }")


async def photograph(page: Page, folder: Path) -> None:
    """The page as it stands, full length, at its own width and at a phone's."""
    lang = await page.evaluate("document.documentElement.lang") or "xx"
    where = re.sub(r"[^A-Za-z0-9]+", "_", page.url.split("//", 1)[-1].split("/", 1)[-1])[:60]
    number = next(_shot_numbers)
    own = page.viewport_size or DESKTOP
    for width, size in (("own", own), ("phone", PHONE)):
        await page.set_viewport_size(size)
        name = f"{os.getpid()}-{number:04d}-{lang}-{width}-{where}.png"
        # caret="initial": hiding the caret injects a style the console's CSP refuses
        await page.screenshot(path=str(folder / name), full_page=True, caret="initial")
    await page.set_viewport_size(own)
