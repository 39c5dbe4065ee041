"""HTTP: the app factory, problem+json errors, auth, idempotency, pagination."""
