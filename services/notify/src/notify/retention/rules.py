"""Notify's retention rules; the cutoff, the 03:00 run and the marker are shared/retention's."""

from __future__ import annotations

TIMER_KIND = "notify.retention"
FINISHED_DELIVERY = ("sent", "delivered", "failed", "cancelled")
"""A delivery in these states is done with: nobody sends it again."""
FINISHED_PHONE_TASK = ("done", "cancelled")
FINISHED_NOTICE = ("published", "cancelled")
