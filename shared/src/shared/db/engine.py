"""The async engine and the unit of work.

SQLite (aiosqlite) is the embedded default: WAL mode and `BEGIN IMMEDIATE`, so writers queue
on the busy timeout instead of failing on a read-to-write upgrade. PostgreSQL (asyncpg) is
the production database.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool

SQLITE_BUSY_TIMEOUT_MS = 30_000
OUTBOX_PENDING = "careloop.outbox_pending"


class Database:
    """One service's database: engine, session factory and the commit signal for the relay."""

    def __init__(self, url: str, *, pool_size: int = 10, echo: bool = False) -> None:
        self.url = url
        self.engine = _create_engine(url, pool_size=pool_size, echo=echo, immediate=True)
        # SQLite readers take no write lock (WAL lets them run beside a writer); elsewhere
        # one engine serves both.
        self.read_engine = (
            _create_engine(url, pool_size=pool_size, echo=echo, immediate=False)
            if self.engine.dialect.name == "sqlite"
            else self.engine
        )
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self.read_sessions = async_sessionmaker(self.read_engine, expire_on_commit=False)
        self.committed = asyncio.Event()

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    async def ping(self) -> bool:
        """True when a trivial query succeeds within two seconds."""
        try:
            async with asyncio.timeout(2):
                async with self.engine.connect() as conn:
                    await conn.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()
        if self.read_engine is not self.engine:
            await self.read_engine.dispose()


def _create_engine(url: str, *, pool_size: int, echo: bool, immediate: bool) -> AsyncEngine:
    # hide_parameters: a database error names its statement, never the values bound to it
    # (residents' names and numbers), wherever it is logged or shown.
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            url,
            echo=echo,
            hide_parameters=True,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            poolclass=NullPool if parsed.database in (None, "", ":memory:") else None,
        )
        _make_sqlite_behave(engine, begin="BEGIN IMMEDIATE" if immediate else "BEGIN")
        return engine
    # No pre-ping: it costs a round trip on every checkout. A connection found dead instead
    # fails its statement once (answered 503 and retried by callers), and SQLAlchemy then
    # drops the whole pool, so a database restart heals without a process restart.
    return create_async_engine(
        url,
        echo=echo,
        hide_parameters=True,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_recycle=1800,
        connect_args=_pooler_connect_args(url),
    )


def behind_pooler(url: str) -> bool:
    """True when the URL turns the prepared-statement cache off, as a pooler URL must.

    `?prepared_statement_cache_size=0` is SQLAlchemy's switch for its own cache:
    https://docs.sqlalchemy.org/en/20/dialects/postgresql.html#prepared-statement-cache
    """
    value = make_url(url).query.get("prepared_statement_cache_size")
    return value is not None and int(str(value)) == 0


def _pooler_connect_args(url: str) -> dict[str, Any]:
    # PgBouncer in transaction mode hands each transaction whichever server connection is
    # free, so a statement prepared under a name on one is unknown (or a duplicate) on the
    # next. SQLAlchemy's switch alone leaves asyncpg's own cache on, and with it asyncpg
    # names every statement (`__asyncpg_stmt_1__`); with both off each statement is the
    # unnamed one, parsed and run inside its transaction.
    return {"statement_cache_size": 0} if behind_pooler(url) else {}


def _make_sqlite_behave(engine: AsyncEngine, *, begin: str) -> None:
    # pysqlite's own transaction handling defers BEGIN and never takes the write lock
    # early; taking over BEGIN is SQLAlchemy's documented recipe:
    # https://docs.sqlalchemy.org/en/20/dialects/sqlite.html#serializable-isolation-savepoints-transactional-ddl
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)


@asynccontextmanager
async def transaction(db: Database) -> AsyncIterator[AsyncSession]:
    """The unit of work: one session, one transaction, committed when the block ends.

    Entry points (routes, message handlers, timers) own it; services below never commit.
    When the block wrote outbox rows, the relay is woken after the commit.
    """
    async with db.sessions() as session, session.begin():
        yield session
    if session.info.pop(OUTBOX_PENDING, False):
        db.committed.set()


@asynccontextmanager
async def reading(db: Database) -> AsyncIterator[AsyncSession]:
    """A read-only unit of work: nothing it does is committed."""
    async with db.read_sessions() as session:
        yield session  # closing the session rolls its transaction back


def after_commit(session: AsyncSession, action: Callable[[], None]) -> None:
    """Run `action` once the session's transaction commits (never if it rolls back).

    Metrics count what happened, so they move only when the change is durable:
    https://docs.sqlalchemy.org/en/20/orm/events.html#sqlalchemy.orm.SessionEvents.after_commit
    """

    def run(_session: Any) -> None:
        action()

    event.listen(session.sync_session, "after_commit", run, once=True)


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes for timezone-aware columns; they were stored in UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def dialect_insert(session: AsyncSession) -> Any:
    """The dialect's own `insert` construct (it has `on_conflict_do_nothing`)."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert
