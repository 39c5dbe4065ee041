"""The printable notice (通知单) for the bulletin board and the warning sign (警示标识).

Pure: a `Sheet` in, a complete HTML page out, A4 when printed. Every value is escaped here,
and nowhere else. No script and no outside asset, so the page prints the same offline.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from notify.pages.labels import SIGN_HEADLINES, kind_title, word
from shared.http.language import Tag

FONTS = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
    '"Noto Serif CJK SC", SimSun, "Helvetica Neue", Arial, sans-serif'
)

NOTICE_STYLE = f"""
@page {{ size: A4 portrait; margin: 20mm 18mm; }}
body {{ font-family: {FONTS}; color: #000; font-size: 13pt; line-height: 1.7;
       margin: 0 auto; max-width: 174mm; }}
header {{ text-align: center; border-bottom: 2px solid #000; margin-bottom: 8mm; }}
header .org {{ font-size: 14pt; letter-spacing: .15em; }}
h1 {{ font-size: 26pt; margin: 3mm 0 4mm; }}
:lang(zh-CN) h1 {{ letter-spacing: .3em; }}
h2 {{ font-size: 17pt; margin: 0 0 5mm; text-align: center; }}
.body {{ margin-bottom: 6mm; }}
.body p {{ text-indent: 2em; margin: 0 0 2mm; }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: 8mm; }}
th, td {{ border: 1px solid #000; padding: 2.5mm 3mm; text-align: left; vertical-align: top; }}
th {{ width: 24%; font-weight: normal; }}
.closing {{ margin: 6mm 0 12mm; text-indent: 2em; }}
.sign-off {{ text-align: right; }}
.stamp {{ border: 3px solid #b00; color: #b00; font-size: 22pt; font-weight: bold;
         display: inline-block; padding: 1mm 5mm; transform: rotate(-8deg); }}
.revision {{ font-size: 9pt; color: #444; text-align: right; }}
@media print {{ .revision {{ color: #000; }} }}
"""

SIGN_STYLE = f"""
@page {{ size: A4 landscape; margin: 10mm; }}
html, body {{ margin: 0; background: #fff; }}
body {{ font-family: {FONTS}; color: #000; }}
.sign {{ border: 8mm solid #000; min-height: 170mm; display: flex; flex-direction: column; }}
.band {{ background: #ffd400; color: #000; text-align: center; font-size: 54pt;
         font-weight: 900; letter-spacing: .3em; padding: 4mm 0;
         border-bottom: 6mm solid #000; }}
.band .triangle {{ font-size: 60pt; }}
.headline {{ font-size: 72pt; font-weight: 900; text-align: center; margin: 8mm 4mm 2mm;
             line-height: 1.15; }}
.title {{ font-size: 26pt; font-weight: 700; text-align: center; margin: 2mm 6mm; }}
.when {{ font-size: 24pt; text-align: center; margin: 4mm 6mm; }}
.contact {{ margin-top: auto; background: #000; color: #fff; font-size: 18pt;
            text-align: center; padding: 4mm; }}
@media print {{ .band {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
               .contact {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }} }}
"""


@dataclass(frozen=True)
class Sheet:
    """What a notice's pages show, already in the office's words and times."""

    lang: Tag
    kind: str
    title: str
    body: str
    office: str
    phone: str
    starts: str
    ends: str
    published: str
    scope: str
    scope_ids: tuple[str, ...]
    revision: int
    cancelled: bool


def _page(lang: Tag, title: str, style: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{style}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def _period(sheet: Sheet) -> str:
    if not sheet.starts:
        return ""
    if not sheet.ends:
        return sheet.starts
    return f"{sheet.starts} {word('from_to', sheet.lang)} {sheet.ends}"


def _scope(sheet: Sheet) -> str:
    whom = word(f"scope_{sheet.scope}", sheet.lang)
    if not sheet.scope_ids:
        return whom
    if sheet.lang == "zh-CN":
        return f"{whom}{'、'.join(sheet.scope_ids)}"
    return f"{whom} {', '.join(sheet.scope_ids)}"


def _paragraphs(text: str) -> str:
    """Each line of the body its own indented paragraph, as a notice is typeset."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "".join(f"<p>{escape(line)}</p>" for line in lines)


def _rows(sheet: Sheet) -> str:
    lang = sheet.lang
    rows = [(word("scope", lang), _scope(sheet)), (word("published", lang), sheet.published)]
    if period := _period(sheet):
        rows.insert(0, (word("period", lang), period))
    return "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)


def render_notice(sheet: Sheet) -> str:
    """The notice for the bulletin board, one A4 page."""
    lang, heading = sheet.lang, kind_title(sheet.kind, sheet.lang)
    stamp = (
        f'<p><span class="stamp">{word("cancelled", lang)}</span></p>' if sheet.cancelled else ""
    )
    revision = word("revision", lang).format(n=sheet.revision)
    body = (
        f'<header><div class="org">{escape(sheet.office)}</div>'
        f'<h1 id="kind">{escape(heading)}</h1></header>\n{stamp}'
        f'<h2 id="title">{escape(sheet.title)}</h2>\n'
        f'<div class="body" id="body">{_paragraphs(sheet.body)}</div>\n'
        f"<table>{_rows(sheet)}</table>\n"
        f'<p class="closing">{escape(word("closing", lang))}</p>\n'
        f'<div class="sign-off"><div id="office">{escape(sheet.office)}</div>'
        f'<div id="phone">{escape(word("phone", lang))}: {escape(sheet.phone)}</div>'
        f"<div>{escape(sheet.published)}</div></div>\n"
        f'<p class="revision">{escape(revision)}</p>'
    )
    return _page(lang, f"{heading} · {sheet.title}", NOTICE_STYLE, body)


def render_sign(sheet: Sheet) -> str:
    """The warning sign posted where the work is: big, black on yellow, one A4 page."""
    lang = sheet.lang
    headline = SIGN_HEADLINES.get(sheet.kind, SIGN_HEADLINES["safety_warning"])[lang]
    stamp = f'<p class="title"><span class="stamp">{word("cancelled", lang)}</span></p>'
    contact = f"{word('sign_footer', lang)} {sheet.office} {sheet.phone}"
    body = (
        '<div class="sign">'
        f'<div class="band"><span class="triangle">&#9888;</span> {escape(word("caution", lang))}'
        f'</div>\n<div class="headline" id="headline">{escape(headline)}</div>\n'
        f"{stamp if sheet.cancelled else ''}"
        f'<div class="title" id="title">{escape(sheet.title)}</div>\n'
        f'<div class="when" id="when">{escape(_period(sheet))}</div>\n'
        f'<div class="contact" id="contact">{escape(contact)}</div></div>'
    )
    return _page(lang, f"{word('sign', lang)} · {sheet.title}", SIGN_STYLE, body)
