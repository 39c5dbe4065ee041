"""Typed access to two things SQLModel and SQLAlchemy's typing leave out.

A `table=True` model's `__table__` is set by SQLAlchemy's declarative machinery, which
SQLModel does not declare; and `session.execute` is typed to return a `Result`, whereas an
INSERT, UPDATE or DELETE returns its subclass `CursorResult`, the one with `rowcount`:
https://docs.sqlalchemy.org/en/20/core/connections.html#sqlalchemy.engine.CursorResult.rowcount
Both check what they are handed instead of casting, so a wrong argument fails loudly.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import CursorResult, Result, Table
from sqlmodel import SQLModel


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a `table=True` model, for statements written against its columns."""
    table = getattr(model, "__table__", None)
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not a table model (table=True)")
    return table


def rowcount(result: Result[Any]) -> int:
    """How many rows the INSERT, UPDATE or DELETE whose result this is matched."""
    if not isinstance(result, CursorResult):
        kind = type(result).__name__
        raise TypeError(f"a {kind} has no rowcount: not the result of an INSERT, UPDATE or DELETE")
    return result.rowcount
