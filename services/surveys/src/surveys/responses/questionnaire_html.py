"""The questionnaire's HTML: mobile-first, Chinese and English, no script, no outside asset.

Every value that comes from data is escaped; the page carries its own small stylesheet.
"""

from __future__ import annotations

from html import escape
from typing import Any

from shared.http.language import Tag, lang_of
from shared.http.links import answer_form, document, message
from shared.words import value
from surveys.campaigns.rules import Level
from surveys.responses.rules import MAX_COMMENT

TEXT: dict[str, dict[str, str]] = {
    "zh-CN": {
        "heading": "业户满意度征询",
        "intro": "请就以下各项选择您的满意程度。不想回答的项目可以留空。",
        "comment": "意见或建议（可选）",
        "submit": "提交问卷",
        "switch": "English",
        "thanks_title": "感谢您的参与",
        "thanks": "您的答卷已提交。我们会认真对待每一条意见。",
        "used_title": "此链接已使用",
        "used": "每个问卷链接只能提交一次，本链接的答卷已经提交过了。",
        "expired_title": "此链接已失效",
        "expired": "本次满意度征询已经结束，或链接已过期，无法再提交。",
        "unknown_title": "找不到此问卷",
        "unknown": "链接不完整或有误。请使用通知中的完整链接。",
        "invalid": "问卷内容有误，请重新选择后提交：",
    },
    "en": {
        "heading": "Resident satisfaction survey",
        "intro": "Please rate each item below. You may leave any item blank.",
        "comment": "Comments or suggestions (optional)",
        "submit": "Submit",
        "switch": "中文",
        "thanks_title": "Thank you",
        "thanks": "Your answers have been received. Every comment is read.",
        "used_title": "This link has been used",
        "used": "Each questionnaire link can be submitted once, and this one already was.",
        "expired_title": "This link has expired",
        "expired": "The survey has ended or the link has expired; it can no longer be submitted.",
        "unknown_title": "Questionnaire not found",
        "unknown": "The link is incomplete or wrong. Please use the full link from your message.",
        "invalid": "Something in the form was not valid; please choose again and submit:",
    },
}


def _choices(topic: str, scale: tuple[Level, ...], language: Tag, chosen: str | None) -> str:
    items = []
    for level in scale:
        ident = f"{topic}-{level.key}"
        checked = " checked" if chosen == level.key else ""
        items.append(
            f'<label class="choice" for="{escape(ident)}"><input type="radio" '
            f'id="{escape(ident)}" name="topic.{escape(topic)}" value="{escape(level.key)}"'
            f"{checked}>{escape(level.label(language))}</label>"
        )
    return "".join(items)


def questionnaire(
    *,
    title: str,
    topics: list[str],
    scale: tuple[Level, ...],
    language: Tag,
    action: str,
    error: str | None = None,
    given: dict[str, Any] | None = None,
) -> str:
    """The form: one question per topic on the campaign's scale, then a comment."""
    text, given = TEXT[language], given or {}
    questions = "".join(
        f'<fieldset id="q-{escape(t)}"><legend>{escape(value("topic", t, lang_of(language)))}'
        f"</legend>{_choices(t, scale, language, given.get(t))}</fieldset>"
        for t in topics
    )
    problem = f'<p class="error" role="alert">{escape(text["invalid"])} {escape(error or "")}</p>'
    body = answer_form(
        text=text,
        language=language,
        lead=title,
        intro=f"{problem if error else ''}<p>{escape(text['intro'])}</p>",
        action=action,
        questions=questions,
        comment=str(given.get("comment") or ""),
        max_comment=MAX_COMMENT,
    )
    return document(text["heading"], body, language=language)


def notice(kind: str, *, language: Tag) -> str:
    """A one-message page: thanks, or why the link is refused."""
    return message(kind, TEXT[language], language=language)
