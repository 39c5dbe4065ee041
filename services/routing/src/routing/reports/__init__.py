"""The complaint report (顾客投诉报告): figures of a site, a region or the group over a period."""
