"""Use cases of a site's rules: take a session, never commit."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from sqlalchemy import BindParameter, bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from routing.rules import cache, defaults, public
from routing.rules.models import Holiday, RoutingRule, SitePolicy, SlaPolicy
from routing.rules.rules import (
    Clock,
    Policy,
    PublicCalendar,
    Route,
    SiteRules,
    SlaTerms,
    WorkingCalendar,
)
from routing.rules.schemas import (
    WEEKDAYS,
    CalendarIn,
    HolidayIn,
    Hours,
    PolicyIn,
    RouteIn,
    RulesIn,
    RulesRead,
    UnreachableCallbacks,
)
from shared.db.engine import after_commit

# Holidays further back than this cannot move a deadline that is computed now.
HOLIDAY_LOOKBACK = timedelta(days=7)


async def get_rules(session: AsyncSession, *, site_id: str) -> RulesRead:
    """The site's rules in force, with what ships with the system."""
    policy = await session.get(SitePolicy, site_id)
    holidays = await _holidays(session, site_id, since=None)
    return RulesRead(
        site_id=site_id,
        default_department=policy.default_department if policy else None,
        routes=[_route_in(r) for r in await _routes(session, site_id)],
        sla_policies=[_policy_in(p) for p in await _policies(session, site_id)],
        calendar=_calendar_in(policy, holidays),
        public_holidays_known_until=_known_until(policy),
        developer_follow_up=_follow_up(policy),
        unreachable_callbacks=_unreachable(policy),
        handling_satisfaction_target=handling_target(policy),
        shipped_routes=dict(defaults.DEFAULT_ROUTES),
        shipped_sla_policies=[_shipped(s, t) for s, t in defaults.DEFAULT_TERMS.items()],
    )


async def put_rules(session: AsyncSession, *, site_id: str, rules: RulesIn) -> RulesRead:
    """Replace the sections of the site's rules that `rules` gives."""
    after_commit(session, lambda: cache.forget(site_id))
    if rules.routes is not None:
        await session.execute(delete(RoutingRule).where(col(RoutingRule.site_id) == site_id))
        session.add_all(RoutingRule(site_id=site_id, **r.model_dump()) for r in rules.routes)
    if rules.sla_policies is not None:
        await session.execute(delete(SlaPolicy).where(col(SlaPolicy.site_id) == site_id))
        session.add_all(_policy_row(site_id, p) for p in rules.sla_policies)
    await _put_site_policy(session, site_id, rules)
    if rules.calendar is not None:
        await session.execute(delete(Holiday).where(col(Holiday.site_id) == site_id))
        session.add_all(Holiday(site_id=site_id, **h.model_dump()) for h in rules.calendar.holidays)
    await session.flush()
    return await get_rules(session, site_id=site_id)


async def load_site_rules(session: AsyncSession, *, site_id: str, today: date) -> SiteRules:
    """What opening or moving a case of the site needs to decide (cached a few seconds)."""
    found = cache.key(session, site_id, today)
    rules = cache.get(found)
    if rules is None:
        rules = await _read_site_rules(session, site_id=site_id, today=today)
        cache.put(found, rules)
    return rules


async def _read_site_rules(session: AsyncSession, *, site_id: str, today: date) -> SiteRules:
    policy = await session.get(SitePolicy, site_id)
    routes = [
        Route(department=r.department, category=r.category, kind=r.kind, severity=r.severity)
        for r in await _routes(session, site_id)
    ]
    if policy is not None and policy.default_department:
        routes.append(Route(department=policy.default_department))
    holidays = await _holidays(session, site_id, since=today - HOLIDAY_LOOKBACK)
    return SiteRules(
        routes=tuple(routes),
        policies=tuple(_policy(p) for p in await _policies(session, site_id)),
        calendar=_calendar(policy, holidays),
        follow_up=_follow_up(policy),
    )


async def _put_site_policy(session: AsyncSession, site_id: str, rules: RulesIn) -> None:
    row = await session.get(SitePolicy, site_id) or _default_site_policy(site_id)
    given = rules.model_fields_set
    if "default_department" in given:
        row.default_department = rules.default_department
    if rules.calendar is not None:
        row.timezone = rules.calendar.timezone
        row.working_hours = {
            str(WEEKDAYS.index(day)): [h.start.isoformat(), h.end.isoformat()]
            for day, h in rules.calendar.week.items()
        }
        if "public_holidays" in rules.calendar.model_fields_set:
            row.public_holidays = rules.calendar.public_holidays
    if rules.developer_follow_up is not None:
        row.developer_follow_up_seconds = int(rules.developer_follow_up.total_seconds())
    if rules.unreachable_callbacks is not None:
        row.unreachable_callbacks = rules.unreachable_callbacks
    if rules.handling_satisfaction_target is not None:
        row.handling_satisfaction_target = rules.handling_satisfaction_target
    session.add(row)


async def unreachable_callbacks(session: AsyncSession, *, site_id: str) -> UnreachableCallbacks:
    """What the site does with a case whose callback reached nobody: close or escalate it."""
    return _unreachable(await session.get(SitePolicy, site_id))


def _unreachable(policy: SitePolicy | None) -> UnreachableCallbacks:
    if policy is not None and policy.unreachable_callbacks == "escalate":
        return "escalate"
    return defaults.DEFAULT_UNREACHABLE_CALLBACKS


def handling_target(policy: SitePolicy | None) -> int:
    """The site's complaint-handling satisfaction target, in percent."""
    if policy is None:
        return defaults.DEFAULT_HANDLING_SATISFACTION_TARGET
    return policy.handling_satisfaction_target


def _default_site_policy(site_id: str) -> SitePolicy:
    return SitePolicy(
        site_id=site_id,
        timezone=defaults.DEFAULT_TIMEZONE,
        working_hours=_week_json(defaults.DEFAULT_WEEK),
        developer_follow_up_seconds=int(defaults.DEFAULT_FOLLOW_UP.total_seconds()),
        unreachable_callbacks=defaults.DEFAULT_UNREACHABLE_CALLBACKS,
        handling_satisfaction_target=defaults.DEFAULT_HANDLING_SATISFACTION_TARGET,
    )


# Built once: every complaint reads its site's rules, and composing a statement costs more
# than running it.
SITE: BindParameter[str] = bindparam("site_id")
ROUTES = select(RoutingRule).where(col(RoutingRule.site_id) == SITE).order_by(col(RoutingRule.id))
POLICIES = select(SlaPolicy).where(col(SlaPolicy.site_id) == SITE).order_by(col(SlaPolicy.id))
HOLIDAYS = select(Holiday).where(col(Holiday.site_id) == SITE).order_by(col(Holiday.day))
HOLIDAYS_SINCE = HOLIDAYS.where(col(Holiday.day) >= bindparam("since"))


async def _routes(session: AsyncSession, site_id: str) -> list[RoutingRule]:
    return list(await session.scalars(ROUTES, {"site_id": site_id}))


async def _policies(session: AsyncSession, site_id: str) -> list[SlaPolicy]:
    return list(await session.scalars(POLICIES, {"site_id": site_id}))


async def _holidays(session: AsyncSession, site_id: str, *, since: date | None) -> list[Holiday]:
    if since is None:
        return list(await session.scalars(HOLIDAYS, {"site_id": site_id}))
    return list(await session.scalars(HOLIDAYS_SINCE, {"site_id": site_id, "since": since}))


def _week(working_hours: dict[str, Any]) -> dict[int, tuple[time, time]]:
    return {
        int(day): (time.fromisoformat(start), time.fromisoformat(end))
        for day, (start, end) in working_hours.items()
    }


def _week_json(week: dict[int, tuple[time, time]]) -> dict[str, Any]:
    return {str(day): [start.isoformat(), end.isoformat()] for day, (start, end) in week.items()}


def _calendar(policy: SitePolicy | None, holidays: list[Holiday]) -> WorkingCalendar:
    return WorkingCalendar(
        timezone=policy.timezone if policy else defaults.DEFAULT_TIMEZONE,
        week=_week(policy.working_hours) if policy else dict(defaults.DEFAULT_WEEK),
        holidays=frozenset(h.day for h in holidays if not h.working),
        workdays=frozenset(h.day for h in holidays if h.working),
        public=_public(policy),
    )


def _public_choice(policy: SitePolicy | None) -> public.PublicHolidays:
    if policy is None:
        return public.choice_for(None, timezone=defaults.DEFAULT_TIMEZONE)
    return public.choice_for(policy.public_holidays, timezone=policy.timezone)


def _public(policy: SitePolicy | None) -> PublicCalendar | None:
    return public.calendar_of(_public_choice(policy))


def _known_until(policy: SitePolicy | None) -> int | None:
    found = _public(policy)
    return found.last_year if found else None


def _calendar_in(policy: SitePolicy | None, holidays: list[Holiday]) -> CalendarIn:
    calendar = _calendar(policy, holidays)
    return CalendarIn(
        timezone=calendar.timezone,
        week={WEEKDAYS[d]: Hours(start=s, end=e) for d, (s, e) in sorted(calendar.week.items())},
        public_holidays=_public_choice(policy),
        holidays=[HolidayIn(day=h.day, name=h.name, working=h.working) for h in holidays],
    )


def _follow_up(policy: SitePolicy | None) -> timedelta:
    if policy is None:
        return defaults.DEFAULT_FOLLOW_UP
    return timedelta(seconds=policy.developer_follow_up_seconds)


def _policy(row: SlaPolicy) -> Policy:
    clock: Clock = "working_hours" if row.clock == "working_hours" else "calendar"
    terms = SlaTerms(
        acknowledge=timedelta(seconds=row.acknowledge_seconds),
        resolve=timedelta(seconds=row.resolve_seconds),
        clock=clock,
        warn_percent=row.warn_percent,
    )
    return Policy(terms=terms, category=row.category, severity=row.severity)


def _policy_row(site_id: str, policy: PolicyIn) -> SlaPolicy:
    return SlaPolicy(
        site_id=site_id,
        category=policy.category,
        severity=policy.severity,
        acknowledge_seconds=int(policy.acknowledge_within.total_seconds()),
        resolve_seconds=int(policy.resolve_within.total_seconds()),
        clock=policy.clock,
        warn_percent=policy.warn_percent,
    )


def _policy_in(row: SlaPolicy) -> PolicyIn:
    return PolicyIn.model_validate(
        {
            "category": row.category,
            "severity": row.severity,
            "acknowledge_within": timedelta(seconds=row.acknowledge_seconds),
            "resolve_within": timedelta(seconds=row.resolve_seconds),
            "clock": row.clock,
            "warn_percent": row.warn_percent,
        }
    )


def _route_in(row: RoutingRule) -> RouteIn:
    return RouteIn.model_validate(
        {
            "category": row.category,
            "kind": row.kind,
            "severity": row.severity,
            "department": row.department,
        }
    )


def _shipped(severity: str, terms: tuple[timedelta, timedelta, str]) -> PolicyIn:
    acknowledge, resolve, clock = terms
    return PolicyIn.model_validate(
        {
            "severity": severity,
            "acknowledge_within": acknowledge,
            "resolve_within": resolve,
            "clock": clock,
        }
    )
