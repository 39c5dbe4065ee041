"""Cursor pages ordered by (opened_at, id), the order every routing list uses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_

from shared.http.errors import ProblemError
from shared.http.pagination import decode_cursor


def after(cursor: str | None, opened_at: Any, ident: Any) -> ColumnElement[bool] | None:
    """The WHERE clause of the rows after `cursor` (None on the first page)."""
    values = decode_cursor(cursor, arity=2)
    if values is None:
        return None
    try:
        at = datetime.fromisoformat(str(values[0]))
    except ValueError:
        at = None
    if at is None or at.tzinfo is None:
        raise ProblemError(
            400,
            "The cursor is not valid; start again without it",
            zh="游标无效，请不带游标重新查询",
        )
    return or_(opened_at > at, and_(opened_at == at, ident > str(values[1])))
