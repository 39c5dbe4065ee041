"""An outside fuzzer's walk of every intake operation: no 5xx, every answer as documented,
every error problem+json."""

from __future__ import annotations

import pytest
from intake_harness import Intake

from shared.testing.fuzz import fuzz_service

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_an_outside_fuzzer_finds_nothing(intake: Intake) -> None:
    await intake.place()
    await fuzz_service("intake", intake.client, intake.app, headers=intake.headers())
