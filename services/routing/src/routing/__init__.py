"""careloop routing: cases: routing, transmittal, escalation, SLA timers, resolution."""
