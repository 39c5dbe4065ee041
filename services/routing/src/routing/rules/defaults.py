"""What ships with the system: used for every site until it says otherwise.

Routes follow the topics of DESIGN.md §1 rule 12 to the departments that usually own them;
SLA terms are the common practice of property offices: an ordinary complaint is answered
within half a working day and settled within three working days, an urgent one within the
hour and the day, a safety matter within a quarter of an hour and four hours.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Literal

DEFAULT_DEPARTMENT = "customer_service"

DEFAULT_ROUTES: dict[str, str] = {
    "housing_management": "housing_management",
    "security": "security",
    "vehicles": "security",
    "cleaning": "cleaning",
    "greening": "greening",
    "maintenance": "engineering",
    "community_activities": "customer_service",
    "convenience_services": "customer_service",
    "fees": "finance",
    "other": "customer_service",
}

DEFAULT_TIMEZONE = "Asia/Shanghai"

# Monday to Friday, 09:00-18:00 (weekday 0 is Monday).
DEFAULT_WEEK: dict[int, tuple[time, time]] = {day: (time(9), time(18)) for day in range(5)}

DEFAULT_FOLLOW_UP = timedelta(days=1)
# A callback that reaches nobody closes the case as unreachable: the office tried, and said so.
DEFAULT_UNREACHABLE_CALLBACKS: Literal["close", "escalate"] = "close"
# The complaint-handling satisfaction rate (percent) a site aims at unless it says otherwise.
DEFAULT_HANDLING_SATISFACTION_TARGET = 90
# The handler is warned when this share (percent) of a deadline's time has passed.
DEFAULT_WARN_PERCENT = 80

# severity -> (acknowledge within, resolve within, clock); 27 working hours are three days.
DEFAULT_TERMS: dict[str, tuple[timedelta, timedelta, str]] = {
    "normal": (timedelta(hours=4), timedelta(hours=27), "working_hours"),
    "urgent": (timedelta(hours=1), timedelta(hours=24), "calendar"),
    "safety": (timedelta(minutes=15), timedelta(hours=4), "calendar"),
}
