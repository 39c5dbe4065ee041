"""The rules page's three forms (routing, deadlines, calendar) and routing's `RulesIn`: pure.

Routing replaces each section it is given whole and keeps the others, so each form sends
one section with every row it shows: the rows in force, the rows added in the empty lines,
and not the rows whose removal was ticked. Durations are typed as hours and minutes and
sent as seconds; routing answers them as ISO 8601 (`PT4H`), which people do not read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pydantic import TypeAdapter, ValidationError
from starlette.datastructures import FormData

from console.admin.forms import checked, row_field
from console.web.forms import optional, text

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CATEGORIES = (
    "maintenance",
    "housing_management",
    "security",
    "vehicles",
    "cleaning",
    "greening",
    "community_activities",
    "convenience_services",
    "fees",
    "other",
)
KINDS = ("complaint", "grievance", "inquiry", "suggestion")
SEVERITIES = ("normal", "urgent", "safety")
CLOCKS = ("working_hours", "calendar")
BLANK_ROUTES, BLANK_POLICIES, BLANK_HOLIDAYS = 3, 2, 5
_DURATION = TypeAdapter(timedelta)
_WHOLE = re.compile(r"\d{1,6}")


@dataclass(frozen=True)
class Section:
    """One form's part of `RulesIn`, and where routing's errors about it belong."""

    body: dict[str, Any]
    field_of: Callable[[str], str]


# durations


def hours_minutes(value: Any) -> tuple[int, int]:
    """A duration as routing answers it (ISO 8601 or seconds) in whole hours and minutes."""
    try:
        total = int(_DURATION.validate_python(value).total_seconds())
    except ValidationError:
        return 0, 0
    return total // 3600, total % 3600 // 60


def seconds(hours: str, minutes: str) -> int | str | None:
    """Hours and minutes as typed, in seconds; None when both are empty; the text when
    either is not a whole number (routing refuses it in its words)."""
    if not hours and not minutes:
        return None
    if not all(_WHOLE.fullmatch(part or "0") for part in (hours, minutes)):
        return f"{hours}:{minutes}"
    return int(hours or 0) * 3600 + int(minutes or 0) * 60


def _typed_duration(form: FormData, prefix: str) -> int | str | None:
    return seconds(text(form, f"{prefix}_hours"), text(form, f"{prefix}_minutes"))


def hh_mm(value: str | None) -> str:
    """`09:00:00` as a time field's `09:00`."""
    return (value or "")[:5]


# rows as the page shows them: from the rules in force, or from a refused form


def route_rows(rules: dict[str, Any]) -> list[dict[str, str]]:
    found = [
        {k: r.get(k) or "" for k in ("category", "kind", "severity", "department")}
        for r in rules.get("routes", [])
    ]
    return (
        found + [dict.fromkeys(("category", "kind", "severity", "department"), "")] * BLANK_ROUTES
    )


def policy_rows(rules: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for p in rules.get("sla_policies", []):
        ack, resolve = hours_minutes(p["acknowledge_within"]), hours_minutes(p["resolve_within"])
        found.append(
            {
                "category": p.get("category") or "",
                "severity": p.get("severity") or "",
                "acknowledge_hours": str(ack[0]),
                "acknowledge_minutes": str(ack[1]),
                "resolve_hours": str(resolve[0]),
                "resolve_minutes": str(resolve[1]),
                "clock": p.get("clock") or "working_hours",
            }
        )
    blank = dict.fromkeys(_POLICY_FIELDS, "") | {"clock": "working_hours"}
    return found + [blank] * BLANK_POLICIES


def week_rows(rules: dict[str, Any]) -> list[dict[str, Any]]:
    week = rules.get("calendar", {}).get("week", {})
    return [
        {
            "day": day,
            "open": day in week,
            "start": hh_mm(week.get(day, {}).get("start")) or "09:00",
            "end": hh_mm(week.get(day, {}).get("end")) or "18:00",
        }
        for day in WEEKDAYS
    ]


def holiday_rows(rules: dict[str, Any]) -> list[dict[str, Any]]:
    found = [
        {"day": h["day"], "name": h.get("name") or "", "working": bool(h.get("working"))}
        for h in rules.get("calendar", {}).get("holidays", [])
    ]
    return found + [{"day": "", "name": "", "working": False}] * BLANK_HOLIDAYS


_ROUTE_FIELDS = ("category", "kind", "severity", "department")
_POLICY_FIELDS = (
    "category",
    "severity",
    "acknowledge_hours",
    "acknowledge_minutes",
    "resolve_hours",
    "resolve_minutes",
    "clock",
)


def _count(form: FormData, name: str) -> int:
    value = text(form, name)
    return min(int(value), 2000) if value.isdigit() else 0


def typed_rows(form: FormData, prefix: str, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """The rows of a refused form as they were typed (removal ticks included)."""
    return [
        {f: text(form, f"{prefix}-{i}-{f}") for f in fields}
        | {"remove": checked(form, f"{prefix}-{i}-remove")}
        for i in range(_count(form, f"{prefix}_rows"))
    ]


def typed_routes(form: FormData) -> list[dict[str, Any]]:
    return typed_rows(form, "route", _ROUTE_FIELDS)


def typed_policies(form: FormData) -> list[dict[str, Any]]:
    return typed_rows(form, "sla", _POLICY_FIELDS)


def typed_week(form: FormData) -> list[dict[str, Any]]:
    return [
        {
            "day": day,
            "open": checked(form, f"week-{day}-open"),
            "start": text(form, f"week-{day}-start"),
            "end": text(form, f"week-{day}-end"),
        }
        for day in WEEKDAYS
    ]


def typed_holidays(form: FormData) -> list[dict[str, Any]]:
    return [
        {**row, "working": row["working"] == "1"}
        for row in typed_rows(form, "holiday", ("day", "name", "working"))
    ]


# the sections routing takes


def routes_section(form: FormData) -> Section:
    """The default department and every route shown (blank and removed rows left out)."""
    routes, kept = [], []
    for index, row in enumerate(typed_routes(form)):
        if row["remove"] or not row["category"]:
            continue
        kept.append(index)
        routes.append(
            {
                "category": row["category"],
                "kind": row["kind"] or None,
                "severity": row["severity"] or None,
                "department": row["department"],
            }
        )
    body = {"default_department": optional(form, "default_department"), "routes": routes}
    return Section(body, row_field({"routes": ("route", kept)}))


def _blank_policy(row: dict[str, Any]) -> bool:
    return not any(row[f] for f in _POLICY_FIELDS if f != "clock")


def sla_section(form: FormData) -> Section:
    """Every SLA policy shown, and how often the handler is reminded of the developer."""
    policies, kept = [], []
    for index, row in enumerate(typed_policies(form)):
        if row["remove"] or _blank_policy(row):
            continue
        kept.append(index)
        policies.append(
            {
                "category": row["category"] or None,
                "severity": row["severity"] or None,
                "acknowledge_within": _typed_duration(form, f"sla-{index}-acknowledge"),
                "resolve_within": _typed_duration(form, f"sla-{index}-resolve"),
                "clock": row["clock"] or "working_hours",
            }
        )
    body: dict[str, Any] = {"sla_policies": policies}
    follow_up = _typed_duration(form, "follow_up")
    if follow_up is not None:
        body["developer_follow_up"] = follow_up
    return Section(body, row_field({"sla_policies": ("sla", kept)}))


def calendar_section(form: FormData) -> Section:
    """The working week, the holidays and the make-up working days (调休)."""
    week = {
        row["day"]: {"start": row["start"], "end": row["end"]}
        for row in typed_week(form)
        if row["open"]
    }
    holidays, kept = [], []
    for index, row in enumerate(typed_holidays(form)):
        if row["remove"] or not row["day"]:
            continue
        kept.append(index)
        holidays.append({"day": row["day"], "name": row["name"], "working": row["working"]})
    body = {"calendar": {"timezone": text(form, "timezone"), "week": week, "holidays": holidays}}
    by_row = row_field({"calendar.holidays": ("holiday", kept)})

    def field_of(api_field: str) -> str:
        if api_field.startswith("calendar.week."):
            return "week-" + api_field.split(".")[2]
        return by_row(api_field)

    return Section(body, field_of)


SECTIONS: dict[str, Callable[[FormData], Section]] = {
    "routing": routes_section,
    "deadlines": sla_section,
    "calendar": calendar_section,
}
