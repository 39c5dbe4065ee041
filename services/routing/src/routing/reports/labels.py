"""The words of the complaint report, in Chinese and English (DESIGN.md §11 glossary)."""

from __future__ import annotations

from collections.abc import Mapping

from routing.documents.labels import ESCALATION_REASONS, Lang, value
from routing.reports.schemas import ActionTaken, Dimension
from shared.words import Captions

TITLE: dict[Lang, str] = {"zh": "顾客投诉报告", "en": "Complaint report"}
GROUP: dict[Lang, str] = {"zh": "集团", "en": "The group"}

WORDS: dict[str, dict[Lang, str]] = {
    "period": {"zh": "报告期", "en": "Period"},
    "previous_period": {"zh": "对比期", "en": "Compared with"},
    "generated_at": {"zh": "编制时间", "en": "Prepared"},
    "sites": {"zh": "管理处", "en": "Sites"},
    "headline": {"zh": "主要指标", "en": "Headline figures"},
    "figure": {"zh": "指标", "en": "Figure"},
    "this_period": {"zh": "本期", "en": "This period"},
    "previous": {"zh": "上期", "en": "Previous"},
    "change": {"zh": "增减", "en": "Change"},
    "charts": {"zh": "图表", "en": "Charts"},
    "breakdowns": {"zh": "分类统计", "en": "Breakdowns"},
    "handling": {
        "zh": "投诉处理满意率（按管理处）",
        "en": "Complaint-handling satisfaction by site",
    },
    "handling_answers": {"zh": "评价数", "en": "Answers"},
    "handling_rate": {"zh": "满意率", "en": "Satisfied"},
    "handling_target": {"zh": "目标", "en": "Target"},
    "handling_below": {"zh": "低于目标", "en": "Below target"},
    "handling_below_yes": {"zh": "是", "en": "Yes"},
    "complaints": {"zh": "投诉数", "en": "Complaints"},
    "escalations": {"zh": "上报次数", "en": "Escalations"},
    "valid": {"zh": "有效", "en": "Valid"},
    "invalid": {"zh": "无效", "en": "Invalid"},
    "unjudged": {"zh": "未判定", "en": "Not yet judged"},
    "met": {"zh": "按时", "en": "Met"},
    "missed": {"zh": "超时", "en": "Missed"},
    "open": {"zh": "未完成", "en": "Still open"},
    "acknowledge": {"zh": "受理", "en": "Acknowledge"},
    "resolve": {"zh": "答复", "en": "Resolve"},
    "recurring": {"zh": "重复发生的问题及措施", "en": "Recurring problems and the actions taken"},
    "actions": {"zh": "纠正和预防措施", "en": "Corrective and preventive actions"},
    "number": {"zh": "编号", "en": "No."},
    "kind": {"zh": "类别", "en": "Kind"},
    "problem": {"zh": "问题", "en": "Problem"},
    "action": {"zh": "措施", "en": "Action"},
    "status": {"zh": "状态", "en": "Status"},
    "effective": {"zh": "有效性验证", "en": "Effective"},
    "none": {"zh": "无", "en": "None"},
    "hours": {"zh": "小时", "en": "h"},
    "yes": {"zh": "有效", "en": "Yes"},
    "no": {"zh": "无效", "en": "No"},
    "filed": {
        "zh": "本报告报主管副总经理，保存两年",
        "en": "For the VP in charge; kept for two years",
    },
}

FIGURES: dict[str, dict[Lang, str]] = {
    "complaints": {"zh": "投诉总数（含有效、无效）", "en": "All complaints (valid and invalid)"},
    "valid": {"zh": "有效投诉", "en": "Valid complaints"},
    "invalid": {"zh": "无效投诉", "en": "Invalid complaints"},
    "unjudged": {"zh": "尚未判定", "en": "Not yet judged"},
    "acknowledge_met": {"zh": "按时受理", "en": "Acknowledged in time"},
    "acknowledge_missed": {"zh": "受理超时", "en": "Acknowledgement late"},
    "acknowledge_open": {"zh": "尚未受理", "en": "Not yet acknowledged"},
    "acknowledge_median_seconds": {"zh": "受理用时中位数", "en": "Time to acknowledge, median"},
    "acknowledge_p90_seconds": {"zh": "受理用时90%分位", "en": "Time to acknowledge, 90th pct."},
    "resolve_met": {"zh": "按时答复", "en": "Resolved in time"},
    "resolve_missed": {"zh": "答复超时", "en": "Resolution late"},
    "resolve_open": {"zh": "尚未答复", "en": "Not yet resolved"},
    "resolve_median_seconds": {"zh": "答复用时中位数", "en": "Time to resolve, median"},
    "resolve_p90_seconds": {"zh": "答复用时90%分位", "en": "Time to resolve, 90th pct."},
    "escalations": {"zh": "上报次数", "en": "Escalations"},
    "escalated_cases": {"zh": "上报的投诉", "en": "Complaints escalated"},
    "reopened_cases": {"zh": "重新处理的投诉", "en": "Complaints reopened"},
    "reopen_rate": {"zh": "重新处理率", "en": "Reopen rate"},
    "callbacks_satisfied": {"zh": "回访满意", "en": "Callbacks satisfied"},
    "callbacks_unsatisfied": {"zh": "回访不满意", "en": "Callbacks not satisfied"},
    "callbacks_unreachable": {"zh": "回访未联系上", "en": "Callbacks that reached nobody"},
    "callback_satisfaction_rate": {"zh": "回访满意率", "en": "Callback satisfaction rate"},
    "handling_answers": {"zh": "投诉处理评价数", "en": "Answers on the handling"},
    "handling_satisfied": {"zh": "投诉处理满意", "en": "Handling answers satisfied"},
    "handling_satisfaction_rate": {
        "zh": "投诉处理满意率",
        "en": "Complaint-handling satisfaction rate",
    },
}

DIMENSIONS: dict[Dimension, dict[Lang, str]] = {
    "site": {"zh": "按管理处", "en": "By site"},
    "category": {"zh": "按专业分类", "en": "By category"},
    "kind": {"zh": "按类别", "en": "By kind"},
    "channel": {"zh": "按投诉渠道", "en": "By channel"},
    "department": {"zh": "按责任部门", "en": "By department"},
    "validity": {"zh": "按有效性", "en": "By validity"},
    "invalid_reason": {"zh": "无效投诉原因", "en": "Why complaints were invalid"},
    "escalation_level": {"zh": "上报级别", "en": "Escalations by level"},
    "escalation_reason": {"zh": "上报原因", "en": "Escalations by reason"},
}

# The closed sets whose words routing's documents already have.
VALUE_KINDS: dict[str, str] = {
    "category": "category",
    "kind": "kind",
    "channel": "channel",
    "validity": "validity",
    "invalid_reason": "invalid_reason",
    "escalation_level": "level",
}


# The problems routing opens actions on by itself, said from their figures.
PROBLEMS: dict[str, dict[Lang, str]] = {
    "survey": {
        "zh": "{topic}满意率 {rate}，低于质量目标 {target}",
        "en": "Satisfaction with {topic} was {rate}, under the quality target of {target}",
    },
    "campaign": {"zh": "{title}：", "en": "{title}: "},
    "recurring": {
        "zh": "{days} 天内{category}类有效投诉 {count} 起，问题重复出现",
        "en": "{count} about {category} within {days} days: a recurring problem",
    },
}


def answers(n: int, lang: Lang) -> str:
    """A count of survey answers: `12 份答卷`, `1 answer`, `2 answers`."""
    if lang == "zh":
        return f"{n} 份答卷"
    return f"{n} answer" if n == 1 else f"{n} answers"


def valid_complaints(n: int, lang: Lang) -> str:
    """A count of valid complaints as the recurring problem's sentence says it."""
    if lang == "zh":
        return str(n)
    return f"{n} valid complaint" if n == 1 else f"{n} valid complaints"


def action_problem(a: ActionTaken, lang: Lang) -> str:
    """An action's problem in words: for the actions routing opened by itself, its own
    sentence from the figures it opened on; for the others, what a person wrote."""
    if a.source == "survey" and a.topic and a.rate_before is not None and a.target is not None:
        return _survey_problem(a, a.topic, a.rate_before, a.target, lang)
    if a.source == "recurring" and a.category and a.complaints_before is not None:
        return PROBLEMS["recurring"][lang].format(
            days=a.window_days or 0, category=value("category", a.category, lang),
            count=valid_complaints(a.complaints_before, lang),
        )  # fmt: skip
    return a.problem


def _survey_problem(a: ActionTaken, topic: str, rate: float, target: float, lang: Lang) -> str:
    title = PROBLEMS["campaign"][lang].format(title=a.campaign_title) if a.campaign_title else ""
    problem = PROBLEMS["survey"][lang].format(
        topic=value("topic", topic, lang), rate=f"{rate:.1%}", target=f"{target:.1%}"
    )
    counted = "" if a.answers_before is None else _aside(answers(a.answers_before, lang), lang)
    return f"{title}{problem}{counted}"


def _aside(text: str, lang: Lang) -> str:
    return f"（{text}）" if lang == "zh" else f" ({text})"


word = Captions(WORDS)
"""A caption of the report: `word(name, lang)`."""


def key_label(dimension: str, key: str, lang: Lang, names: Mapping[str, str]) -> str:
    """A breakdown line's key in words: sites and departments by name, codes by their words."""
    if dimension in ("site", "department"):
        return names.get(f"{dimension}:{key}", key)
    if dimension == "validity" and key == "unjudged":
        return word("unjudged", lang)
    if dimension == "escalation_reason":
        reason = ESCALATION_REASONS.get(key, {}).get(lang, key)
        return reason[:1].upper() + reason[1:]  # the glossary's words run on in a sentence
    return value(VALUE_KINDS[dimension], key, lang)
