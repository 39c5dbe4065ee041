"""The complaint report's figures, as routing serves them and the console shows them.

Routing's report API and the console's report pages read the same headline figures; which
of them are durations, which are rates and which can be drilled into to their cases is
said here once, so the printed report, the API and the page cannot disagree.
"""

from __future__ import annotations

from typing import Literal, get_args

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
