"""The one clock every service reads, so tests can freeze or move time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """Wall-clock time in UTC, replaceable by a fixed or advancing time in tests."""

    def __init__(self) -> None:
        self._frozen: datetime | None = None

    def now(self) -> datetime:
        """The current time, UTC-aware."""
        return self._frozen if self._frozen is not None else datetime.now(UTC)

    def freeze(self, at: datetime) -> None:
        """Stop time at `at` (must be timezone-aware)."""
        if at.tzinfo is None:
            raise ValueError("freeze() needs a timezone-aware datetime")
        self._frozen = at.astimezone(UTC)

    def advance(self, by: timedelta) -> None:
        """Move a frozen clock forward."""
        if self._frozen is None:
            raise RuntimeError("advance() needs a frozen clock")
        self._frozen += by

    def unfreeze(self) -> None:
        """Back to wall-clock time."""
        self._frozen = None


clock = Clock()


def utcnow() -> datetime:
    """The current time from the shared clock."""
    return clock.now()
