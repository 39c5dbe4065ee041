"""Benchmarks: figures printed with their limits, never asserted."""
