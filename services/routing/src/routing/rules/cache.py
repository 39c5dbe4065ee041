"""A site's rules, kept a few seconds per process: every complaint of the site reads them.

The database stays the truth: an entry lives `TTL` seconds, so a change made through
another replica applies within that time; a change made through this process applies at
once (the site's entries are dropped when its rules commit).
"""

from __future__ import annotations

import time
from datetime import date

from sqlalchemy import Engine
from sqlalchemy.ext.asyncio import AsyncSession

from routing.rules.rules import SiteRules

TTL = 5.0
MAX_ENTRIES = 10_000

Key = tuple[str, str, date]
_entries: dict[Key, tuple[float, SiteRules]] = {}


def key(session: AsyncSession, site_id: str, today: date) -> Key:
    """Entries are per database too: tests run many apps, each on its own, in one process."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    return (str(engine.url), site_id, today)


def get(found: Key) -> SiteRules | None:
    """The rules kept under `found`, if they are fresh."""
    entry = _entries.get(found)
    if entry is None or time.monotonic() - entry[0] > TTL:
        return None
    return entry[1]


def put(found: Key, rules: SiteRules) -> None:
    """Keep `rules` under `found`."""
    if len(_entries) >= MAX_ENTRIES:
        _entries.clear()
    _entries[found] = (time.monotonic(), rules)


def forget(site_id: str) -> None:
    """Drop every entry of the site (its rules changed)."""
    for stale in [k for k in _entries if k[1] == site_id]:
        _entries.pop(stale, None)
