"""What the frame's registry knows of a household, as the key sample reads it. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class KeyFacts:
    """What the registry knows of one household, for the key sample."""

    complaints: tuple[datetime, ...] = ()
    reopened: tuple[datetime, ...] = ()
    unsatisfied_last_survey: bool = False
