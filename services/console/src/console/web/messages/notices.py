"""The console's words of the notices pages: (zh, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "nav.notices": ("通知单", "Notices"),
    "notices.title": ("通知单", "Notices"),
    "notices.coming": (
        "通知单（停水、停电、电梯维修……）：发布、打印、送达情况",
        "Notices (outages, maintenance, warnings): publishing, printing, deliveries",
    ),
}
