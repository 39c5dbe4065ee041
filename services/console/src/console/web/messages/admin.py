"""The console's words of the administration pages: (zh, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "nav.admin": ("系统设置", "Administration"),
    "admin.title": ("系统设置", "Administration"),
    "admin.coming": (
        "管理处、业户、组织架构、分派规则与通知设置",
        "Sites, residents, the organisation, routing rules and notify settings",
    ),
}
