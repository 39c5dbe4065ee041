"""careloop notify: notices, messages, deliveries and callbacks."""
