"""The callback page a resident opens from the reply's link: mobile-first, Chinese and
English, no script, no outside asset. Every value from data is escaped here."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from notify.callbacks.rules import MAX_COMMENT
from shared.http.language import Tag
from shared.http.links import answer_form, document, message

__all__ = ["TEXT", "form", "notice"]

TEXT: dict[str, dict[str, str]] = {
    "zh-CN": {
        "heading": "投诉处理回访",
        "intro": "您的投诉已处理完毕。请告诉我们您是否满意处理结果。",
        "reply": "我们的答复",
        "question": "您对处理结果满意吗？",
        "speed_question": "您对处理速度满意吗？（可选）",
        "attitude_question": "您对工作人员的服务态度满意吗？（可选）",
        "very_satisfied": "很满意",
        "satisfied": "满意",
        "fairly_satisfied": "较满意",
        "neutral": "一般",
        "dissatisfied": "不满意",
        "comment": "意见或补充（可选）",
        "submit": "提交",
        "switch": "English",
        "choose": "请选择您对处理结果的满意程度。",
        "thanks_title": "感谢您的反馈",
        "thanks": "您的回访意见已收到。如您不满意，我们会继续跟进处理。",
        "used_title": "此链接已使用",
        "used": "每个回访链接只能提交一次，本次回访已经完成。",
        "expired_title": "此链接已失效",
        "expired": "回访链接已过期，无法再提交。如有需要，请致电管理处。",
        "unknown_title": "找不到此回访",
        "unknown": "链接不完整或有误。请使用短信或邮件中的完整链接。",
    },
    "en": {
        "heading": "How did we do?",
        "intro": "Your complaint has been dealt with. Please tell us whether you are satisfied.",
        "reply": "Our answer",
        "question": "How satisfied are you with the outcome?",
        "speed_question": "How satisfied are you with how fast it was handled? (optional)",
        "attitude_question": "How satisfied are you with our staff's attitude? (optional)",
        "very_satisfied": "Very satisfied",
        "satisfied": "Satisfied",
        "fairly_satisfied": "Fairly satisfied",
        "neutral": "Neutral",
        "dissatisfied": "Dissatisfied",
        "comment": "Anything to add (optional)",
        "submit": "Send",
        "switch": "中文",
        "choose": "Please choose how satisfied you are with the outcome.",
        "thanks_title": "Thank you",
        "thanks": "We have your answer. If you are not satisfied, we will keep working on it.",
        "used_title": "This link has been used",
        "used": "Each callback link can be answered once, and this callback is complete.",
        "expired_title": "This link has expired",
        "expired": "The callback link has expired. Please call the site office if you need us.",
        "unknown_title": "Callback not found",
        "unknown": "The link is incomplete or wrong. Please use the full link from your message.",
    },
}


LEVELS = ("very_satisfied", "satisfied", "fairly_satisfied", "neutral", "dissatisfied")
QUESTIONS = {
    "outcome_level": "question",
    "speed_level": "speed_question",
    "attitude_level": "attitude_question",
}


def _choice(name: str, value: str, label: str, chosen: str | None) -> str:
    checked = " checked" if chosen == value else ""
    return (
        f'<label class="choice" for="{name}-{value}"><input type="radio" '
        f'id="{name}-{value}" name="{name}" value="{value}"{checked}>'
        f"{escape(label)}</label>"
    )


def _scale(name: str, text: dict[str, str], chosen: str | None) -> str:
    choices = "".join(_choice(name, level, text[level], chosen) for level in LEVELS)
    return f"<fieldset><legend>{escape(text[QUESTIONS[name]])}</legend>{choices}</fieldset>"


def form(
    *,
    office: str,
    reference: str | None,
    reply: str | None,
    language: Tag,
    action: str,
    error: bool = False,
    chosen: Mapping[str, str] | None = None,
    comment: str = "",
) -> str:
    """The questions: satisfaction with the outcome, with the speed and the attitude (each on
    the five-level scale), and a comment."""
    text = TEXT[language]
    said = (
        f'<section><h2>{escape(text["reply"])}</h2><blockquote id="reply">{escape(reply)}'
        "</blockquote></section>"
        if reply
        else ""
    )
    problem = f'<p class="error" role="alert">{escape(text["choose"])}</p>' if error else ""
    questions = "".join(_scale(name, text, (chosen or {}).get(name)) for name in QUESTIONS)
    body = answer_form(
        text=text,
        language=language,
        lead=f"{office} · {reference}" if reference else office,
        intro=f"<p>{escape(text['intro'])}</p>{said}{problem}",
        action=action,
        questions=questions,
        comment=comment,
        max_comment=MAX_COMMENT,
    )
    return document(text["heading"], body, language=language)


def notice(kind: str, *, language: Tag) -> str:
    """A one-message page: thanks, or why the link is refused."""
    return message(kind, TEXT[language], language=language)
