"""Phone tasks: deliveries a person makes by calling, worked by the call-center."""
