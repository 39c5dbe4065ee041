"""A printed form's blanks: personal data routing does not hold is a line to fill in."""

from __future__ import annotations

import pytest

from routing.documents.html import FILLS, Form, Row, render


def _form(*rows: Row) -> str:
    return render(
        Form(lang="zh", organisation="翠湖花园", title="工作传签单", number="T1", rows=rows)
    )


def test_a_blank_is_an_empty_cell_named_for_what_fills_it() -> None:
    page = _form(
        Row("投诉人姓名", fill="reporter_name"), Row("回访意见", fill="callback_comment", long=True)
    )
    assert '<tr><th>投诉人姓名</th><td data-fill="reporter_name"></td></tr>' in page
    assert '<td class="long" data-fill="callback_comment"></td>' in page


def test_only_the_known_blanks_exist() -> None:
    assert set(FILLS) == {"reporter_name", "reporter_room", "reporter_phone", "callback_comment"}
    with pytest.raises(AssertionError):
        _form(Row("x", fill="anything"))
