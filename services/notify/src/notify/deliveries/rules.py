"""Pure decisions about deliveries: when to try again, and when to give up."""

from __future__ import annotations

from datetime import datetime, timedelta

STATUSES = ("queued", "sent", "delivered", "failed")


def backoff(attempts: int, *, base: float, cap: float) -> timedelta:
    """The wait after the `attempts`-th failed try: base, 2·base, 4·base, … up to `cap`."""
    exponent = max(attempts - 1, 0)
    return timedelta(seconds=min(base * 2 ** min(exponent, 30), cap))


def gives_up(attempts: int, *, max_attempts: int, permanent: bool) -> bool:
    """True when a failed delivery is not tried again."""
    return permanent or attempts >= max_attempts


def next_attempt(now: datetime, attempts: int, *, base: float, cap: float) -> datetime:
    """When a delivery that failed `attempts` times is tried again."""
    return now + backoff(attempts, base=base, cap=cap)
