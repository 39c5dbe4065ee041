"""The recurring-problem policy in force, set from the settings when the app is created.

Kept here rather than passed down: it is read by the handler of a valid judgement, which
the consumer calls with the event and a session only, and it is one value per process
(`RoutingSettings.recurring_threshold`, `recurring_window_days`).
"""

from __future__ import annotations

from routing.corrective.rules import RecurringPolicy

KEY_PREFIX = "recurring:"

_policy = RecurringPolicy()


def configure(policy: RecurringPolicy) -> None:
    """Use `policy` from now on."""
    global _policy
    _policy = policy


def current() -> RecurringPolicy:
    """The recurring-problem policy in force."""
    return _policy


def key_of(site_id: str, category: str) -> str:
    """The dedupe key of a site and category's one unverified recurring-problem action."""
    return f"{KEY_PREFIX}{site_id}:{category}"
