"""Surveys in-process for integration tests: the real app (relay, consumer, scheduler)
against the test's real database and broker, plus factories with random ids."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta
from typing import Any

from shared.clock import utcnow
from shared.contracts.intake import ComplaintReceived, HouseholdRemoved, HouseholdUpserted
from shared.contracts.routing import CaseReopened
from shared.testing.checks import eventually as eventually  # the tests import these here
from shared.testing.checks import is_problem as is_problem
from shared.testing.inprocess import ADMIN as ADMIN
from shared.testing.inprocess import InProcess
from shared.testing.inprocess import drain as drain
from shared.testing.inprocess import envelope as envelope
from shared.testing.inprocess import hex_id as hex_id
from shared.testing.inprocess import next_event as next_event
from shared.testing.inprocess import running as _running
from surveys.main import create_app
from surveys.settings import SurveysSettings


def household(
    site_id: str, *, building: str = "B1", unit: str = "101", phones: Iterable[str] = ()
) -> HouseholdUpserted:
    return HouseholdUpserted(
        household_id=str(uuid.uuid4()),
        site_id=site_id,
        building=building,
        unit=unit,
        name="Zhang Min",
        phones=list(phones),
    )


def removed(site_id: str, household_id: str) -> HouseholdRemoved:
    return HouseholdRemoved(household_id=household_id, site_id=site_id, removed_at=utcnow())


def complaint(
    site_id: str, household_id: str | None, *, kind: str = "complaint", at: datetime | None = None
) -> ComplaintReceived:
    return ComplaintReceived.model_validate(
        {
            "complaint_id": str(uuid.uuid4()),
            "reference": "GH-20261101-0001",
            "site_id": site_id,
            "channel": "phone",
            "kind": kind,
            "category": "cleaning",
            "description": "The stairwell has not been swept for a week.",
            "reporter_type": "household",
            "household_id": household_id,
            "received_at": (at or utcnow()).isoformat(),
        }
    )


def reopened(site_id: str, complaint_id: str) -> CaseReopened:
    return CaseReopened(
        case_id=str(uuid.uuid4()), complaint_id=complaint_id, site_id=site_id, at=utcnow()
    )


def campaign_body(site_id: str, **changes: Any) -> dict[str, Any]:
    now = utcnow()
    body = {
        "site_id": site_id,
        "kind": "regular",
        "title": "2026 Q4 resident satisfaction",
        "period": "2026-Q4",
        "topics": ["cleaning", "security", "greening"],
        "methods": ["questionnaire", "door_to_door"],
        "opens_at": (now - timedelta(minutes=1)).isoformat(),
        "closes_at": (now + timedelta(days=14)).isoformat(),
    }
    return {**body, **changes}


class Surveys(InProcess[SurveysSettings]):
    """Surveys in this process, with the frame helpers its tests share."""

    async def upsert(self, event: HouseholdUpserted, *, version: int = 1) -> None:
        await self.publish(
            envelope(
                event,
                site_id=event.site_id,
                aggregate_id=event.household_id,
                aggregate_version=version,
            )
        )

    async def frame_size(self, site_id: str) -> int:
        return int((await self.ok("GET", f"/v1/sites/{site_id}/frame"))["households"])


def running(settings: SurveysSettings) -> AbstractAsyncContextManager[Surveys]:
    """Surveys running in this process until the block ends: migrated, relaying, consuming,
    firing timers. Started again (or twice at once, as two replicas), it shares the database."""
    return _running(settings, create_app, Surveys)
