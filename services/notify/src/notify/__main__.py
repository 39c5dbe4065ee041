"""`python -m notify` serves notify; `python -m notify migrate` only migrates."""

from __future__ import annotations

import sys

from notify.main import SERVICE_DIR, create_app
from notify.settings import NotifySettings
from shared.db.migrations import upgrade
from shared.http.serve import serve


def main() -> None:
    """Serve, or migrate with the `migrate` argument."""
    if sys.argv[1:] == ["migrate"]:
        upgrade(SERVICE_DIR, NotifySettings().database_url)
        return
    serve(create_app())


if __name__ == "__main__":
    main()
