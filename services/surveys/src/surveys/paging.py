"""Keyset pages over surveys's tables with the shared opaque cursors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, and_, or_

from shared.http.errors import ProblemError
from shared.http.pagination import decode_cursor


def _invalid() -> ProblemError:
    return ProblemError(400, "The cursor is not valid; start again without it")


def after_key(query: Select[Any], columns: list[Any], cursor: str | None) -> Select[Any]:
    """Rows after the cursor's key (text columns), in key order."""
    ordered = query.order_by(*columns)
    values = decode_cursor(cursor, arity=len(columns))
    if values is None:
        return ordered
    if not all(isinstance(v, str) for v in values):
        raise _invalid()
    if len(columns) == 1:
        return ordered.where(columns[0] > values[0])
    first, second = columns
    return ordered.where(or_(first > values[0], and_(first == values[0], second > values[1])))


def newest_first(query: Select[Any], at: Any, ident: Any, cursor: str | None) -> Select[Any]:
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
