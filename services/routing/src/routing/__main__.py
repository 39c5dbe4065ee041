"""`python -m routing` serves routing; `python -m routing migrate` only migrates."""

from __future__ import annotations

import sys

from routing.main import SERVICE_DIR, create_app
from routing.settings import RoutingSettings
from shared.db.migrations import upgrade
from shared.http.serve import serve


def main() -> None:
    """Serve, or migrate with the `migrate` argument."""
    if sys.argv[1:] == ["migrate"]:
        upgrade(SERVICE_DIR, RoutingSettings().database_url)
        return
    serve(create_app())


if __name__ == "__main__":
    main()
