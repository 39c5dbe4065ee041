"""The careloop command: development tokens that the services accept."""

from __future__ import annotations

import pytest

from shared.cli import main, settings_for
from shared.http.auth import Role, TokenVerifier


def test_token_prints_a_token_the_services_accept(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["token", "--role", "handler,dept_head", "--sites", "site-a,site-b"]) == 0
    token = capsys.readouterr().out.strip()
    principal = TokenVerifier(settings_for("intake")).verify(token)
    assert principal.roles == {Role.HANDLER, Role.DEPT_HEAD}
    assert principal.sites == {"site-a", "site-b"}


def test_token_names_the_person_it_is_for(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["token", "--role", "handler", "--sites", "demo", "--sub", "h-qian", "--name", "钱师傅"]
    assert main(argv) == 0
    principal = TokenVerifier(settings_for("intake")).verify(capsys.readouterr().out.strip())
    assert (principal.sub, principal.name) == ("h-qian", "钱师傅")


def test_token_refuses_an_unknown_role(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["token", "--role", "janitor"]) == 2
    assert "unknown role(s): janitor" in capsys.readouterr().err


def test_token_refuses_to_mint_in_production(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CARELOOP_ENV", "production")
    monkeypatch.setenv("CARELOOP_JWT_SECRET", "x" * 40)
    assert main(["token"]) == 2
    assert "production" in capsys.readouterr().err
