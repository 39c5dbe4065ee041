"""Who has not answered is reminded before the close: once, with a second link of its own,
never those who answered by link or whose paper form a surveyor entered."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from surveys_harness import (
    Surveys,
    campaign_body,
    drain,
    eventually,
    hex_id,
    household,
    next_event,
)

from shared import timers
from shared.contracts.surveys import SurveyInvitationIssued, SurveyReminderIssued
from shared.db.engine import transaction
from shared.testing.inprocess import timer_rounds
from surveys.campaigns.service import REMIND_TIMER

pytestmark = pytest.mark.integration

REMINDED = "survey.reminder_issued"

HTML = {"Accept": "text/html"}
SURVEY_LINKS = ("survey.invitation_issued", "survey.reminder_issued")


def _path(url: str) -> str:
    return url.removeprefix("https://survey.example")


async def _opened(surveys: Surveys, site_id: str, **changes: Any) -> tuple[str, list[Any]]:
    """A campaign of four linked households, open now; its id and the invitations."""
    watch = await surveys.watch(*SURVEY_LINKS)
    for n in range(4):
        await surveys.upsert(household(site_id, unit=f"10{n}", phones=["13900000000"]))
    assert await eventually(lambda: surveys.frame_size(site_id), 4) == 4
    body = campaign_body(
        site_id, methods=["questionnaire", "door_to_door"], sampling={"size": 4}, **changes
    )
    created = await surveys.ok("POST", "/v1/campaigns", json=body, status=201)
    await surveys.ok("POST", f"/v1/campaigns/{created['id']}/draw", json={}, status=201)
    events = [e for _, e in await drain(watch, at_least=4, after=[surveys.app])]
    invited = [e for e in events if isinstance(e, SurveyInvitationIssued)]
    assert len(invited) == 4
    return created["id"], sorted(invited, key=lambda i: i.household_id)


async def _answer_by_link(surveys: Surveys, url: str) -> int:
    form = {"lang": "zh-CN", "topic.cleaning": "satisfied", "comment": ""}
    return (await surveys.client.post(_path(url), data=form, headers=HTML)).status_code


async def _enter_paper_form(surveys: Surveys, campaign_id: str, household_id: str) -> None:
    entry = {
        "household_id": household_id,
        "method": "door_to_door",
        "form": "paper",
        "answers": {"cleaning": "neutral"},
    }
    await surveys.ok("POST", f"/v1/campaigns/{campaign_id}/responses", json=entry, status=201)


async def _reminded(surveys: Surveys, campaign_id: str) -> int:
    return int(
        await surveys.scalar(
            "SELECT count(*) FROM invitation WHERE campaign_id = :c AND reminded_at IS NOT NULL",
            c=campaign_id,
        )
    )


async def _remind_timers(surveys: Surveys, campaign_id: str) -> int:
    return int(
        await surveys.scalar(
            "SELECT count(*) FROM timer WHERE kind = :k AND key = :c", k=REMIND_TIMER, c=campaign_id
        )
    )


async def test_who_has_not_answered_is_reminded_once_with_a_link_of_their_own(
    surveys: Surveys, frozen_clock: Any
) -> None:
    frozen_clock.freeze(frozen_clock.now())
    site_id = hex_id("site-")
    campaign_id, invited = await _opened(surveys, site_id)
    by_link, by_paper, late, silent = invited
    watch = await surveys.watch("survey.reminder_issued")
    assert await _answer_by_link(surveys, by_link.url) == 200
    await _enter_paper_form(surveys, campaign_id, by_paper.household_id)
    campaign = await surveys.ok("GET", f"/v1/campaigns/{campaign_id}")
    assert campaign["remind_before_days"] == 3  # the default

    frozen_clock.advance(timedelta(days=11, minutes=1))  # three days before the close
    assert await eventually(lambda: _reminded(surveys, campaign_id), 2) == 2
    reminders = [e for _, e in await drain(watch, at_least=2, after=[surveys.app])]

    assert all(isinstance(r, SurveyReminderIssued) for r in reminders)
    by_household = {r.household_id: r for r in reminders}
    assert sorted(by_household) == sorted([late.household_id, silent.household_id])
    for first in (late, silent):
        reminder = by_household[first.household_id]
        assert reminder.invitation_id == first.invitation_id
        assert reminder.url != first.url
        assert (reminder.expires_at, reminder.title) == (first.expires_at, first.title)
    assert await _answer_by_link(surveys, by_household[late.household_id].url) == 200
    assert (await surveys.client.get(_path(late.url), headers=HTML)).status_code == 410
    for link in (silent.url, by_household[silent.household_id].url):
        assert (await surveys.client.get(_path(link), headers=HTML)).status_code == 200
    responses = await surveys.ok("GET", f"/v1/campaigns/{campaign_id}/responses")
    assert len(responses["items"]) == 3


async def test_a_reminder_timer_firing_again_reminds_nobody_twice(
    surveys: Surveys, frozen_clock: Any
) -> None:
    frozen_clock.freeze(frozen_clock.now())
    site_id = hex_id("site-")
    campaign_id, _ = await _opened(surveys, site_id, remind_before_days=5)
    watch = await surveys.watch("survey.reminder_issued")
    frozen_clock.advance(timedelta(days=9, minutes=1))  # five days before the close
    assert await eventually(lambda: _reminded(surveys, campaign_id), 4) == 4
    await timer_rounds(surveys.app)  # a reminder due twice would have fired twice by now
    assert len(await surveys.committed(REMINDED, campaign_id=campaign_id)) == 4
    assert len([await next_event(watch) for _ in range(4)]) == 4

    async with transaction(surveys.db) as session:  # as if a replica fired it once more
        await timers.schedule(
            session,
            kind=REMIND_TIMER,
            key=campaign_id,
            due_at=frozen_clock.now(),
            payload={"campaign_id": campaign_id, "link_base": "https://survey.example"},
        )
    assert await eventually(lambda: _remind_timers(surveys, campaign_id), 0) == 0

    # The timer is gone with its handler's work, in one transaction: whatever it sent is
    # in the outbox.
    assert len(await surveys.committed(REMINDED, campaign_id=campaign_id)) == 4
    assert await _reminded(surveys, campaign_id) == 4


async def test_no_reminder_when_switched_off_or_the_campaign_closes_first(
    surveys: Surveys, frozen_clock: Any
) -> None:
    frozen_clock.freeze(frozen_clock.now())
    off, _ = await _opened(surveys, hex_id("site-"), remind_before_days=0)
    early, _ = await _opened(surveys, hex_id("site-"))

    assert await _remind_timers(surveys, off) == 0
    assert await _remind_timers(surveys, early) == 1
    await surveys.ok("POST", f"/v1/campaigns/{early}/close")
    assert await _remind_timers(surveys, early) == 0
