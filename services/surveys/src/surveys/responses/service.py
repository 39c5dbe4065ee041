"""Use cases of responses: record one (by link or by an interviewer), list, re-check.

Services take the caller's session and never commit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared.clock import utcnow
from shared.context import new_id
from shared.db.engine import after_commit
from shared.http.errors import ConflictError, NotFoundError, ProblemError
from shared.http.pagination import Page, after_key, page_of
from shared.words import value
from surveys import metrics
from surveys.campaigns.rules import accepts_responses, scale_of
from surveys.frame.models import frame_household
from surveys.responses import rules
from surveys.responses.models import answer, interview_task, invitation, response
from surveys.responses.schemas import RecheckIn, ResponseRead, TaskRead, plain
from surveys.sampling.models import sample_member


@dataclass(frozen=True)
class Entry:
    """A response to store, whatever way it came in."""

    household_id: str
    method: str
    source: str
    form: str
    answers: dict[str, str | None]
    comment: str | None
    language: str
    paper_ref: str | None = None
    collected_by: str | None = None
    collector_name: str | None = None


def checked_answers(row: Row[Any], given: dict[str, str | None]) -> dict[str, str | None]:
    """The answers against the campaign's topics and scale; 422 naming what is wrong."""
    try:
        return rules.read_answers(given, topics=list(row.topics), scale=scale_of(row.scale))
    except rules.AnswerError as exc:
        raise ProblemError(
            422, f"The answers are not valid: {exc.detail}", zh=f"答卷无效：{exc.zh}"
        ) from exc


async def _member(session: AsyncSession, row: Row[Any], household_id: str) -> Row[Any]:
    found = (
        await session.execute(
            select(sample_member).where(
                sample_member.c.campaign_id == row.id,
                sample_member.c.household_id == household_id,
            )
        )
    ).first()
    if found is None:
        raise ProblemError(
            422,
            f"Household {household_id} is not in this campaign's sample",
            zh=f"业户 {household_id} 不在本次测评的样本中",
        )
    return found


async def _refuse_second(session: AsyncSession, row: Row[Any], household_id: str) -> None:
    first = await session.scalar(
        select(response.c.id).where(
            response.c.campaign_id == row.id, response.c.household_id == household_id
        )
    )
    if first is not None:
        raise ConflictError(
            f"Household {household_id} has answered this campaign already",
            zh=f"业户 {household_id} 已参加过本次测评",
            response=first,
        )


async def record(session: AsyncSession, *, row: Row[Any], entry: Entry) -> str:
    """Store a response of a sampled household while the campaign is open; its id."""
    if not accepts_responses(row.status):
        raise ConflictError(
            f"Campaign {row.id} is {row.status}; it takes no responses",
            zh=f"测评活动 {row.id} 当前为“{value('campaign_status', row.status, 'zh')}”"
            f"，不接收答卷",
        )
    member = await _member(session, row, entry.household_id)
    await _refuse_second(session, row, entry.household_id)
    ident, now = new_id(), utcnow()
    recheck = await _recheck_status(session, row, entry)
    values = {**_values(row, member, entry, ident, now), "recheck_status": recheck}
    await session.execute(response.insert().values(values))
    await _write_answers(session, row.id, ident, entry.answers, row)
    await _close_paths(session, row.id, entry.household_id, ident, now)
    after_commit(session, lambda: metrics.responses.labels(entry.method, entry.source).inc())
    return ident


def _values(row: Row[Any], member: Row[Any], entry: Entry, ident: str, now: Any) -> dict[str, Any]:
    return {
        "id": ident,
        "campaign_id": row.id,
        "site_id": row.site_id,
        "household_id": entry.household_id,
        "building": member.building,
        "key": member.key,
        "method": entry.method,
        "source": entry.source,
        "form": entry.form,
        "paper_ref": entry.paper_ref,
        "collected_by": entry.collected_by,
        "collector_name": entry.collector_name,
        "language": entry.language,
        "comment": (entry.comment or "").strip() or None,
        "submitted_at": now,
    }


async def _recheck_status(session: AsyncSession, row: Row[Any], entry: Entry) -> str | None:
    """Every interviewer entry takes part in the systematic re-check selection."""
    if entry.source != "interviewer":
        return None
    before = await session.scalar(
        select(func.count()).where(
            response.c.campaign_id == row.id, response.c.source == "interviewer"
        )
    )
    chosen = rules.selected_for_recheck(
        int(before or 0) + 1, rate=row.recheck_rate, offset=rules.recheck_offset(row.seed or 0)
    )
    return "pending" if chosen else None


async def _write_answers(
    session: AsyncSession, campaign_id: str, ident: str, answers: dict[str, str | None], row: Any
) -> None:
    scores = {level.key: level.score for level in scale_of(row.scale)}
    values = [
        {
            "response_id": ident,
            "campaign_id": campaign_id,
            "topic": topic,
            "level": level,
            "score": scores[level] if level is not None else None,
        }
        for topic, level in answers.items()
    ]
    await session.execute(answer.insert(), values)


async def _close_paths(
    session: AsyncSession, campaign_id: str, household_id: str, ident: str, now: Any
) -> None:
    """The household's task is done and its link is spent, however it answered."""
    await session.execute(
        update(interview_task)
        .where(
            interview_task.c.campaign_id == campaign_id,
            interview_task.c.household_id == household_id,
        )
        .values(status="done", done_at=now, response_id=ident)
    )
    await session.execute(
        update(invitation)
        .where(
            invitation.c.campaign_id == campaign_id,
            invitation.c.household_id == household_id,
            invitation.c.used_at.is_(None),
        )
        .values(used_at=now)
    )


async def _answers_of(session: AsyncSession, ids: list[str]) -> dict[str, dict[str, str | None]]:
    found: dict[str, dict[str, str | None]] = defaultdict(dict)
    if ids:
        rows = await session.execute(select(answer).where(answer.c.response_id.in_(ids)))
        for a in rows.all():
            found[a.response_id][a.topic] = a.level
    return found


async def _units_of(session: AsyncSession, households: list[str]) -> dict[str, str]:
    """Each household's unit, from the frame, in one query."""
    if not households:
        return {}
    rows = await session.execute(
        select(frame_household.c.household_id, frame_household.c.unit).where(
            frame_household.c.household_id.in_(households)
        )
    )
    return {str(h): str(u) for h, u in rows.all()}


async def _reads(session: AsyncSession, rows: list[Row[Any]]) -> list[ResponseRead]:
    answers = await _answers_of(session, [r.id for r in rows])
    units = await _units_of(session, sorted({r.household_id for r in rows}))
    return [
        ResponseRead(**dict(r._mapping), answers=answers[r.id], unit=units.get(r.household_id))
        for r in rows
    ]


async def list_responses(
    session: AsyncSession,
    *,
    campaign_id: str,
    recheck: str | None,
    limit: int,
    cursor: str | None,
    commented: bool | None = None,
) -> Page[ResponseRead]:
    """A campaign's responses by id; `recheck=pending` is the supervisor's re-check list,
    `commented` keeps those with (True) or without (False) a comment."""
    query = select(response).where(response.c.campaign_id == campaign_id)
    if recheck is not None:
        query = query.where(response.c.recheck_status == recheck)
    if commented is not None:
        has = response.c.comment.is_not(None)
        query = query.where(has if commented else ~has)
    query = after_key(query, [response.c.id], cursor).limit(limit + 1)
    items = await _reads(session, list((await session.execute(query)).all()))
    return page_of(items, limit=limit, key=lambda r: (r.id,))


async def get_response(
    session: AsyncSession, *, campaign_id: str, response_id: str
) -> ResponseRead:
    """One response of the campaign, or 404."""
    row = (
        await session.execute(
            select(response).where(
                response.c.id == response_id, response.c.campaign_id == campaign_id
            )
        )
    ).first()
    if row is None:
        raise NotFoundError("Response", response_id)
    return (await _reads(session, [row]))[0]


async def verify(
    session: AsyncSession, *, row: Row[Any], response_id: str, data: RecheckIn, by: str
) -> ResponseRead:
    """A supervisor confirms an entry against its paper form, or corrects it from the form."""
    current = await get_response(session, campaign_id=row.id, response_id=response_id)
    if current.recheck_status != "pending":
        raise ConflictError(
            f"Response {response_id} is not waiting for a re-check",
            zh=f"答卷 {response_id} 不在待复核状态",
        )
    values: dict[str, Any] = {"recheck_status": data.outcome, "recheck_note": data.note}
    if data.outcome == "corrected":
        if data.answers is None:
            raise ProblemError(
                422,
                "A correction gives the answers on the paper form",
                zh="复核更正须给出纸质问卷上的答案",
            )
        fixed = checked_answers(row, plain(data.answers))
        await session.execute(delete(answer).where(answer.c.response_id == response_id))
        await _write_answers(session, row.id, response_id, fixed, row)
        values["original_answers"] = current.answers
    await session.execute(
        update(response)
        .where(response.c.id == response_id)
        .values(**values, rechecked_by=by, rechecked_at=utcnow())
    )
    return await get_response(session, campaign_id=row.id, response_id=response_id)


async def list_tasks(
    session: AsyncSession, *, campaign_id: str, status: str | None, limit: int, cursor: str | None
) -> Page[TaskRead]:
    """The interviewer tasks of a campaign, by id."""
    query = select(interview_task).where(interview_task.c.campaign_id == campaign_id)
    if status is not None:
        query = query.where(interview_task.c.status == status)
    query = after_key(query, [interview_task.c.id], cursor).limit(limit + 1)
    items = [TaskRead.model_validate(dict(r._mapping)) for r in await session.execute(query)]
    return page_of(items, limit=limit, key=lambda t: (t.id,))


async def unsatisfied(session: AsyncSession, previous: Row[Any] | None) -> set[str]:
    """Households that gave a not-satisfied answer in the previous campaign (key households
    of the next draw)."""
    if previous is None:
        return set()
    query = (
        select(response.c.household_id)
        .join(answer, answer.c.response_id == response.c.id)
        .where(
            response.c.campaign_id == previous.id,
            answer.c.level.is_not(None),
            answer.c.level.not_in(list(previous.satisfied_levels)),
        )
    )
    return set((await session.execute(query)).scalars())
