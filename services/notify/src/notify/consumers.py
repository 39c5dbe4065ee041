"""Which event types notify handles, and by whom (DESIGN.md §2): households for contacts,
complaint, case, report and rectification events for staff and resident messages, survey
invitations and reminders for residents, resolved and withdrawn cases and survey callback
requests for callbacks; every status change also goes to the status webhooks."""

from __future__ import annotations

from notify.callbacks.handlers import handlers as callback_handlers
from notify.callbacks.service import policy_of
from notify.contacts.handlers import on_household_removed, on_household_upserted
from notify.messages import handlers as messages
from notify.retention.handlers import on_site_retention_set
from notify.settings import NotifySettings
from notify.webhooks.handlers import with_status_webhooks
from shared.bus.consumer import Handler

HANDLERS: dict[str, Handler] = {
    "household.upserted": on_household_upserted,
    "household.removed": on_household_removed,
    "complaint.received": messages.on_complaint_received,
    "complaint.contact_given": messages.on_complaint_contact_given,
    "case.assigned": messages.on_case_assigned,
    "case.assignment_noticed": messages.on_case_assignment_noticed,
    "case.escalated": messages.on_case_escalated,
    "case.progressed": messages.on_case_progressed,
    "case.supplemented": messages.on_case_supplemented,
    "case.forwarded_to_developer": messages.on_case_forwarded_to_developer,
    "case.follow_up_reminded": messages.on_case_follow_up_reminded,
    "sla.breached": messages.on_sla_breached,
    "sla.warned": messages.on_sla_warned,
    "report.published": messages.on_report_published,
    "rectification.accepted": messages.on_rectification_accepted,
    "rectification.opened": messages.on_rectification_opened,
    "rectification.item_overdue": messages.on_rectification_item_overdue,
    "corrective_action.planned": messages.on_corrective_action_planned,
    "corrective_action.overdue": messages.on_corrective_action_overdue,
    "survey.invitation_issued": messages.on_survey_invitation_issued,
    "survey.reminder_issued": messages.on_survey_reminder_issued,
    "site.retention_set": on_site_retention_set,
}


def handlers(settings: NotifySettings) -> dict[str, Handler]:
    """Every handler of notify: the callbacks' bound to the settings' policy, and each
    status-changing event also fanned out to the status webhooks."""
    return with_status_webhooks({**HANDLERS, **callback_handlers(policy_of(settings))})
