"""Event contracts: the envelope, the registry, and one module per producing service.

Beside them, the closed vocabularies that several services and the console share without
an event carrying them whole: the survey topics (`topics`) and the complaint report's
figures and dimensions (`reports`).
"""

from shared.contracts import intake, notify, routing, surveys
from shared.contracts.base import (
    Envelope,
    Event,
    MalformedMessageError,
    dump_envelope,
    parse_message,
    registry,
)

__all__ = [
    "Envelope",
    "Event",
    "MalformedMessageError",
    "dump_envelope",
    "intake",
    "notify",
    "parse_message",
    "registry",
    "routing",
    "surveys",
]
