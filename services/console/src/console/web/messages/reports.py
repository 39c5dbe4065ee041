"""The console's words of the reports pages: (zh, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "nav.reports": ("报告与看板", "Reports"),
    "reports.title": ("报告与看板", "Reports"),
    "reports.coming": (
        "顾客投诉报告与管理看板",
        "The complaint report and the managers' dashboard",
    ),
}
