"""The report's statements, built for a million cases (DESIGN.md §12: under one second).

SQLAlchemy Core, never ORM objects. Three statements, each reading both periods at once
(`current` tells them apart), so comparing with the previous period costs nothing more:

- tallies: one pass over the cases, grouped by every attribute a breakdown shows;
- timings: the same cases' times to acknowledge and resolve, sorted by PostgreSQL's
  `percentile_disc` (SQLite has no such aggregate: its durations are sorted in Python);
- escalations: the history's `case.escalated` entries, joined to their cases through a
  small partial index of escalated cases only.

On PostgreSQL the timings and escalations run on a second connection while the tallies
run, both in one exported snapshot, so the figures are of one instant and the two sorts
overlap the scan instead of following it.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    ColumnElement,
    Float,
    Select,
    Table,
    and_,
    func,
    literal,
    or_,
    select,
    text,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession

from routing.cases.models import Case, CaseEntry
from routing.reports import figures
from routing.reports.figures import Counts, Escalations, Tally, Timings
from routing.reports.periods import Period
from shared.db.engine import as_utc
from shared.db.typed import table_of

CASE: Table = table_of(Case)
ENTRY: Table = table_of(CaseEntry)
QUANTILES = literal([0.5, 0.9], ARRAY(Float))
# This transaction only: sort a million durations in memory rather than on disk, and skip
# JIT compilation, which costs more than it saves on these short aggregates.
TUNING = (text("SET LOCAL work_mem = '64MB'"), text("SET LOCAL jit = off"))
SNAPSHOT = re.compile(r"^[0-9A-F-]+$")
REPEATABLE = text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


@dataclass(frozen=True)
class Window:
    """Which cases a report reads: its sites (None: the group), its period and the one before."""

    sites: tuple[str, ...] | None
    period: Period
    before: Period

    def where(self) -> ColumnElement[bool]:
        """Cases of the sites received in either period."""
        received = CASE.c.received_at
        scope = true() if self.sites is None else CASE.c.site_id.in_(self.sites)
        return and_(scope, received >= self.before.start, received < self.period.end)

    def current(self) -> ColumnElement[bool]:
        """True for cases of the period itself, false for the previous period's."""
        return CASE.c.received_at >= self.period.start


@dataclass(frozen=True)
class Data:
    """Everything the database says for one report."""

    tallies: list[Tally]
    escalations: list[Escalations]
    timings: tuple[Timings, Timings]


def missed(done: Any, due: Any, breached: Any, as_of: datetime) -> ColumnElement[bool]:
    """A deadline missed: a stamped breach, a late answer, or no answer past the due time
    (unless the resident withdrew the complaint first: its deadlines stopped with it, and
    one that ran out before the withdrawal was stamped as a breach).

    Missed, met and open split every case; the rest (neither) is still open.
    """
    return or_(
        breached.is_not(None),
        and_(done.is_not(None), done > due),
        and_(done.is_(None), due < as_of, CASE.c.status != WITHDRAWN),
    )


def met(done: Any, due: Any, breached: Any) -> ColumnElement[bool]:
    """A deadline met: answered in time, with no breach stamped."""
    return and_(done.is_not(None), breached.is_(None), or_(due.is_(None), done <= due))


WITHDRAWN = "withdrawn"
SATISFIED = ("very_satisfied", "satisfied")
"""The levels that count as satisfied in the complaint-handling satisfaction rate."""


def closed_satisfied() -> ColumnElement[bool]:
    """Closed by a callback that found the resident satisfied, not for reaching nobody."""
    return and_(CASE.c.closed_at.is_not(None), CASE.c.closed_unreachable.is_(False))


def _count_if(condition: ColumnElement[bool]) -> Any:
    return func.count().filter(condition)


def tallies_statement(window: Window, as_of: datetime) -> Select[Any]:
    """Cases of both periods grouped by every attribute a breakdown shows."""
    c = CASE.c
    current = window.current().label("current")
    keys = (c.site_id, c.category, c.kind, c.channel, c.department, c.validity, c.invalid_reason)
    ack = (c.acknowledged_at, c.acknowledge_due_at, c.acknowledge_breached_at)
    res = (c.resolved_at, c.resolve_due_at, c.resolve_breached_at)
    return (
        select(
            current,
            *keys,
            func.count(),
            _count_if(met(*ack)),
            _count_if(missed(*ack, as_of)),
            _count_if(met(*res)),
            _count_if(missed(*res, as_of)),
            _count_if(c.escalation_count > 0),
            _count_if(c.reopen_count > 0),
            func.coalesce(func.sum(c.reopen_count), 0),
            _count_if(closed_satisfied()),
            _count_if(c.unreachable_count > 0),
            _count_if(c.speed_level.is_not(None)) + _count_if(c.attitude_level.is_not(None)),
            _count_if(c.speed_level.in_(SATISFIED)) + _count_if(c.attitude_level.in_(SATISFIED)),
        )
        .where(window.where())
        .group_by(current, *keys)
    )


def escalations_statement(window: Window) -> Select[Any]:
    """Escalations of the cases of both periods, by the level reached and the reason."""
    current = window.current().label("current")
    level = ENTRY.c.data["level"].as_string().label("level")
    reason = ENTRY.c.data["reason"].as_string().label("reason")
    return (
        select(current, level, reason, func.count())
        .select_from(ENTRY.join(CASE, CASE.c.id == ENTRY.c.case_id))
        .where(
            ENTRY.c.type == "case.escalated",
            ENTRY.c.at >= window.before.start,  # a case escalates after it was received
            CASE.c.escalation_count > 0,  # the partial index of escalated cases
            window.where(),
        )
        .group_by(current, level, reason)
    )


def _seconds(later: Any) -> Any:
    # Whole seconds as integers: they sort faster than floats, and a second is precise enough.
    return func.floor(func.date_part("epoch", later - CASE.c.received_at)).cast(BigInteger)


def percentiles_statement(window: Window) -> Select[Any]:
    """PostgreSQL: median and 90th percentile of both times, for both periods."""
    current = window.current()
    columns = []
    for half in (current, ~current):
        for done in (CASE.c.acknowledged_at, CASE.c.resolved_at):
            ordered = func.percentile_disc(QUANTILES).within_group(_seconds(done))
            columns.append(ordered.filter(and_(half, done.is_not(None))))
    return select(*columns).where(window.where())


def durations_statement(window: Window) -> Select[Any]:
    """SQLite: the times themselves, sorted in Python."""
    c = CASE.c
    return select(c.received_at, c.acknowledged_at, c.resolved_at).where(
        window.where(), or_(c.acknowledged_at.is_not(None), c.resolved_at.is_not(None))
    )


def _is_postgresql(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


async def read(
    session: AsyncSession, window: Window, as_of: datetime, helper: AsyncSession | None = None
) -> Data:
    """All the report's data; with a `helper` paired to the session, on two connections at once."""
    if not _is_postgresql(session):
        return Data(
            await _tallies(session, window, as_of),
            await _escalations(session, window),
            _sqlite_timings((await session.execute(durations_statement(window))).all(), window),
        )
    if helper is None:
        await _tune(session)
        tallies, escalations = await _grouped_parts(session, window, as_of)
        return Data(tallies, escalations, await _timings_of(session, window))
    (tallies, escalations), timings = await asyncio.gather(
        _grouped_parts(session, window, as_of), _timings_of(helper, window)
    )
    return Data(tallies, escalations, timings)


async def _tune(session: AsyncSession) -> None:
    for statement in TUNING:
        await session.execute(statement)


async def pair(session: AsyncSession, helper: AsyncSession) -> None:
    """Make `helper` see the database as `session` does; call before either reads anything.

    PostgreSQL only (exported snapshots); on SQLite the helper is simply not used.
    """
    if not _is_postgresql(session):
        return
    await session.execute(REPEATABLE)
    snapshot = str(await session.scalar(text("SELECT pg_export_snapshot()")))
    if not SNAPSHOT.match(snapshot):
        raise RuntimeError(f"unexpected snapshot id {snapshot!r}")
    await helper.execute(REPEATABLE)
    await helper.execute(text(f"SET TRANSACTION SNAPSHOT '{snapshot}'"))
    await _tune(session)
    await _tune(helper)


async def _grouped_parts(
    session: AsyncSession, window: Window, as_of: datetime
) -> tuple[list[Tally], list[Escalations]]:
    return await _tallies(session, window, as_of), await _escalations(session, window)


async def _timings_of(session: AsyncSession, window: Window) -> tuple[Timings, Timings]:
    row = (await session.execute(percentiles_statement(window))).one()
    pairs = [tuple(v) if v is not None else (None, None) for v in row]
    return Timings(*pairs[0], *pairs[1]), Timings(*pairs[2], *pairs[3])


async def _tallies(session: AsyncSession, window: Window, as_of: datetime) -> list[Tally]:
    return [_tally(r) for r in await session.execute(tallies_statement(window, as_of))]


def _tally(row: Any) -> Tally:
    counts = Counts(*(int(v) for v in row[8:]))
    site, category, kind, channel, department, validity, reason = row[1:8]
    return Tally(bool(row[0]), site, category, kind, channel, department, validity, reason, counts)


async def _escalations(session: AsyncSession, window: Window) -> list[Escalations]:
    rows = await session.execute(escalations_statement(window))
    return [Escalations(bool(r[0]), str(r[1]), str(r[2]), int(r[3])) for r in rows]


def _sqlite_timings(rows: Sequence[Any], window: Window) -> tuple[Timings, Timings]:
    return _timings(rows, window, True), _timings(rows, window, False)


def _timings(rows: Sequence[Any], window: Window, current: bool) -> Timings:
    def seconds(later: datetime, received: datetime) -> int:
        return int((as_utc(later) - as_utc(received)).total_seconds() // 1)

    chosen = [r for r in rows if (as_utc(r[0]) >= window.period.start) is current]
    ack = [seconds(r[1], r[0]) for r in chosen if r[1] is not None]
    res = [seconds(r[2], r[0]) for r in chosen if r[2] is not None]
    return figures.timings(ack, res)
