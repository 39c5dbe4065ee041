"""Fixtures of surveys's integration tests: the app in-process on the test's database
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

from surveys_harness import Surveys, running

from surveys.settings import SurveysSettings

pytestmark = pytest.mark.integration


@pytest.fixture
def surveys_settings(database_url: str, make_settings: Callable[..., Any]) -> SurveysSettings:
    settings: SurveysSettings = make_settings(
        SurveysSettings, database_url=database_url, public_url="https://survey.example"
    )
    return settings


@pytest.fixture
async def surveys(surveys_settings: SurveysSettings) -> AsyncIterator[Surveys]:
    """Surveys running in this process: migrated, relaying, consuming, firing timers."""
    async with running(surveys_settings) as service:
        yield service
