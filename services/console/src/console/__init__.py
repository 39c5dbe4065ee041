"""careloop console: the staff's web application over the four services' APIs."""
