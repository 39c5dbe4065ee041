"""Rectification (整改): a plan split into items for rectification teams, then acceptance."""
