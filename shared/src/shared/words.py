"""The glossary's words for the contracts' closed sets, in Chinese and English (DESIGN.md §11).

Channels, kinds, categories, statuses, levels, reasons and event types are codes in the
API and on the bus; people read them as these words, on printed documents and on pages,
the same in every service.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

Lang = Literal["zh", "en"]
NONE = "—"

VALUES: dict[str, dict[str, dict[Lang, str]]] = {
    "channel": {
        "call_center": {"zh": "呼叫中心", "en": "Call center"},
        "phone": {"zh": "电话", "en": "Phone"},
        "face_to_face": {"zh": "面谈", "en": "Face to face"},
        "suggestion_box": {"zh": "意见箱", "en": "Suggestion box"},
        "letter": {"zh": "信函", "en": "Letter"},
        "web": {"zh": "网站", "en": "Web"},
        "app": {"zh": "手机应用", "en": "App"},
        "callback": {"zh": "回访", "en": "Callback"},
        "staff_finding": {"zh": "员工发现", "en": "Staff finding"},
    },
    "kind": {
        "complaint": {"zh": "投诉", "en": "Complaint"},
        "grievance": {"zh": "抱怨", "en": "Grievance"},
        "inquiry": {"zh": "问询", "en": "Inquiry"},
        "suggestion": {"zh": "建议", "en": "Suggestion"},
    },
    "category": {
        "housing_management": {"zh": "房管", "en": "Housing management"},
        "security": {"zh": "治安", "en": "Security"},
        "vehicles": {"zh": "车辆", "en": "Vehicles"},
        "cleaning": {"zh": "清洁", "en": "Cleaning"},
        "greening": {"zh": "绿化", "en": "Greening"},
        "maintenance": {"zh": "维修", "en": "Maintenance"},
        "community_activities": {"zh": "社区活动", "en": "Community activities"},
        "convenience_services": {"zh": "便民服务", "en": "Convenience services"},
        "fees": {"zh": "收费", "en": "Fees"},
        "other": {"zh": "其他", "en": "Other"},
    },
    "severity": {
        "normal": {"zh": "一般", "en": "Normal"},
        "urgent": {"zh": "紧急", "en": "Urgent"},
        "safety": {"zh": "安全", "en": "Safety"},
    },
    "reporter_type": {
        "household": {"zh": "业户", "en": "Resident"},
        "visitor": {"zh": "访客", "en": "Visitor"},
        "staff": {"zh": "员工", "en": "Staff"},
    },
    "level": {
        "handler": {"zh": "投诉处理人", "en": "Complaint handler"},
        "dept_head": {"zh": "部门负责人", "en": "Department head"},
        "vp": {"zh": "主管副总经理", "en": "VP in charge"},
        "gm": {"zh": "总经理", "en": "General manager"},
    },
    "status": {
        "assigned": {"zh": "已分派", "en": "Assigned"},
        "in_progress": {"zh": "处理中", "en": "In progress"},
        "transmitted": {"zh": "已传签", "en": "Transmitted"},
        "with_developer": {"zh": "待发展商答复", "en": "Waiting on the developer"},
        "resolved": {"zh": "已答复", "en": "Resolved"},
        "closed": {"zh": "已关闭", "en": "Closed"},
        "withdrawn": {"zh": "业户已撤回", "en": "Withdrawn"},
    },
    "validity": {
        "valid": {"zh": "有效投诉", "en": "Valid complaint"},
        "invalid": {"zh": "无效投诉", "en": "Invalid complaint"},
    },
    "origin": {
        "case": {"zh": "顾客投诉", "en": "A complaint"},
        "finding": {"zh": "内部发现", "en": "An internal finding"},
        "manager": {"zh": "管理人员提出", "en": "A manager"},
    },
    "rectification_status": {
        "in_progress": {"zh": "整改中", "en": "In progress"},
        "in_acceptance": {"zh": "待验收", "en": "Awaiting acceptance"},
        "accepted": {"zh": "已验收", "en": "Accepted"},
    },
    "item_status": {
        "open": {"zh": "未完成", "en": "Open"},
        "done": {"zh": "已完成", "en": "Done"},
    },
    "complaint_status": {
        "received": {"zh": "已受理", "en": "Received"},
        "assigned": {"zh": "已分派", "en": "Assigned"},
        "in_progress": {"zh": "处理中", "en": "In progress"},
        "resolved": {"zh": "已答复", "en": "Resolved"},
        "closed": {"zh": "已关闭", "en": "Closed"},
        "reopened": {"zh": "重新处理", "en": "Reopened"},
        "withdrawn": {"zh": "已撤回", "en": "Withdrawn"},
    },
    "callback_state": {
        "pending": {"zh": "未到期", "en": "Not yet due"},
        "due": {"zh": "待回访", "en": "Due"},
        "overdue": {"zh": "回访逾期", "en": "Overdue"},
        "completed": {"zh": "已回访", "en": "Done"},
        "unreachable": {"zh": "联系不上", "en": "Unreachable"},
    },
    "deadline": {
        "acknowledge": {"zh": "受理时限", "en": "Acknowledge by"},
        "resolve": {"zh": "处理时限", "en": "Resolve by"},
    },
    "occupancy": {
        "owner": {"zh": "业主", "en": "Owner"},
        "tenant": {"zh": "住户", "en": "Tenant"},
    },
    "notice_kind": {
        "water_outage": {"zh": "停水", "en": "Water outage"},
        "power_outage": {"zh": "停电", "en": "Power outage"},
        "lift_maintenance": {"zh": "电梯维修", "en": "Lift maintenance"},
        "water_tank_cleaning": {"zh": "清洗水箱", "en": "Water-tank cleaning"},
        "safety_warning": {"zh": "安全警示", "en": "Safety warning"},
        "regulation": {"zh": "管理规定", "en": "Regulations"},
        "general": {"zh": "通知", "en": "Notice"},
    },
    "notice_status": {
        "scheduled": {"zh": "待发布", "en": "Scheduled"},
        "published": {"zh": "已发布", "en": "Published"},
        "cancelled": {"zh": "已取消", "en": "Cancelled"},
    },
    "notice_scope": {
        "site": {"zh": "全体业户", "en": "The whole site"},
        "buildings": {"zh": "指定楼栋", "en": "Chosen buildings"},
        "units": {"zh": "指定单元", "en": "Chosen units"},
    },
    "delivery_channel": {
        "sms": {"zh": "短信", "en": "SMS"},
        "email": {"zh": "电子邮件", "en": "E-mail"},
        "webhook": {"zh": "接口推送", "en": "Webhook"},
        "phone_task": {"zh": "电话通知", "en": "Phone call"},
        "app": {"zh": "App", "en": "App"},
    },
    "delivery_status": {
        "queued": {"zh": "待发送", "en": "Queued"},
        "sent": {"zh": "已发送", "en": "Sent"},
        "delivered": {"zh": "已送达", "en": "Delivered"},
        "failed": {"zh": "发送失败", "en": "Failed"},
    },
    "topic": {
        "housing_management": {"zh": "房管", "en": "Housing management"},
        "security": {"zh": "治安", "en": "Security"},
        "vehicles": {"zh": "车辆", "en": "Vehicles"},
        "cleaning": {"zh": "清洁", "en": "Cleaning"},
        "greening": {"zh": "绿化", "en": "Greening"},
        "maintenance": {"zh": "维修", "en": "Maintenance"},
        "community_activities": {"zh": "社区活动", "en": "Community activities"},
        "convenience_services": {"zh": "便民服务", "en": "Convenience services"},
        "overall": {"zh": "总体", "en": "Overall"},
    },
    "survey_method": {
        "door_to_door": {"zh": "上门征询", "en": "Door to door"},
        "phone": {"zh": "电话征询", "en": "By phone"},
        "outdoor": {"zh": "户外休闲时访问", "en": "Outdoor visit"},
        "questionnaire": {"zh": "问卷调查", "en": "Questionnaire"},
    },
    "scale": {
        "very_satisfied": {"zh": "很满意", "en": "Very satisfied"},
        "satisfied": {"zh": "满意", "en": "Satisfied"},
        "fairly_satisfied": {"zh": "较满意", "en": "Fairly satisfied"},
        "neutral": {"zh": "一般", "en": "Neutral"},
        "dissatisfied": {"zh": "不满意", "en": "Dissatisfied"},
    },
    "campaign_kind": {
        "regular": {"zh": "满意度征询", "en": "Satisfaction survey"},
        "special": {"zh": "专项调查", "en": "Special survey"},
    },
    "campaign_status": {
        "draft": {"zh": "草稿", "en": "Draft"},
        "drawn": {"zh": "已抽样", "en": "Sample drawn"},
        "open": {"zh": "进行中", "en": "Open"},
        "closed": {"zh": "已结束", "en": "Closed"},
    },
    "sample_reason": {
        "key_recent_complaint": {
            "zh": "上次测评后投诉或抱怨过",
            "en": "Complained since the last survey",
        },
        "key_frequent_complainer": {"zh": "经常投诉", "en": "Complains often"},
        "key_unsatisfied_last_survey": {"zh": "上次测评不满意", "en": "Not satisfied last time"},
        "random": {"zh": "随机抽样", "en": "Random sample"},
    },
    "recheck": {
        "pending": {"zh": "待复核", "en": "To re-check"},
        "confirmed": {"zh": "复核无误", "en": "Confirmed"},
        "corrected": {"zh": "复核更正", "en": "Corrected"},
    },
    "action_kind": {
        "corrective": {"zh": "纠正措施", "en": "Corrective action"},
        "preventive": {"zh": "预防措施", "en": "Preventive action"},
    },
    "action_status": {
        "open": {"zh": "待制定", "en": "Open"},
        "planned": {"zh": "已制定", "en": "Planned"},
        "completed": {"zh": "已完成", "en": "Completed"},
        "verified": {"zh": "已验证", "en": "Verified"},
    },
    "action_source": {
        "cases": {"zh": "顾客投诉", "en": "Complaints"},
        "survey": {"zh": "满意度测评", "en": "A satisfaction survey"},
        "recurring": {"zh": "重复出现的问题", "en": "A recurring problem"},
    },
    "verification_basis": {
        "survey": {"zh": "满意度测评", "en": "A survey"},
        "complaints": {"zh": "投诉情况", "en": "Complaints since"},
        "manual": {"zh": "现场检查", "en": "Inspection"},
    },
    "invalid_reason": {
        "developer": {"zh": "发展商原因", "en": "Caused by the developer"},
        "external_environment": {"zh": "外部环境原因", "en": "External environment"},
        "public_facility_outside_jurisdiction": {
            "zh": "非管辖范围公共设施",
            "en": "Public facility outside the site's jurisdiction",
        },
        "not_a_complaint": {"zh": "非投诉", "en": "Not a complaint"},
    },
    "sla_clock": {
        "working_hours": {"zh": "按工作时间计", "en": "Working hours"},
        "calendar": {"zh": "按自然时间计", "en": "Calendar time"},
    },
    "weekday": {
        "mon": {"zh": "周一", "en": "Monday"},
        "tue": {"zh": "周二", "en": "Tuesday"},
        "wed": {"zh": "周三", "en": "Wednesday"},
        "thu": {"zh": "周四", "en": "Thursday"},
        "fri": {"zh": "周五", "en": "Friday"},
        "sat": {"zh": "周六", "en": "Saturday"},
        "sun": {"zh": "周日", "en": "Sunday"},
    },
    "locale": {
        "zh-CN": {"zh": "中文", "en": "Chinese"},
        "en": {"zh": "英文", "en": "English"},
    },
    "message_kind": {
        "acknowledgement": {"zh": "受理回执", "en": "acknowledgement"},
        "progress": {"zh": "进展通知", "en": "progress update"},
        "case_reply": {"zh": "处理答复", "en": "reply"},
        "work_assignment": {"zh": "派工通知", "en": "work assignment"},
        "assignment_notice": {"zh": "工作安排通知单", "en": "work assignment notice"},
        "escalation_alert": {"zh": "上报提醒", "en": "escalation alert"},
        "sla_warning": {"zh": "时限预警", "en": "deadline warning"},
        "sla_breach_alert": {"zh": "超时提醒", "en": "missed-deadline alert"},
        "case_withdrawn": {"zh": "撤诉通知", "en": "withdrawal notice"},
        "case_supplemented": {"zh": "补充内容", "en": "added information"},
        "developer_forwarded": {"zh": "转发展商函", "en": "forwarded complaint"},
        "developer_reminder": {"zh": "发展商跟进函", "en": "developer reminder"},
        "follow_up_reminder": {"zh": "跟进提醒", "en": "follow-up reminder"},
        "survey_invitation": {"zh": "满意度测评邀请", "en": "survey invitation"},
        "survey_reminder": {"zh": "满意度测评提醒", "en": "survey reminder"},
        "rectification_items": {"zh": "整改任务", "en": "rectification items"},
        "rectification_item_overdue": {"zh": "整改逾期提醒", "en": "overdue rectification item"},
        "rectification_accepted": {"zh": "整改验收通知", "en": "rectification accepted"},
        "corrective_action_assigned": {"zh": "纠正措施任务", "en": "corrective action"},
        "corrective_action_overdue": {"zh": "纠正措施逾期提醒", "en": "overdue corrective action"},
        "complaint_report": {"zh": "顾客投诉报告", "en": "complaint report"},
        "notice": {"zh": "通知单", "en": "notice"},
        "notice_updated": {"zh": "通知单变更", "en": "notice changed"},
        "notice_cancelled": {"zh": "通知单取消", "en": "notice cancelled"},
    },
    "case_action": {
        "accept": {"zh": "受理", "en": "accept"},
        "progress": {"zh": "更新进展", "en": "report progress on"},
        "judge_validity": {"zh": "判定有效性", "en": "judge the validity of"},
        "transmit": {"zh": "工作传签", "en": "transmit"},
        "issue_notice": {"zh": "发出工作安排通知单", "en": "issue a work assignment notice for"},
        "forward_to_developer": {"zh": "转交发展商", "en": "forward to the developer"},
        "record_developer_answer": {"zh": "记录发展商答复", "en": "record the developer's answer"},
        "resolve": {"zh": "处理答复", "en": "resolve"},
        "close": {"zh": "关闭", "en": "close"},
        "reopen": {"zh": "重新处理", "en": "reopen"},
        "breach_acknowledge": {"zh": "记录受理超时", "en": "record a missed acknowledgement of"},
        "breach_resolve": {"zh": "记录处理超时", "en": "record a missed resolution of"},
        "remind_follow_up": {"zh": "提醒跟进", "en": "remind a follow-up of"},
        "withdraw": {"zh": "撤回", "en": "withdraw"},
        "supplement": {"zh": "补充内容", "en": "supplement"},
        "close_unreachable": {"zh": "因联系不上而关闭", "en": "close as unreachable"},
        "escalate_unreachable": {"zh": "因联系不上而上报", "en": "escalate as unreachable"},
    },
    "rectification_action": {
        "report": {"zh": "汇报整改进展", "en": "report on"},
        "complete_item": {"zh": "完成整改项", "en": "complete an item of"},
        "submit": {"zh": "提交验收", "en": "submit"},
        "accept": {"zh": "验收通过", "en": "accept"},
        "reject": {"zh": "验收不通过", "en": "reject"},
        "item_overdue": {"zh": "逾期上报", "en": "escalate an overdue item of"},
    },
    "action_step": {
        "plan": {"zh": "制定措施", "en": "plan"},
        "complete": {"zh": "报告完成", "en": "complete"},
        "verify_effective": {"zh": "验证为有效", "en": "verify as effective"},
        "verify_ineffective": {"zh": "验证为无效", "en": "verify as not effective"},
    },
    "recipient": {
        "household": {"zh": "业户", "en": "the resident"},
        "visitor": {"zh": "投诉人", "en": "the complainant"},
        "staff": {"zh": "员工", "en": "a staff member"},
        "developer": {"zh": "发展商", "en": "the developer"},
    },
}

EVENTS: dict[str, dict[Lang, str]] = {
    "case.assigned": {"zh": "分派", "en": "Assigned"},
    "case.accepted": {"zh": "受理", "en": "Accepted"},
    "case.progressed": {"zh": "进展", "en": "Progress"},
    "case.validity_judged": {"zh": "有效性判定", "en": "Validity judged"},
    "case.escalated": {"zh": "上报", "en": "Escalated"},
    "case.assignment_noticed": {"zh": "工作安排通知", "en": "Work assignment notice"},
    "case.forwarded_to_developer": {"zh": "转发展商", "en": "Forwarded to the developer"},
    "case.follow_up_reminded": {"zh": "跟进提醒", "en": "Follow-up reminder"},
    "case.developer_answered": {"zh": "发展商答复", "en": "Developer answered"},
    "case.resolved": {"zh": "答复", "en": "Resolved"},
    "case.closed": {"zh": "回访满意，关闭", "en": "Satisfied; closed"},
    "case.closed_unreachable": {"zh": "回访联系不上，关闭", "en": "Not reachable; closed"},
    "case.reopened": {"zh": "回访不满意，重新处理", "en": "Not satisfied; reopened"},
    "case.withdrawn": {"zh": "业户撤回投诉", "en": "Withdrawn by the resident"},
    "case.supplemented": {"zh": "业户补充内容", "en": "The resident added information"},
    "sla.breached": {"zh": "超时", "en": "Deadline missed"},
    "rectification.opened": {"zh": "发起整改", "en": "Opened"},
    "rectification.item_reported": {"zh": "整改小组汇报", "en": "Team report"},
    "rectification.submitted": {"zh": "提交验收", "en": "Submitted for acceptance"},
    "rectification.rejected": {"zh": "验收未通过", "en": "Rejected at acceptance"},
    "rectification.item_overdue": {"zh": "逾期上报", "en": "Overdue; escalated"},
    "rectification.accepted": {"zh": "验收通过", "en": "Accepted"},
}

ESCALATION_REASONS: dict[str, dict[Lang, str]] = {
    "transmittal": {"zh": "工作传签", "en": "transmittal slip"},
    "sla": {"zh": "超时自动上报", "en": "deadline missed"},
    "unsatisfied": {"zh": "业户不满意", "en": "resident not satisfied"},
    "unreachable": {"zh": "回访联系不上业户", "en": "resident not reachable"},
    "manual": {"zh": "人工上报", "en": "by hand"},
}


class Captions:
    """A page's or document's own captions, name → language → words, looked up as
    `captions(name, lang)` (the closed sets' values are `value()`'s)."""

    def __init__(self, table: Mapping[str, Mapping[Lang, str]]) -> None:
        self.table = table

    def __call__(self, name: str, lang: Lang) -> str:
        """The caption `name` in `lang`."""
        return self.table[name][lang]


def recipient_kind(key: str | None) -> str | None:
    """Who a message went to, from notify's recipient key (`staff:<id>` → `staff`)."""
    return key.split(":", 1)[0] if key else None


def value(kind: str, code: str | None, lang: Lang) -> str:
    """A closed-set value in words (the code itself when it is not known)."""
    if code is None:
        return NONE
    return VALUES.get(kind, {}).get(code, {}).get(lang, code)
