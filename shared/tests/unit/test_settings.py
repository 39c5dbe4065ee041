"""Service settings: where values come from, the defaults, and what production refuses."""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

import pytest
from pydantic import ValidationError

from shared.settings import (
    DEVELOPMENT_JWT_SECRET,
    MIN_SECRET_LENGTH,
    Environment,
    ServiceSettings,
    UnsafeSettingsError,
    without_password,
)

LONG_SECRET = "k" * MIN_SECRET_LENGTH
PUBLIC_KEY = "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n"


class IntakeSettings(ServiceSettings):
    service_name: ClassVar[str] = "intake"
    default_port: ClassVar[int] = 8001


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings read the environment: drop whatever the machine running the tests has set."""
    names: set[str] = set()
    for name, field in ServiceSettings.model_fields.items():
        names.update({name.upper(), f"INTAKE_{name.upper()}"})
        if field.alias:
            names.add(field.alias.upper())
    for key in list(os.environ):
        if key.upper() in names:
            monkeypatch.delenv(key)


def _refusal(caught: pytest.ExceptionInfo[ValidationError]) -> UnsafeSettingsError:
    error = caught.value.errors()[0]["ctx"]["error"]
    assert isinstance(error, UnsafeSettingsError)
    return error


# --- where values come from -------------------------------------------------------------


def test_the_service_prefix_beats_the_plain_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "9000")
    monkeypatch.setenv("INTAKE_PORT", "9100")
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://db/everyone")
    monkeypatch.setenv("INTAKE_DATABASE_URL", "postgresql+asyncpg://db/intake")
    settings = IntakeSettings()
    assert settings.port == 9100
    assert settings.database_url == "postgresql+asyncpg://db/intake"


def test_the_group_wide_variables_apply_without_a_prefix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AMQP_URL", "amqp://broker:5672/")
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://db/careloop")
    settings = IntakeSettings()
    assert settings.amqp_url == "amqp://broker:5672/"
    assert settings.database_url == "postgresql+asyncpg://db/careloop"


def test_stray_shell_variables_do_not_move_a_service(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "9000")
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("ENV", "/etc/profile")
    settings = IntakeSettings()
    assert (settings.port, settings.host, settings.env.value) == (8001, "127.0.0.1", "development")


def test_another_services_prefix_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROUTING_PORT", "9200")
    assert IntakeSettings().port == 8001


def test_arguments_beat_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTAKE_PORT", "9100")
    assert IntakeSettings(port=9300).port == 9300


def test_careloop_variables_are_read_by_their_alias(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARELOOP_LOG_LEVEL", "DEBUG")
    monkeypatch.setenv("CARELOOP_JWT_SECRET", LONG_SECRET)
    settings = IntakeSettings()
    assert settings.log_level == "DEBUG"
    assert settings.jwt_secret == LONG_SECRET


# --- defaults ---------------------------------------------------------------------------


def test_defaults() -> None:
    settings = IntakeSettings()
    assert settings.env is Environment.DEVELOPMENT
    assert settings.port == 8001
    assert settings.database_url == "sqlite+aiosqlite:///var/intake.db"
    assert settings.log_format == "console"
    assert settings.jwt_secret == DEVELOPMENT_JWT_SECRET
    assert settings.exchange == "careloop.events"


def test_the_default_database_is_sqlite_under_data_dir(tmp_path: Path) -> None:
    settings = IntakeSettings(data_dir=tmp_path)
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path.as_posix()}/intake.db"


def test_the_data_dir_can_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("INTAKE_DATA_DIR", str(tmp_path))
    assert IntakeSettings().database_url.endswith(f"{tmp_path.as_posix()}/intake.db")


def test_the_base_class_has_its_own_defaults() -> None:
    settings = ServiceSettings()
    assert settings.port == 8000
    assert settings.database_url.endswith("/service.db")


def test_queue_names() -> None:
    assert IntakeSettings().queue_name() == "intake.events"
    assert IntakeSettings(queue_prefix="t1.").queue_name(".retry") == "t1.intake.events.retry"


# --- production -------------------------------------------------------------------------


def test_production_refuses_the_development_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARELOOP_ENV", "production")
    with pytest.raises(ValidationError) as caught:
        IntakeSettings()
    assert "refuses the development JWT secret" in str(_refusal(caught))


def test_production_refuses_a_short_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    short = "x" * (MIN_SECRET_LENGTH - 8) + "-s3cr3t"
    monkeypatch.setenv("CARELOOP_ENV", "production")
    monkeypatch.setenv("CARELOOP_JWT_SECRET", short)
    with pytest.raises(ValidationError) as caught:
        IntakeSettings()
    assert f"{MIN_SECRET_LENGTH - 1} characters long" in str(_refusal(caught))
    assert "s3cr3t" not in str(caught.value), "the error must not print the refused secret"


def test_production_accepts_a_long_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARELOOP_ENV", "production")
    monkeypatch.setenv("CARELOOP_JWT_SECRET", LONG_SECRET)
    settings = IntakeSettings()
    assert settings.is_production
    assert settings.jwt_secret == LONG_SECRET
    assert settings.log_format == "json"


def test_production_accepts_public_keys_instead_of_a_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CARELOOP_ENV", "production")
    monkeypatch.setenv("CARELOOP_JWT_PUBLIC_KEYS", PUBLIC_KEY)
    settings = IntakeSettings()
    assert settings.is_production
    assert settings.jwt_public_keys == PUBLIC_KEY


def test_development_accepts_any_secret() -> None:
    assert IntakeSettings(env="development", jwt_secret="short").jwt_secret == "short"


# --- what is safe to log ----------------------------------------------------------------


def test_describe_hides_passwords() -> None:
    settings = IntakeSettings(
        database_url="postgresql+asyncpg://careloop:pg-pa55@db:5432/intake",
        amqp_url="amqp://careloop:mq-pa55@broker:5672/prod",
        jwt_secret=LONG_SECRET,
    )
    described = settings.describe()
    assert described["database"] == "postgresql+asyncpg://careloop:***@db:5432/intake"
    assert described["amqp"] == "amqp://careloop:***@broker:5672/prod"
    assert described["port"] == 8001
    text = repr(described)
    assert "pg-pa55" not in text
    assert "mq-pa55" not in text
    assert LONG_SECRET not in text


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("amqp://guest:guest@127.0.0.1:5672/", "amqp://guest:***@127.0.0.1:5672/"),
        ("postgresql://u:p@ss@w0rd@db/x", "postgresql://u:***@db/x"),
        ("sqlite+aiosqlite:///var/intake.db", "sqlite+aiosqlite:///var/intake.db"),
        ("amqp://broker:5672/", "amqp://broker:5672/"),
    ],
)
def test_without_password(url: str, shown: str) -> None:
    assert without_password(url) == shown
