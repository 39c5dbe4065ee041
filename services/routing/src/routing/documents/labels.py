"""The words on printed documents, in Chinese and English (DESIGN.md §11 glossary).

The closed sets' values and the event names are the shared glossary's (`shared.words`).
"""

from __future__ import annotations

from shared.words import ESCALATION_REASONS, EVENTS, VALUES, Captions, Lang, value

__all__ = ["ESCALATION_REASONS", "EVENTS", "FIELDS", "TITLES", "VALUES", "Lang", "field", "value"]

TITLES: dict[str, dict[Lang, str]] = {
    "complaint_record": {"zh": "顾客投诉处理记录表", "en": "Complaint record"},
    "transmittal_slip": {"zh": "工作传签单", "en": "Work transmittal slip"},
    "assignment_notice": {"zh": "工作安排通知单", "en": "Work assignment notice"},
    "rectification_report": {"zh": "整改报告", "en": "Rectification report"},
}

FIELDS: dict[str, dict[Lang, str]] = {
    "site": {"zh": "管理处", "en": "Site"},
    "number": {"zh": "编号", "en": "No."},
    "reference": {"zh": "投诉编号", "en": "Complaint reference"},
    "received_at": {"zh": "接收时间", "en": "Received"},
    "channel": {"zh": "投诉渠道", "en": "Channel"},
    "kind": {"zh": "类别", "en": "Kind"},
    "category": {"zh": "专业分类", "en": "Category"},
    "severity": {"zh": "紧急程度", "en": "Severity"},
    "reporter": {"zh": "投诉人", "en": "Reported by"},
    "reporter_name": {"zh": "投诉人姓名", "en": "Complainant"},
    "reporter_room": {"zh": "房号", "en": "Room"},
    "reporter_phone": {"zh": "联系电话", "en": "Phone"},
    "location": {"zh": "地点", "en": "Location"},
    "description": {"zh": "投诉内容", "en": "Complaint"},
    "department": {"zh": "责任部门", "en": "Responsible department"},
    "handler": VALUES["level"]["handler"],
    "validity": {"zh": "有效性判定", "en": "Validity"},
    "progress": {"zh": "处理过程", "en": "Progress"},
    "result": {"zh": "处理结果", "en": "Result"},
    "reply": {"zh": "答复业户", "en": "Reply to the resident"},
    "resolved_at": {"zh": "答复时间", "en": "Replied"},
    "status": {"zh": "状态", "en": "Status"},
    "immediate_reply": {"zh": "即时答复", "en": "Immediate reply"},
    "immediate_reply_at": {"zh": "即时答复时间", "en": "Replied on the spot"},
    "not_immediate": {"zh": "未即时答复", "en": "Not answered on the spot"},
    "immediate_result": {
        "zh": "受理时即时答复",
        "en": "Answered on the spot when it was received",
    },
    "callback": {"zh": "回访结果", "en": "Callback"},
    "callback_speed": {"zh": "处理速度", "en": "speed"},
    "callback_attitude": {"zh": "服务态度", "en": "attitude"},
    "callback_comment": {"zh": "回访意见", "en": "Callback comment"},
    "from": {"zh": "传签人", "en": "From"},
    "to": {"zh": "呈送", "en": "To"},
    "date": {"zh": "日期", "en": "Date"},
    "matter": {"zh": "事由", "en": "Matter"},
    "reason": {"zh": "传签原因", "en": "Reason for transmittal"},
    "decision": {"zh": "批示", "en": "Decision"},
    "outcome": {"zh": "处理结果", "en": "Outcome"},
    "issued_by": {"zh": "签发人", "en": "Issued by"},
    "instructions": {"zh": "工作要求", "en": "Instructions"},
    "due_at": {"zh": "完成时限", "en": "Due"},
    "slip": {"zh": "依据传签单", "en": "Answers slip"},
    "completed_at": {"zh": "完成时间", "en": "Completed"},
    "signature": {"zh": "签名", "en": "Signature"},
    "received_by": {"zh": "接收部门签收", "en": "Received by the department"},
    "filed": {"zh": "本表保存两年", "en": "Kept on file for two years"},
    "none": {"zh": "—", "en": "—"},
    # the rectification report (整改报告)
    "rectification_title": {"zh": "整改事项", "en": "Rectification"},
    "origin": {"zh": "整改来源", "en": "Raised from"},
    "problem": {"zh": "存在问题", "en": "Problem"},
    "measures": {"zh": "整改措施", "en": "Measures"},
    "completion_due": {"zh": "整改完成时限", "en": "To be completed by"},
    "opened_by": {"zh": "发起人", "en": "Opened by"},
    "opened_at": {"zh": "发起时间", "en": "Opened"},
    "plan": {"zh": "整改计划", "en": "Plan"},
    "team": {"zh": "整改小组", "en": "Rectification team"},
    "acceptance": {"zh": "验收结果", "en": "Acceptance"},
    "accepted_by": {"zh": "验收人", "en": "Accepted by"},
    "accepted_at": {"zh": "验收时间", "en": "Accepted"},
    "acceptance_note": {"zh": "验收意见", "en": "Inspection note"},
    "rejections": {"zh": "验收未通过次数", "en": "Times rejected at acceptance"},
    "feedback": {"zh": "结果已反馈各部门", "en": "Result fed back to all departments"},
}


field = Captions(FIELDS)
"""The caption of a field: `field(name, lang)`."""
