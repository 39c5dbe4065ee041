"""Test support: real-server fixtures (the pytest plugin) and real service processes."""
