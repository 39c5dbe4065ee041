"""Fixtures of intake's integration tests: the app in-process on the test's database
(SQLite and PostgreSQL in turn) and the real broker."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

# The harness module sits beside this file (pytest imports tests with importlib, which
# does not put their folders on sys.path).
sys.path.insert(0, str(Path(__file__).resolve().parent))

from intake_harness import Intake, running

from intake.settings import IntakeSettings

pytestmark = pytest.mark.integration


@pytest.fixture
def intake_settings(database_url: str, make_settings: Callable[..., Any]) -> IntakeSettings:
    settings: IntakeSettings = make_settings(IntakeSettings, database_url=database_url)
    return settings


@pytest.fixture
async def intake(intake_settings: IntakeSettings) -> AsyncIterator[Intake]:
    """Intake running in this process: migrated, relaying, consuming, firing timers."""
    async with running(intake_settings) as service:
        yield service
