"""Corrective and preventive actions (纠正措施 / 预防措施) and recurring problems."""
