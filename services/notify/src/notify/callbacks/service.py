"""Use cases of callbacks: open one when a case is resolved (and send the final reply with
its link), record the staff's attempts, read the queue.

Services take the caller's session and never commit. Finishing a callback — by staff or
by the resident's link — goes through `finish`, which writes `callback.completed` to the
outbox in the same transaction; giving up after the last unanswered call goes through
`give_up`, which writes `callback.unreachable` the same way.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, Select, and_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from notify.callbacks import metrics, rules
from notify.callbacks.models import callback, callback_attempt
from notify.callbacks.schemas import AttemptIn, AttemptRead, CallbackContact, CallbackRead
from notify.contacts.models import household_contact
from notify.messages.models import complaint_ref
from notify.settings import NotifySettings
from notify.sites.office import get_office
from shared.bus import outbox
from shared.clock import utcnow
from shared.contracts.notify import CallbackCompleted, CallbackUnreachable
from shared.db.engine import after_commit, dialect_insert
from shared.db.typed import rowcount
from shared.http.auth import Principal
from shared.http.errors import ConflictError, NotFoundError, ProblemError

LINK_PATH = "/c/"


@dataclass(frozen=True)
class Policy:
    """How callbacks behave, from the settings."""

    link_base: str
    link_ttl: timedelta
    retry_after: timedelta
    overdue_after: timedelta
    max_attempts: int
    working_days: frozenset[int]


def policy_of(settings: NotifySettings) -> Policy:
    """The callback policy the settings describe."""
    return Policy(
        link_base=settings.link_base(),
        link_ttl=timedelta(days=settings.callback_link_days),
        retry_after=timedelta(hours=settings.callback_retry_hours),
        overdue_after=timedelta(hours=settings.callback_overdue_hours),
        max_attempts=settings.callback_max_attempts,
        working_days=frozenset(d - 1 for d in settings.callback_working_days if 1 <= d <= 7),
    )


def new_token() -> tuple[str, str]:
    """A fresh unguessable link token and the hash that is stored of it."""
    token = secrets.token_urlsafe(24)
    return token, rules.hash_token(token)


_contact, _ref = household_contact.c, complaint_ref.c
WITH_CONTACT: Select[Any] = select(
    callback,
    _contact.name.label("contact_name"),
    _contact.phone.label("contact_phone"),
    _contact.building.label("contact_building"),
    _contact.unit.label("contact_unit"),
    _ref.visitor_name,
    _ref.visitor_phone,
).select_from(
    callback.outerjoin(
        household_contact,
        and_(
            _contact.household_id == callback.c.household_id,
            _contact.site_id == callback.c.site_id,
        ),
    ).outerjoin(
        complaint_ref,
        and_(_ref.complaint_id == callback.c.complaint_id, _ref.site_id == callback.c.site_id),
    )
)
"""Callbacks with their household's (or visitor's) contact, two joins for a whole page."""


def read(row: Row[Any], *, now: datetime | None = None) -> CallbackRead:
    """The API view of a callback row read with `WITH_CONTACT`."""
    state = rules.view(row.status, due=row.due_at, overdue=row.overdue_at, now=now or utcnow())
    values = {**row._mapping, "state": state, "contact": _contact_of(row._mapping)}
    return CallbackRead.model_validate(values)


def _contact_of(row: Mapping[Any, Any]) -> CallbackContact | None:
    if row["contact_name"] is None and row["visitor_name"]:  # a visitor who left a contact
        return CallbackContact(
            name=row["visitor_name"], phone=row["visitor_phone"], building=None, unit=None
        )
    if row["contact_name"] is None:  # no household, or notify never heard of it
        return None
    return CallbackContact(
        name=row["contact_name"],
        phone=row["contact_phone"],
        building=row["contact_building"] or None,
        unit=row["contact_unit"] or None,
    )


async def insert(session: AsyncSession, values: dict[str, Any]) -> bool:
    """Store a new callback; False when its origin already has one (a repeated event)."""
    statement = dialect_insert(session)(callback).values(values).on_conflict_do_nothing()
    return bool(rowcount(await session.execute(statement)))


async def get_row(
    session: AsyncSession, *, callback_id: str, principal: Principal | None, lock: bool = False
) -> Row[Any]:
    """The callback row, or 404 (also when it belongs to a site the principal does not see)."""
    query = select(callback)
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return await _visible(session, query, callback_id, principal)


async def _visible(
    session: AsyncSession, query: Select[Any], callback_id: str, principal: Principal | None
) -> Row[Any]:
    row: Row[Any] | None = (
        await session.execute(query.where(callback.c.id == callback_id))
    ).first()
    if row is None:
        raise NotFoundError("Callback", callback_id)
    if principal is not None:
        principal.visible("Callback", callback_id, row.site_id)
    return row


async def get(session: AsyncSession, *, callback_id: str, principal: Principal) -> CallbackRead:
    """One callback with its household's contact and every attempt made."""
    row = await _visible(session, WITH_CONTACT, callback_id, principal)
    attempts = await session.execute(
        select(callback_attempt)
        .where(callback_attempt.c.callback_id == callback_id)
        .order_by(callback_attempt.c.id)
    )
    history = [AttemptRead.model_validate(dict(a._mapping)) for a in attempts]
    return read(row).model_copy(update={"history": history})


async def record_link_attempt(session: AsyncSession, row: Row[Any], data: AttemptIn) -> None:
    """The resident's own answer, kept beside the staff's calls."""
    await _attempt(session, row, data, via="link", by=None)


async def _attempt(
    session: AsyncSession, row: Row[Any], data: AttemptIn, *, via: str, by: str | None
) -> None:
    await session.execute(
        callback_attempt.insert().values(
            callback_id=row.id,
            via=via,
            by=by,
            reached=data.reached,
            satisfied=data.satisfied,
            **_levels(data),
            comment=(data.comment or "").strip() or None,
            at=utcnow(),
        )
    )


async def record_attempt(
    session: AsyncSession, *, callback_id: str, data: AttemptIn, by: Principal, policy: Policy
) -> CallbackRead:
    """A call to the resident: reached closes the callback, a miss schedules the next call
    or, at the limit, records the resident as unreachable."""
    row = await get_row(session, callback_id=callback_id, principal=by, lock=True)
    try:
        data = settled(data)
        levels = any(_levels(data).values())
        rules.check_attempt(reached=data.reached, satisfied=data.satisfied, levels=levels)
        rules.check_staff_may_record(row.status, answered_by_link=row.completed_via == "link")
    except rules.AttemptError as exc:
        raise ProblemError(
            422, f"The attempt is not valid: {exc.detail}", zh=f"回访尝试无效：{exc.zh}"
        ) from exc
    except rules.TransitionError as exc:
        raise ConflictError(
            f"Callback {callback_id}: {exc.detail}",
            zh=f"回访 {callback_id}：{exc.zh}",
            state=row.status,
        ) from exc
    await _attempt(session, row, data, via="staff", by=by.sub)
    if data.reached:
        await finish(session, row, data, via="staff", by=by.sub)
    else:
        await _missed(session, row, by=by.sub, policy=policy)
    return read(await _visible(session, WITH_CONTACT, callback_id, None))


def settled(data: AttemptIn) -> AttemptIn:
    """The attempt with `satisfied` read off its outcome level when only the level was
    given (AttemptError when they disagree), so routing's close or reopen still follows."""
    satisfied = rules.satisfied_of(satisfied=data.satisfied, outcome_level=data.outcome_level)
    return data.model_copy(update={"satisfied": satisfied})


def _levels(data: AttemptIn) -> dict[str, str | None]:
    return {
        "outcome_level": data.outcome_level,
        "speed_level": data.speed_level,
        "attitude_level": data.attitude_level,
    }


async def _missed(session: AsyncSession, row: Row[Any], *, by: str, policy: Policy) -> Row[Any]:
    attempts, now = row.attempts + 1, utcnow()
    if rules.after_miss(attempts, max_attempts=policy.max_attempts) is rules.Status.UNREACHABLE:
        return await give_up(session, row, attempts=attempts, by=by, at=now)
    office = await get_office(session, site_id=row.site_id, working_days=policy.working_days)
    due = rules.into_working_hours(now + policy.retry_after, office.hours)
    values = {"due_at": due, "overdue_at": due + policy.overdue_after, "attempts": attempts}
    return await _store(session, row, values)


async def give_up(
    session: AsyncSession, row: Row[Any], *, attempts: int, by: str, at: datetime
) -> Row[Any]:
    """The last call went unanswered: the callback is unreachable and `callback.unreachable`
    goes out, so that routing does not leave the case resolved for ever."""
    values = {
        "status": rules.Status.UNREACHABLE.value,
        "completed_at": at,
        "completed_via": "staff",
        "completed_by": by,
        "attempts": attempts,
    }
    done = await _store(session, row, values)
    if done.case_id is not None and done.complaint_id is not None:
        event = CallbackUnreachable(
            callback_id=done.id,
            case_id=done.case_id,
            complaint_id=done.complaint_id,
            site_id=done.site_id,
            attempts=attempts,
            by=by,
            unreachable_at=at,
        )
        await _publish(session, done, event)
    after_commit(session, lambda: metrics.callbacks_completed.labels("unreachable", "staff").inc())
    return done


async def _publish(
    session: AsyncSession, done: Row[Any], event: CallbackCompleted | CallbackUnreachable
) -> None:
    await outbox.add(
        session,
        event,
        site_id=done.site_id,
        aggregate_id=done.case_id,
        correlation_id=done.correlation_id,
    )


async def finish(
    session: AsyncSession, row: Row[Any], data: AttemptIn, *, via: str, by: str | None
) -> Row[Any]:
    """The resident was asked: the callback is completed and `callback.completed` goes out
    (for a case; a survey's callback has no case to close or reopen)."""
    satisfied, now = bool(data.satisfied), utcnow()
    values = {
        "status": rules.Status.COMPLETED.value,
        "completed_at": now,
        "completed_via": via,
        "completed_by": by,
        "satisfied": satisfied,
        **_levels(data),
        "comment": (data.comment or "").strip() or None,
        "attempts": row.attempts + 1,
    }
    done = await _store(session, row, values)
    if done.case_id is not None and done.complaint_id is not None:
        event = CallbackCompleted(
            callback_id=done.id,
            case_id=done.case_id,
            complaint_id=done.complaint_id,
            site_id=done.site_id,
            satisfied=satisfied,
            outcome_level=done.outcome_level,
            speed_level=done.speed_level,
            attitude_level=done.attitude_level,
            comment=done.comment,
            by=by,
            completed_at=now,
        )
        await _publish(session, done, event)
    outcome = rules.outcome_of(satisfied=satisfied)
    after_commit(session, lambda: metrics.callbacks_completed.labels(outcome, via).inc())
    return done


async def cancel_for_complaint(session: AsyncSession, *, complaint_id: str) -> int:
    """Cancel the complaint's open callbacks (it was withdrawn); how many there were."""
    cancelled = await session.execute(
        update(callback)
        .where(callback.c.complaint_id == complaint_id, callback.c.status == rules.Status.OPEN)
        .values(status=rules.Status.CANCELLED.value, completed_at=utcnow())
    )
    return rowcount(cancelled)


async def _store(session: AsyncSession, row: Row[Any], values: dict[str, Any]) -> Row[Any]:
    changed = await session.execute(
        update(callback).where(callback.c.id == row.id).values(values).returning(*callback.c)
    )
    return changed.one()
