"""Status webhooks for call-center systems: an integrator subscribes (URL, secret, event
types, sites) and receives every status change of the complaints it filed, signed by the
Standard Webhooks scheme, through notify's deliveries (docs/webhooks.md)."""
