"""The recurring-problem policy (`RoutingSettings.recurring_threshold`,
`recurring_window_days`) and the dedupe key of the actions it opens.

The policy is read from the running service's settings where it is needed and handed down
as an argument: `routing.consumers.handlers(settings)` binds the settings to the handlers
that open actions, `corrective.timers.timers(settings)` to the verification timer, and the
route that opens an action reads the app's settings.
"""

from __future__ import annotations

from routing.corrective.rules import RecurringPolicy
from routing.settings import RoutingSettings

KEY_PREFIX = "recurring:"


def of(settings: RoutingSettings) -> RecurringPolicy:
    """The recurring-problem policy the settings set."""
    return RecurringPolicy(settings.recurring_threshold, settings.recurring_window_days)


def key_of(site_id: str, category: str) -> str:
    """The dedupe key of a site and category's one unverified recurring-problem action."""
    return f"{KEY_PREFIX}{site_id}:{category}"
