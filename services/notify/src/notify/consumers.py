"""Which event types notify handles, and by whom (DESIGN.md §2): households for contacts,
complaint, case, report and rectification events for staff and resident messages, survey
invitations and reminders for residents, resolved and withdrawn cases and survey callback
requests for callbacks; every status change also goes to the status webhooks."""

from __future__ import annotations

from notify.callbacks.handlers import handlers as callback_handlers
from notify.callbacks.service import policy_of
from notify.contacts import directory
from notify.messages import developer, followups, refs, residents, staff, work
from notify.retention.handlers import on_site_retention_set
from notify.settings import NotifySettings
from notify.webhooks.handlers import with_status_webhooks
from shared.bus.consumer import Handler

HANDLERS: dict[str, Handler] = {
    "household.upserted": directory.apply_upsert,
    "household.removed": directory.apply_removal,
    "complaint.received": residents.acknowledgement,
    "complaint.contact_given": refs.remember_contact,
    "case.assigned": staff.work_assignment,
    "case.assignment_noticed": staff.assignment_notice,
    "case.escalated": staff.escalation_alert,
    "case.progressed": residents.progress,
    "case.supplemented": followups.supplement,
    "case.forwarded_to_developer": developer.forwarded,
    "case.follow_up_reminded": developer.reminded,
    "sla.breached": staff.sla_breach_alert,
    "sla.warned": work.sla_warning,
    "report.published": staff.complaint_report,
    "rectification.accepted": staff.rectification_result,
    "rectification.opened": work.rectification_items,
    "rectification.item_overdue": work.rectification_item_overdue,
    "corrective_action.planned": work.corrective_action,
    "corrective_action.overdue": work.corrective_action_overdue,
    "survey.invitation_issued": residents.survey_invitation,
    "survey.reminder_issued": residents.survey_reminder,
    "site.retention_set": on_site_retention_set,
}


def handlers(settings: NotifySettings) -> dict[str, Handler]:
    """Every handler of notify: the callbacks' bound to the settings' policy, and each
    status-changing event also fanned out to the status webhooks."""
    return with_status_webhooks({**HANDLERS, **callback_handlers(policy_of(settings))})
