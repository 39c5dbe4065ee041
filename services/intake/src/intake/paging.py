"""Keyset pages over intake's tables with the shared opaque cursors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, and_, or_

from shared.http.errors import ProblemError
from shared.http.pagination import decode_cursor


def _invalid() -> ProblemError:
    return ProblemError(400, "The cursor is not valid; start again without it")


def after_id(query: Select[Any], column: Any, cursor: str | None) -> Select[Any]:
    """Rows after the cursor's id, in id order."""
    values = decode_cursor(cursor, arity=1)
    if values is None:
        return query.order_by(column)
    if not isinstance(values[0], str):
        raise _invalid()
    return query.where(column > values[0]).order_by(column)


def before_time_and_id(query: Select[Any], at: Any, ident: Any, cursor: str | None) -> Select[Any]:
    """Rows older than the cursor's (time, id), newest first."""
    values = decode_cursor(cursor, arity=2)
    ordered = query.order_by(at.desc(), ident.desc())
    if values is None:
        return ordered
    try:
        when = datetime.fromisoformat(values[0])
    except (TypeError, ValueError):
        raise _invalid() from None
    if when.tzinfo is None or not isinstance(values[1], str):
        raise _invalid()
    when = when.astimezone(UTC)
    return ordered.where(or_(at < when, and_(at == when, ident < values[1])))
