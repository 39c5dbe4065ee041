"""The complaint report's figures, as routing serves them and the console shows them.

Routing's report API and the console's report pages read the same headline figures; which
of them are durations, which are rates and which can be drilled into to their cases is
said here once, so the printed report, the API and the page cannot disagree.
"""

from __future__ import annotations

from typing import Literal, get_args

CaseAttribute = Literal[
    "category",
    "kind",
    "channel",
    "department",
    "validity",
    "invalid_reason",
]
"""What a case of the report is counted by, besides its site: the report's breakdowns, and
what its cases can be narrowed by when listed."""
CASE_ATTRIBUTES: tuple[CaseAttribute, ...] = get_args(CaseAttribute)
Dimension = Literal["site", CaseAttribute, "escalation_level", "escalation_reason"]
"""A breakdown of the report: by site, by a case's attribute, or of its escalations."""

DURATIONS = frozenset(
    {
        "acknowledge_median_seconds",
        "acknowledge_p90_seconds",
        "resolve_median_seconds",
        "resolve_p90_seconds",
    }
)
"""Headline figures that are durations, in seconds."""
RATES = frozenset({"reopen_rate", "callback_satisfaction_rate", "handling_satisfaction_rate"})
"""Headline figures that are shares of one."""

Drillable = Literal[
    "complaints",
    "valid",
    "invalid",
    "unjudged",
    "acknowledge_met",
    "acknowledge_missed",
    "acknowledge_open",
    "resolve_met",
    "resolve_missed",
    "resolve_open",
    "escalated_cases",
    "reopened_cases",
    "callbacks_satisfied",
    "callbacks_unreachable",
    "open",
    "overdue",
]
"""A figure whose cases can be listed: the report's counts of cases received in the
period, and `open` / `overdue`, the cases as they stand now whenever received."""
DRILLABLE: tuple[Drillable, ...] = get_args(Drillable)
NOW: tuple[Drillable, ...] = ("open", "overdue")
"""The drillable figures that are not the period's counts but the cases as they stand now."""
