"""What the daily retention timer does when it is due: shared.retention's daily run, with
notify's anonymiser and counters."""

from notify import metrics
from notify.retention import rules, service
from shared.retention import daily_run

on_retention_due = daily_run(rules.TIMER_KIND, service.anonymise_site, metrics)
