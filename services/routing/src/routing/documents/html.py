"""One printable form, the way a site office files it: a ruled table on an A4 page.

Pure: a `Form` in, an HTML page out. Every value is escaped here, and nowhere else.

Routing holds no resident's name, phone or comment (intake and notify do). A line for one
is a blank, `<td data-fill="KEY"></td>` (`FILLS`), which stays blank on paper to write in
by hand, and which the console fills in, as the signed-in person, from intake and notify.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from routing.documents.labels import Lang

STYLE = """
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "Noto Serif CJK SC", "Songti SC", SimSun, "Noto Sans CJK SC",
       "Microsoft YaHei", "PingFang SC", "Times New Roman", serif;
       color: #000; font-size: 11pt; margin: 0 auto; max-width: 180mm; }
header { text-align: center; margin-bottom: 6mm; }
header .org { font-size: 12pt; letter-spacing: .1em; }
h1 { font-size: 17pt; margin: 2mm 0; letter-spacing: .2em; }
.meta { display: flex; justify-content: space-between; font-size: 10pt; margin-bottom: 2mm; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 1px solid #000; padding: 2.2mm 2.5mm; vertical-align: top; text-align: left; }
th { width: 28%; font-weight: normal; background: #f3f3f3; }
td.long { height: 24mm; white-space: pre-wrap; }
ol { margin: 0; padding-left: 5mm; }
.signatures { display: flex; justify-content: space-between; margin-top: 10mm; }
.signatures div { width: 30%; border-bottom: 1px solid #000; padding-bottom: 9mm; font-size: 10pt; }
footer { margin-top: 6mm; font-size: 9pt; color: #444; text-align: right; }
@media print { th { background: none; } }
"""


# The blanks of personal data a form may have, filled in by whoever may read that data.
FILLS = ("reporter_name", "reporter_room", "reporter_phone", "callback_comment")


@dataclass(frozen=True)
class Row:
    """One ruled line of the form: a caption and its value (or a list of entries), or a
    blank (`fill`) for personal data routing does not hold."""

    caption: str
    value: str = ""
    entries: tuple[str, ...] = ()
    long: bool = False
    fill: str = ""


@dataclass(frozen=True)
class Form:
    """A whole document: who files it, what it is, its lines and where people sign."""

    lang: Lang
    organisation: str
    title: str
    number: str
    rows: tuple[Row, ...]
    signatures: tuple[str, ...] = ()
    footer: str = ""
    meta: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def render(form: Form) -> str:
    """The form as a complete HTML page."""
    html_lang = "zh-CN" if form.lang == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(form.title)} {escape(form.number)}</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n{_header(form)}\n"
        f"<table>\n{''.join(_row(r) for r in form.rows)}</table>\n"
        f"{_signatures(form.signatures)}\n<footer>{escape(form.footer)}</footer>\n"
        "</body>\n</html>\n"
    )


def _header(form: Form) -> str:
    colon = "：" if form.lang == "zh" else ": "
    meta = "".join(f"<span>{escape(k)}{colon}{escape(v)}</span>" for k, v in form.meta)
    return (
        f'<header><div class="org">{escape(form.organisation)}</div>'
        f"<h1>{escape(form.title)}</h1></header>\n"
        f'<div class="meta">{meta}</div>'
    )


def _row(row: Row) -> str:
    if row.fill:
        assert row.fill in FILLS, row.fill
        css = ' class="long"' if row.long else ""
        body = f'<td{css} data-fill="{row.fill}"></td>'
    elif row.entries:
        items = "".join(f"<li>{escape(e)}</li>" for e in row.entries)
        body = f"<td><ol>{items}</ol></td>"
    else:
        css = ' class="long"' if row.long else ""
        body = f"<td{css}>{escape(row.value)}</td>"
    return f"<tr><th>{escape(row.caption)}</th>{body}</tr>\n"


def _signatures(names: tuple[str, ...]) -> str:
    if not names:
        return ""
    cells = "".join(f"<div>{escape(n)}</div>" for n in names)
    return f'<div class="signatures">{cells}</div>'
