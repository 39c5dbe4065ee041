"""Which event types routing handles, and by whom."""

from __future__ import annotations

from routing.cases.handlers import (
    on_callback_completed,
    on_callback_unreachable,
    on_complaint_received,
    on_complaint_supplemented,
    on_complaint_withdrawn,
)
from routing.corrective.handlers import (
    on_case_validity_judged,
    on_survey_completed,
    on_survey_target_missed,
)
from routing.retention.handlers import on_site_retention_set
from shared.bus.consumer import Handler

HANDLERS: dict[str, Handler] = {
    "complaint.received": on_complaint_received,
    "complaint.withdrawn": on_complaint_withdrawn,
    "complaint.supplemented": on_complaint_supplemented,
    "callback.completed": on_callback_completed,
    "callback.unreachable": on_callback_unreachable,
    "case.validity_judged": on_case_validity_judged,
    "survey.target_missed": on_survey_target_missed,
    "survey.completed": on_survey_completed,
    "site.retention_set": on_site_retention_set,
}
