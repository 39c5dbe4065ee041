"""The public holidays and make-up working days (调休) a site's calendar follows.

Mainland China's are the State Council's, as the `chinesecalendar` package lists them. The
package is released each year once the State Council publishes the next year's arrangement
(usually in November): pin the new release in constraints.txt then. A year it does not
know yet counts as ordinary weeks with the site's own holidays and make-up days; `GET
/v1/sites/{site_id}/rules` says the last year it knows (`public_holidays_known_until`).
"""

from __future__ import annotations

from typing import Literal

import chinese_calendar  # type: ignore[import-untyped]

from routing.rules.rules import PublicCalendar

PublicHolidays = Literal["cn", "none"]

# Mainland China's zones, with the old names tzdata still links to them; Hong Kong, Macau
# and Taiwan keep their own zones and holidays.
MAINLAND_ZONES = frozenset(
    {
        "Asia/Shanghai",
        "Asia/Urumqi",
        "Asia/Chongqing",
        "Asia/Chungking",
        "Asia/Harbin",
        "Asia/Kashgar",
        "PRC",
    }
)


def _mainland_china() -> PublicCalendar:
    holidays = frozenset(chinese_calendar.holidays)
    return PublicCalendar(
        holidays=holidays,
        workdays=frozenset(chinese_calendar.workdays),
        last_year=max(day.year for day in holidays),
    )


MAINLAND_CHINA = _mainland_china()


def choice_for(setting: str | None, *, timezone: str) -> PublicHolidays:
    """The public calendar a site follows: its own setting, else the one of its time zone."""
    if setting == "cn" or (setting is None and timezone in MAINLAND_ZONES):
        return "cn"
    return "none"


def calendar_of(choice: PublicHolidays) -> PublicCalendar | None:
    """The holidays and make-up days of `choice` (None: the site's own only)."""
    return MAINLAND_CHINA if choice == "cn" else None
