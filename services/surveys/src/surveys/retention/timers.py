"""What the daily retention timer does when it is due: shared.retention's daily run, with
surveys' anonymiser and counters."""

from shared.retention import daily_run
from surveys import metrics
from surveys.retention import rules, service

on_retention_due = daily_run(rules.TIMER_KIND, service.anonymise_site, metrics)
