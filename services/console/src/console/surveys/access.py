"""Which of the surveys pages a person's roles open (the surveys service decides what
each role may do; these keep people off pages whose every action it would refuse)."""

from __future__ import annotations

PLANNERS = ("dept_head", "vp", "gm")
"""Plan, draw and close campaigns, and verify re-check entries (surveys' managers)."""
READERS = ("surveyor", *PLANNERS)
"""See campaigns and results, and enter the answers collected (surveyors and above)."""
