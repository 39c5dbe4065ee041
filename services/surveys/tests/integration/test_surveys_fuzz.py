"""An outside fuzzer's walk of every surveys operation: no 5xx, every answer as documented,
every error problem+json."""

from __future__ import annotations

import pytest
from surveys_harness import Surveys

from shared.testing.fuzz import fuzz_service

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_an_outside_fuzzer_finds_nothing(surveys: Surveys) -> None:
    await fuzz_service("surveys", surveys.client, surveys.app, headers=surveys.headers())
