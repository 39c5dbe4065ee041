"""A minimal careloop service, run as a real process by the bus proofs.

It records complaints through the outbox and consumes `complaint.received` the way every
service does, so the tests exercise the shared bus exactly as production code uses it.
"""
