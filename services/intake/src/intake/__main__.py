"""`python -m intake` serves intake; `python -m intake migrate` only migrates."""

from __future__ import annotations

import sys

from intake.main import SERVICE_DIR, create_app
from intake.settings import IntakeSettings
from shared.db.migrations import upgrade
from shared.http.serve import serve


def main() -> None:
    """Serve, or migrate with the `migrate` argument."""
    if sys.argv[1:] == ["migrate"]:
        upgrade(SERVICE_DIR, IntakeSettings().database_url)
        return
    serve(create_app())


if __name__ == "__main__":
    main()
