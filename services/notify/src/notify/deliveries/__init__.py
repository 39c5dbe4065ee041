"""Messages (rendered once per locale) and their deliveries, one per recipient and channel."""
