"""Keyset pages over notify's notices and callbacks with the shared opaque cursors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, and_, or_

from shared.http.errors import ProblemError
from shared.http.pagination import decode_cursor


def _invalid() -> ProblemError:
    return ProblemError(400, "The cursor is not valid; start again without it")


def _key(cursor: str | None) -> tuple[datetime, str] | None:
    values = decode_cursor(cursor, arity=2)
    if values is None:
        return None
    try:
        when = datetime.fromisoformat(values[0])
    except (TypeError, ValueError):
        raise _invalid() from None
    if when.tzinfo is None or not isinstance(values[1], str):
        raise _invalid()
    return when.astimezone(UTC), values[1]


def newest_first(query: Select[Any], at: Any, ident: Any, cursor: str | None) -> Select[Any]:
    """Rows older than the cursor's (time, id), newest first."""
    key = _key(cursor)
    ordered = query.order_by(at.desc(), ident.desc())
    if key is None:
        return ordered
    return ordered.where(or_(at < key[0], and_(at == key[0], ident < key[1])))


def oldest_first(query: Select[Any], at: Any, ident: Any, cursor: str | None) -> Select[Any]:
    """Rows after the cursor's (time, id), oldest first: a work queue's order."""
    key = _key(cursor)
    ordered = query.order_by(at, ident)
    if key is None:
        return ordered
    return ordered.where(or_(at > key[0], and_(at == key[0], ident > key[1])))
