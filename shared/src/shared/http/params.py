"""Path and query parameters every service reads the same way."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

# The largest value a PostgreSQL BIGINT (and a SQLite INTEGER) holds: a larger id names
# nothing, and sent to the database it would be an error instead of a 404.
BIGINT_MAX = 2**63 - 1

RowId = Annotated[int, Path(ge=1, le=BIGINT_MAX, description="a numeric id")]
