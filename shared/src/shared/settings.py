"""One settings object per service, read from the environment.

Every variable can be given for all services (`DATABASE_URL`) or for one service with its
name as a prefix (`INTAKE_DATABASE_URL`); the prefixed one wins.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any, ClassVar

from pydantic import Field, model_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

DEVELOPMENT_JWT_SECRET = "careloop-development-secret-do-not-use-in-production"  # noqa: S105
MIN_SECRET_LENGTH = 32


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class UnsafeSettingsError(ValueError):
    """The settings would run production with a development default."""


class ServiceSettings(BaseSettings):
    """Settings every careloop service has; a service subclasses it and names itself."""

    service_name: ClassVar[str] = "service"
    default_port: ClassVar[int] = 8000

    # hide_input_in_errors: a refused setting must not print the secret it refused.
    model_config = SettingsConfigDict(
        extra="ignore", env_file=None, populate_by_name=True, hide_input_in_errors=True
    )

    env: Environment = Field(default=Environment.DEVELOPMENT, alias="CARELOOP_ENV")
    host: str = "127.0.0.1"
    port: int = 0
    database_url: str = ""
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    exchange: str = "careloop.events"
    queue_prefix: str = ""
    log_format: str = Field(default="", alias="CARELOOP_LOG_FORMAT")
    log_level: str = Field(default="INFO", alias="CARELOOP_LOG_LEVEL")
    jwt_secret: str = Field(default=DEVELOPMENT_JWT_SECRET, alias="CARELOOP_JWT_SECRET")
    jwt_public_keys: str = Field(default="", alias="CARELOOP_JWT_PUBLIC_KEYS")
    jwt_audience: str = "careloop"
    consumer_prefetch: int = 128
    consumer_workers: int = 4
    consumer_batch_size: int = 32
    retry_limit: int = 5
    out_of_order_retry_limit: int = 20
    retry_base_delay: float = 0.5
    retry_max_delay: float = 30.0
    delivery_limit: int = 20
    relay_batch_size: int = 200
    relay_bulk_types: tuple[str, ...] = ()
    """Prefixes of the event types the relay sends only after every other waiting event
    (shared/bus/relay.py): those a service writes thousands at a time."""
    relay_poll_interval: float = 1.0
    scheduler_poll_interval: float = 1.0
    consumer_gone_exit_after: float = 120.0
    migrate_on_start: bool = True
    db_pool_size: int = 10
    """Connections each of the service's two engines keeps (and may add as many again):
    size it to the database's (or the pooler's) connection limit divided by the replicas."""
    data_dir: Path = Path("var")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The service's own prefix comes before the plain names, so INTAKE_DATABASE_URL
        # beats DATABASE_URL. Unprefixed, only the group-wide variables count: a stray HOST
        # or ENV from the shell must not move a service.
        prefixed = EnvSettingsSource(settings_cls, env_prefix=f"{cls.service_name.upper()}_")
        return (init_settings, prefixed, _GroupWideEnv(settings_cls))

    @model_validator(mode="after")
    def _fill_defaults(self) -> ServiceSettings:
        if not self.port:
            self.port = self.default_port
        if not self.database_url:
            path = (self.data_dir / f"{self.service_name}.db").as_posix()
            self.database_url = f"sqlite+aiosqlite:///{path}"
        if not self.log_format:
            self.log_format = "json" if self.is_production else "console"
        return self

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> ServiceSettings:
        if not self.is_production:
            return self
        if self.jwt_public_keys:
            return self
        if self.jwt_secret == DEVELOPMENT_JWT_SECRET:
            raise UnsafeSettingsError(
                "CARELOOP_ENV=production refuses the development JWT secret: "
                "set CARELOOP_JWT_SECRET to a random value of at least 32 characters "
                "or CARELOOP_JWT_PUBLIC_KEYS to the identity provider's keys"
            )
        if len(self.jwt_secret) < MIN_SECRET_LENGTH:
            raise UnsafeSettingsError(
                f"CARELOOP_JWT_SECRET is {len(self.jwt_secret)} characters long; "
                f"production needs at least {MIN_SECRET_LENGTH}"
            )
        return self

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    def queue_name(self, suffix: str = "") -> str:
        """The name of one of this service's queues: `<prefix><service>.events<suffix>`."""
        return f"{self.queue_prefix}{self.service_name}.events{suffix}"

    def describe(self) -> dict[str, Any]:
        """Settings safe to log: no secrets, no passwords in URLs."""
        return {
            "env": self.env.value,
            "port": self.port,
            "database": without_password(self.database_url),
            "amqp": without_password(self.amqp_url),
            "exchange": self.exchange,
        }


class _GroupWideEnv(EnvSettingsSource):
    """The unprefixed environment, limited to the variables meant for every service."""

    GROUP_WIDE = frozenset({"amqp_url", "database_url", "exchange"})

    def __call__(self) -> dict[str, Any]:
        # Found values are keyed by alias when the alias variable was set (CARELOOP_ENV)
        # and by field name otherwise (a bare ENV), which is what must not count.
        aliases = {f.alias for f in self.settings_cls.model_fields.values() if f.alias}
        allowed = self.GROUP_WIDE | aliases
        return {key: value for key, value in super().__call__().items() if key in allowed}


def without_password(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, _, host = rest.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"
