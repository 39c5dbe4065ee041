"""What notices, pages and callbacks need to know of a site's management office: its
name, phone, time zone and working hours.

Read from the site settings (`notify.sites`); a site without settings gets their defaults,
so a notice or a callback never fails for want of an office name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from notify.sites import service as sites

DEFAULT_ZONE = "Asia/Shanghai"
WEEKDAYS = frozenset(range(5))  # Monday to Friday


@dataclass(frozen=True)
class WorkingHours:
    """When the management office calls residents: local opening hours on working days."""

    zone: ZoneInfo
    opens: time = time(9)
    closes: time = time(18)
    days: frozenset[int] = WEEKDAYS  # datetime.weekday(): Monday is 0


@dataclass(frozen=True)
class Office:
    """A site's management office: its name, phone, time zone, hours and habits."""

    site_id: str
    name: str
    phone: str
    zone: ZoneInfo
    locale: str
    callback_delay: timedelta
    hours: WorkingHours

    def local(self, at: datetime | None) -> str:
        """A time as the office writes it, in its own zone."""
        return at.astimezone(self.zone).strftime("%Y-%m-%d %H:%M") if at else ""


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def _clock(value: str, fallback: time) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError:
        return fallback


def office_of(site_id: str, row: Any | None, *, working_days: frozenset[int]) -> Office:
    """The office from its settings row (or the defaults when the site has none)."""

    def setting(name: str, default: Any) -> Any:
        value = getattr(row, name, None) if row is not None else None
        return default if value is None or value == "" else value

    zone = _zone(str(setting("timezone", DEFAULT_ZONE)))
    hours = WorkingHours(
        zone=zone,
        opens=_clock(str(setting("working_hours_start", "09:00")), time(9)),
        closes=_clock(str(setting("working_hours_end", "18:00")), time(18)),
        days=working_days,
    )
    return Office(
        site_id=site_id,
        name=str(setting("name", site_id)),
        phone=str(setting("contact_phone", "")),
        zone=zone,
        locale=str(setting("default_locale", "zh-CN")),
        callback_delay=timedelta(hours=int(setting("callback_delay_hours", 24))),
        hours=hours,
    )


async def get_office(
    session: AsyncSession, *, site_id: str, working_days: frozenset[int] = frozenset(range(5))
) -> Office:
    """The management office of `site_id`."""
    return office_of(site_id, await sites.get(session, site_id=site_id), working_days=working_days)
