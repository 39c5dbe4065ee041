"""Surveys' retention rules; the cutoff, the 03:00 run and the marker are shared/retention's."""

from __future__ import annotations

TIMER_KIND = "surveys.retention"
