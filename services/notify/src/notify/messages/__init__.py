"""Messages to staff and residents about complaints, from routing, intake and surveys events."""
