"""Telling "the database cannot be reached now" from "this statement failed".

An outage (the server stopped, restarting or refusing connections, a connection cut) is
nobody's mistake: HTTP answers 503 with Retry-After, and the consumer holds its message
until the database answers again instead of spending the message's retries on it.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

# SQLSTATEs of a server that is going away or not taking connections:
# https://www.postgresql.org/docs/current/errcodes-appendix.html
UNAVAILABLE_SQLSTATES = frozenset(
    {
        "57P01",  # admin_shutdown: terminating connection due to administrator command
        "57P02",  # crash_shutdown
        "57P03",  # cannot_connect_now: the database system is starting up / shutting down
        "53300",  # too_many_connections
    }
)
CONNECTION_EXCEPTION_CLASS = "08"


def database_unavailable(exc: BaseException) -> bool:
    """True when `exc` says the database cannot be reached now (not that a statement is wrong)."""
    if isinstance(exc, ConnectionError | PoolTimeoutError):
        return True
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError):
            return True
        return _unavailable_state(getattr(exc.orig, "sqlstate", None))
    return _unavailable_state(getattr(exc, "sqlstate", None))


def _unavailable_state(sqlstate: object) -> bool:
    if not isinstance(sqlstate, str):
        return False
    return sqlstate in UNAVAILABLE_SQLSTATES or sqlstate.startswith(CONNECTION_EXCEPTION_CLASS)
