"""`python -m probe`: serve the probe service."""

from probe.app import build
from shared.http.serve import serve

serve(build())  # type: ignore[arg-type]
