"""The rectification report (整改报告): the plan, each item's history and the acceptance.

Drawn with the case documents' form (`routing.documents.html`) and words
(`routing.documents.labels`), in the site's time zone, ready to print.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from routing.cases.models import Case
from routing.documents.html import Form, Row, render
from routing.documents.labels import EVENTS, TITLES, Lang, field, value
from routing.organisation import service as organisation
from routing.rectifications import service
from routing.rectifications.models import Rectification, RectificationEntry, RectificationItem
from routing.rules import service as site_rules
from shared.clock import utcnow
from shared.http.auth import Principal


@dataclass(frozen=True)
class Words:
    """How one report names people, departments and times."""

    lang: Lang
    site_name: str
    zone: ZoneInfo
    names: dict[str, str]
    departments: dict[str, str]

    def when(self, at: datetime | None) -> str:
        """A time in the site's zone, as the office writes it."""
        return at.astimezone(self.zone).strftime("%Y-%m-%d %H:%M") if at else self.f("none")

    def who(self, staff_id: str | None) -> str:
        """A person's name."""
        return self.names.get(staff_id or "", staff_id or self.f("none"))

    def team(self, code: str) -> str:
        """A department's name in the report's language."""
        return self.departments.get(code, code)

    def f(self, name: str) -> str:
        """A caption."""
        return field(name, self.lang)

    def aside(self, text: str) -> str:
        """Text in brackets, full-width in Chinese."""
        return f"（{text}）" if self.lang == "zh" else f" ({text})"

    def colon(self) -> str:
        """The colon of the report's language."""
        return "：" if self.lang == "zh" else ": "


async def rectification_report(
    session: AsyncSession, *, rect_id: str, principal: Principal, lang: Lang
) -> str:
    """The printable report of one rectification."""
    rect = await service.get_visible(session, rect_id=rect_id, principal=principal)
    words = await _words(session, rect.site_id, lang)
    items = await service.items_of(session, rect_id=rect_id)
    history = await service.history_of(session, rect_id=rect_id)
    case = await session.get(Case, rect.case_id) if rect.case_id else None
    rows = _head_rows(words, rect, case) + _item_rows(words, items, history)
    rows += _acceptance_rows(words, rect, history)
    return render(_form(words, rect, rows))


async def _words(session: AsyncSession, site_id: str, lang: Lang) -> Words:
    org = await organisation.get_organisation(session, site_id=site_id)
    found = await site_rules.load_site_rules(session, site_id=site_id, today=utcnow().date())
    return Words(
        lang=lang,
        site_name=org.site_name or site_id,
        zone=ZoneInfo(found.calendar.timezone),
        names={s.id: s.name for s in org.staff},
        departments={
            d.code: (d.name_zh or d.name) if lang == "zh" else d.name for d in org.departments
        },
    )


def _form(words: Words, rect: Rectification, rows: list[Row]) -> Form:
    signers = ("team", "accepted_by")
    return Form(
        lang=words.lang,
        organisation=words.site_name,
        title=TITLES["rectification_report"][words.lang],
        number=rect.number,
        rows=tuple(rows),
        signatures=tuple(f"{words.f(s)}{words.colon().strip()}" for s in signers),
        footer=words.f("filed"),
        meta=((words.f("number"), rect.number), (words.f("date"), words.when(utcnow()))),
    )


def _head_rows(words: Words, rect: Rectification, case: Case | None) -> list[Row]:
    f, lang = words.f, words.lang
    origin = value("origin", rect.origin, lang)
    if case is not None:
        origin += f" {case.reference}"
    return [
        Row(f("site"), words.site_name),
        Row(f("rectification_title"), rect.title),
        Row(f("origin"), origin),
        Row(f("problem"), rect.problem, long=True),
        Row(f("measures"), rect.measures, long=True),
        Row(f("completion_due"), words.when(rect.due_at)),
        Row(f("opened_by"), words.who(rect.opened_by)),
        Row(f("opened_at"), words.when(rect.opened_at)),
        Row(f("status"), value("rectification_status", rect.status, lang)),
    ]


def _plan_line(words: Words, item: RectificationItem) -> str:
    status = value("item_status", item.status, words.lang)
    due = f"{words.f('due_at')}{words.colon()}{words.when(item.due_at)}"
    return f"{words.team(item.team)} — {item.task} — {due} — {status}"


def _item_rows(
    words: Words, items: list[RectificationItem], history: list[RectificationEntry]
) -> list[Row]:
    plan = Row(words.f("plan"), entries=tuple(_plan_line(words, i) for i in items))
    rows = [plan]
    for item in items:
        caption = f"{item.position}. {words.f('team')}{words.colon()}{words.team(item.team)}"
        lines = tuple(_line(words, e) for e in history if e.position == item.position)
        rows.append(Row(caption, entries=lines) if lines else Row(caption, words.f("none")))
    return rows


def _acceptance_rows(
    words: Words, rect: Rectification, history: list[RectificationEntry]
) -> list[Row]:
    f = words.f
    steps = ("rectification.submitted", "rectification.rejected", "rectification.accepted")
    lines = tuple(_line(words, e) for e in history if e.type in steps)
    if rect.accepted_at is not None:
        lines += (f("feedback"),)
    return [
        Row(f("acceptance"), entries=lines) if lines else Row(f("acceptance"), f("none")),
        Row(f("rejections"), str(rect.rejections)),
        Row(f("accepted_by"), words.who(rect.accepted_by) if rect.accepted_by else f("none")),
        Row(f("accepted_at"), words.when(rect.accepted_at)),
        Row(f("acceptance_note"), rect.acceptance_note or "", long=True),
    ]


def _line(words: Words, entry: RectificationEntry) -> str:
    label = EVENTS.get(entry.type, {}).get(words.lang, entry.type)
    detail = _detail(words, entry)
    actor = f" — {words.who(entry.actor)}" if entry.actor else ""
    return f"{words.when(entry.at)} {label}{words.colon() + detail if detail else ''}{actor}"


def _detail(words: Words, entry: RectificationEntry) -> str:
    data = entry.data
    if entry.type == "rectification.item_overdue":
        owner = words.who(data.get("owner")) if data.get("owner") else ""
        return f"{value('level', data.get('level'), words.lang)} {owner}".strip()
    if entry.type == "rectification.item_reported" and data.get("done"):
        done = value("item_status", "done", words.lang)
        return f"{data.get('note', '')}{words.aside(done)}"
    for key in ("note", "reason", "acceptance_note"):
        if data.get(key):
            return str(data[key])
    return ""
