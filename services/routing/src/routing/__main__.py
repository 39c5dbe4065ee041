"""`python -m routing` serves routing; `migrate` only migrates; `load FILE` loads a group.

`load` takes a YAML or JSON file of organisations and rules (see `routing.loader`).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from routing.loader import LoadError, SiteDocument, load, read_file
from routing.main import SERVICE_DIR, create_app
from routing.settings import RoutingSettings
from shared.db.engine import Database
from shared.db.migrations import upgrade
from shared.http.serve import serve


def main() -> None:
    """Serve, migrate with `migrate`, or load a file with `load FILE`."""
    args = sys.argv[1:]
    if args == ["migrate"]:
        upgrade(SERVICE_DIR, RoutingSettings().database_url)
        return
    if len(args) == 2 and args[0] == "load":
        sys.exit(_load(Path(args[1])))
    serve(create_app())


def _load(path: Path) -> int:
    settings = RoutingSettings()
    upgrade(SERVICE_DIR, settings.database_url)
    try:
        sites = read_file(path)
        asyncio.run(_load_into(settings.database_url, sites))
    except (LoadError, OSError) as exc:
        print(f"routing: {exc}", file=sys.stderr)
        return 1
    print(f"routing: loaded {len(sites)} site(s) from {path}", file=sys.stderr)
    return 0


async def _load_into(url: str, sites: list[SiteDocument]) -> None:
    db = Database(url)
    try:
        await load(db, sites)
    finally:
        await db.dispose()


if __name__ == "__main__":
    main()
