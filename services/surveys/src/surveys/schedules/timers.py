"""What a due schedule timer does: the site's next period opens (`opening`)."""

from __future__ import annotations

from surveys.schedules.opening import on_schedule_due
from surveys.schedules.service import SCHEDULE_TIMER

TIMERS = {SCHEDULE_TIMER: on_schedule_due}
