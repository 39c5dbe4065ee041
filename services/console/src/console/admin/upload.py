"""The directory import's upload: one file read with limits, the CSRF token checked first,
and the file made into what intake's directory import takes.

Offices export their lists from spreadsheets: a CSV file saved by Excel in China is often
GB18030 (GBK), not UTF-8, so a file that is not UTF-8 is read as GB18030 and sent to intake
as UTF-8. A `.json` file (or one that starts with `{`) goes as JSON, anything else as CSV;
intake reads it, checks every row and says what is wrong with each, by its line.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Depends, Request
from starlette.datastructures import FormData, UploadFile

from console.sessions.store import Person
from console.web.auth import current_person
from console.web.pages import Posted, signed_in_view
from console.web.security import check_csrf
from shared.http.errors import ProblemError

MAX_FILE_BYTES = 8_000_000
MAX_FIELDS = 10
MAX_FIELD_BYTES = 4_000
CSV, JSON = "text/csv; charset=utf-8", "application/json"


@dataclass(frozen=True)
class Chosen:
    """The file as intake takes it."""

    name: str
    content: bytes
    media: str


class UploadProblem(Exception):
    """The file cannot be sent: none was chosen, it is empty, too large, or not text."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def read_upload(request: Request) -> FormData:
    """A posted form with at most one file, bounded (read_form takes no files at all)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FILE_BYTES + 64_000:
        raise ProblemError(413, "form")
    try:
        return await request.form(max_files=1, max_fields=MAX_FIELDS, max_part_size=MAX_FIELD_BYTES)
    except Exception as exc:  # the multipart parser's errors have no common base
        raise ProblemError(400, "form") from exc


async def posted_upload(request: Request, person: Person = Depends(current_person)) -> Posted:
    """The posted form with its file, its CSRF token checked before anything else."""
    form = await read_upload(request)
    check_csrf(request, form, person.csrf)
    return Posted(await signed_in_view(request, person), form)


async def chosen_file(form: FormData, name: str = "file") -> Chosen:
    """The file of the form, as intake takes it; UploadProblem when it cannot be."""
    upload = form.get(name)
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise UploadProblem("none")
    content = await upload.read(MAX_FILE_BYTES + 1)
    return as_import(upload.filename, content)


def as_import(filename: str, content: bytes) -> Chosen:
    """The file's text as UTF-8, and whether it is JSON or CSV."""
    if len(content) > MAX_FILE_BYTES:
        raise UploadProblem("too_large")
    text = decoded(content)
    if not text.strip():
        raise UploadProblem("empty")
    is_json = filename.lower().endswith(".json") or text.lstrip().startswith("{")
    return Chosen(filename[-200:], text.encode("utf-8"), JSON if is_json else CSV)


def decoded(content: bytes) -> str:
    """UTF-8 (with or without Excel's byte-order mark), else GB18030; UploadProblem when
    it is neither (a spreadsheet's own .xlsx, a picture)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise UploadProblem("not_text")
