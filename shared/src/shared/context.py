"""Per-request and per-message context: correlation, causation and request ids.

Bound in contextvars so that logs, outbox rows and outgoing calls pick them up without
being passed through every function.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import structlog

correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)
causation_id: ContextVar[str | None] = ContextVar("causation_id", default=None)


def new_id() -> str:
    """A fresh random id, as text."""
    return str(uuid.uuid4())


@contextmanager
def bound(
    *, correlation: str | None, causation: str | None, **log_fields: str | None
) -> Iterator[None]:
    """Bind correlation and causation ids (and extra log fields) for the block."""
    tokens = (correlation_id.set(correlation), causation_id.set(causation))
    fields = {k: v for k, v in log_fields.items() if v is not None}
    with structlog.contextvars.bound_contextvars(correlation_id=correlation, **fields):
        try:
            yield
        finally:
            correlation_id.reset(tokens[0])
            causation_id.reset(tokens[1])
