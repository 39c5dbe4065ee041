"""API models of a site's rules: routes, SLA policies, calendar and follow-up pace."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Annotated, Literal, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from shared.contracts.intake import Category, Kind, Severity
from shared.http.invalid import invalid

Code = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,63}$")]
Clock = Literal["calendar", "working_hours"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
PublicHolidays = Literal["cn", "none"]
UnreachableCallbacks = Literal["close", "escalate"]
HANDLING_TARGET_HELP = (
    "the complaint-handling satisfaction rate the site aims at, in percent (1-100): the share"
    " of callback answers on the speed and attitude that are very satisfied or satisfied"
)
UNREACHABLE_CALLBACKS_HELP = (
    "what a callback that reaches nobody does to the case: close it as unreachable (not a "
    "satisfied close), or escalate it one level and keep it open for the escalated holder"
)
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Duration = Annotated[
    timedelta,
    Field(
        ge=timedelta(seconds=1),
        le=timedelta(days=366),
        description="ISO 8601 (PT4H) or seconds; whole seconds count",
    ),
]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RouteIn(_Input):
    """category (and optionally kind and severity) -> the responsible department."""

    category: Category
    kind: Kind | None = None
    severity: Severity | None = None
    department: Code


class PolicyIn(_Input):
    """SLA terms for a category and/or severity; neither: the site's default terms."""

    category: Category | None = None
    severity: Severity | None = None
    acknowledge_within: Duration
    resolve_within: Duration
    clock: Clock = "calendar"
    warn_percent: int = Field(
        default=80,
        ge=1,
        le=99,
        description="the handler is warned when this share (%) of a deadline's time has passed",
    )

    @model_validator(mode="after")
    def _acknowledge_first(self) -> Self:
        if self.acknowledge_within > self.resolve_within:
            raise invalid(
                "acknowledge_within must not be longer than resolve_within",
                "acknowledge_within（受理时限）不能长于 resolve_within（处理时限）",
            )
        return self


class Hours(_Input):
    start: time
    end: time

    @model_validator(mode="after")
    def _in_order(self) -> Self:
        if self.start >= self.end:
            raise invalid(
                "a working day must start before it ends", "工作日的开始时间须早于结束时间"
            )
        return self


class HolidayIn(_Input):
    day: date
    name: str = Field(default="", max_length=100)
    working: bool = Field(default=False, description="a make-up working day (调休)")


class CalendarIn(_Input):
    """Working hours in the site's time zone, the public holidays it follows, and the
    site's own holidays and make-up working days on top of them."""

    timezone: str = "Asia/Shanghai"
    week: dict[Weekday, Hours]
    public_holidays: PublicHolidays | None = Field(
        default=None,
        description=(
            "cn: mainland China's public holidays and make-up working days (调休), as the "
            "State Council publishes them each year; none: only the site's own holidays; "
            "null: cn for a site in a mainland Chinese time zone (Asia/Shanghai, "
            "Asia/Urumqi), none elsewhere; left out: as it was"
        ),
    )
    holidays: list[HolidayIn] = Field(default_factory=list, max_length=2000)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise invalid(f"unknown time zone {value!r}", f"未知的时区 {value!r}") from exc
        return value

    @model_validator(mode="after")
    def _some_working_time(self) -> Self:
        if not self.week:
            raise invalid("the week needs at least one working day", "一周至少要有一个工作日")
        days = [h.day for h in self.holidays]
        if len(days) != len(set(days)):
            raise invalid("each holiday date may appear once", "每个节假日日期只能出现一次")
        return self


class RulesIn(_Input):
    """A site's rules; a section left out stays as it is."""

    default_department: Code | None = None
    routes: list[RouteIn] | None = Field(default=None, max_length=500)
    sla_policies: list[PolicyIn] | None = Field(default=None, max_length=500)
    calendar: CalendarIn | None = None
    developer_follow_up: Duration | None = None
    unreachable_callbacks: UnreachableCallbacks | None = Field(
        default=None, description=UNREACHABLE_CALLBACKS_HELP + "; left out: as it was"
    )
    handling_satisfaction_target: int | None = Field(
        default=None, ge=1, le=100, description=HANDLING_TARGET_HELP + "; left out: as it was"
    )

    @field_validator("routes")
    @classmethod
    def _distinct_routes(cls, routes: list[RouteIn] | None) -> list[RouteIn] | None:
        keys = [(r.category, r.kind, r.severity) for r in routes or []]
        if len(keys) != len(set(keys)):
            raise invalid(
                "two routes have the same category, kind and severity",
                "有两条分派规则的类别、类型和紧急程度相同",
            )
        return routes

    @field_validator("sla_policies")
    @classmethod
    def _distinct_policies(cls, policies: list[PolicyIn] | None) -> list[PolicyIn] | None:
        keys = [(p.category, p.severity) for p in policies or []]
        if len(keys) != len(set(keys)):
            raise invalid(
                "two SLA policies have the same category and severity",
                "有两条时限规则的类别和紧急程度相同",
            )
        return policies


class RulesRead(BaseModel):
    """The site's rules in force; `shipped_*` apply where the site says nothing."""

    site_id: str
    default_department: str | None
    routes: list[RouteIn]
    sla_policies: list[PolicyIn]
    calendar: CalendarIn
    public_holidays_known_until: int | None = Field(
        description="the last year whose public holidays the calendar knows (null: follows none)"
    )
    developer_follow_up: timedelta
    unreachable_callbacks: UnreachableCallbacks = Field(description=UNREACHABLE_CALLBACKS_HELP)
    handling_satisfaction_target: int = Field(description=HANDLING_TARGET_HELP)
    shipped_routes: dict[str, str]
    shipped_sla_policies: list[PolicyIn]
