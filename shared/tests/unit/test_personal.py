"""The check that no test run finds personal data in clear in the services' log output."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.logging import mask_email, mask_name, mask_phone
from shared.testing.personal import found_in, given_in

pytest_plugins = ["pytester"]


def test_whole_mobile_numbers_and_addresses_are_found_masked_ones_are_not() -> None:
    text = (
        "caller 13800138000, again +86 138 0013 8000, mailed zhang.san@example.com; "
        f"masked {mask_phone('13900139000')} {mask_email('li.si@example.com')}; "
        "request 8f14e45f-ceea-4e7a-9b1c-3d2a1e0b5c6d at 2026-12-03T05:42:13Z, 20 complaints, "
        "event 51f902ef-1380-4350-842a-f5d22d37d316 and 5f66ec48-8681-4505-8706-c17675508239"
    )
    assert found_in(text) == ["13800138000", "+86 138 0013 8000", "zhang.san@example.com"]


def test_what_the_tests_give_is_read_from_their_sources(tmp_path: Path) -> None:
    source = tmp_path / "test_x.py"
    source.write_text(
        'body = {"name": "王秀英", "reporter_phone": "0571-8888 6666", "site_id": "s-1"}\n'
        'make(resident_name="周敏", email="zm@example.org", count=3)\n'
        'masked = {"name": "张**"}\n',
        encoding="utf-8",
    )
    given = given_in([source])
    assert given == {"王秀英", "0571-8888 6666", "周敏", "zm@example.org"}
    assert found_in(f"assigned to 周敏, called {mask_name('王秀英')}", given) == ["周敏"]


def test_a_test_whose_output_holds_personal_data_fails(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_logs="""
        import sys

        PERSON = {"name": "吴芳"}

        def test_leaks_a_name():
            sys.stderr.write("case assigned, resident 吴芳\\n")

        def test_leaks_a_phone():
            sys.stderr.write("calling 13800138000\\n")

        def test_masked():
            sys.stderr.write("case assigned, resident 吴**, calling 138******00\\n")

        def test_leaks_into_a_process_log(tmp_path):
            (tmp_path / "intake.log").write_text("reply sent to wufang@example.com")
        """
    )
    result = pytester.runpytest("-p", "shared.testing.plugin", "-p", "no:cacheprovider")
    # A process log is read at teardown: its test passed its call and errs after it.
    result.assert_outcomes(passed=2, failed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_leaks_into_a_process_log*",
            "*personal data in clear in the services' log output:*",
            "*intake.log: wufang@example.com*",
            "*stderr (call): 吴芳*",
            "*stderr (call): 13800138000*",
        ]
    )
