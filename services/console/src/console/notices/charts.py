"""The chart of a notice's deliveries: one bar per channel, stacked by outcome.

Pure: the tally in, an ECharts option out, in the page's language. Each outcome keeps its
colour whatever the chart holds (failed is always red), and the same figures are in the
table under the chart.
"""

from __future__ import annotations

from typing import Any

from console.notices.service import DELIVERY_STATUSES, Tally
from console.web import charts
from console.web.i18n import Words

COLOURS = {"queued": "#5b6876", "sent": "#1d5fbf", "delivered": "#1e7b45", "failed": "#b42318"}


def deliveries(tally: Tally, words: Words) -> dict[str, Any]:
    """Deliveries per channel (bars) and outcome (stacked), as an ECharts option."""
    statuses = [s for s in DELIVERY_STATUSES if tally.of_status(s)]
    option = charts.bars(
        [words.value("delivery_channel", c) for c in tally.channels],
        [
            (words.value("delivery_status", s), [tally.count(c, s) for c in tally.channels])
            for s in statuses
        ],
        horizontal=True,
        stacked=True,
    )
    option["color"] = [COLOURS[s] for s in statuses]
    return option
