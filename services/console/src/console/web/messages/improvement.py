"""The console's words of the improvement pages: (zh, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "nav.improvement": ("整改与纠正", "Improvement"),
    "improvement.title": ("整改与纠正", "Improvement"),
    "improvement.coming": (
        "整改与纠正/预防措施",
        "Rectification and corrective / preventive action",
    ),
}
