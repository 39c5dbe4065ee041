"""Times as an office reads them: in the site's time zone, and deadlines in words.

A deadline reads "还剩 2小时" / "2 hours left" while it runs and "已超时 35分钟" /
"35 minutes overdue" once passed; a met deadline stays green and a missed one stays red
after the case is done, and the clock shows as paused while the developer is awaited.
Durations are CLDR's words (Babel); console.js counts them down the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from babel.dates import format_timedelta

from console.web.i18n import translate
from shared.words import Lang

THRESHOLD = 1.5
SOON = timedelta(hours=1)
BABEL_LOCALE = {"zh": "zh_CN", "en": "en"}
State = Literal["running", "soon", "breached", "met", "missed", "paused", "none"]
DONE = frozenset({"resolved", "closed"})


def parse(value: str | datetime | None) -> datetime | None:
    """An API time (ISO 8601) as an aware datetime."""
    if value is None or isinstance(value, datetime):
        return value
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def local(value: str | datetime | None, zone: str, *, seconds: bool = False) -> str:
    """`2026-12-02 14:30` in the site's time zone ("—" when there is no time)."""
    at = parse(value)
    if at is None:
        return "—"
    return at.astimezone(ZoneInfo(zone)).strftime(
        "%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M"
    )


def duration(span: timedelta, lang: Lang) -> str:
    """A span in words, to the minute: `35分钟`, `2 hours`, `3天`."""
    span = max(abs(span), timedelta(minutes=1))
    return format_timedelta(
        span, granularity="minute", threshold=THRESHOLD, locale=BABEL_LOCALE[lang]
    )


@dataclass(frozen=True)
class Badge:
    """A deadline as a badge: its state (the colour), its words, and the due time for JS."""

    state: State
    text: str
    due: str | None = None
    deadline: str | None = None
    """Which deadline runs: acknowledge or resolve."""


def sla_badge(case: dict[str, Any], *, now: datetime, lang: Lang) -> Badge:
    """The badge of a case's next deadline (or of how the last one went)."""
    status = case["status"]
    if status in DONE:
        return _outcome(case, lang)
    if status == "with_developer":
        return Badge("paused", translate("sla.paused", lang))
    due, breached = _pending(case)
    if due is None:
        return Badge("none", translate("sla.none", lang))
    deadline = "acknowledge" if status == "assigned" else "resolve"
    return replace(_running(due, breached, now=now, lang=lang), deadline=deadline)


def _pending(case: dict[str, Any]) -> tuple[datetime | None, bool]:
    if case["status"] == "assigned":
        return parse(case.get("acknowledge_due_at")), case.get(
            "acknowledge_breached_at"
        ) is not None
    return parse(case.get("resolve_due_at")), case.get("resolve_breached_at") is not None


def _running(due: datetime, breached: bool, *, now: datetime, lang: Lang) -> Badge:
    left = due - now
    iso = due.isoformat()
    if breached or left <= timedelta(0):
        return Badge("breached", translate("sla.overdue", lang, span=duration(left, lang)), iso)
    state: State = "soon" if left <= SOON else "running"
    return Badge(state, translate("sla.left", lang, span=duration(left, lang)), iso)


def _outcome(case: dict[str, Any], lang: Lang) -> Badge:
    missed = case.get("resolve_breached_at") or case.get("acknowledge_breached_at")
    if missed:
        return Badge("missed", translate("sla.missed", lang))
    return Badge("met", translate("sla.met", lang))
