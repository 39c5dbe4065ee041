"""`python -m console` serves the console; `python -m console migrate` only migrates."""

from __future__ import annotations

import sys

from console.main import create_app
from console.settings import SERVICE_DIR, ConsoleSettings
from shared.db.migrations import upgrade
from shared.http.serve import serve


def main() -> None:
    """Serve, or migrate with the `migrate` argument."""
    if sys.argv[1:] == ["migrate"]:
        upgrade(SERVICE_DIR, ConsoleSettings().database_url)
        return
    serve(create_app())


if __name__ == "__main__":
    main()
