"""The console's words of the surveys pages: (zh, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "nav.surveys": ("满意度测评", "Surveys"),
    "surveys.title": ("满意度测评", "Surveys"),
    "surveys.coming": (
        "满意度测评：计划、抽样、访问录入、复核、结果",
        "Satisfaction surveys: plans, samples, interviews, re-checks, results",
    ),
}
