"""The console shows routing's complaint report: every figure routing's report gives has
the console's words, and every rate is shown as one (the console reads the report over
HTTP, so only a test beside both services can hold the two together)."""

from __future__ import annotations

from console.reports.figures import RATES
from console.web.messages.reports import FIGURE_NAMES
from routing.reports.labels import FIGURES


def test_every_figure_of_routings_report_has_the_consoles_words() -> None:
    assert sorted(set(FIGURES) - set(FIGURE_NAMES)) == []


def test_every_rate_of_routings_report_is_shown_as_a_rate() -> None:
    assert sorted(name for name in FIGURES if name.endswith("_rate") and name not in RATES) == []
