"""A directory file as intake takes it: UTF-8 whatever the spreadsheet saved, CSV or JSON."""

from __future__ import annotations

import pytest

from console.admin.upload import CSV, JSON, MAX_FILE_BYTES, UploadProblem, as_import

ROWS = "building,unit,name\n3栋,1201,李女士\n"


@pytest.mark.parametrize(
    "content",
    [ROWS.encode(), ("\ufeff" + ROWS).encode(), ROWS.encode("gb18030")],
    ids=["utf-8", "utf-8 with Excel's mark", "gbk"],
)
def test_a_csv_file_goes_to_intake_as_utf8(content: bytes) -> None:
    chosen = as_import("业户.csv", content)
    assert chosen.content.decode("utf-8") == ROWS
    assert chosen.media == CSV
    assert chosen.name == "业户.csv"


def test_a_json_file_goes_as_json() -> None:
    assert as_import("rows.json", b'{"rows": []}').media == JSON
    assert as_import("rows.txt", b'  {"rows": []}').media == JSON


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b" \n ", "empty"),
        (b"PK\x03\x04\x00\x00binary", "not_text"),
        (b"x" * (MAX_FILE_BYTES + 1), "too_large"),
    ],
)
def test_a_file_that_cannot_be_sent_says_why(content: bytes, reason: str) -> None:
    with pytest.raises(UploadProblem) as refused:
        as_import("file.csv", content)
    assert refused.value.reason == reason
