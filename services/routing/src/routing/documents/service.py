"""The three documents of a case, filled in from the case, its history and the organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from routing.cases import service as cases
from routing.cases.models import AssignmentNotice, Case, CaseEntry, TransmittalSlip
from routing.cases.opening import IMMEDIATE_RESULT
from routing.documents.html import Form, Row, render
from routing.documents.labels import ESCALATION_REASONS, EVENTS, TITLES, Lang, field, value
from routing.organisation import service as organisation
from routing.rules import service as site_rules
from shared.clock import utcnow
from shared.http.auth import Principal
from shared.http.errors import NotFoundError


@dataclass(frozen=True)
class Context:
    """What every document of one case needs to name people, places and times."""

    case: Case
    lang: Lang
    site_name: str
    zone: ZoneInfo
    names: dict[str, str]
    departments: dict[str, str]

    def when(self, at: datetime | None) -> str:
        """A time in the site's zone, as the office writes it."""
        return (
            at.astimezone(self.zone).strftime("%Y-%m-%d %H:%M") if at else field("none", self.lang)
        )

    def who(self, staff_id: str | None, level: str | None = None) -> str:
        """A person's name (and their level in the chain)."""
        name = self.names.get(staff_id or "", staff_id or field("none", self.lang))
        return f"{name} {self.aside(value('level', level, self.lang))}" if level else name

    def department(self, code: str) -> str:
        """A department's name in the document's language."""
        return self.departments.get(code, code)

    def aside(self, text: str) -> str:
        """Text in brackets, full-width in Chinese."""
        return f"（{text}）" if self.lang == "zh" else f"({text})"

    def caption_of(self, name: str) -> str:
        """A field caption in the document's language."""
        return field(name, self.lang)

    def caption(self, name: str) -> str:
        """A field caption with its colon, for signature lines."""
        return f"{field(name, self.lang)}{'：' if self.lang == 'zh' else ':'}"


async def complaint_record(
    session: AsyncSession, *, case_id: str, principal: Principal, lang: Lang
) -> str:
    """The complaint record (顾客投诉处理记录表) of a case."""
    ctx = await _context(session, case_id, principal, lang)
    history = await cases.history_of(session, case_id=case_id)
    rows = _record_rows(ctx, history)
    return render(_form(ctx, "complaint_record", ctx.case.reference, rows, ("handler",)))


async def transmittal_slip(
    session: AsyncSession, *, case_id: str, number: str, principal: Principal, lang: Lang
) -> str:
    """One work transmittal slip (工作传签单) of a case."""
    ctx = await _context(session, case_id, principal, lang)
    slips = await cases.slips_of(session, case_id=case_id)
    slip = _numbered(slips, number, "Transmittal slip")
    notices = await cases.notices_of(session, case_id=case_id)
    rows = _slip_rows(ctx, slip, _decision(ctx, slip, slips, notices))
    return render(_form(ctx, "transmittal_slip", slip.number, rows, ("from", "to")))


async def assignment_notice(
    session: AsyncSession, *, case_id: str, number: str, principal: Principal, lang: Lang
) -> str:
    """One work assignment notice (工作安排通知单) of a case."""
    ctx = await _context(session, case_id, principal, lang)
    notice = _numbered(await cases.notices_of(session, case_id=case_id), number, "Notice")
    rows = _notice_rows(ctx, notice)
    return render(
        _form(ctx, "assignment_notice", notice.number, rows, ("issued_by", "received_by"))
    )


async def _context(
    session: AsyncSession, case_id: str, principal: Principal, lang: Lang
) -> Context:
    case = await session.get(Case, case_id)
    if case is None:
        raise NotFoundError("Case", case_id)
    principal.visible("Case", case_id, case.site_id)
    org = await organisation.get_organisation(session, site_id=case.site_id)
    found = await site_rules.load_site_rules(session, site_id=case.site_id, today=utcnow().date())
    return Context(
        case=case,
        lang=lang,
        site_name=org.site_name or case.site_id,
        zone=ZoneInfo(found.calendar.timezone),
        names={s.id: s.name for s in org.staff},
        departments={
            d.code: (d.name_zh or d.name) if lang == "zh" else d.name for d in org.departments
        },
    )


def _form(ctx: Context, kind: str, number: str, rows: list[Row], signers: tuple[str, ...]) -> Form:
    return Form(
        lang=ctx.lang,
        organisation=ctx.site_name,
        title=TITLES[kind][ctx.lang],
        number=number,
        rows=tuple(rows),
        signatures=tuple(ctx.caption(s) for s in signers),
        footer=field("filed", ctx.lang),
        meta=((field("number", ctx.lang), number), (field("date", ctx.lang), ctx.when(utcnow()))),
    )


N = TypeVar("N", TransmittalSlip, AssignmentNotice)


def _numbered(items: list[N], number: str, what: str) -> N:
    for item in items:
        if item.number == number:
            return item
    raise NotFoundError(what, number)


def _record_rows(ctx: Context, history: list[CaseEntry]) -> list[Row]:
    case, lang = ctx.case, ctx.lang
    f = ctx.caption_of
    validity = value("validity", case.validity, lang)
    if case.invalid_reason:
        validity += ctx.aside(value("invalid_reason", case.invalid_reason, lang))
    return [
        Row(f("site"), ctx.site_name),
        Row(f("received_at"), ctx.when(case.received_at)),
        Row(f("channel"), value("channel", case.channel, lang)),
        Row(f("kind"), value("kind", case.kind, lang)),
        Row(f("category"), value("category", case.category, lang)),
        Row(f("severity"), value("severity", case.severity, lang)),
        Row(f("reporter"), value("reporter_type", case.reporter_type, lang)),
        *_resident_rows(ctx),
        Row(f("description"), case.description, long=True),
        *_immediate_rows(ctx),
        Row(f("department"), ctx.department(case.department)),
        Row(f("handler"), ctx.who(case.handler_id)),
        Row(f("validity"), validity),
        Row(f("progress"), entries=tuple(_line(ctx, e) for e in history if e.type in EVENTS)),
        Row(f("result"), _result(ctx), long=True),
        Row(f("reply"), case.reply or "", long=True),
        Row(f("resolved_at"), ctx.when(case.resolved_at)),
        Row(f("status"), value("status", case.status, lang)),
        Row(f("callback"), _callback(ctx)),
        Row(f("callback_comment"), fill="callback_comment", long=True),
    ]


def _resident_rows(ctx: Context, *, phone: bool = True) -> list[Row]:
    """Who complained and where: blanks for the name, room and (on the record) the phone,
    which are intake's, then the place as the complaint gave it."""
    f = ctx.caption_of
    blanks = ("reporter_name", "reporter_room", *(("reporter_phone",) if phone else ()))
    return [
        *(Row(f(blank), fill=blank) for blank in blanks),
        Row(f("location"), ctx.case.location or field("none", ctx.lang)),
    ]


def _immediate_rows(ctx: Context) -> list[Row]:
    case, f = ctx.case, ctx.caption_of
    if not case.answered_immediately:
        return [Row(f("immediate_reply"), field("not_immediate", ctx.lang))]
    return [
        Row(f("immediate_reply"), case.reply or "", long=True),
        Row(f("immediate_reply_at"), ctx.when(case.resolved_at)),
    ]


def _result(ctx: Context) -> str:
    """The handling's result; an answer given on the spot says so in the document's words."""
    case = ctx.case
    if case.answered_immediately and case.result == IMMEDIATE_RESULT:
        return field("immediate_result", ctx.lang)
    return case.result or ""


def _callback(ctx: Context) -> str:
    """The callback's outcome in words, with how the resident found the handling."""
    case, lang = ctx.case, ctx.lang
    if case.closed_unreachable:
        return value("callback_state", "unreachable", lang)
    if case.outcome_level is None:
        return field("none", lang)
    outcome = value("scale", case.outcome_level, lang)
    levels = (("callback_speed", case.speed_level), ("callback_attitude", case.attitude_level))
    colon = "：" if lang == "zh" else ": "
    aspects = [f"{field(n, lang)}{colon}{value('scale', v, lang)}" for n, v in levels if v]
    if not aspects:
        return outcome
    if lang == "zh":
        return outcome + ctx.aside("；".join(aspects))
    return f"{outcome} {ctx.aside('; '.join(aspects))}"


def _line(ctx: Context, entry: CaseEntry) -> str:
    label = EVENTS[entry.type][ctx.lang]
    detail = _detail(ctx, entry.type, entry.data)
    actor = f" — {ctx.who(entry.actor)}" if entry.actor else ""
    colon = "：" if ctx.lang == "zh" else ": "
    return f"{ctx.when(entry.at)} {label}{colon + detail if detail else ''}{actor}"


def _detail(ctx: Context, type_: str, data: dict[str, Any]) -> str:
    if type_ == "case.escalated":
        reason = ESCALATION_REASONS.get(data.get("reason", ""), {}).get(ctx.lang, "")
        return f"{value('level', data.get('level'), ctx.lang)}{ctx.aside(reason)}"
    if type_ == "case.assignment_noticed":
        return f"{data.get('notice_number', '')} {ctx.department(str(data.get('department')))}"
    for key in ("note", "answer", "reply"):
        if data.get(key):
            return str(data[key])
    return ""


def _decision(
    ctx: Context,
    slip: TransmittalSlip,
    slips: list[TransmittalSlip],
    notices: list[AssignmentNotice],
) -> str:
    """What the superior decided on the slip, in the document's language."""
    notice = next((n for n in notices if n.slip_number == slip.number), None)
    if notice is not None:
        department = ctx.department(notice.department)
        if ctx.lang == "zh":
            return f"签发工作安排通知单 {notice.number}，由{department}负责"
        return f"Work assignment notice {notice.number} to {department}"
    later = [s for s in slips if s.id is not None and slip.id is not None and s.id > slip.id]
    if later:
        level = value("level", later[0].to_level, ctx.lang)
        if ctx.lang == "zh":
            return f"转呈{level}（传签单 {later[0].number}）"
        return f"Transmitted to the {level} on slip {later[0].number}"
    return ""


def _slip_rows(ctx: Context, slip: TransmittalSlip, decision: str) -> list[Row]:
    f = ctx.caption_of
    return [
        Row(f("site"), ctx.site_name),
        Row(f("reference"), ctx.case.reference),
        *_resident_rows(ctx, phone=False),
        Row(f("date"), ctx.when(slip.created_at)),
        Row(f("from"), ctx.who(slip.from_id, slip.from_level)),
        Row(f("to"), ctx.who(slip.to_id, slip.to_level)),
        Row(f("matter"), ctx.case.description, long=True),
        Row(f("reason"), slip.reason, long=True),
        Row(f("decision"), decision, long=True),
        Row(f("outcome"), slip.outcome or "", long=True),
    ]


def _notice_rows(ctx: Context, notice: AssignmentNotice) -> list[Row]:
    f = ctx.caption_of
    return [
        Row(f("site"), ctx.site_name),
        Row(f("reference"), ctx.case.reference),
        *_resident_rows(ctx, phone=False),
        Row(f("date"), ctx.when(notice.created_at)),
        Row(f("department"), ctx.department(notice.department)),
        Row(f("handler"), ctx.who(notice.handler_id)),
        Row(f("issued_by"), ctx.who(notice.issued_by, notice.issued_level)),
        Row(f("slip"), notice.slip_number or field("none", ctx.lang)),
        Row(f("matter"), ctx.case.description, long=True),
        Row(f("instructions"), notice.instructions, long=True),
        Row(f("due_at"), ctx.when(notice.due_at)),
        Row(f("outcome"), notice.outcome or "", long=True),
        Row(f("completed_at"), ctx.when(notice.completed_at)),
    ]
