"""careloop intake: the resident directory and complaints as received, with their timeline."""
