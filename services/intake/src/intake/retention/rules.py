"""Intake's retention rules; the cutoff, the run time and the marker are shared/retention's."""

from __future__ import annotations

TIMER_KIND = "intake.retention"
