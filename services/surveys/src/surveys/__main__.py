"""`python -m surveys` serves surveys; `python -m surveys migrate` only migrates."""

from __future__ import annotations

import sys

from shared.db.migrations import upgrade
from shared.http.serve import serve
from surveys.main import SERVICE_DIR, create_app
from surveys.settings import SurveysSettings


def main() -> None:
    """Serve, or migrate with the `migrate` argument."""
    if sys.argv[1:] == ["migrate"]:
        upgrade(SERVICE_DIR, SurveysSettings().database_url)
        return
    serve(create_app())


if __name__ == "__main__":
    main()
