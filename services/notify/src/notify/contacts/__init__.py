"""Households' and staff's ways to be reached, and the households' own preferences."""
